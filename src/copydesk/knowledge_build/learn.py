"""Learning facts from a trusted archive of dated stories.

"Secretary of State Marco Rubio" in a story of 2025-08-28 is evidence that Rubio held the office
that day; "then-Secretary of State Antony Blinken" in a sentence about 2021 is evidence about
2021. Observations of the same person in the same office merge into one learned fact running
from the earliest to the latest date seen, and every story that supports it is kept.

Roles come from copydesk's own pipeline (the mentions stage's ``Text.roles``). For stories the
pipeline gave no mentions at all (the stage not installed), a small fallback reads three
patterns: "Title Firstname Lastname", "then-Title Firstname Lastname" and "Firstname Lastname,
the Title".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from copydesk.document import Document, Mention, Period, Role, Text
from copydesk.errors import CopydeskError, InputError
from copydesk.knowledge.store import DAY, MONTH, YEAR, KnowledgeBase, period_end
from copydesk.lexicon.names import name_parts
from copydesk.lexicon.offices import TITLE_PATTERN, office_key, same_office
from copydesk.schema import StoryIn

_JURISDICTION = r"(?:(?:the\s+)?(?:U\.S\.|US|United States|American|British|UK|U\.K\.)\s+)?"
_TITLE = rf"(?i:{TITLE_PATTERN.pattern})"
_PERSON = r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w\u2019'-]*[a-z])"
_OF_PLACE = r"(?:\s+of\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
_BEFORE_NAME = re.compile(
    rf"(?P<former>\b(?i:former|ex-)\s*)?(?P<then>\b(?i:then)[-\s])?(?P<office>{_JURISDICTION}{_TITLE})\s+{_PERSON}\b"
)
_AFTER_NAME = re.compile(
    rf"\b{_PERSON},\s+(?:the\s+|a\s+)?(?P<former>(?i:former|ex-)\s*)?(?P<then>(?i:then)[-\s])?"
    rf"(?P<office>{_JURISDICTION}{_TITLE}{_OF_PLACE})\b"
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
"""Sentences for texts the pipeline did not split; a capital letter before a dot ("U.S.") is no end."""
ARCHIVE_SUFFIXES = (".json", ".jsonl")


@dataclass
class LearnStats:
    stories: int = 0
    undated: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)
    roles: int = 0
    observations: int = 0
    new_facts: int = 0
    fallback_stories: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stories": self.stories,
            "undated": self.undated,
            "invalid": self.invalid,
            "problems": self.problems,
            "roles": self.roles,
            "observations": self.observations,
            "new_facts": self.new_facts,
            "fallback_stories": self.fallback_stories,
        }


def read_archive(path: Path) -> Iterator[tuple[str, StoryIn | str]]:
    """(where, story) for each story of a JSON/JSONL file or a folder of them; (where, problem) for
    records that are not valid stories."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in ARCHIVE_SUFFIXES)
        if not files:
            raise InputError(f"{path}: no .json or .jsonl files in this folder")
    elif path.is_file():
        if path.suffix.lower() not in ARCHIVE_SUFFIXES:
            raise InputError(f"{path}: an archive is a .jsonl or .json file of stories (or a folder of them)")
        files = [path]
    else:
        raise InputError(f"{path}: no such file or folder")
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            yield str(file), f"cannot read it as UTF-8 text ({exc})"
            continue
        records: list[tuple[str, Any]] = []
        stripped = text.lstrip()
        if file.suffix.lower() == ".json" and stripped[:1] in "[{":
            try:
                loaded = json.loads(text)
                items = loaded if isinstance(loaded, list) else [loaded]
                records = [(f"{file}[{i}]", item) for i, item in enumerate(items)]
            except json.JSONDecodeError:
                records = []
        if not records:
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    try:
                        records.append((f"{file}:{number}", json.loads(line)))
                    except json.JSONDecodeError as exc:
                        records.append((f"{file}:{number}", f"not JSON ({exc.msg})"))
        for where, record in records:
            if isinstance(record, str):
                yield where, record
                continue
            try:
                yield where, StoryIn.model_validate(record)
            except ValidationError as exc:
                first = exc.errors()[0]
                yield where, f"{'.'.join(map(str, first['loc'])) or 'story'}: {first['msg']}"


def fallback_roles(text: Text, published: dt.date) -> list[Role]:
    """Roles read by the three patterns, for texts the mentions stage did not annotate."""
    roles = []
    sentences = text.sentence_spans()
    for sentence in sentences:
        year = _YEAR.search(sentence.text)
        for pattern in (_BEFORE_NAME, _AFTER_NAME):
            for match in pattern.finditer(sentence.text):
                base = sentence.start
                person = Mention(
                    text.span(base + match.start("name"), base + match.end("name")),
                    "PERSON",
                    match.group("name"),
                )
                key = office_key(match.group("office"))
                if key is None:
                    continue
                office = Mention(
                    text.span(base + match.start("office"), base + match.end("office")), "OFFICE", key
                )
                tense = "former" if match.group("former") else "then" if match.group("then") else "current"
                when = None
                if tense == "then" and year:
                    number = int(year.group(1))
                    when = Period(dt.date(number, 1, 1), dt.date(number, 12, 31))
                roles.append(Role(person, office, tense, when))
    return roles


def _observation(role: Role, published: dt.date) -> tuple[dt.date, int] | None:
    """(day, precision) a role is evidence for, or None when it says nothing datable."""
    if role.tense == "former":
        return None
    when = role.when
    if when is None:
        return (published, DAY) if role.tense == "current" else None
    if when.start == when.end:
        return when.start, DAY
    if (when.start.month, when.start.day) == (1, 1) and when.end == dt.date(when.start.year, 12, 31):
        return when.start, YEAR
    if when.start.day == 1 and when.end == period_end(when.start, MONTH):
        return when.start, MONTH
    return None


class Learner:
    """Writes observations into a knowledge base (one instance per archive run)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def person_id(self, name: str, office: str) -> int | None:
        key = name_parts(name)
        if key is None or " " not in key.norm:
            return None  # a lone surname could be anyone
        people = self.kb.find_people(name, limit=10)
        if len(people) > 1:
            holding = [
                p
                for p in people
                if any(
                    same_office(office, k)
                    for f in self.kb.facts_of(p)
                    for k in self.kb.office_keys_of(f.office)
                )
            ]
            people = holding[:1]
        if people:
            return people[0].id
        return self.kb.put_person(f"learned:{key.norm}", name.strip(), None)

    def office_id(self, key: str, label: str, person_name: str) -> int:
        ranked = self.kb.rank_offices(key, [person_name])
        if ranked:
            top = ranked[0]
            held = any(
                f.office.id == top.id
                for p in self.kb.find_people(person_name, limit=5)
                for f in self.kb.facts_of(p)
            )
            if held or len(ranked) == 1:
                return top.id
        existing = self.kb.office_by_key(f"learned:{key}")
        if existing is not None:
            return existing.id
        return self.kb.put_office(f"learned:{key}", label, None, [label])

    def observe(self, role: Role, story_id: str, published: dt.date, quote: str) -> bool | None:
        """Record one role; True if it made a new fact, False if it extended one, None if unusable."""
        seen = _observation(role, published)
        key = role.office.entity or office_key(role.office.span.text)
        name = role.person.entity or role.person.span.text
        if seen is None or not key:
            return None
        person = self.person_id(name, key)
        if person is None:
            return None
        label = re.sub(r"^(?:the\s+|then[-\s]+|former\s+)+", "", role.office.span.text.strip(), flags=re.I)
        office = self.office_id(key, label or key, name)
        day, precision = seen
        row = self.kb.execute(
            "SELECT id FROM facts WHERE person = ? AND office = ? AND origin = 'learned'", (person, office)
        ).fetchone()
        created = row is None
        fact = (
            row[0]
            if row
            else self.kb.add_fact(
                person,
                office,
                day,
                precision,
                day,
                precision,
                "learned",
                f"learned from story {story_id} ({day.isoformat()})",
            )
        )
        self.kb.execute(
            "INSERT OR IGNORE INTO learned_evidence (fact, story, day, precision, quote) "
            "VALUES (?, ?, ?, ?, ?)",
            (fact, story_id, day.isoformat(), precision, quote[:300]),
        )
        if not created:
            self._refresh(fact)
        return created

    def _refresh(self, fact: int) -> None:
        rows = [
            (dt.date.fromisoformat(d), p, s)
            for d, p, s in self.kb.execute(
                "SELECT day, precision, story FROM learned_evidence WHERE fact = ? ORDER BY day", (fact,)
            )
        ]
        first = min(rows, key=lambda r: r[0])
        last = max(rows, key=lambda r: period_end(r[0], r[1]))
        stories = sorted({(d, s) for d, _, s in rows})
        if len(stories) == 1:
            provenance = f"learned from story {stories[0][1]} ({stories[0][0].isoformat()})"
        else:
            provenance = (
                f"learned from {len(stories)} stories: {stories[0][1]} ({stories[0][0].isoformat()}) "
                f"to {stories[-1][1]} ({stories[-1][0].isoformat()})"
            )
        self.kb.update_fact_span(fact, first[0], first[1], last[0], last[1], provenance)


def _sentence_of(text: Text, start: int) -> str:
    sentence = text.sentence_at(start)
    return sentence.text.strip() if sentence is not None else text.text[max(0, start - 100) : start + 200]


def learn_archive(
    kb: KnowledgeBase,
    path: Path,
    annotate: Callable[[StoryIn], Document],
    progress: Callable[[int], None] | None = None,
) -> LearnStats:
    """Learn from every dated story of the archive at ``path``.

    ``annotate`` turns a story into a document with its mentions (``Pipeline.annotate``).
    """
    stats = LearnStats()
    learner = Learner(kb)
    with kb.transaction():
        for where, story in read_archive(path):
            if progress is not None:
                progress(1)
            if isinstance(story, str):
                stats.invalid += 1
                if len(stats.problems) < 10:
                    stats.problems.append(f"{where}: {story}")
                continue
            if story.published is None:
                stats.undated += 1
                continue
            stats.stories += 1
            story_id = story.id or where
            try:
                doc = annotate(story)
            except CopydeskError:
                doc = Document.from_story(story)
            texts = doc.texts
            use_fallback = not any(t.mentions or t.roles for t in texts)
            stats.fallback_stories += use_fallback
            for text in texts:
                roles = fallback_roles(text, story.published) if use_fallback else text.roles
                for role in roles:
                    stats.roles += 1
                    made = learner.observe(
                        role, story_id, story.published, _sentence_of(text, role.person.span.start)
                    )
                    if made is not None:
                        stats.observations += 1
                        stats.new_facts += made
    return stats
