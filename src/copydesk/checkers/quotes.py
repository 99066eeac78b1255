"""Misquotes: words inside quotation marks that no source contains."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from copydesk.checkers import register
from copydesk.document import Document, Span, Text
from copydesk.findings import finding, source_evidence
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind

MIN_WORDS = 4
NEAR_QUOTE = 75.0
"""A source passage at least this close (rapidfuzz partial ratio) is what the quote garbles."""


@register("quotes", requires=["mentions"])
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
                source, sentence, (start, end), score = near
                yield finding(
                    quote.span,
                    FindingKind.MISQUOTED,
                    "The quotation differs from the source's wording.",
                    checker="quotes",
                    confidence=min(0.95, score / 100),
                    evidence=[source_evidence(source, sentence.start, sentence.end)],
                    fix=source.text[start:end],
                )
            else:
                yield finding(
                    quote.span,
                    FindingKind.MISQUOTED,
                    "No source contains these quoted words.",
                    checker="quotes",
                    confidence=0.7,
                    evidence=[Evidence(origin="story", quote=quote.span.text)],
                )


def closest_passage(wanted: str, doc: Document) -> tuple[Text, Span, tuple[int, int], float] | None:
    """The source sentence that best matches the quote, if it is close enough to be the original,
    with the character range of the words in it that the quote garbles."""
    best = None
    for source in doc.sources:
        for sentence in source.sentences:
            plain = _same_length_plain(sentence.text)
            alignment = fuzz.partial_ratio_alignment(wanted, plain)
            if alignment is None or alignment.score < NEAR_QUOTE or (best and alignment.score <= best[3]):
                continue
            start, end = _whole_words(plain, alignment.dest_start, alignment.dest_end)
            best = (source, sentence, (sentence.start + start, sentence.start + end), alignment.score)
    return best


def _same_length_plain(text: str) -> str:
    """Lower case, punctuation as spaces, one character for one: offsets stay those of ``text``."""
    out = []
    for char in text:
        lowered = char.lower() if len(char.lower()) == 1 else char
        out.append(lowered if lowered.isalnum() or lowered in "'’" else " ")
    return "".join(out).replace("’", "'")


def _whole_words(plain: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``plain[start:end]`` to whole words and trim the spaces around them."""
    while start > 0 and plain[start - 1].isalnum():
        start -= 1
    while end < len(plain) and plain[end].isalnum():
        end += 1
    while start < end and plain[start] == " ":
        start += 1
    while end > start and plain[end - 1] == " ":
        end -= 1
    return start, end
