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
from copydesk.document import Document, Passage
from copydesk.findings import finding, source_evidence
from copydesk.overlap import TOPICAL, covered, topical_overlap
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind
from copydesk.stages.decide import load_combiner
from copydesk.stages.support import checkable_claims, claim_support, load_scorer_or_none

NAME = "entailment"
#: used only when no combiner file is installed; ``train_combiner`` learns the shipped values
DEFAULT_CONTRADICTED_BELOW = 0.2
DEFAULT_UNSUPPORTED_BELOW = 0.5


def thresholds() -> tuple[float, float]:
    """(contradicted below, unsupported below): the learned values, else the defaults."""
    combiner = load_combiner()
    if combiner is None or not combiner.entailment:
        return DEFAULT_CONTRADICTED_BELOW, DEFAULT_UNSUPPORTED_BELOW
    return combiner.entailment["contradicted_below"], combiner.entailment["unsupported_below"]


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
        yield finding(
            claim.span,
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


def supports_of(doc: Document) -> dict[int, tuple[float, Passage]]:
    """The supports the ``support`` stage wrote, with their best passages."""
    return {i: (doc.support[i], doc.evidence[i][0]) for i in checkable_claims(doc) if i in doc.support}


@register(NAME)
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
