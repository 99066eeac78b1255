"""Segmentation: sentences and atomic claims, with spans into the story text."""

from __future__ import annotations

import pytest

from copydesk.document import Document
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import StoryIn
from copydesk.segment import sentence_case


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(checkers=(), dense_retrieval=False))


def claims(pipeline: Pipeline, body: str, headline: str = "") -> Document:
    return pipeline.annotate(StoryIn(headline=headline, body=body, published="2024-06-12"))


def texts(doc: Document) -> list[str]:
    return [claim.text for claim in doc.claims]


def test_apposition_and_coordination_give_one_claim_each(pipeline: Pipeline) -> None:
    doc = claims(
        pipeline,
        "Clara Jovanovic, the Health Minister and the first doctor in the post, will meet Anton Weiss.",
    )
    assert sorted(texts(doc)) == sorted(
        [
            "Clara Jovanovic is the Health Minister.",
            "Clara Jovanovic is the first doctor in the post.",
            "Clara Jovanovic will meet Anton Weiss.",
        ]
    )


def test_claim_spans_index_the_story(pipeline: Pipeline) -> None:
    body = "Weiss, the Home Secretary, said the plan would cost 40 million pounds."
    doc = claims(pipeline, body)
    for claim in doc.claims:
        assert body[claim.span.start : claim.span.end] == claim.span.text
    apposition = next(c for c in doc.claims if c.kind == "apposition")
    assert apposition.span.text == "Weiss, the Home Secretary"
    assert "Weiss said the plan would cost 40 million pounds." in texts(doc)


def test_non_restrictive_relative_clause_is_a_claim_of_its_own(pipeline: Pipeline) -> None:
    doc = claims(pipeline, "Tomas Reyes, who joined Rovers in July, captained Eastfield in 2022.")
    assert sorted(texts(doc)) == [
        "Tomas Reyes captained Eastfield in 2022.",
        "Tomas Reyes joined Rovers in July.",
    ]


def test_coordinated_verbs_share_subject_and_auxiliary(pipeline: Pipeline) -> None:
    doc = claims(pipeline, "The minister will visit Nairobi and will open the new embassy.")
    assert texts(doc) == ["The minister will visit Nairobi.", "The minister will open the new embassy."]


def test_place_apposition_is_not_a_claim(pipeline: Pipeline) -> None:
    doc = claims(pipeline, "The minister visited flood defences near Boston, Lincolnshire, on Thursday.")
    assert [c.kind for c in doc.claims] == ["statement"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Will the council approve the plan?",
        "Analysts expect profits to fall next year.",
        "I think the plan is a mistake.",
        "The mayor could resign within weeks.",
        "Perhaps the storm will turn north.",
    ],
)
def test_questions_opinions_and_speculation_are_not_checkable(pipeline: Pipeline, sentence: str) -> None:
    doc = claims(pipeline, sentence)
    assert [c.checkable for c in doc.claims] == [False]


def test_plain_statements_are_checkable(pipeline: Pipeline) -> None:
    doc = claims(
        pipeline, "The council approved the plan on Tuesday. The mayor said the tram would open in 2027."
    )
    assert [c.checkable for c in doc.claims] == [True, True]


def test_title_case_headline_is_parsed_in_sentence_case() -> None:
    body = "Norvale Foods said revenue rose. Chief executive Katerina Vlasova spoke in Ohio."
    cased = sentence_case("Norvale Foods Revenue Tops $1.2 Billion as Exports Grow in Ohio", body)
    assert cased == "Norvale Foods revenue tops $1.2 billion as exports grow in Ohio"
    assert (
        sentence_case("Storm leaves thousands without power", body) == "Storm leaves thousands without power"
    )


def test_title_case_headline_keeps_its_people_and_numbers(pipeline: Pipeline) -> None:
    doc = claims(
        pipeline,
        "Finance Minister Elena Sorensen announced a 2% cut in income tax on Tuesday.",
        headline="Finance Minister Elena Sorensen Unveils 2% Tax Cut",
    )
    labels = {(m.label, m.span.text) for m in doc.headline.mentions}
    assert {("PERSON", "Elena Sorensen"), ("PERCENT", "2%"), ("OFFICE", "Finance Minister")} <= labels
    assert doc.claims[0].kind == "headline" and doc.claims[0].span.text == doc.headline.text


def test_chat_preamble_followed_by_blank_lines_is_segmented(pipeline: Pipeline) -> None:
    # A colon and blank lines parsed as an apposition of punctuation alone once crashed segmenting.
    body = "Here is a concise summary of the passage:\n\nThe council approved the budget on Monday."
    doc = claims(pipeline, body)
    assert any("approved the budget" in text for text in texts(doc))
