"""Retrieve: passages of the sources ranked as evidence for each claim."""

from __future__ import annotations

from copydesk import Pipeline, Settings, StoryIn
from copydesk.stages.retrieve import BM25_CANDIDATES

TOPICS = ["harbour", "orchard", "violin", "glacier", "bakery", "railway", "comet", "vineyard", "lantern"]


def _long_source() -> str:
    """More sentences than the dense stage re-ranks without BM25 candidates, on other topics."""
    sentences = [f"The {topic} number {n} opened on a quiet morning." for n in range(6) for topic in TOPICS]
    assert len(sentences) > 4 * BM25_CANDIDATES
    return " ".join(sentences)


def test_a_claim_sharing_no_word_with_a_long_source_still_gets_evidence() -> None:
    pipeline = Pipeline(Settings(threads=1))
    story = StoryIn(
        body="It's been a dismal year for professional footballers.", sources=[{"text": _long_source()}]
    )
    doc = pipeline.verify(story)
    checkable = [i for i, claim in enumerate(doc.claims) if claim.checkable]
    assert checkable, "the sentence is a claim to check"
    assert all(doc.evidence.get(i) for i in checkable), (
        "dense retrieval ranks every passage when BM25 finds none"
    )
    report = pipeline.check(story)
    assert report.claims
