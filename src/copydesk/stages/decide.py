"""Decide: from the checkers' findings to a verdict per claim and a score for the story.

With the shipped combiner (``models/combiner.json``, learned by ``training/train_combiner.py``):

* :func:`features` reads the story's signals (claim supports, findings per kind, size);
* a logistic regression over them, then an isotonic map, gives the story's ``score``, the
  calibrated probability that it is fully supported;
* the entailment checker's findings are errors only when the combiner says the story is
  inconsistent (P(inconsistent) at least the learned ``gate``); otherwise they stay warnings.
  When it says inconsistent but the entailment checker made only warnings, its weakest claim
  becomes the error. ``consistent`` stays "no finding of error severity";
* each finding's confidence is recalibrated per kind (Platt scaling);
* the score is then multiplied by (1 - confidence) of each factual error of the other checkers:
  a story with a confident wrong office is not "probably fine" because the benchmarks rarely
  show one.

Without the file, the rule-based behaviour applies: every error finding counts, and the score
is the product of (1 - confidence) over the error findings.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.document import Document, Span
from copydesk.errors import CopydeskError
from copydesk.models import COMBINER_FILE
from copydesk.schema import ClaimOut, Finding, FindingKind, Report, Severity, Verdict
from copydesk.stages import calibration

ENTAILMENT = "entailment"
NOT_ABOUT_FACTS = frozenset({FindingKind.MACHINE_TEXT})
"""Kinds that say nothing of whether the story's claims are supported: a leaked "Here is a concise
summary:" must go before publication, so it fails the story, but it leaves the score (the
probability that every claim is supported) alone. `copydesk eval` reports the verdict without
them beside copydesk's own."""


def features(doc: Document) -> dict[str, float]:
    """The story-level signals the combiner reads; training and run time both call this."""
    checkable = [i for i, claim in enumerate(doc.claims) if claim.checkable]
    supports = sorted(doc.support[i] for i in checkable if i in doc.support)
    has_support = bool(supports)
    values: dict[str, float] = {
        "has_sources": float(any(source.text.strip() for source in doc.sources)),
        "log_claims": math.log1p(len(checkable)),
        "log_words": math.log1p(len(doc.body.text.split()) + len(doc.headline.text.split())),
        # how much the sources say, and how much the story adds: abstractive stories err more
        "log_source_words": math.log1p(sum(len(source.text.split()) for source in doc.sources)),
        "has_support": float(has_support),
        # neutral values when nothing was scored; has_support tells the model which case it is
        "min_support": supports[0] if has_support else 1.0,
        "second_support": supports[1] if len(supports) > 1 else (supports[0] if has_support else 1.0),
        "mean_support": float(np.mean(supports)) if has_support else 1.0,
        "logit_min_support": _logit(supports[0]) if has_support else 0.0,
        "share_below_half": sum(s < 0.5 for s in supports) / len(supports) if has_support else 0.0,
    }
    for kind in FindingKind:
        mine = [f for f in doc.findings if f.kind == kind]
        values[f"count_{kind.value}"] = math.log1p(len(mine))
        values[f"max_confidence_{kind.value}"] = max((f.confidence for f in mine), default=0.0)
    others = [f for f in doc.findings if f.checker != ENTAILMENT and f.severity == Severity.ERROR]
    values["other_errors"] = math.log1p(len(others))
    return values


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Combiner:
    """A logistic regression over :func:`features` with its calibration maps."""

    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calibration: dict[str, Any] | None = None
    gate: float = 0.5
    finding_calibration: dict[str, dict[str, Any]] = field(default_factory=dict)
    entailment: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Combiner:
        model = data["model"]
        return cls(
            names=list(model["features"]),
            mean=np.asarray(model["mean"], dtype=np.float64),
            scale=np.asarray(model["scale"], dtype=np.float64),
            coef=np.asarray(model["coef"], dtype=np.float64),
            intercept=float(model["intercept"]),
            calibration=data.get("calibration"),
            gate=float(data.get("gate", 0.5)),
            finding_calibration=dict(data.get("finding_calibration", {})),
            entailment=dict(data.get("entailment", {})),
        )

    def raw_probability(self, values: dict[str, float]) -> float:
        """The regression's P(consistent) before calibration."""
        x = np.asarray([values.get(name, 0.0) for name in self.names], dtype=np.float64)
        z = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        return float(calibration.sigmoid(z))

    def probability(self, values: dict[str, float]) -> float:
        """Calibrated P(consistent)."""
        return float(np.clip(calibration.apply(self.calibration, self.raw_probability(values)), 0.0, 1.0))

    def finding_confidence(self, found: Finding) -> float:
        mapping = self.finding_calibration.get(found.kind.value)
        if not mapping:
            return found.confidence
        return float(np.clip(calibration.apply(mapping, found.confidence), 0.0, 1.0))


@functools.lru_cache(maxsize=4)
def load_combiner(path: Path | None = None) -> Combiner | None:
    """The combiner stored at ``path`` (default: the shipped one), or None when there is none."""
    path = path or COMBINER_FILE
    if not path.is_file():
        return None
    try:
        return Combiner.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise CopydeskError(
            f"the combiner file {path} is unreadable ({exc}); rebuild it with "
            "`python -m training.train_combiner` or delete it to use the rule-based decision"
        ) from None


def gate_findings(findings: list[Finding], p_inconsistent: float, gate: float) -> list[Finding]:
    """Make the entailment findings errors when the story is judged inconsistent, warnings otherwise."""
    inconsistent = p_inconsistent >= gate
    entailment = [f for f in findings if f.checker == ENTAILMENT]
    errors_wanted = (
        {id(f) for f in entailment if f.kind == FindingKind.CONTRADICTED} if inconsistent else set()
    )
    if inconsistent and entailment and not errors_wanted:
        errors_wanted = {id(max(entailment, key=lambda f: f.confidence))}
    out = []
    for found in findings:
        if found.checker == ENTAILMENT:
            severity = Severity.ERROR if id(found) in errors_wanted else Severity.WARNING
            if severity != found.severity:
                found = found.model_copy(update={"severity": severity})
        out.append(found)
    return out


_SHIPPED = object()


def decide(doc: Document, *, combiner: Combiner | object | None = _SHIPPED) -> Report:
    """Combine the findings of every checker into the story's report.

    ``combiner`` defaults to the shipped one; pass None for the rule-based decision.
    """
    model = load_combiner() if combiner is _SHIPPED else combiner
    findings = list(doc.findings)
    if isinstance(model, Combiner):
        score = model.probability(features(doc))
        findings = gate_findings(findings, 1.0 - score, model.gate)
        findings = [
            f.model_copy(update={"confidence": round(model.finding_confidence(f), 3)}) for f in findings
        ]
        # The benchmarks the combiner learns from hold few wrong offices, names or dates, so it
        # cannot weigh them; but a story is no likelier fully supported than the chance that
        # every one of those errors is wrong. Leaked machine text is an error to publish, not a
        # claim the sources could support, so it leaves the score alone.
        for found in findings:
            if (
                found.severity == Severity.ERROR
                and found.checker != ENTAILMENT
                and found.kind not in NOT_ABOUT_FACTS
            ):
                score *= 1.0 - found.confidence
    findings.sort(key=lambda f: (f.field != "headline", f.start, f.end, f.kind))
    errors = [f.confidence for f in findings if f.severity == Severity.ERROR]
    if not isinstance(model, Combiner):
        score = 1.0
        for confidence in errors:
            score *= 1.0 - confidence
    return Report(
        id=doc.story.id,
        headline=doc.story.headline,
        body=doc.story.body,
        published=doc.story.published,
        consistent=not errors,
        score=round(score, 4),
        claims=_claims(doc, findings),
        findings=findings,
        sources=doc.story.sources,
    )


def _claims(doc: Document, findings: list[Finding]) -> list[ClaimOut]:
    claims = []
    for index, claim in enumerate(doc.claims):
        mine = [f for f in findings if f.claim == index or _overlaps(f, claim.span)]
        if any(f.severity == Severity.ERROR for f in mine):
            verdict = Verdict.CONTRADICTED
        elif mine:
            verdict = Verdict.UNSUPPORTED
        elif not claim.checkable:
            verdict = Verdict.NOT_CHECKED
        else:
            verdict = Verdict.SUPPORTED
        claims.append(
            ClaimOut(
                field=claim.span.field,
                start=claim.span.start,
                end=claim.span.end,
                text=claim.text,
                verdict=verdict,
                support=round(doc.support[index], 3) if index in doc.support else None,
            )
        )
    return claims


def _overlaps(found: Finding, span: Span) -> bool:
    return found.field == span.field and found.start < span.end and span.start < found.end
