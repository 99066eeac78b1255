"""Dates and numbers bound to what they are said of (the circumstances checker).

A value that occurs somewhere in the sources backs the claim only when it is said there of the same
event: "founded in 2019 and opened offices in 2021" does not back "opened offices in 2019". Each
test annotates a small story with the real stages and runs the checker function alone.
"""

from __future__ import annotations

from typing import Any

from copydesk.checkers.circumstances import check_circumstances
from copydesk.pipeline import Pipeline
from copydesk.schema import StoryIn

OFFICES = "The ministry was founded in 2019 and opened two new regional offices in the capital in 2021."


def _found(pipeline: Pipeline, body: str, *sources: str) -> list[tuple[str, str, str | None, str]]:
    story = StoryIn(
        body=body,
        published="2024-06-12",
        sources=[{"text": text, "published": "2024-06-12"} for text in sources],
    )
    doc = pipeline.annotate(story, needs=["evidence"])
    return [(f.kind.value, f.text, f.fix, f.evidence[0].quote) for f in check_circumstances(doc)]


def test_a_year_said_of_another_event_in_the_sentence_does_not_back_the_claim(pipeline: Pipeline) -> None:
    found = _found(pipeline, "The ministry opened two new regional offices in the capital in 2019.", OFFICES)
    # only the year is marked, the source sentence is the evidence
    assert found == [("wrong_date", "2019", "2021", OFFICES)]


def test_a_year_said_of_the_same_event_in_another_sentence_backs_the_claim(pipeline: Pipeline) -> None:
    body = "The ministry opened two new regional offices in the capital in 2019."
    other = "A third regional office opened in the capital in 2019, officials said."
    assert _found(pipeline, body, OFFICES, other) == []


def test_the_true_year_of_the_event_is_not_reported(pipeline: Pipeline) -> None:
    assert (
        _found(pipeline, "The ministry opened two new regional offices in the capital in 2021.", OFFICES)
        == []
    )


def test_a_number_said_of_another_action_does_not_back_the_claim(pipeline: Pipeline) -> None:
    source = (
        "The company laid off 200 workers at its Leeds plant in March "
        "and hired 300 workers at the site last year."
    )
    found = _found(pipeline, "The company laid off 300 workers at its Leeds plant in March.", source)
    assert found == [("wrong_number", "300", "200", source)]
    assert _found(pipeline, "The company hired 300 workers at its Leeds plant last year.", source) == []


def test_a_range_covers_the_years_inside_it(pipeline: Pipeline) -> None:
    source = (
        "His predecessor, Antony Blinken, served from 2021 to January 2025 and opened two new "
        "consulates in the region in 2023."
    )
    assert _found(pipeline, "Antony Blinken served as secretary until 2025.", source) == []
    assert _found(pipeline, "Antony Blinken opened two new consulates in the region in 2023.", source) == []


def test_the_demo_story_year_of_the_consulates(pipeline: Pipeline) -> None:
    """examples/rubio-trip: the possessive "Blinken's" is the name, not a word to align on."""
    source = (
        "His predecessor, Antony Blinken, served from 2021 to January 2025 and opened two new "
        "consulates in the region in 2023."
    )
    body = "During Antonio Blinken's tenure in 2025, the department opened two new consulates in the region."
    found: list[Any] = _found(pipeline, body, source)
    assert found == [("wrong_date", "2025", "2023", source)]


def test_only_the_changed_words_of_a_date_are_marked(pipeline: Pipeline) -> None:
    source = (
        "The ministry was founded in May 2019 and opened two new regional offices in the capital in May 2021."
    )
    body = "The ministry opened two new regional offices in the capital in May 2019."
    assert [f[:3] for f in _found(pipeline, body, source)] == [("wrong_date", "2019", "2021")]


def test_only_the_changed_word_of_a_date_is_marked_and_a_place_is_named_whole(pipeline: Pipeline) -> None:
    library = "The city library on Quay Street reopened in October {} after a fire destroyed its east wing."
    found = _found(pipeline, library.format(2025), library.format(2021))
    assert [f[:3] for f in found] == [("wrong_date", "2025", "2021")]
    airport = "Heavy snow closed the main airport of {} on Monday, stranding thousands of travellers."
    found = _found(pipeline, airport.format("New Jersey"), airport.format("New York"))
    assert [f[:3] for f in found] == [("wrong_place", "New Jersey", "New York")]
