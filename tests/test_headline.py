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


# -- the headline's person also named in the body sentence, in another role -------------------------

ROLE_SENTENCE = (
    "The best account of the premiere came from baritone Luigi Bassi, for whom Mozart had written "
    "the role of Don Giovanni."
)
ROLE_BODY = f"{ROLE_SENTENCE} The opera opened in Prague in 1787."


def test_a_headline_person_the_body_names_in_another_role_is_flagged(pipeline: Pipeline) -> None:
    # the body also names Don Giovanni, but as the role written for Bassi, who gave the account
    doc = annotate(
        pipeline,
        "The best account of the premiere came from baritone Don Giovanni",
        body=ROLE_BODY,
        sources=(ROLE_BODY,),
    )
    assert found(doc) == [("headline", "Don Giovanni", "Luigi Bassi", ["headline"])]


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        # the headline's person at the body's place; the other one named later in the sentence
        ("The best account of the premiere came from baritone Luigi Bassi", ROLE_BODY),
        # people the body names together, in one role: the headline naming any of them agrees
        (
            "The new season will feature the full cast, including Nora Quill",
            "The new season will feature the full cast, including Ivo Brandt, Tess Moreau and "
            "Nora Quill, the studio said.",
        ),
    ],
)
def test_a_headline_person_in_the_same_role_as_the_bodys_is_fine(
    pipeline: Pipeline, headline: str, body: str
) -> None:
    assert found(annotate(pipeline, headline, body=body, sources=(body,))) == []


def test_a_possessive_name_is_compared_at_its_place(pipeline: Pipeline) -> None:
    body = "Farooq's real name was Raja Suleman, the group said. Ahmad Farooq was killed in January."
    doc = annotate(pipeline, "Rodgers's real name was Raja Suleman", body=body, sources=(body,))
    assert found(doc) == [("headline", "Rodgers", "Farooq", ["headline"])]
