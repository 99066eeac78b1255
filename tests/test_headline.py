"""The headline against the body: the headline as a clause of a body sentence with another person
written in, which side the sources support, and the near-copies that are no contradiction.

Each test annotates a small story of invented people with the real stages and runs the headline
checker alone.
"""

from __future__ import annotations

import pytest

from copydesk.checkers.headline import check_headline
from copydesk.document import Document
from copydesk.pipeline import Pipeline
from copydesk.schema import StoryIn

OPENING = "Mayor Helen Carter opened the new city library on Monday, after two years of building."
ARCHITECT = "The architect of the reading room, James Porter, said it faces the river."
BODY = f"{OPENING} {ARCHITECT}"


def annotate(
    pipeline: Pipeline, headline: str, body: str = BODY, sources: tuple[str, ...] = (BODY,)
) -> Document:
    story = StoryIn(
        headline=headline,
        body=body,
        published="2025-03-10",
        sources=[{"text": text} for text in sources],
    )
    return pipeline.annotate(story, needs=["evidence"])


def found(doc: Document) -> list[tuple[str, str, str | None, list[str]]]:
    return [(f.field, f.text, f.fix, [s.field for s in f.spans]) for f in check_headline(doc)]


def test_a_headline_ending_with_another_persons_name(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "The architect of the reading room, Helen Carter")
    assert found(doc) == [("headline", "Helen Carter", "James Porter", ["headline"])]


def test_the_body_is_fixed_when_the_sources_side_with_the_headline(pipeline: Pipeline) -> None:
    body = BODY.replace("Helen Carter", "Anna Lindqvist")
    doc = annotate(pipeline, "Mayor Helen Carter opened the new city library on Monday", body=body)
    (finding,) = check_headline(doc)
    assert (finding.field, finding.text, finding.fix) == ("body", "Anna Lindqvist", "Helen Carter")
    assert any(e.origin == "story" and e.quote.startswith("Mayor Helen Carter") for e in finding.evidence)
    assert [s.field for s in finding.spans] == ["body"]


def test_without_sources_the_headline_is_flagged_and_left_to_an_editor(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "James Porter opened the new city library on Monday", sources=())
    (finding,) = check_headline(doc)
    assert (finding.field, finding.text, finding.fix) == ("headline", "James Porter", None)
    assert "do not tell which" in finding.message


@pytest.mark.parametrize(
    "headline",
    [
        "Helen Carter opened the new city library on Monday",
        "Mayor Carter opened the new city library on Monday",  # the same person, partly copied
        "The architect of the reading room, James Porter",
        "Carter opens library after two years of building",  # not a clause of the body: the lead
    ],
)
def test_a_headline_that_tells_the_bodys_account_is_fine(pipeline: Pipeline, headline: str) -> None:
    assert found(annotate(pipeline, headline)) == []
