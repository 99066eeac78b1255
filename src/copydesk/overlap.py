"""Word overlap between a claim and the sources: the lexical side of "is this backed?"."""

from __future__ import annotations

import re

from copydesk.document import Claim, Document, Mention, Passage, Text
from copydesk.lexicon.names import same_person
from copydesk.lexicon.numbers import same_number
from copydesk.lexicon.places import PLACE_LABELS, same_place
from copydesk.stages.mentions import NUMBER_LABELS

STOPWORDS = frozenset(
    (
        "a an the and or but of to in on at for with by from as is are was were be been being has have "
        "had do does did will would can could should may might must this that these those it its their "
        "his her he she they we you i not no than then so such also into over after before about said "
        "says say told who which what when where while during since until there here more most other "
        "some any all each new"
    ).split()
)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without)\b|n't\b", re.IGNORECASE)
MIN_COVERAGE = 0.75
"""Share of a claim's content words its evidence must contain for the claim to count as covered."""


def content_words(text: str) -> set[str]:
    """Lower-case words that carry meaning: no stop words, nothing under three letters."""
    words = re.findall(r"[a-z][a-z']+", text.lower().replace("-", " "))
    return {w for w in words if w not in STOPWORDS and len(w) > 2}


TOPICAL = 0.5
"""Share of a claim's content words a passage must contain to be about the same thing."""


def topical_overlap(claim: str, passage: str) -> float:
    """Share of the claim's content words (by their first five letters) found in the passage."""
    words = {_stem(w) for w in content_words(claim)}
    if not words:
        return 0.0
    return len(words & {_stem(w) for w in content_words(passage)}) / len(words)


def _verbs(own: Text, claim: Claim) -> set[str]:
    """The stems of the verbs in the claim's part of the parsed story."""
    if own.doc is None or isinstance(own.doc, list):
        return set()
    return {
        _stem(token.lower_)
        for token in own.doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand") or []
        if token.pos_ == "VERB"
    }


def _stem(word: str) -> str:
    return word[:5]


def is_negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def covered(doc: Document, index: int, evidence: list[Passage]) -> bool:
    """Whether the sources state everything a claim names and most of what it says.

    Every person, place, date and number the claim mentions occurs in the sources, at least
    ``MIN_COVERAGE`` of its content words (compared by their first five letters, so "opened" meets
    "opens") occur in its evidence, none of the missing ones is a verb (a changed action, "rejected"
    where the source says "approved", is what the model is there to judge), and the claim and its
    closest passage agree on negation. The entailment model is weakest exactly where this holds
    (reworded, pronoun-linked or number-formatted support), so its low scores are not reported for
    covered claims.
    """
    claim: Claim = doc.claims[index]
    own = doc.text(claim.span.field)
    source_mentions = [m for source in doc.sources for m in source.mentions]
    named: set[str] = set()
    unnamed = list(own.text[claim.span.start : claim.span.end])  # the claim without its mentions
    for mention in own.mentions_in(claim.span.start, claim.span.end):
        if mention.label in ("OFFICE", "QUOTE", "PERSON_REF", "ORDINAL"):
            continue
        named |= content_words(mention.span.text)
        for i in range(mention.span.start - claim.span.start, mention.span.end - claim.span.start):
            unnamed[i] = " "
        if mention.label in ("DATE", *NUMBER_LABELS) and mention.value is None:
            continue  # "last spring" cannot be compared; its words are not held against the claim either
        if not any(_same_value(mention, other) for other in source_mentions):
            return False
    text = " ".join(p.text for p in evidence)
    if not _numbers("".join(unnamed)) <= _numbers(text):
        return False  # a number the recogniser missed must be in the evidence as written
    words = {_stem(w) for w in content_words(claim.text) - named}
    if not words:
        return True  # a claim made only of names, dates and numbers, all found in the sources
    found = {_stem(w) for w in content_words(text)}
    missing = words - found
    if len(missing) > (1 - MIN_COVERAGE) * len(words) or missing & _verbs(own, claim):
        return False  # too much is new, or the action is: "rejected" where the source says "approved"
    closest = max(evidence, key=lambda p: topical_overlap(claim.text, p.text))
    return is_negated(claim.text) == is_negated(closest.text)


_DIGITS = re.compile(r"\d[\d,.]*\d|\d")


def _plain_number(text: str) -> str:
    return text.replace(",", "").strip(".")


def _numbers(text: str) -> set[str]:
    """Digit strings, without thousands separators: a number the recogniser missed is still compared."""
    return {_plain_number(n) for n in _DIGITS.findall(text)}


def _same_value(mine: Mention, theirs: Mention) -> bool:
    if mine.label == "PERSON":
        return theirs.label == "PERSON" and same_person(mine.entity, theirs.entity)
    if isinstance(mine.value, float) and isinstance(theirs.value, float):
        return same_number(mine.value, theirs.value)
    if (
        mine.label == "DATE"
        and mine.value is not None
        and theirs.value is not None
        and theirs.label == "DATE"
    ):
        return mine.value.overlaps(theirs.value)
    if mine.label in PLACE_LABELS and theirs.label in PLACE_LABELS:
        return same_place(mine.span.text, theirs.span.text)
    return mine.span.text.lower() == theirs.span.text.lower()
