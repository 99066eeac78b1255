"""Wrong person, date, number or place: the aligned evidence says the same thing about another.

One mechanism covers the four kinds. A claim is aligned with a retrieved passage when most of
its content words (everything but names, dates and numbers) occur in the passage. Each slot of
the claim (a person, a date, a number, a place) must then be found in the passage; when it is
not, and the passage fills the same slot differently, the claim gets a finding with the
passage's value as the fix. A value that occurs anywhere in the sources is never reported: the
alignment may be wrong, the value is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from copydesk.checkers import register
from copydesk.document import Claim, Document, Mention, Passage, Text
from copydesk.findings import finding, source_evidence
from copydesk.mentions import NUMBER_LABELS
from copydesk.names import same_person
from copydesk.numbers import same_number
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind

MIN_ALIGNMENT = 0.6
MAX_ANCHOR_DISTANCE = 120
_STOP = set(
    ["a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "this", "that", "these", "those", "it", "its", "their", "his", "her", "he", "she", "they", "we", "you", "i", "not", "no", "than", "then", "so", "such", "also", "into", "over", "after", "before", "about", "said", "says", "say", "told", "who", "which", "what", "when", "where", "while", "during", "since", "until", "there", "here", "more", "most", "other", "some", "any", "all", "each", "new"]
)
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Slot:
    """A kind of value a claim can get wrong, and how two values of it are compared."""

    kind: FindingKind
    labels: frozenset[str]
    same: Callable[[Mention, Mention], bool]
    noun: str


def _same_person(a: Mention, b: Mention) -> bool:
    return same_person(a.entity, b.entity) or same_person(a.span.text, b.span.text)


def _same_place(a: Mention, b: Mention) -> bool:
    x, y = a.entity.lower(), b.entity.lower()
    return x == y or x in y or y in x


def _same_date(a: Mention, b: Mention) -> bool:
    x, y = a.span.text.lower(), b.span.text.lower()
    if x in y or y in x:
        return True
    if any(day in x for day in _WEEKDAYS) or any(day in y for day in _WEEKDAYS):
        return False
    return bool(a.value and b.value and a.value.overlaps(b.value))


def _same_number(a: Mention, b: Mention) -> bool:
    if a.value is None or b.value is None:
        return a.span.text.lower() == b.span.text.lower()
    return same_number(a.value, b.value)


SLOTS = (
    Slot(FindingKind.WRONG_PERSON, frozenset({"PERSON"}), _same_person, "person"),
    Slot(FindingKind.WRONG_DATE, frozenset({"DATE"}), _same_date, "date"),
    Slot(FindingKind.WRONG_NUMBER, frozenset(NUMBER_LABELS), _same_number, "number"),
    Slot(FindingKind.WRONG_PLACE, frozenset({"GPE", "LOC", "FAC"}), _same_place, "place"),
)


@register("circumstances")
def make_circumstances_checker(resources: Resources) -> object:
    return check_circumstances


def check_circumstances(doc: Document) -> Iterator[Finding]:
    reported: set[tuple[str, int, int]] = set()
    everywhere = [m for source in doc.sources for m in source.mentions]
    for index, claim in enumerate(doc.claims):
        evidence = doc.evidence.get(index)
        if not claim.checkable or not evidence:
            continue
        own = doc.text(claim.span.field)
        for passage in evidence[:2]:
            source = doc.source(passage.source_id)
            if alignment(own, claim, source, passage) < MIN_ALIGNMENT:
                continue
            for found in compare_slots(own, claim, source, passage, everywhere):
                key = (found.field, found.start, found.end)
                if key not in reported:
                    reported.add(key)
                    found.claim = index
                    yield found
            break


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in _STOP and len(w) > 2}


def _without_mentions(text: Text, start: int, end: int) -> str:
    chars = list(text.text[start:end])
    for mention in text.mentions_in(start, end):
        if mention.label not in ("OFFICE", "QUOTE"):
            for i in range(mention.span.start - start, mention.span.end - start):
                chars[i] = " "
    return "".join(chars)


def alignment(own: Text, claim: Claim, source: Text, passage: Passage) -> float:
    """Share of the claim's content words (names, dates, numbers left out) found in the passage."""
    words = content_words(_without_mentions(own, claim.span.start, claim.span.end))
    if len(words) < 2:
        return 0.0
    return len(words & content_words(passage.text)) / len(words)


def compare_slots(own: Text, claim: Claim, source: Text, passage: Passage,
                  everywhere: list[Mention]) -> Iterator[Finding]:
    theirs = source.mentions_in(passage.start, passage.end)
    mine = own.mentions_in(claim.span.start, claim.span.end)
    anchors = _anchor_positions(own, claim, passage)
    for slot in SLOTS:
        my_values = [m for m in mine if m.label in slot.labels]
        their_values = [m for m in theirs if m.label in slot.labels]
        for mention in my_values:
            if any(slot.same(mention, other) for other in their_values):
                continue
            if any(o.label in slot.labels and slot.same(mention, o) for o in everywhere):
                continue
            candidates = [o for o in their_values if not any(slot.same(o, m) for m in my_values)]
            if slot.kind == FindingKind.WRONG_NUMBER:
                candidates = [o for o in candidates if _unit(source.text, o) == _unit(own.text, mention)
                              and o.label == mention.label]
            replacement = _nearest(candidates, anchors)
            if replacement is None:
                continue
            fix = replacement.span.text
            if slot.kind == FindingKind.WRONG_PERSON and len(mention.span.text.split()) == 1:
                fix = replacement.entity.split()[-1]
            yield finding(
                mention.span, slot.kind,
                f"The source gives this {slot.noun} as {replacement.span.text}, not {mention.span.text}.",
                checker="circumstances", confidence=0.75,
                evidence=[source_evidence(source, passage.start, passage.end)], fix=fix,
            )


def _anchor_positions(own: Text, claim: Claim, passage: Passage) -> list[int]:
    """Where the claim's content words occur in the passage (absolute offsets in the source)."""
    words = content_words(_without_mentions(own, claim.span.start, claim.span.end))
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
    following = re.match(r"\s*(?:of\s+)?([A-Za-z]+)", raw[mention.span.end:mention.span.end + 30])
    return following.group(1).lower().rstrip("s") if following else ""
