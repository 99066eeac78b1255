"""schema.org ClaimReview JSON-LD for the contradicted claims of a story.

One ``ClaimReview`` per finding whose verdict is ``contradicted`` (unsupported claims and machine
text are not reviews of a claim, so they are left out). The output is a JSON list, escaped so it
can be pasted as is into ``<script type="application/ld+json">``. The reviewing organisation is
"copydesk" unless ``$COPYDESK_CLAIMREVIEW_AUTHOR`` (and ``$COPYDESK_CLAIMREVIEW_URL``) say otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from copydesk.registry import report_formats
from copydesk.reporting import ReportFormat
from copydesk.reporting.html import script_safe_json
from copydesk.schema import Finding, FindingKind, Report, Verdict

RATING_NAMES: dict[FindingKind, str] = {
    FindingKind.WRONG_PERSON_FOR_OFFICE: "Wrong person for the office",
    FindingKind.WRONG_TITLE: "Wrong title",
    FindingKind.WRONG_PERSON: "Wrong person",
    FindingKind.MISSPELLED_NAME: "Misspelled name",
    FindingKind.WRONG_DATE: "Wrong date",
    FindingKind.WRONG_NUMBER: "Wrong number",
    FindingKind.WRONG_PLACE: "Wrong place",
    FindingKind.MISQUOTED: "Misquoted",
    FindingKind.CONTRADICTED: "False",
    FindingKind.HEADLINE_CONTRADICTS_BODY: "Headline contradicts the story",
}
"""``reviewRating.alternateName`` per kind: the short verdict readers see."""

WORST, BEST = 1, 5  # ratingValue 1 of 1..5: "false", the scale most fact-checkers publish


def reviews(
    report: Report,
    *,
    author: str | None = None,
    author_url: str | None = None,
    date_reviewed: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The ClaimReview objects for ``report``'s contradicted findings."""
    author = author or os.environ.get("COPYDESK_CLAIMREVIEW_AUTHOR") or "copydesk"
    author_url = author_url or os.environ.get("COPYDESK_CLAIMREVIEW_URL")
    organisation: dict[str, Any] = {"@type": "Organization", "name": author}
    if author_url:
        organisation["url"] = author_url
    reviewed_on = (date_reviewed or dt.date.today()).isoformat()
    out = []
    for finding in report.findings:
        if finding.verdict != Verdict.CONTRADICTED:
            continue
        claim: dict[str, Any] = {"@type": "Claim", "appearance": _appearance(report)}
        if report.published:
            claim["datePublished"] = report.published.isoformat()
        out.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "datePublished": reviewed_on,
                "claimReviewed": _claim_text(report, finding),
                "itemReviewed": claim,
                "author": organisation,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": WORST,
                    "worstRating": WORST,
                    "bestRating": BEST,
                    "alternateName": RATING_NAMES.get(finding.kind, "False"),
                },
                "reviewBody": _review_body(finding),
            }
        )
    return out


def render(report: Report) -> str:
    """A JSON-LD list of ClaimReview objects (empty when nothing was contradicted)."""
    return _dump(reviews(report))


def render_many(reports: Sequence[Report]) -> str:
    """The ClaimReviews of several stories in one JSON-LD list."""
    return _dump([review for report in reports for review in reviews(report)])


def _dump(items: list[dict[str, Any]]) -> str:
    return script_safe_json(items, indent=2)


def _claim_text(report: Report, finding: Finding) -> str:
    """The claim as the story makes it: the finding's claim, else the narrowest claim around the
    finding, else the sentence holding it."""
    if finding.claim is not None and 0 <= finding.claim < len(report.claims):
        return report.claims[finding.claim].text
    around = [
        c
        for c in report.claims
        if c.field == finding.field and c.start <= finding.start and finding.end <= c.end
    ]
    if around:
        return min(around, key=lambda c: c.end - c.start).text
    text = report.headline if finding.field == "headline" else report.body
    return _sentence(text, finding.start, finding.end)


def _sentence(text: str, start: int, end: int) -> str:
    before = max(text.rfind(mark, 0, start) for mark in (". ", "! ", "? ", "\n"))
    after = [i for i in (text.find(mark, end) for mark in (". ", "! ", "? ", "\n")) if i >= 0]
    stop = min(after) + 1 if after else len(text)
    return text[before + 1 if before >= 0 else 0 : stop].strip()


def _appearance(report: Report) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if report.headline:
        work["headline"] = report.headline
    if report.id:
        work["identifier"] = report.id
    if report.published:
        work["datePublished"] = report.published.isoformat()
    return work


def _review_body(finding: Finding) -> str:
    parts = [finding.message.strip()]
    for evidence in finding.evidence[:2]:
        where = (
            evidence.title or evidence.source_id or evidence.provenance or evidence.origin.replace("_", " ")
        )
        parts.append(f"Evidence ({where}): \u201c{evidence.quote.strip()}\u201d")
    if finding.fix is not None:
        parts.append(f"Correct: \u201c{finding.fix}\u201d.")
    return " ".join(parts)


report_formats.register("claimreview")(ReportFormat(render, render_many))
