"""Misquotes: words inside quotation marks that no source contains."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from copydesk.checkers import register
from copydesk.document import Document
from copydesk.findings import finding, source_evidence
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind

MIN_WORDS = 4
NEAR_QUOTE = 75.0
"""A source passage at least this close (rapidfuzz partial ratio) is what the quote garbles."""


@register("quotes")
def make_quotes_checker(resources: Resources) -> object:
    return check_quotes


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


def check_quotes(doc: Document) -> Iterator[Finding]:
    if not doc.sources:
        return
    sources = [(source, normalise(source.text)) for source in doc.sources]
    for text in doc.texts:
        for quote in text.mentions:
            if quote.label != "QUOTE" or len(quote.span.text.split()) < MIN_WORDS:
                continue
            wanted = normalise(quote.span.text)
            if any(wanted in plain for _, plain in sources):
                continue
            near = closest_passage(wanted, doc)
            if near is not None:
                source, start, end, score = near
                yield finding(
                    quote.span, FindingKind.MISQUOTED,
                    "The quotation differs from the source's wording.", checker="quotes",
                    confidence=min(0.95, score / 100), evidence=[source_evidence(source, start, end)],
                    fix=source.text[start:end].strip(" \"“”'"),
                )
            else:
                yield finding(
                    quote.span, FindingKind.MISQUOTED, "No source contains these quoted words.",
                    checker="quotes", confidence=0.7,
                    evidence=[Evidence(origin="story", quote=quote.span.text)],
                )


def closest_passage(wanted: str, doc: Document) -> tuple[object, int, int, float] | None:
    """The source sentence that best matches the quote, if it is close enough to be the original."""
    best = None
    for source in doc.sources:
        for sentence in source.sentences:
            alignment = fuzz.partial_ratio_alignment(wanted, normalise(sentence.text))
            if alignment is not None and alignment.score >= NEAR_QUOTE and (best is None or alignment.score > best[3]):
                best = (source, sentence.start, sentence.end, alignment.score)
    return best
