"""Near copies: a story sentence that follows one source sentence (or two adjacent ones) word for
word, except for a word that changes what it says.

Each body sentence is aligned (:mod:`copydesk.stages.alignment`) with the source sentences that
share most of its words, and with each of those joined to its neighbour. When the best alignment
covers at least ``NEAR_COPY`` of the sentence's content words, the sentence is a near copy and
its edits are read one by one:

* a number swapped for another (not the same amount written otherwise, not an approximation or a
  range that holds the source's value) is a wrong number, or a wrong date when it is a year; two
  numbers exchanged ("20-23" for "23-20") are two, and a number that moved with the noun it
  counts ("12 teachers and 4 nurses" for "4 nurses and 12 teachers") is none;
* a person, place or date swapped for another is a wrong person, place or date (a place the
  source names otherwise, "Washington" for the United States, is the same place);
* a negation or a modal added, dropped or swapped, or a governing verb dropped ("can't wait to
  teach them" copied as "can't teach them"), contradicts the source.

A rewording (other words, a moved clause) is not read at all: only single swapped pieces flanked
by copied words are. A swapped value that another source sentence saying the same thing gives
("three goals" in one report, the story's "four goals" in another aligned one) is not reported.
Each finding sits on exactly the story's changed words, with the source's words as the fix and
the source sentence as evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from copydesk.checkers import register
from copydesk.document import Document, Mention, Span, Text
from copydesk.findings import finding, source_evidence
from copydesk.lexicon.names import same_person
from copydesk.lexicon.numbers import (
    APPROXIMATORS,
    agrees,
    amount_value,
    bound_of,
    is_approximate,
    looks_like_year,
    whole_amount,
)
from copydesk.lexicon.places import same_place
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.alignment import NEGATIONS, Alignment, Edit, Token, align, tokens

NAME = "alignment"
NEAR_COPY = 0.75
"""Share of a story sentence's content words an alignment must match for a near copy."""
MIN_MATCHED = 3
"""Fewest matched content words of a near copy."""
MIN_COPIED = 7
"""Fewest matched words of any kind: a short sentence matching three words is not a copy."""
MAX_EDIT = 3
"""Longest swapped piece (in words, either side) read as one changed word or name."""
CANDIDATES = 3
"""Source sentences (by shared words) aligned with each story sentence, each alone and joined
to its neighbours."""
SPELLING = 80
"""Names at least this alike (rapidfuzz ratio) are one name spelled two ways."""
_MODALITY = {
    "will": "future",
    "would": "future",
    "shall": "future",
    "can": "ability",
    "could": "ability",
    "may": "possibility",
    "might": "possibility",
    "must": "obligation",
    "should": "obligation",
    "ought": "obligation",
}
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|from|to|into)\s+(?:the\s+)?$", re.IGNORECASE)
_PERSON, _PLACES, _DATE = "PERSON", frozenset({"GPE", "LOC", "FAC"}), "DATE"


@dataclass(frozen=True)
class Unit:
    """One source sentence, or adjacent ones, as a stretch a story sentence may copy."""

    source: Text
    start: int
    end: int
    words: list[Token]
    keys: frozenset[str] = frozenset()
    """The keys of its content words."""


@register(NAME, requires=["sentences", "mentions", "claims"])
def make_alignment_checker(resources: Resources) -> object:
    return check_alignment


def check_alignment(doc: Document) -> Iterator[Finding]:
    if not any(source.text.strip() for source in doc.sources):
        return
    units = source_sentences(doc)
    own = doc.body
    for sentence in own.sentences:
        mine = tokens(sentence.text, sentence.start)
        copies = near_copies(mine, units)
        if not copies:
            continue
        best, unit = copies[0]
        for found in read_edits(own, best, unit, copies[1:]):
            if any(_overlap(found, earlier) for earlier in doc.findings):
                continue  # a more specific checker has already said what is wrong there
            found.claim = _claim_of(doc, found.start)
            yield found


def _overlap(a: Finding, b: Finding) -> bool:
    return a.field == b.field and a.start < b.end and b.start < a.end


def source_sentences(doc: Document) -> list[list[Unit]]:
    """Every source sentence as a unit with its tokens, grouped by source in reading order."""
    return [
        [
            Unit(source, start, end, words, keys)
            for start, end, words, keys in _sentence_words(
                source.text, tuple((s.start, s.end) for s in source.sentences)
            )
        ]
        for source in doc.sources
    ]


@functools.lru_cache(maxsize=64)
def _sentence_words(
    text: str, bounds: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int, list[Token], frozenset[str]], ...]:
    """The tokens and content keys of each sentence of a source text, kept for the next story
    that cites the same source (or the same story checked again)."""
    out = []
    for start, end in bounds:
        words = tokens(text[start:end], start)
        out.append((start, end, words, frozenset(t.key for t in words if t.content)))
    return tuple(out)


def near_copies(mine: list[Token], units: list[list[Unit]]) -> list[tuple[Alignment, Unit]]:
    """The alignments of the story sentence with source stretches that it nearly copies, best first.

    Candidates are the source sentences sharing most content words with it, each alone and
    joined with the sentence before or after (a story sentence may fuse two).
    """
    keys = {t.key for t in mine if t.content}
    if len(keys) < MIN_MATCHED:
        return []
    scored = []
    for group in units:
        for index, unit in enumerate(group):
            shared = len(keys & unit.keys)
            if shared >= MIN_MATCHED:
                scored.append((shared, index, group))
    scored.sort(key=lambda item: -item[0])
    stretches: dict[tuple[str, int, int], Unit] = {}
    for _, index, group in scored[:CANDIDATES]:
        for first, last in ((index, index), (index - 1, index), (index, index + 1)):
            if first >= 0 and last < len(group):
                unit = group[first] if first == last else _joined(group[first], group[last])
                stretches[(unit.source.name, unit.start, unit.end)] = unit
    found = []
    for unit in stretches.values():
        alignment = align(mine, unit.words)
        # a number standing where the source has another counts as copied: "Heroes 2018" told
        # from "Heroes 2015" is a copy with a changed year, however short the sentence
        copied = len(mine) - sum(len(e.mine) for e in alignment.edits) + alignment.facing
        if alignment.matched >= MIN_MATCHED and alignment.coverage >= NEAR_COPY and copied >= MIN_COPIED:
            found.append((alignment, unit))
    # the closest copy first: most matched words, then fewest edits, then the shorter stretch
    found.sort(key=lambda pair: (-pair[0].matched, len(pair[0].edits), len(pair[1].words)))
    return found


def _joined(a: Unit, b: Unit) -> Unit:
    return Unit(a.source, a.start, b.end, [*a.words, *b.words], a.keys | b.keys)


def read_edits(
    own: Text, alignment: Alignment, unit: Unit, others: list[tuple[Alignment, Unit]]
) -> Iterator[Finding]:
    """The findings for the edits of a near copy that change what it says."""
    for edit in alignment.edits:
        if edit.op == "replace" and len(edit.mine) <= MAX_EDIT and len(edit.theirs) <= MAX_EDIT:
            found = _swapped(own, edit, unit, others, alignment)
        elif edit.inside and len(edit.mine) + len(edit.theirs) <= MAX_EDIT + 1:
            found = _added_or_dropped(own, edit, alignment, unit)
        else:
            found = None
        if found is not None:
            yield found


def _swapped(
    own: Text, edit: Edit, unit: Unit, others: list[tuple[Alignment, Unit]], alignment: Alignment
) -> Finding | None:
    if not _flanked(edit, alignment):
        return None
    mine, theirs = edit.mine, edit.theirs
    mentions = own.mentions_in(mine[0].start, mine[-1].end) or _covering(own, mine[0].start, mine[-1].end)
    labels = {m.label for m in mentions}
    my_numbers = [t for t in mine if t.is_number]
    their_numbers = [t for t in theirs if t.is_number]
    if my_numbers and their_numbers:
        if _numbers_agree(own, mine, theirs, unit):
            return None
        if _is_date(labels, my_numbers) != _is_date(_labels(unit.source, theirs), their_numbers):
            return None  # a year facing a count ("in 2010" against "in 29 games"): two things lined up
        if _backed_elsewhere(mine, others) or _moved_with_its_noun(edit, alignment, unit):
            return None
        changed = tuple(my_numbers)
        kind = FindingKind.WRONG_DATE if _is_date(labels, my_numbers) else FindingKind.WRONG_NUMBER
        return _finding(own, changed, _their_text(unit, their_numbers), kind, unit)
    my_keys = {t.key for t in mine}
    their_keys = {t.key for t in theirs}
    my_modality, their_modality = _modality(my_keys), _modality(their_keys)
    # a modal facing only "to" or an auxiliary is the same thing said another way ("must release"
    # for "agree to release", "will exploring" for "is opening a museum dedicated to exploring")
    polarity = (my_keys & NEGATIONS) != (their_keys & NEGATIONS) or (
        my_modality != their_modality and bool(my_modality) and bool(their_modality)
    )
    if polarity and _only_polarity(mine) and _only_polarity(theirs):
        # "will" for "may", "not" added: nothing else changed ("not progressed" for "failed
        # to progress" changes other words too, and says the same)
        return _finding(own, mine, _their_text(unit, theirs), FindingKind.CONTRADICTED, unit)
    if not all(t.text[:1].isupper() for t in theirs if t.content) or not any(t.content for t in theirs):
        return None  # only names are compared here; other swapped words are for the model to judge
    mine_text, their_text = _text(own, mine), _name_around(unit, theirs)
    if _backed_elsewhere(mine, others):
        return None
    # a name stands for a name of its own kind: a person facing a league, an age facing a team,
    # is two stretches lined up, not a swap. The recogniser's labels are noisy ("the Brisbane
    # Valley Highway" an organisation, "Forfar" a person), so a place may face any name but a
    # person or a date, and "in" before both ("charges in Forfar" for "charges in Utah") says
    # where something happened whatever the labels.
    their_labels = _labels(unit.source, theirs)
    where = _after_locative(own.text, mine[0].start) and _after_locative(unit.source.text, theirs[0].start)
    if labels & _PLACES and (where or not their_labels & {_PERSON, _DATE}):
        if same_place(mine_text, their_text):
            return None
        return _finding(own, mine, their_text, FindingKind.WRONG_PLACE, unit)
    if fuzz.ratio(mine_text.lower(), their_text.lower()) >= SPELLING:
        return None  # a misspelling ("Katarina" for "Katerina") is the names checker's
    if _PERSON in labels and (not their_labels or _PERSON in their_labels):
        if same_person(mine_text, their_text) or _same_named(mentions, their_text):
            return None
        return _finding(own, mine, their_text, FindingKind.WRONG_PERSON, unit)
    if _DATE in labels and _DATE in their_labels:
        return _finding(own, mine, their_text, FindingKind.WRONG_DATE, unit)
    # a name the recogniser did not label, or labelled otherwise on the two sides: where
    # something happens is a place
    if (
        (not labels or their_labels & _PLACES)
        and all(t.text[:1].isupper() for t in mine if t.content)
        and where
    ):
        if same_place(mine_text, their_text):
            return None
        return _finding(own, mine, their_text, FindingKind.WRONG_PLACE, unit)
    return None


def _after_locative(text: str, start: int) -> bool:
    """Whether a word follows "in", "at", "near"... (where something happens)."""
    return bool(_LOCATIVE.search(text[max(0, start - 12) : start]))


def _added_or_dropped(own: Text, edit: Edit, alignment: Alignment, unit: Unit) -> Finding | None:
    """A negation or modal the story adds or drops, or a governing verb it drops ("wait to")."""
    words = edit.mine if edit.op == "added" else edit.theirs
    keys = {t.key for t in words}
    # "will" alone only moves the tense: news tells what is scheduled in the present ("McCoy is at
    # Sandown on Saturday" for "McCoy will be at Sandown on Saturday")
    meaning = (keys & NEGATIONS or _modality(keys - _TENSE_ONLY)) and _only_polarity(words)
    # one verb and its "to", written together: "wait to", "failed to", "refused to" (not "the
    # spectrometer (VIRS) to reveal", where a name in brackets precedes the "to")
    governs = (
        edit.op == "dropped"
        and len(words) == 2
        and words[-1].key == "to"
        and words[0].content
        and not unit.source.text[words[0].end : words[1].start].strip()
    )
    if not meaning and not governs:
        return None
    # the finding sits on the story's words around the gap, the fix restores the source's
    before, after = _neighbours(alignment, edit)
    if before is None or after is None:
        return None
    start, end = _whole_words(own.text, before.start, after.end)
    theirs_start, theirs_end = _whole_words(
        unit.source.text, _source_index(alignment, before).start, _source_index(alignment, after).end
    )
    return _finding(
        own, own.span(start, end), unit.source.text[theirs_start:theirs_end], FindingKind.CONTRADICTED, unit
    )


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened to whole words ("n't teach" -> "can't teach")."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


_AUXILIARIES = frozenset({"do", "be", "have", "to"})
_TENSE_ONLY = frozenset({"will", "shall"})


def _only_polarity(words: tuple[Token, ...]) -> bool:
    """Whether some words are only negations, modals and auxiliaries ("did not", "may")."""
    return all(t.key in NEGATIONS or t.key in _MODALITY or t.key in _AUXILIARIES for t in words)


def _modality(keys: set[str]) -> frozenset[str]:
    """What the modals of some words say; reported speech shifts "will" to "would", which is no change."""
    return frozenset(_MODALITY[key] for key in keys if key in _MODALITY)


def _flanked(edit: Edit, alignment: Alignment) -> bool:
    """A swap counts when copied words sit on at least one side of it (not a reworded tail).

    Numbers next to each other ("won 92-64", "at 04:49") are read as one group: the group must
    be flanked, so that the last number of a sentence ending in "92-64" counts.
    """
    if edit.inside:
        return True
    mine = alignment.mine
    index = {t.start: n for n, t in enumerate(mine)}
    if not edit.mine:
        before, after = _neighbours(alignment, edit)
        return before is not None or after is not None
    first, last = index[edit.mine[0].start], index[edit.mine[-1].start]
    if all(t.is_number for t in edit.mine):
        # "over 600" for "more than 2,000": the hedge is part of the amount, reworded or not
        while first > 0 and mine[first - 1].start not in alignment.copied and _in_amount(mine[first - 1]):
            first -= 1
        while (
            last + 1 < len(mine) and mine[last + 1].is_number and mine[last + 1].start not in alignment.copied
        ):
            last += 1
    return (first > 0 and mine[first - 1].start in alignment.copied) or (
        last + 1 < len(mine) and mine[last + 1].start in alignment.copied
    )


_HEDGES = frozenset(word for phrase in APPROXIMATORS for word in phrase.split())


def _in_amount(token: Token) -> bool:
    """A number, or a word of a hedge before one ("more than", "about")."""
    return token.is_number or token.text.lower() in _HEDGES


def _neighbours(alignment: Alignment, edit: Edit) -> tuple[Token | None, Token | None]:
    """The copied story words just before and just after an edit (None when not copied)."""
    position = edit.mine[0].start if edit.mine else edit.at
    end = edit.mine[-1].end if edit.mine else edit.at
    copied = _copied(alignment)
    before = next((t for t in reversed(alignment.mine) if t.end <= position), None)
    after = next((t for t in alignment.mine if t.start >= end), None)
    return (
        before if before is not None and before.start in copied else None,
        after if after is not None and after.start in copied else None,
    )


def _copied(alignment: Alignment) -> dict[int, Token]:
    """Story word start -> the source word it is aligned with, for copied words."""
    return alignment.copied


def _source_index(alignment: Alignment, token: Token) -> Token:
    return _copied(alignment)[token.start]


def _numbers_agree(own: Text, mine: tuple[Token, ...], theirs: tuple[Token, ...], unit: Unit) -> bool:
    """Whether the story's amount can be the source's (:func:`copydesk.lexicon.numbers.agrees`)."""
    my_values = _values(own.text, mine)
    their_values = _values(unit.source.text, theirs)
    before_mine = own.text[max(0, mine[0].start - 20) : mine[0].start]
    before_theirs = unit.source.text[max(0, theirs[0].start - 20) : theirs[0].start]
    approximate = is_approximate(before_mine) or is_approximate(before_theirs)
    mine_bound, theirs_bound = bound_of(before_mine), bound_of(before_theirs)
    mine_text, theirs_text = _text(own, mine), _their_text(unit, theirs)
    if any(
        agrees(a, b, mine_text, theirs_text, approximate, mine_bound=mine_bound, theirs_bound=theirs_bound)
        for a in my_values
        for b in their_values
    ):
        return True
    # a range split over the edit: "30 to 40" holds 35
    if len(my_values) >= 2 and any(min(my_values) <= b <= max(my_values) for b in their_values):
        return True
    return len(their_values) >= 2 and any(min(their_values) <= a <= max(their_values) for a in my_values)


def _values(raw: str, words: tuple[Token, ...]) -> list[float]:
    """The amounts of some number words, each read whole where a stray space split its digits
    ("3, 800" is 3,800, not 3 and 800)."""
    values = []
    for token in words:
        if token.value is not None:
            start, end = whole_amount(raw, token.start, token.end)
            whole = amount_value(raw[start:end]) if (start, end) != (token.start, token.end) else None
            values.append(token.value if whole is None else whole)
    return values


def _moved_with_its_noun(edit: Edit, alignment: Alignment, unit: Unit) -> bool:
    """Whether the story's number kept the word it counts, and both stand elsewhere in the source.

    "hired 12 teachers and 4 nurses" told from "hired 4 nurses and 12 teachers" has 12 where
    the source has 4, but 12 still counts teachers, as in the source: the phrase moved, no number
    changed. Swapped numbers ("4 teachers and 12 nurses") leave the nouns in place.
    """
    if len(edit.mine) != 1 or len(edit.theirs) != 1:
        return False
    counted = _next_word(alignment.mine, edit.mine[0])
    if counted is None or counted.key == getattr(_next_word(unit.words, edit.theirs[0]), "key", None):
        return False
    value = edit.mine[0].value
    return any(
        t.value == value and getattr(_next_word(unit.words, t), "key", None) == counted.key
        for t in unit.words
        if t.is_number
    )


def _next_word(words: list[Token], token: Token) -> Token | None:
    """The content word right after a number (what it counts), None when it is not a word."""
    index = next((n for n, t in enumerate(words) if t.start == token.start), None)
    if index is None or index + 1 >= len(words):
        return None
    following = words[index + 1]
    return following if following.content and not following.is_number else None


def _backed_elsewhere(mine: tuple[Token, ...], others: list[tuple[Alignment, Unit]]) -> bool:
    """Another source stretch the story sentence also nearly copies has the story's words at the
    same place in the alignment: "four goals" counts as backed only where it is said of the
    same scorer, not anywhere in the sources."""
    return any(all(t.start in _copied(other) for t in mine) for other, _ in others)


def _name_around(unit: Unit, words: tuple[Token, ...]) -> str:
    """The whole name the source's swapped words belong to: the alignment may pair "Washington"
    with "States" alone, leaving "the United" as dropped words."""
    start, end = words[0].start, words[-1].end
    for mention in unit.source.mentions:
        if mention.span.start <= start and end <= mention.span.end:
            start, end = min(start, mention.span.start), max(end, mention.span.end)
    index = {t.start: n for n, t in enumerate(unit.words)}
    first, last = index[words[0].start], index[words[-1].start]
    while first > 0 and unit.words[first - 1].text[:1].isupper() and unit.words[first - 1].end >= start - 1:
        first -= 1
        start = unit.words[first].start
    while (
        last + 1 < len(unit.words)
        and unit.words[last + 1].text[:1].isupper()
        and unit.words[last + 1].start <= end + 1
    ):
        last += 1
        end = unit.words[last].end
    return unit.source.text[start:end]


def _is_year(numbers: list[Token]) -> bool:
    return all(looks_like_year(t.text) for t in numbers)


def _is_date(labels: set[str], numbers: list[Token]) -> bool:
    return _DATE in labels or _is_year(numbers)


def _labels(text: Text, words: tuple[Token, ...]) -> set[str]:
    start, end = words[0].start, words[-1].end
    return {m.label for m in text.mentions_in(start, end) or _covering(text, start, end)}


def _covering(own: Text, start: int, end: int) -> list[Mention]:
    return [m for m in own.mentions if m.span.start <= start and end <= m.span.end]


def _same_named(mentions: list[Mention], their_text: str) -> bool:
    return any(m.label == _PERSON and same_person(m.entity, their_text) for m in mentions)


def _text(own: Text, words: tuple[Token, ...]) -> str:
    return own.text[words[0].start : words[-1].end]


def _their_text(unit: Unit, words: tuple[Token, ...] | list[Token]) -> str:
    return unit.source.text[words[0].start : words[-1].end]


def _finding(own: Text, where: tuple[Token, ...] | Span, fix: str, kind: FindingKind, unit: Unit) -> Finding:
    span = where if isinstance(where, Span) else own.span(where[0].start, where[-1].end)
    return finding(
        span,
        kind,
        f"The source sentence this one follows has {fix!r} where it has {span.text!r}.",
        checker=NAME,
        confidence=0.8,
        evidence=[source_evidence(unit.source, unit.start, unit.end)],
        fix=fix,
    )


def _claim_of(doc: Document, offset: int) -> int | None:
    inside = [
        i
        for i, claim in enumerate(doc.claims)
        if claim.span.field == "body" and claim.span.start <= offset < claim.span.end
    ]
    return min(inside, key=lambda i: doc.claims[i].span.end - doc.claims[i].span.start) if inside else None
