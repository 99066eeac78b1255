"""Wrong person, date, number or place: the aligned evidence says the same thing about another.

One mechanism covers the four kinds. A claim is aligned with a retrieved passage when most of
its content words (everything but names, dates and numbers), and at least three, occur in the
passage. Each date, number and place of the claim must then be found in the passage; when it is
not, and the passage gives another of the same kind near the shared words, the claim gets a
finding with the passage's value as the fix. A value that occurs elsewhere in the sources, said of
the same thing, is not reported (the alignment may be wrong, the value is not), unless the parse
binds it there to another event while the aligned sentence gives the claim's event another value
(see :func:`_given_to_the_event`: "opened consulates in 2025" against "served to January 2025 and
opened consulates in 2023"). People are the exception, since
"an attribute of Q given to P" usually means both are in the sources: the person is compared
with the one best-aligned sentence (see :func:`wrong_person`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from copydesk.checkers import register
from copydesk.document import Claim, Document, Mention, Passage, Span, Text
from copydesk.findings import finding, source_evidence
from copydesk.language import load_pipeline
from copydesk.lexicon.names import same_person
from copydesk.lexicon.numbers import agrees, bound_of, is_approximate, near, whole_amount
from copydesk.lexicon.places import same_place
from copydesk.overlap import STOPWORDS, content_words
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.alignment import stem
from copydesk.stages.mentions import NUMBER_LABELS

MIN_ALIGNMENT = 0.6
"""Share of a claim's content words a passage must contain to be taken as saying the same thing."""
MIN_SHARED_WORDS = 3
MAX_ANCHOR_DISTANCE = 120
MAX_PARSED_SENTENCE = 600
"""Longer source "sentences" (tables, lists run together) are not parsed to bind values to events."""
MAX_BINDING_STEPS = 12
BOUND_TO_EVENTS = frozenset({FindingKind.WRONG_DATE, FindingKind.WRONG_NUMBER})
"""The kinds of value compared with the value the source gives the same event (places are not:
"in Paris" hangs on nouns as often as on the verb, and a place found in the sources stays backed)."""
_OFFICE_ANAPHOR = re.compile(r"\bthe (?:position|post|office|job|role)\b", re.IGNORECASE)
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Slot:
    """A kind of value a claim can get wrong, and how two values of it are compared.

    ``same`` answers "can these be the same value?": when it cannot tell (a vague date, a number
    it cannot read), it says yes, so that nothing is reported on a guess.
    """

    kind: FindingKind
    labels: frozenset[str]
    same: Callable[[Mention, Mention], bool]
    noun: str
    fits: Callable[[str, Mention], bool] = lambda raw, mention: True
    readable: Callable[[Mention], bool] = lambda mention: True
    """Whether a value stands in the role this slot compares (a place must be where something is)."""


def _same_person(a: Mention, b: Mention) -> bool:
    return same_person(a.entity, b.entity) or same_person(a.span.text, b.span.text)


def _same_place(a: Mention, b: Mention) -> bool:
    x, y = a.entity.lower(), b.entity.lower()
    return x == y or x in y or y in x or same_place(a.entity, b.entity)


def _same_date(a: Mention, b: Mention) -> bool:
    x, y = a.span.text.lower(), b.span.text.lower()
    if x in y or y in x:
        return True
    if a.value is not None and b.value is not None:
        return a.value.overlaps(b.value)
    # without a publication date a weekday has no value, but two different weekdays still differ
    day_x = {day for day in _WEEKDAYS if day in x}
    day_y = {day for day in _WEEKDAYS if day in y}
    return not (day_x and day_y and not day_x & day_y)


_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|from|to|into|across|around|between|off|of)\s+(?:the\s+)?$", re.IGNORECASE
)


def _is_location(raw: str, mention: Mention) -> bool:
    """A place named as where something happens ("in Quito"), not as an actor ("asked Washington")
    or an owner ("in England's campaign", where England is the team)."""
    if re.match(r"['’]s\b", raw[mention.span.end : mention.span.end + 2]):
        return False
    return bool(_LOCATIVE.search(raw[max(0, mention.span.start - 20) : mention.span.start]))


def _readable_date(mention: Mention) -> bool:
    return mention.value is not None or any(day in mention.span.text.lower() for day in _WEEKDAYS)


def _readable_number(mention: Mention) -> bool:
    return mention.value is not None


def _whole_number(raw: str, mention: Mention) -> bool:
    """Not a piece of a number split by a stray space: "56, 000" reads as "56" and "000", and
    "1. 3 billion" as "1" and "3 billion" (tokenised news corpora are full of both)."""
    start, end = mention.span.start, mention.span.end
    digits = list(re.finditer(r"\d+", raw[start:end]))
    if not digits:
        return True
    grown_start, _ = whole_amount(raw, start + digits[0].start(), start + digits[0].end())
    _, grown_end = whole_amount(raw, start + digits[-1].start(), start + digits[-1].end())
    return grown_start >= start and grown_end <= end


def _same_number(a: Mention, b: Mention, hedged: bool = False) -> bool:
    if a.value is None or b.value is None:
        return True
    if agrees(a.value, b.value, a.span.text, b.span.text):
        return True
    if not near(a.value, b.value):
        return False
    return hedged or _hedged(a.span.text) or _hedged(b.span.text)


def _hedged_in(raw: str, mention: Mention) -> bool:
    """Whether the words before a number in its text make it approximate ("about 40")."""
    return is_approximate(raw[max(0, mention.span.start - 20) : mention.span.start])


def _hedged(amount: str) -> bool:
    """ "about 40", "nearly half": the words before the number make it approximate."""
    number = re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|half|a dozen)\b", amount)
    return number is not None and is_approximate(amount[: number.start()])


SLOTS = (
    Slot(FindingKind.WRONG_DATE, frozenset({"DATE"}), _same_date, "date", readable=_readable_date),
    Slot(
        FindingKind.WRONG_NUMBER,
        frozenset(NUMBER_LABELS),
        _same_number,
        "number",
        _whole_number,
        readable=_readable_number,
    ),
    Slot(FindingKind.WRONG_PLACE, frozenset({"GPE", "LOC", "FAC"}), _same_place, "place", _is_location),
)


@register("circumstances", requires=["mentions", "claims", "evidence"])
def make_circumstances_checker(resources: Resources) -> object:
    return check_circumstances


def check_circumstances(doc: Document) -> Iterator[Finding]:
    reported: set[tuple[str, int, int]] = set()
    everywhere = [(source, m) for source in doc.sources for m in source.mentions]
    for index, claim in enumerate(doc.claims):
        evidence = doc.evidence.get(index)
        if not claim.checkable or not evidence:
            continue
        own = doc.text(claim.span.field)
        words = claim_words(own, claim)
        if len(words) < MIN_SHARED_WORDS:
            continue
        for passage in evidence[:2]:
            if alignment(words, passage.text) < MIN_ALIGNMENT:
                continue
            source = doc.source(passage.source_id)
            found_all = [
                *compare_slots(own, claim, words, source, passage, everywhere),
                *wrong_person(own, claim, words, source, passage),
            ]
            for found in found_all:
                key = (found.field, found.start, found.end)
                if key not in reported:
                    reported.add(key)
                    found.claim = index
                    yield found
            break


def claim_words(own: Text, claim: Claim) -> set[str]:
    """The claim's content words, leaving out the names, dates and numbers it mentions.

    They come from the claim's own statement (so "X, who joined in July, scored" aligns on
    "scored", not on the relative clause, which is a claim of its own).
    """
    mentioned: set[str] = set()
    for mention in own.mentions_in(claim.span.start, claim.span.end):
        if mention.label not in ("OFFICE", "QUOTE"):
            mentioned |= content_words(mention.span.text)
    # "Blinken's tenure": the possessive of a name is the name
    words = {w for w in content_words(claim.text) if _POSSESSIVE.sub("", w) not in mentioned}
    anaphor = _OFFICE_ANAPHOR.search(claim.text)
    sentence = own.sentence_at(claim.span.start) if anaphor else None
    if anaphor and sentence:
        # "the first Latino to hold the position": the position is the office the sentence names
        offices = [m for m in own.mentions_in(sentence.start, sentence.end) if m.label == "OFFICE"]
        if offices:
            words = words - content_words(anaphor.group(0)) | content_words(offices[0].span.text)
    return words


def alignment(words: set[str], passage: str) -> float:
    """Share of the claim's content words found in the passage (0 when fewer than two are shared)."""
    if not words:
        return 0.0
    shared = len(words & content_words(passage))
    return shared / len(words) if shared >= MIN_SHARED_WORDS else 0.0


def compare_slots(
    own: Text,
    claim: Claim,
    words: set[str],
    source: Text,
    passage: Passage,
    everywhere: list[tuple[Text, Mention]],
) -> Iterator[Finding]:
    theirs = source.mentions_in(passage.start, passage.end)
    mine = own.mentions_in(claim.span.start, claim.span.end)
    anchors = _anchor_positions(words, passage)
    for slot in SLOTS:
        my_values = [m for m in mine if m.label in slot.labels]
        # a value that cannot be read ("three days", "several") can neither back nor correct a claim
        their_values = [m for m in theirs if m.label in slot.labels and slot.readable(m)]
        for mention in my_values:
            if not slot.fits(own.text, mention):
                continue
            backing = (
                (text, o)
                for text, o in (*((source, o) for o in their_values), *everywhere)
                if o.label in slot.labels and slot.readable(o) and _same_in(slot, own, mention, text, o)
            )
            # read lazily: most values are backed by their first occurrence, and the sources'
            # mentions are many
            backers = (
                (text, o) for text, o in backing if said_of_the_same(own, claim, words, mention, text, o)
            )
            first = next(backers, None)
            if first is not None:
                # the value occurs in the sources: it is wrong only where the source sentence gives
                # this event another value and every occurrence of it is bound to another event
                rebound = (
                    _given_to_the_event(
                        slot, own, mention, my_values, words, source, passage, chain([first], backers)
                    )
                    if slot.kind in BOUND_TO_EVENTS
                    else None
                )
                if rebound is not None:
                    sentence = source.sentence_at(rebound.span.start)
                    yield _finding(slot, mention, rebound, source, sentence or passage)
                continue
            candidates = [
                o
                for o in their_values
                if slot.fits(source.text, o) and not any(slot.same(o, m) for m in my_values)
            ]
            if slot.kind == FindingKind.WRONG_NUMBER:
                candidates = [
                    o
                    for o in candidates
                    if _unit(source.text, o) == _unit(own.text, mention) and o.label == mention.label
                ]
            replacement = _nearest(candidates, anchors)
            if replacement is None:
                continue
            yield _finding(
                slot, mention, replacement, source, source.sentence_at(replacement.span.start) or passage
            )


def _finding(
    slot: Slot,
    mention: Mention,
    replacement: Mention,
    source: Text,
    evidence: Passage | Span,
) -> Finding:
    # only the words that differ are wrong: "October 2025" for "October 2021" marks "2025"; a
    # place's name is one unit ("New Jersey" for "New York", not "Jersey")
    span, fix = mention.span, replacement.span.text
    if slot.kind != FindingKind.WRONG_PLACE:
        span, fix = _changed_words(span, fix)
    return finding(
        span,
        slot.kind,
        f"The source gives this {slot.noun} as {replacement.span.text}, not {mention.span.text}.",
        checker="circumstances",
        confidence=0.75,
        evidence=[source_evidence(source, evidence.start, evidence.end)],
        fix=fix,
    )


def _changed_words(span: Span, fix: str) -> tuple[Span, str]:
    """Only the words that differ: "April 14-15, 2012" for "April 14-15, 2014" marks "2012", and
    "3.4 per cent" for "4.9 per cent" marks "3.4"."""
    mine, theirs = span.text.split(" "), fix.split(" ")
    head = 0
    while head < min(len(mine), len(theirs)) - 1 and mine[head] == theirs[head]:
        head += 1
    tail = 0
    while tail < min(len(mine), len(theirs)) - head - 1 and mine[-1 - tail] == theirs[-1 - tail]:
        tail += 1
    if not head and not tail:
        return span, fix
    start = span.start + len(" ".join(mine[:head])) + (1 if head else 0)
    kept = " ".join(mine[head : len(mine) - tail])
    return Span(span.field, start, start + len(kept), kept), " ".join(theirs[head : len(theirs) - tail])


def _given_to_the_event(
    slot: Slot,
    own: Text,
    mention: Mention,
    my_values: list[Mention],
    words: set[str],
    source: Text,
    passage: Passage,
    backers: Iterable[tuple[Text, Mention]],
) -> Mention | None:
    """The value the aligned source sentence gives the claim's event, when the claim's value,
    though it occurs in the sources, is bound to another event wherever it does.

    "During Blinken's tenure in 2025, the department opened two consulates" against "Blinken
    served from 2021 to January 2025 and opened two consulates in 2023": the claim's year hangs
    on "opened" (the first verb above it in the parse), the source's 2023 on "opened" and its 2025
    on "served", so the year is wrong and 2023 is the fix. Nothing is reported when the claim's
    value has no verb above it, when the claim gives that verb another value of the kind too
    ("reported a profit of 212 million, up from 180 million"), when the source sentence gives the
    event no single other value, or when any occurrence of the claim's value is bound to the same
    event, to a word the claim binds its value to, or to nothing the parse can tell.
    """
    mine = _binding(own.doc, mention.span.start, mention.span.end)
    if mine is None or mine.event is None:
        return None
    for other in my_values:
        if other is not mention:
            also = _binding(own.doc, other.span.start, other.span.end)
            if also is None or also.event in (None, mine.event):
                return None
    sentence = _aligned_sentence(words, source, passage)
    if sentence is None or mine.event not in _stems_of(sentence.text):
        return None
    rivals = [
        o
        for o in source.mentions_in(sentence.start, sentence.end)
        if o.label in slot.labels
        and slot.readable(o)
        and slot.fits(source.text, o)
        and not any(_same_in(slot, own, m, source, o) for m in my_values)
    ]
    if slot.kind == FindingKind.WRONG_NUMBER:
        rivals = [
            o
            for o in rivals
            if o.label == mention.label and _unit(source.text, o) == _unit(own.text, mention)
        ]
    if not rivals:
        return None
    parsed = _parse(sentence.text)
    given = []
    for rival in rivals:
        theirs = _binding(parsed, rival.span.start - sentence.start, rival.span.end - sentence.start)
        if theirs is not None and theirs.event == mine.event:
            given.append(rival)
    if len({o.span.text.lower() for o in given}) != 1:
        return None  # the sentence gives the event no value, or several
    for text, backer in backers:
        index = _sentence_index(text, backer.span.start)
        if index is None:
            return None
        around = text.sentences[index]
        if len(around.text) > MAX_PARSED_SENTENCE:
            return None
        theirs = _binding(
            _parse(around.text), backer.span.start - around.start, backer.span.end - around.start
        )
        if theirs is None or theirs.event is None or theirs.event == mine.event or theirs.words & mine.words:
            return None
    return given[0]


@dataclass(frozen=True)
class Binding:
    """What a value is said of in a parse: ``event``, the stem of the first verb above it, and
    ``words``, the stems of the nouns and verbs on the way up to it ("tenure", "opened"), less the
    noun a number counts ("two consulates": the unit is compared apart)."""

    event: str | None
    words: frozenset[str]


def _binding(parsed: Any, start: int, end: int) -> Binding | None:
    """The :class:`Binding` of the value at characters ``start:end`` of a parsed text."""
    if parsed is None or isinstance(parsed, list) or not parsed.has_annotation("DEP"):
        return None
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span.root
    words: set[str] = set()
    for step in range(MAX_BINDING_STEPS):
        if token.head.i == token.i:
            break
        token = token.head
        counted = step == 0 and span.root.dep_ == "nummod"
        if token.pos_ in ("NOUN", "VERB") and not counted:
            words.add(stem(token.lower_))
        if token.pos_ == "VERB":
            return Binding(stem(token.lower_), frozenset(words))
    return Binding(None, frozenset(words))


def _aligned_sentence(words: set[str], source: Text, passage: Passage) -> Span | None:
    """The sentence of the passage that shares most of the claim's content words, if it aligns."""
    sentences = [s for s in source.sentences if passage.start <= s.start and s.end <= passage.end]
    if not sentences:
        return None
    best = max(sentences, key=lambda s: len(words & _words_of(s.text)))
    if alignment(words, best.text) < MIN_ALIGNMENT or len(best.text) > MAX_PARSED_SENTENCE:
        return None
    return best


@functools.lru_cache(maxsize=1024)
def _stems_of(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in re.findall(r"[a-z]+", text.lower()))


@functools.lru_cache(maxsize=1024)
def _parse(sentence: str) -> Any:
    """A full parse of one source sentence: sources are read for entities only, and the few
    sentences whose values must be bound to their events are parsed here, once each."""
    return load_pipeline()(sentence, disable=["ner"])


def _same_in(slot: Slot, own: Text, mine: Mention, source: Text, theirs: Mention) -> bool:
    """``slot.same``, with a number read with the words before it ("about 40" is near 41)."""
    if slot.kind != FindingKind.WRONG_NUMBER:
        return slot.same(mine, theirs)
    if mine.value is None or theirs.value is None:
        return True
    mine_bound, theirs_bound = _bound_in(own.text, mine), _bound_in(source.text, theirs)
    if agrees(
        mine.value,
        theirs.value,
        mine.span.text,
        theirs.span.text,
        mine_bound=mine_bound,
        theirs_bound=theirs_bound,
    ):
        return True  # "more than 100 bodies" for 116 too
    if not near(mine.value, theirs.value):
        return False
    return any(_hedged(m.span.text) for m in (mine, theirs)) or (
        _hedged_in(own.text, mine) or _hedged_in(source.text, theirs)
    )


def _bound_in(raw: str, mention: Mention) -> str | None:
    """Whether a number is a floor or a ceiling ("more than 100", "under 50"): from the words of
    its mention before the digits, else from the words just before the mention."""
    number = re.search(r"\d", mention.span.text)
    inside = bound_of(mention.span.text[: number.start()]) if number else None
    return inside or bound_of(raw[max(0, mention.span.start - 20) : mention.span.start])


def said_of_the_same(
    own: Text, claim: Claim, words: set[str], mine: Mention, source: Text, theirs: Mention
) -> bool:
    """Whether a source value is said of what the claim says its value of, so that it backs it.

    "Lopez scored four goals" is not backed by "Ruiz scored four goals": the sentence holding the
    source's value (read with the sentence before it, where a pronoun's person is named) must share
    a content word with the claim, must not name only people the claim does not, and a number must
    count the same thing ("four goals", not "four games").
    """
    index = _sentence_index(source, theirs.span.start)
    if index is None:
        return True
    sentence = source.sentences[index]
    start = source.sentences[index - 1].start if index > 0 else sentence.start
    if words and not words & _words_of(source.text[start : sentence.end]):
        return False
    if theirs.label in NUMBER_LABELS:
        unit_mine, unit_theirs = _unit(own.text, mine), _unit(source.text, theirs)
        if unit_mine and unit_theirs and unit_mine != unit_theirs:
            return False
    # a name written in lower case ("darwin" in a lower-cased summary) is the recogniser guessing
    people = [
        m
        for m in own.mentions_in(claim.span.start, claim.span.end)
        if m.label == "PERSON" and m.span.text[:1].isupper()
    ]
    if not people:
        return True
    said = sentence.text
    if any(re.search(rf"\b{re.escape(p.entity.split()[-1])}\b", said, re.IGNORECASE) for p in people):
        return True  # names one of the claim's people
    named = [m for m in source.mentions_in(sentence.start, sentence.end) if m.label == "PERSON"]
    if named or any(name not in claim.text for name in _full_names(said)):
        return False  # names someone else (a full name the recogniser missed counts too)
    before = source.text[start : sentence.start]
    # "She scored four goals": the person is named in the sentence before
    return not _PRONOUN.search(said) or any(p.entity.split()[-1] in before for p in people)


def _sentence_index(text: Text, offset: int) -> int | None:
    """The index of the sentence of ``text`` holding character ``offset`` (sentences are in order)."""
    index = bisect.bisect_right([s.start for s in text.sentences], offset) - 1
    if index >= 0 and offset < text.sentences[index].end:
        return index
    return None


@functools.lru_cache(maxsize=1024)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def _full_names(text: str) -> list[str]:
    """Runs of two or more capitalised words, less a leading "The" or "In" ("Ana Ruiz")."""
    names = []
    for run in _FULL_NAME.findall(text):
        words = run.split()
        while words and words[0].lower() in STOPWORDS:
            words = words[1:]
        if len(words) >= 2:
            names.append(" ".join(words))
    return names


def wrong_person(
    own: Text, claim: Claim, words: set[str], source: Text, passage: Passage
) -> Iterator[Finding]:
    """The source sentence that says what the claim says names someone else as the one who did it.

    A person named elsewhere in the sources can still be the wrong one here, so this compares
    against the single best-aligned sentence of the passage, and only when that sentence names
    exactly one person the claim does not, and not the claim's first-named person.
    """
    people = [m for m in own.mentions_in(claim.span.start, claim.span.end) if m.label == "PERSON"]
    sentences = [s for s in source.sentences if passage.start <= s.start and s.end <= passage.end]
    if not people or not sentences:
        return
    best = max(sentences, key=lambda s: len(words & content_words(s.text)))
    if alignment(words, best.text) < MIN_ALIGNMENT:
        return
    subject = people[0]
    theirs = [m for m in source.mentions_in(best.start, best.end) if m.label == "PERSON"]
    if any(_same_person(subject, other) for other in theirs):
        return
    others = [o for o in theirs if not any(_same_person(o, m) for m in people)]
    if len({o.entity for o in others}) != 1 or len(others[0].entity.split()) < 2:
        return  # several candidates, or one the sources never give a full name ("Twitter")
    replacement = others[0]
    span, fix = subject.span, _person_fix(subject, replacement)
    if any(role.person.span.start == subject.span.start for role in own.roles):
        # "Finance Minister Jonas Berg, the first woman in the post": the office checker says who
        # holds the office; what is wrong here is the attribute, which belongs to someone else
        if claim.attribute is None:
            return
        span, fix = claim.attribute, None
    yield finding(
        span,
        FindingKind.WRONG_PERSON,
        f"The source says this of {replacement.entity}, not {subject.span.text}.",
        checker="circumstances",
        confidence=0.7,
        evidence=[source_evidence(source, best.start, best.end)],
        fix=fix,
    )


def _person_fix(subject: Mention, replacement: Mention) -> str | None:
    """The replacement in the form the story uses: surname for surname, full name for full name."""
    if len(subject.span.text.split()) == 1 and len(replacement.entity.split()) > 1:
        return replacement.entity.split()[-1]
    return replacement.entity


def _anchor_positions(words: set[str], passage: Passage) -> list[int]:
    """Where the claim's content words occur in the passage (absolute offsets in the source)."""
    lowered = passage.text.lower()
    positions = []
    for word in words:
        match = re.search(rf"\b{re.escape(word)}\b", lowered)
        if match:
            positions.append(passage.start + match.start())
    return positions


def _nearest(candidates: list[Mention], anchors: list[int]) -> Mention | None:
    """The candidate closest to the words the claim and passage share, if close enough."""
    if not candidates or not anchors:
        return None

    def distance(mention: Mention) -> int:
        return min(min(abs(mention.span.start - a), abs(mention.span.end - a)) for a in anchors)

    best = min(candidates, key=distance)
    return best if distance(best) <= MAX_ANCHOR_DISTANCE else None


def _unit(raw: str, mention: Mention) -> str:
    """The word a number counts ("1,200 staff" -> "staff"); money and percentages are their own unit."""
    if mention.label in ("MONEY", "PERCENT"):
        return mention.label
    following = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", raw[mention.span.end : mention.span.end + 30])
    return following.group(1).lower().rstrip("s") if following else ""
