"""Entailment: is each claim supported by the source passages retrieved for it?

The support values come from the ``support`` stage (:mod:`copydesk.stages.support`), so that they reach
the decide stage without a checker writing to the document. This checker reads them and reports
``contradicted`` (support below the lower threshold, error) or ``unsupported`` (below the upper
one, warning), quoting the best passage. If the stage did not run, it scores the claims itself
(without writing anything).

The thresholds are learned on the train side of the benchmarks by ``training/train_combiner.py``
and stored in ``models/combiner.json``; the decide stage then decides which of these findings
are errors for the story as a whole (see ``copydesk.stages.decide``). A story without sources gets no
entailment findings: the knowledge-base checker covers that case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from copydesk.checkers import Checker, register
from copydesk.document import Document, Passage, Span, Text
from copydesk.findings import finding, source_evidence, without_generic_duplicates
from copydesk.models import entailment_thresholds
from copydesk.overlap import TOPICAL, covered, topical_overlap
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.alignment import Token, align, keys_of, tokens
from copydesk.stages.support import (
    checkable_claims,
    claim_support,
    load_scorer_or_none,
    score_support,
    settled_support,
)

NAME = "entailment"
#: used only when no combiner file is installed; ``train_combiner`` learns the shipped values
DEFAULT_CONTRADICTED_BELOW = 0.2
DEFAULT_UNSUPPORTED_BELOW = 0.5


def thresholds(combiner: Path | None = None) -> tuple[float, float]:
    """(contradicted below, unsupported below): the values learned with the combiner (default the
    shipped one), else the defaults."""
    learned = entailment_thresholds(combiner) if combiner else entailment_thresholds()
    return (
        learned.get("contradicted_below", DEFAULT_CONTRADICTED_BELOW),
        learned.get("unsupported_below", DEFAULT_UNSUPPORTED_BELOW),
    )


def entailment_findings(
    doc: Document,
    supports: dict[int, tuple[float, Passage]],
    contradicted_below: float,
    unsupported_below: float,
) -> Iterator[Finding]:
    """Findings for claims whose support falls below the thresholds (a pure function of its inputs)."""
    for i, (support, best) in sorted(supports.items()):
        if support >= unsupported_below:
            continue
        claim = doc.claims[i]
        # the model tells supported from not; the words tell "says otherwise" from "says nothing"
        about_the_same = topical_overlap(claim.text, best.text) >= TOPICAL
        contradicted = support < contradicted_below and about_the_same
        first, *others = unbacked_spans(
            doc.text(claim.span.field), claim.span, best.text, [source.text for source in doc.sources]
        )
        yield finding(
            first,
            FindingKind.CONTRADICTED if contradicted else FindingKind.UNSUPPORTED,
            (
                f"The closest source passage does not support this claim (support {support:.2f})."
                if contradicted
                else f"Nothing in the sources clearly backs this claim (support {support:.2f}); check it."
            ),
            checker=NAME,
            confidence=1.0 - support,
            evidence=[source_evidence(doc.source(best.source_id), best.start, best.end)],
            claim=i,
            spans=[(other, None) for other in others],
        )


MAX_GAP = 4
"""Unbacked stretches at most this many words apart are marked as one phrase."""

NEW_WORDS_FOR_PHRASES = 3
"""A claim with at least this many content words that no source holds brings in new material and
is marked by phrase; one with fewer recombines what the sources say (a swapped place, a wrong
role) or is a false alarm, and is marked word by word. Chosen on the train side of the benchmarks
(xsum_hallucinations span precision 0.53 -> 0.57 for recall 0.66 -> 0.63; faithbench 0.205 ->
0.212 at the same recall)."""

_OPENER = re.compile(
    r"\s*(?:(?:in addition|additionally|meanwhile|however|furthermore|moreover|separately|also|overall|"
    r"finally|notably|nevertheless|nonetheless|besides|instead|similarly|likewise|consequently|"
    r"therefore|thus|subsequently|elsewhere|specifically|in other news|in summary|in conclusion|"
    r"in short|on the other hand|at the same time)\s*,\s*)+",
    re.IGNORECASE,
)
"""Linking words that open a sentence ("Additionally, ", "In other news, "): they state no fact,
so they are never the unbacked part."""


def unbacked_spans(own: Text, span: Span, evidence: str, sources: Sequence[str] = ()) -> list[Span]:
    """The parts of a claim its evidence does not back, as whole words, in order.

    The claim is aligned word by word with the sentence of the evidence closest to it; each
    stretch the alignment finds changed or added ("in Hallstead" where the source says "in
    Vennby", a clause the source lacks) is unbacked when it holds a content word the evidence does
    not contain anywhere. A claim that brings in new material (``NEW_WORDS_FOR_PHRASES`` content
    words or more that none of ``sources`` holds, the evidence included) is marked by phrase: the
    whole stretch, stretches at most ``MAX_GAP`` words apart joined; one that only recombines what
    the sources say is marked word by word, on the words the evidence lacks. A mark cutting into a
    name, date or number grows to hold all of it, and one with only small words between it and an
    end of the claim runs to that end. A linking word opening the claim ("Additionally,") is never
    marked. When every word is backed (the model objects to how they are put together), the whole
    claim is marked.
    """
    mine = tokens(span.text, span.start)
    backed = keys_of(evidence)
    anywhere = backed.union(*(keys_of(text) for text in sources))
    by_phrase = sum(1 for t in mine if t.content and t.key not in anywhere) >= NEW_WORDS_FOR_PHRASES
    opener = _OPENER.match(span.text)
    begin = span.start + (opener.end() if opener and opener.end() < len(span.text) else 0)
    alignment = align(mine, tokens(_closest_sentence(evidence, mine)))
    marked: set[int] = set()
    for edit in alignment.edits:
        lacking = [t for t in edit.mine if t.content and t.key not in backed]
        if lacking:
            marked.update(t.start for t in (edit.mine if by_phrase else lacking) if t.start >= begin)
    if not marked:
        return [span if begin == span.start else own.span(begin, span.end)]
    gap = MAX_GAP if by_phrase else 0
    phrases: list[list[int]] = []  # [first, last] token indices
    for index, token in enumerate(mine):
        if token.start not in marked:
            continue
        if phrases and index - phrases[-1][1] <= gap + 1:
            phrases[-1][1] = index
        else:
            phrases.append([index, index])
    # only small words ("The", "of") between a phrase and an end of the claim (after its opening
    # linking words): it runs to that end, with the quotes and punctuation there
    lead = next((n for n, t in enumerate(mine) if t.content and t.start >= begin), len(mine))
    tail = max((n for n, t in enumerate(mine) if t.content), default=-1)
    out: list[Span] = []
    for first, last in phrases:
        start = begin if first <= lead else mine[first].start
        end = span.end if last >= tail else mine[last].end
        grown = _whole_mentions(own, span, start, end)
        if out and grown.start <= out[-1].end:  # two phrases grown over one name
            grown = own.span(out.pop().start, grown.end)
        out.append(grown)
    return out


def unbacked_span(own: Text, span: Span, evidence: str, sources: Sequence[str] = ()) -> Span:
    """One span over every part of the claim :func:`unbacked_spans` marks."""
    parts = unbacked_spans(own, span, evidence, sources)
    return own.span(parts[0].start, parts[-1].end)


def _closest_sentence(text: str, mine: list[Token]) -> str:
    """The sentence (or line) of ``text`` sharing the most content words with ``mine``."""
    wanted = {t.key for t in mine if t.content}
    pieces = [piece for piece in _SENTENCE_BREAK.split(text) if piece.strip()]
    return max(pieces, key=lambda piece: len(wanted & keys_of(piece)), default=text)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def _whole_mentions(own: Text, claim: Span, start: int, end: int) -> Span:
    """``start:end`` grown over every name, office, date or number it cuts into, within the claim
    (not over a quotation: one changed word of a quote is what is unbacked)."""
    for mention in own.mentions_in(claim.start, claim.end):
        if mention.label != "QUOTE" and mention.span.start < end and start < mention.span.end:
            start, end = min(start, mention.span.start), max(end, mention.span.end)
    return own.span(start, end)


def supports_of(doc: Document) -> dict[int, tuple[float, Passage]]:
    """The supports the ``support`` stage wrote, with their best passages."""
    return {i: (doc.support[i], doc.evidence[i][0]) for i in checkable_claims(doc) if i in doc.support}


@register(NAME, requires=["claims", "evidence", "support"])
def make_entailment_checker(resources: Resources) -> Checker | None:
    scorer = load_scorer_or_none(resources)
    if scorer is None:
        return None
    contradicted_below, unsupported_below = thresholds(resources.combiner_path)
    passages_per_claim = resources.settings.passages_per_claim
    settled_at = settled_support(resources.settings)

    def check(doc: Document) -> Iterator[Finding]:
        supports = supports_of(doc)
        if not supports and checkable_claims(doc):  # the support stage did not run
            supports = claim_support(doc, scorer, passages_per_claim, settled_at)
        uncovered = {
            i: value
            for i, value in supports.items()
            if not covered(doc, i, doc.evidence[i][:passages_per_claim])
        }
        yield from entailment_findings(doc, uncovered, contradicted_below, unsupported_below)

    return check


def judge_again(doc: Document, resources: Resources) -> bool:
    """Score the claims of a checked document again with the judge of ``resources`` (its
    ``--model``) and replace the entailment findings: the document checking the story in that
    mode gives, without reading and parsing it again, so that judges can be compared on the same
    stories. False when that judge's model is missing (the document is then left as it was)."""
    checker = resources.shared(f"{NAME}_checker", lambda: make_entailment_checker(resources))
    if checker is None:
        return False
    doc.support.clear()
    doc.findings = [f for f in doc.findings if f.checker != NAME]
    score_support(doc, resources)
    seen = {(f.field, f.start, f.end, f.kind) for f in doc.findings}
    for found in checker(doc):
        found.checker = NAME
        if (found.field, found.start, found.end, found.kind) not in seen:
            doc.findings.append(found)
    doc.findings = without_generic_duplicates(doc.findings)
    return True
