"""Wrong titles: a title the story gives a person against the titles the sources give them (issue 13).

A title that no one could hold together with the sources' is an error, at every place the story
gives it to that person, with the sources' title as the fix; a title one person may hold beside the
sources' is a warning at most; a title the sources agree with is left alone.
"""

from __future__ import annotations

import pytest

from copydesk.checkers.office import check_offices
from copydesk.document import Document
from copydesk.lexicon.offices import compatible_titles, office_key
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import Finding, Severity, StoryIn


def annotate(pipeline: Pipeline, headline: str, body: str, *sources: str) -> Document:
    story = StoryIn(
        headline=headline,
        body=body,
        published="2024-06-12",
        sources=[{"text": text, "published": "2024-06-12"} for text in sources],
    )
    return pipeline.annotate(story)


def errors(doc: Document) -> list[Finding]:
    return [f for f in check_offices(doc) if f.severity == Severity.ERROR]


def places(found: Finding) -> list[tuple[str, str, str | None]]:
    return [(s.field, s.text, s.fix) for s in found.spans]


SOURCE = (
    "Home Secretary Amber Ledwith said the government had committed £1m to the memorial. "
    "The memorial will be unveiled next year, Ledwith said."
)


def test_a_title_no_one_holds_with_the_sources_one_is_flagged_everywhere(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Governor Amber Ledwith backs police memorial",
        "Governor Amber Ledwith said the government had committed £1m to the memorial. "
        "The memorial will be unveiled next year, Ledwith said.",
        SOURCE,
    )
    (found,) = errors(doc)
    assert found.kind.value == "wrong_title"
    assert places(found) == [
        ("headline", "Governor", "Home Secretary"),
        ("body", "Governor", "Home Secretary"),
    ]
    assert "Home Secretary Amber Ledwith said" in found.evidence[0].quote


@pytest.mark.parametrize(
    ("written", "sourced", "fix"),
    [
        ("finance minister", "chairman", "chairman"),  # a football club's chairman
        ("attorney general", "director", "director"),
        ("Senator", "Police Commissioner", "Commissioner"),
        ("Home Secretary", "Prime Minister", "Prime Minister"),  # an out-of-date title
        ("Ambassador", "Transport Minister", "Transport Minister"),
    ],
)
def test_titles_of_different_kinds_conflict(pipeline: Pipeline, written: str, sourced: str, fix: str) -> None:
    doc = annotate(
        pipeline,
        "",
        f"The club's {written} Bernard Okafor held talks with three bidders on Friday.",
        f"The club's {sourced} Bernard Okafor held talks with three bidders on Friday, the club said.",
    )
    assert [(f.kind.value, f.text, f.fix) for f in errors(doc)] == [("wrong_title", written, fix)]


def test_a_past_title_is_held_against_the_past_titles_of_the_sources(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "",
        "The fraud came to light after its then-secretary of state Raghavan admitted inflating profits.",
        "Sunil Raghavan, the former chairman of Veltron, was fined. The fraud came to light after its "
        "then-chairman Raghavan admitted inflating profits.",
    )
    assert [(f.text, f.fix) for f in errors(doc)] == [("secretary of state", "chairman")]


def test_a_past_title_is_not_held_against_a_present_one(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "",
        "Then-Senator Dana Whitlock voted against the bill in 2015.",
        "President Dana Whitlock signed the order on Monday.",
    )
    assert errors(doc) == []


@pytest.mark.parametrize(
    ("written", "sourced"),
    [
        ("Chief Executive", "Chairman"),  # one person often chairs the board and runs the company
        ("Councillor", "Mayor"),
        ("Minister", "Foreign Minister"),  # a title and a narrower one
        ("Chancellor", "Chancellor of the Exchequer"),
        ("Senator", "Foreign Minister"),  # a parliament's members are its ministers
    ],
)
def test_a_title_one_may_hold_beside_the_sources_is_no_error(
    pipeline: Pipeline, written: str, sourced: str
) -> None:
    doc = annotate(
        pipeline,
        "",
        f"{written} Bernard Okafor opened the new offices on Friday.",
        f"{sourced} Bernard Okafor opened the new offices on Friday morning.",
    )
    assert errors(doc) == []


def test_the_title_the_sources_give_is_left_alone(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Home Secretary Amber Ledwith backs police memorial",
        "Ledwith, the Home Secretary, said the government had committed £1m to the memorial.",
        SOURCE,
    )
    assert list(check_offices(doc)) == []


def test_a_title_of_someone_the_sources_give_no_title_is_left_alone(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "",
        "Governor Amber Ledwith said the memorial would be unveiled next year.",
        "Amber Ledwith said the memorial would be unveiled next year.",
    )
    assert list(check_offices(doc)) == []


def test_compatibility_of_titles() -> None:
    assert compatible_titles("finance minister", "ceo") is False
    assert compatible_titles("prime minister", "home secretary") is False
    assert compatible_titles("president|yemen", "ceo") is False  # a country's president runs no company
    assert compatible_titles("president", "ceo") is True
    assert compatible_titles("vice president", "president") is False
    assert compatible_titles("vice president", "chair") is False  # no one is chairman and vice president
    assert compatible_titles("foreign secretary", "foreign minister") is True  # one office, two names
    assert compatible_titles("home secretary", "interior minister") is True
    assert compatible_titles("deputy prime minister", "foreign minister") is True
    assert compatible_titles(office_key("Deputy Mayor") or "", "councillor") is True
    assert compatible_titles("mayor", "bishop") is None  # nothing known of the second


def test_one_finding_every_span_in_the_whole_pipeline() -> None:
    checked = Pipeline(Settings(checkers=("office",), dense_retrieval=False)).check(
        {
            "headline": "Governor Amber Ledwith backs police memorial",
            "body": "Governor Amber Ledwith said the government had committed £1m to the memorial. "
            "Governor Ledwith will unveil it next year.",
            "sources": [{"text": SOURCE}],
        }
    )
    titles = [f for f in checked.findings if f.kind.value == "wrong_title"]
    assert len(titles) == 1 and titles[0].severity == Severity.ERROR
    assert [(s.field, s.text, s.fix) for s in titles[0].spans] == [
        ("headline", "Governor", "Home Secretary"),
        ("body", "Governor", "Home Secretary"),
        ("body", "Governor", "Home Secretary"),
    ]


def test_a_source_much_older_than_the_story_makes_a_changed_title_a_warning(pipeline: Pipeline) -> None:
    story = StoryIn(
        headline="",
        body="Prime Minister Amber Ledwith said the memorial would be unveiled next year.",
        published="2024-06-12",
        sources=[{"text": SOURCE, "published": "2021-03-01"}],
    )
    found = list(check_offices(pipeline.annotate(story)))
    assert [(f.text, f.severity) for f in found] == [("Prime Minister", Severity.WARNING)]


def test_someone_elses_office_is_not_a_title(pipeline: Pipeline) -> None:
    # "the Prime Minister's spokesman" is not a prime minister
    doc = annotate(
        pipeline,
        "",
        "Prime Minister Theresa Mayfield spoke first. James Slack, the Prime Minister's spokesman, said "
        "the talks went well.",
        "James Slack, the Prime Minister's spokesman, said the talks went well.",
    )
    assert list(check_offices(doc)) == []


def test_a_title_case_headline_binds_no_title_across_words(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Foreign Minister Meets Okafor Over Trade Row",
        "Foreign Minister Lena Brandt met Bernard Okafor, the club's chairman, on Friday.",
        "Foreign Minister Lena Brandt met Bernard Okafor, the club's chairman, on Friday.",
    )
    assert [r.person.entity for r in doc.headline.roles] == []
    assert errors(doc) == []


def test_a_title_given_with_an_appointment_counts_and_the_fix_takes_the_story_case(
    pipeline: Pipeline,
) -> None:
    doc = annotate(
        pipeline,
        "",
        "Governor Sarah Collins spoke on Monday.",
        "Sarah Collins, who was appointed home secretary in 2016, spoke on Monday.",
    )
    assert [(f.text, f.fix) for f in errors(doc)] == [("Governor", "Home Secretary")]
