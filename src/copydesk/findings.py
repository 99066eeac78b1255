"""Building findings: the defaults each kind carries, so checkers state only what they know."""

from __future__ import annotations

from copydesk.document import Span, Text
from copydesk.schema import Evidence, Finding, FindingKind, Severity, Verdict

_VERDICT = {FindingKind.UNSUPPORTED: Verdict.UNSUPPORTED, FindingKind.MACHINE_TEXT: Verdict.UNSUPPORTED}
_SEVERITY = {FindingKind.UNSUPPORTED: Severity.WARNING}


def finding(
    span: Span,
    kind: FindingKind,
    message: str,
    *,
    checker: str,
    confidence: float,
    evidence: list[Evidence] | None = None,
    fix: str | None = None,
    claim: int | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding on ``span`` with the verdict and severity its kind implies."""
    if span.field not in ("headline", "body"):
        raise ValueError(f"findings point into the story, not into {span.field!r}")
    return Finding(
        field=span.field,  # type: ignore[arg-type]
        start=span.start,
        end=span.end,
        text=span.text,
        kind=kind,
        verdict=_VERDICT.get(kind, Verdict.CONTRADICTED),
        severity=severity or _SEVERITY.get(kind, Severity.ERROR),
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        message=message,
        evidence=evidence or [],
        fix=fix,
        checker=checker,
        claim=claim,
    )


def source_evidence(source: Text, start: int, end: int) -> Evidence:
    """Evidence quoting ``source.text[start:end]``."""
    meta = source.source
    return Evidence(
        origin="source",
        quote=source.text[start:end].strip(),
        source_id=source.name,
        title=(meta.title or None) if meta else None,
        url=meta.url if meta else None,
        start=start,
        end=end,
    )


def sentence_evidence(source: Text, offset: int) -> Evidence:
    """Evidence quoting the sentence of ``source`` that holds character ``offset``."""
    sentence = next((s for s in source.sentences if s.start <= offset < s.end), None)
    if sentence is None:
        return source_evidence(source, offset, offset)
    return source_evidence(source, sentence.start, sentence.end)
