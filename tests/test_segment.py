"""Segmentation: sentences and atomic claims, with spans into the story text."""

from __future__ import annotations

import pytest

from copydesk.document import Document
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import StoryIn
from copydesk.stages.segment import SourceParses, entity_pipes, parse_sources, sentence_case


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


def test_a_list_after_a_colon_is_not_an_apposition(pipeline: Pipeline) -> None:
    # "joined Torquay United: Anderson, ... and Keating" does not make the club a player
    doc = claims(
        pipeline,
        "Two players have joined Torquay United: Anderson, a 27-year-old centre-back who left Barrow "
        "by mutual consent, and Keating, a 21-year-old striker from Ireland.",
    )
    assert not [text for text in texts(doc) if text.startswith("Torquay United is")]
    assert "Keating is a 21-year-old striker from Ireland." in texts(doc)
    doc = claims(
        pipeline,
        "Two new players have joined Torquay United (the Gulls): centre-back Anderson, 27, who has "
        "cancelled his contract with Barrow, and striker Keating, 21, who was recommended by Micky Adams.",
    )
    assert sorted(texts(doc)) == sorted(
        [
            "Two new players have joined Torquay United: centre-back Anderson, 27 and striker Keating, 21.",
            "Torquay United is the Gulls.",
            "Anderson has cancelled his contract with Barrow.",
            "Keating was recommended by Micky Adams.",
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


def test_a_lead_in_to_a_list_is_not_checkable(pipeline: Pipeline) -> None:
    doc = claims(pipeline, "The key points are:\n\n1. The council approved the plan on Tuesday.")
    checkable = {c.text: c.checkable for c in doc.claims}
    assert not any(ok for text, ok in checkable.items() if "key points" in text)
    assert any(ok for text, ok in checkable.items() if "approved the plan" in text)


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


def test_sources_get_the_same_entities_as_a_full_parse(pipeline: Pipeline) -> None:
    text = (
        "Maria Alvarez, the director of the port authority, said on Tuesday that 120 workers "
        "would join the project in Lisbon. The plan sets aside 40 million euros."
    )
    story = StoryIn(headline="Port plan", body="Workers join.", sources=[{"id": "s1", "text": text}])
    doc = Document.from_story(story)
    nlp = pipeline.resources.nlp
    assert "tok2vec" not in entity_pipes(nlp), "the small pipeline's recogniser has its own embedding"
    parse_sources(doc.sources, nlp)
    fast = [(e.start_char, e.text, e.label_) for _, chunk in doc.sources[0].doc for e in chunk.ents]
    full = [(e.start_char, e.text, e.label_) for e in nlp(text).ents]
    assert fast == full
    assert ("Maria Alvarez", "PERSON") in {(t, label) for _, t, label in fast}


def test_a_modifier_inside_the_apposition_commas_stays_with_the_apposition(pipeline: Pipeline) -> None:
    doc = claims(
        pipeline,
        "Secretary of State Mike Pompeo, the nation's top diplomat and the first Latino to hold the "
        "position, will travel to Mexico City next week.",
    )
    assert "Mike Pompeo is the first Latino to hold the position." in texts(doc)
    assert "Secretary of State Mike Pompeo will travel to Mexico City next week." in texts(doc)
    attribute = next(c.attribute for c in doc.claims if c.text.startswith("Mike Pompeo is the first"))
    assert attribute is not None and attribute.text == "the first Latino to hold the position"


def test_a_blank_line_ends_a_source_sentence(pipeline: Pipeline) -> None:
    story = StoryIn(
        body="Workers join.", sources=[{"id": "s1", "text": "Port plan approved\n\nThe council voted."}]
    )
    doc = Document.from_story(story)
    parse_sources(doc.sources, pipeline.resources.nlp)
    assert [s.text for s in doc.sources[0].sentences] == ["Port plan approved", "The council voted."]


class CountingPipe:
    """Wraps a spaCy pipeline and counts the texts it is asked to parse."""

    def __init__(self, nlp: object) -> None:
        self.nlp = nlp
        self.parsed: list[str] = []

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.parsed.extend(texts)
        return self.nlp.pipe(texts, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self.nlp, name)


def test_a_source_seen_before_is_not_parsed_again(pipeline: Pipeline) -> None:
    wire = "The council approved the budget on Monday. Mayor Ines Duarte said 40 jobs would follow."
    nlp = CountingPipe(pipeline.resources.nlp)
    parses = SourceParses()
    first = Document.from_story(StoryIn(body="Budget approved.", sources=[{"id": "wire", "text": wire}]))
    second = Document.from_story(
        StoryIn(
            body="Jobs follow.", sources=[{"id": "other", "text": "Rain fell."}, {"id": "copy", "text": wire}]
        )
    )
    parse_sources(first.sources, nlp, parses)
    parse_sources(second.sources, nlp, parses)
    assert nlp.parsed == [wire, "Rain fell."]
    copy = second.sources[1]
    assert [s.text for s in copy.sentences] == [s.text for s in first.sources[0].sentences]
    assert {s.field for s in copy.sentences} == {"copy"}, "spans name the source of this story"
    ents = [(offset + e.start_char, e.text) for offset, chunk in copy.doc for e in chunk.ents]
    assert (wire.index("Ines Duarte"), "Ines Duarte") in ents


def test_the_oldest_parses_are_dropped_beyond_the_size_limit(pipeline: Pipeline) -> None:
    parses = SourceParses(max_chars=40)
    texts = ["The first source is here.", "The second source is here.", "The third one."]
    for text in texts:
        parse_sources(
            Document.from_story(StoryIn(body="x", sources=[{"text": text}])).sources,
            pipeline.resources.nlp,
            parses,
        )
    assert parses.get(texts[0]) is None
    assert parses.get(texts[1]) is not None and parses.get(texts[2]) is not None
    assert len(parses) == 2


def test_a_story_checked_twice_gets_the_same_report() -> None:
    pipeline = Pipeline(Settings(threads=1))
    story = StoryIn(
        headline="Council approves budget",
        body="The council approved the budget on Tuesday, Mayor Ines Duarte said.",
        sources=[{"id": "s1", "text": "The council approved the budget on Monday. Mayor Ines Duarte spoke."}],
        published="2024-06-12",
    )
    first = pipeline.check(story)
    assert len(pipeline.resources.shared("source_parses", SourceParses)) == 1
    assert pipeline.check(story) == first


def test_a_story_sentence_ends_at_its_last_character(pipeline: Pipeline) -> None:
    body = "The council met on Monday.\n\nThe specific date is not detailed in the results.\n"
    doc = claims(pipeline, body)
    assert [s.text for s in doc.body.sentences] == [
        "The council met on Monday.",
        "The specific date is not detailed in the results.",
    ]
