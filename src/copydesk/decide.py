"""Decide: from the checkers' findings to a verdict per claim and a score for the story."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.schema import ClaimOut, Report, Severity, Verdict


def decide(doc: Document) -> Report:
    """Combine the findings of every checker into the story's report."""
    findings = sorted(doc.findings, key=lambda f: (f.field != "headline", f.start, f.end, f.kind))
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
        claims.append(ClaimOut(field=claim.span.field, start=claim.span.start, end=claim.span.end,
                               text=claim.text, verdict=verdict, support=doc.support.get(index)))
    errors = [f.confidence for f in findings if f.severity == Severity.ERROR]
    score = 1.0
    for confidence in errors:
        score *= 1.0 - confidence
    return Report(id=doc.story.id, headline=doc.story.headline, body=doc.story.body,
                  published=doc.story.published, consistent=not errors, score=round(score, 4),
                  claims=claims, findings=findings, sources=doc.story.sources)


def _overlaps(found, span) -> bool:
    return found.field == span.field and found.start < span.end and span.start < found.end
