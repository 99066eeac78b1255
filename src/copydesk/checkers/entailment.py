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

from collections.abc import Iterator

from copydesk.checkers import Checker, register
from copydesk.document import Document, Passage, Span, Text
from copydesk.findings import finding, source_evidence
from copydesk.models import entailment_thresholds
from copydesk.overlap import TOPICAL, covered, topical_overlap
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.alignment import tokens, unbacked
from copydesk.stages.support import checkable_claims, claim_support, load_scorer_or_none

NAME = "entailment"
#: used only when no combiner file is installed; ``train_combiner`` learns the shipped values
DEFAULT_CONTRADICTED_BELOW = 0.2
DEFAULT_UNSUPPORTED_BELOW = 0.5


def thresholds() -> tuple[float, float]:
    """(contradicted below, unsupported below): the learned values, else the defaults."""
    learned = entailment_thresholds()
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
    sources = "\n".join(source.text for source in doc.sources)
    for i, (support, best) in sorted(supports.items()):
        if support >= unsupported_below:
            continue
        claim = doc.claims[i]
        # the model tells supported from not; the words tell "says otherwise" from "says nothing"
        about_the_same = topical_overlap(claim.text, best.text) >= TOPICAL
        contradicted = support < contradicted_below and about_the_same
        yield finding(
            unbacked_span(doc.text(claim.span.field), claim.span, best.text, sources),
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
        )


MAX_MARKED_SHARE = 0.6
"""A claim whose unbacked words stretch over more than this share of it is marked whole."""


def unbacked_span(own: Text, span: Span, evidence: str, sources: str = "") -> Span:
    """The part of a claim its evidence does not back, as whole words: from the first to the last
    content word (a number, a name, a verb...) that no source contains, or when every word occurs
    somewhere in the sources, that the best passage does not contain.

    "The bridge was opened in Hallstead on Friday" against "...opened in Vennby on Friday" marks
    "Hallstead". When every word is backed (the model objects to how they are put together) or
    the unbacked words run over most of the claim, the whole claim is marked.
    """
    words = tokens(span.text, span.start)
    missing = (unbacked(words, sources) if sources else []) or unbacked(words, evidence)
    if not missing:
        return span
    start, end = missing[0].start, missing[-1].end
    if end - start > MAX_MARKED_SHARE * (span.end - span.start):
        return span
    return own.span(start, end)


def supports_of(doc: Document) -> dict[int, tuple[float, Passage]]:
    """The supports the ``support`` stage wrote, with their best passages."""
    return {i: (doc.support[i], doc.evidence[i][0]) for i in checkable_claims(doc) if i in doc.support}


@register(NAME, requires=["claims", "evidence", "support"])
def make_entailment_checker(resources: Resources) -> Checker | None:
    scorer = load_scorer_or_none(resources)
    if scorer is None:
        return None
    contradicted_below, unsupported_below = thresholds()
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
