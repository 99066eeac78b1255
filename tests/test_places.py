"""A capital or seat standing for its country is a rewording, not an error."""

from __future__ import annotations

import pytest

from copydesk.lexicon.places import name_used_in, same_place
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import StoryIn


@pytest.mark.parametrize(
    ("a", "b"),
    [("Washington", "the United States"), ("the Kremlin", "Russia"), ("U.S.", "US"), ("Quito", "Ecuador")],
)
def test_names_of_one_country_are_the_same_place(a: str, b: str) -> None:
    assert same_place(a, b)


@pytest.mark.parametrize(("a", "b"), [("Niger", "Nigeria"), ("Washington", "Russia"), ("Lima", "Quito")])
def test_different_places_stay_different(a: str, b: str) -> None:
    assert not same_place(a, b)


def test_the_passage_name_for_the_country_is_found_as_written() -> None:
    passage = "Noboa has asked the United States for help."
    assert name_used_in("Washington", passage) == "the United States"
    assert name_used_in("Washington", "Officials in Washington said the United States would help.") is None
    assert name_used_in("Washington", "He asked us for help.") is None  # "us" is not "US"
    assert name_used_in("Springfield", passage) is None


@pytest.mark.slow
def test_a_capital_for_its_country_is_not_reported() -> None:
    source = (
        "In Quito, the secretary will meet President Daniel Noboa, who has asked the United States "
        "for help against drug cartels. The talks will cover trade and migration."
    )
    story = StoryIn(
        headline="Secretary to visit Quito",
        body="President Daniel Noboa has asked Washington for help against drug cartels.",
        published="2025-08-29",
        sources=[{"id": "release", "text": source}],
    )
    report = Pipeline(Settings(kb=None)).check(story)
    assert [f.kind for f in report.findings] == []
    reworded = story.model_copy(
        update={"body": "President Daniel Noboa has asked Moscow for help against drug cartels."}
    )
    assert Pipeline(Settings(kb=None)).check(reworded).findings, "another country is still reported"
