"""Mentions: people resolved within the story, roles, dates, numbers and quotations."""

from __future__ import annotations

import datetime as dt

import pytest

from copydesk.document import Document, Period
from copydesk.lexicon.dates import normalise_date
from copydesk.pipeline import Pipeline
from copydesk.schema import StoryIn
from copydesk.stages.mentions import PERSON_REF

PUBLISHED = dt.date(2024, 3, 14)  # a Thursday


def annotate(pipeline: Pipeline, body: str, *sources: str) -> Document:
    return pipeline.annotate(StoryIn(body=body, published=PUBLISHED, sources=[{"text": s} for s in sources]))


def people(doc: Document) -> list[tuple[str, str, str]]:
    return [(m.label, m.span.text, m.entity) for m in doc.body.mentions if m.label in ("PERSON", PERSON_REF)]


def roles(doc: Document) -> list[tuple[str, str, str]]:
    return [(r.person.entity, r.office.entity, r.tense) for r in doc.body.roles]


def test_surname_and_pronouns_resolve_to_the_full_name(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Councillor Peter Haldane voted against the plan. Haldane said he feared delays. "
        "Mayor Linda Okonkwo disagreed with him.",
    )
    assert people(doc) == [
        ("PERSON", "Peter Haldane", "Peter Haldane"),
        ("PERSON", "Haldane", "Peter Haldane"),
        (PERSON_REF, "he", "Peter Haldane"),
        ("PERSON", "Linda Okonkwo", "Linda Okonkwo"),
        (PERSON_REF, "him", "Peter Haldane"),
    ]


def test_pronoun_in_a_new_sentence_is_the_last_named_subject(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "Linda Okonkwo presented the results. She said exports grew.")
    assert (PERSON_REF, "She", "Linda Okonkwo") in people(doc)


def test_surname_resolves_through_the_sources(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, "Okonkwo said the tram would open in 2027.", "Mayor Linda Okonkwo presented the tram."
    )
    assert ("PERSON", "Okonkwo", "Linda Okonkwo") in people(doc)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Secretary of State Anna Klein met the delegates.", ("Anna Klein", "secretary of state", "current")),
        (
            "Anna Klein, the Secretary of State, met the delegates.",
            ("Anna Klein", "secretary of state", "current"),
        ),
        (
            "Anna Klein, who is the U.S. Secretary of State, met the delegates.",
            ("Anna Klein", "secretary of state|united states", "current"),
        ),
        (
            "Then-Secretary of State Anna Klein met the delegates.",
            ("Anna Klein", "secretary of state", "then"),
        ),
        ("Former Senator Anna Klein met the delegates.", ("Anna Klein", "senator", "former")),
        ("The Home Secretary, Anna Klein, met the delegates.", ("Anna Klein", "home secretary", "current")),
        (
            "Environment Secretary Anna Klein met the delegates.",
            ("Anna Klein", "environment secretary", "current"),
        ),
    ],
)
def test_roles_in_every_pattern(pipeline: Pipeline, body: str, expected: tuple[str, str, str]) -> None:
    assert roles(annotate(pipeline, body)) == [expected]


def test_role_stated_for_a_year(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "Anna Klein was Secretary of State in 2021.")
    (role,) = doc.body.roles
    assert (role.person.entity, role.tense) == ("Anna Klein", "then")
    assert role.when == Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def test_role_does_not_take_the_date_of_a_later_clause(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "Mayor Linda Okonkwo said the line would open in 2027.")
    (role,) = doc.body.roles
    assert role.when is None


def test_dates_are_normalised_against_the_publication_date(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "The council met on Tuesday. Schools will stay closed until Monday. "
        "The plan was first drafted in August 2022.",
    )
    dates = {m.span.text: m.value for m in doc.body.mentions if m.label == "DATE"}
    assert dates["Tuesday"] == Period(dt.date(2024, 3, 12), dt.date(2024, 3, 12))
    assert dates["Monday"] == Period(dt.date(2024, 3, 18), dt.date(2024, 3, 18))
    assert dates["August 2022"] == Period(dt.date(2022, 8, 1), dt.date(2022, 8, 31))
    assert doc.claims[0].when == dates["Tuesday"]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("last year", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("next week", dt.date(2024, 3, 18), dt.date(2024, 3, 24)),
        ("Aug. 29, 2025", dt.date(2025, 8, 29), dt.date(2025, 8, 29)),
        ("Thursday", PUBLISHED, PUBLISHED),
    ],
)
def test_normalise_date(text: str, start: dt.date, end: dt.date) -> None:
    assert normalise_date(text, PUBLISHED) == Period(start, end)


def test_vague_dates_have_no_value() -> None:
    assert normalise_date("in recent years", PUBLISHED) is None
    assert normalise_date("Tuesday", None) is None


def test_numbers_and_quotes(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, 'About 52,000 homes lost power. "We will restore every line by Friday," she said.'
    )
    numbers = [(m.span.text, m.value) for m in doc.body.mentions if m.label == "CARDINAL"]
    assert numbers == [("52,000", 52_000)]
    quotes = [m.span.text for m in doc.body.mentions if m.label == "QUOTE"]
    assert quotes == ["We will restore every line by Friday"]


def test_person_name_read_as_an_organisation_is_corrected(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "Mayor Linda Okonkwo proposed the tram. Okonkwo said it would open in 2027.")
    assert [m.span.text for m in doc.body.mentions if m.label == "PERSON"] == ["Linda Okonkwo", "Okonkwo"]
