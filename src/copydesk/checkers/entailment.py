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
from collections.abc import Iterator
from pathlib import Path

from copydesk.checkers import Checker, register
from copydesk.document import Document, Passage, Span, Text
from copydesk.findings import finding, source_evidence
from copydesk.models import entailment_thresholds
from copydesk.overlap import TOPICAL, covered, topical_overlap
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.alignment import Token, align, keys_of, tokens
from copydesk.stages.support import checkable_claims, claim_support, load_scorer_or_none

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
        first, *others = unbacked_spans(doc.text(claim.span.field), claim.span, best.text)
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


def unbacked_spans(own: Text, span: Span, evidence: str) -> list[Span]:
    """The parts of a claim its evidence does not back, as phrases of whole words, in order.

    The claim is aligned word by word with the sentence of the evidence closest to it; each
    stretch the alignment finds changed or added ("in Hallstead" where the source says "in
    Vennby", a clause the source lacks) is unbacked when it holds a content word the evidence does
    not contain anywhere. Stretches at most ``MAX_GAP`` words apart form one phrase; a phrase
    cutting into a name, date or number grows to hold all of it, and one with only small words
    between it and an end of the claim runs to that end. When every word is backed (the model
    objects to how they are put together), the whole claim is marked.
    """
    mine = tokens(span.text, span.start)
    backed = keys_of(evidence)
    alignment = align(mine, tokens(_closest_sentence(evidence, mine)))
    marked = {
        token.start
        for edit in alignment.edits
        if any(t.content and t.key not in backed for t in edit.mine)
        for token in edit.mine
    }
    if not marked:
        return [span]
    phrases: list[list[int]] = []  # [first, last] token indices
    for index, token in enumerate(mine):
        if token.start not in marked:
            continue
        if phrases and index - phrases[-1][1] <= MAX_GAP + 1:
            phrases[-1][1] = index
        else:
            phrases.append([index, index])
    # only small words ("The", "of") between a phrase and an end of the claim: it runs to that
    # end, with the quotes and punctuation there
    lead = next((n for n, t in enumerate(mine) if t.content), len(mine))
    tail = max((n for n, t in enumerate(mine) if t.content), default=-1)
    out: list[Span] = []
    for first, last in phrases:
        start = span.start if first <= lead else mine[first].start
        end = span.end if last >= tail else mine[last].end
        grown = _whole_mentions(own, span, start, end)
        if out and grown.start <= out[-1].end:  # two phrases grown over one name
            grown = own.span(out.pop().start, grown.end)
        out.append(grown)
    return out


def unbacked_span(own: Text, span: Span, evidence: str) -> Span:
    """One span over every part of the claim :func:`unbacked_spans` marks."""
    parts = unbacked_spans(own, span, evidence)
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

    def check(doc: Document) -> Iterator[Finding]:
        supports = supports_of(doc)
        if not supports and checkable_claims(doc):  # the support stage did not run
            supports = claim_support(doc, scorer, passages_per_claim)
        uncovered = {
            i: value
            for i, value in supports.items()
            if not covered(doc, i, doc.evidence[i][:passages_per_claim])
        }
        yield from entailment_findings(doc, uncovered, contradicted_below, unsupported_below)

    return check
