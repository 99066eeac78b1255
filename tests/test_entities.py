"""Entities: one finding about who someone is holds at every mention of the person in that role.

Stories of invented people, checked by the real pipeline without a knowledge base: a wrong person
recurring under surname, possessive and pronoun; the same surname used correctly for the person's
past; pronouns that must not attach to someone of the other gender; the headline against the body.
"""

from __future__ import annotations

import pytest

from copydesk.fixing import apply_fixes
from copydesk.pipeline import Pipeline, as_story
from copydesk.resources import Settings
from copydesk.schema import FindingKind, Report
from copydesk.stages.entities import told_by_sources

SOURCES = [
    {
        "title": "Ministry release",
        "text": "Foreign Minister Lena Varga arrived in Vienna on Monday for talks on energy prices. "
        "She met Chancellor Otto Brandt at the chancellery. Varga said the talks were useful.",
    }
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(no_kb=True, dense_retrieval=False))


def check(pipeline: Pipeline, headline: str, body: str, sources: list[dict] | None = None) -> Report:
    return pipeline.check(
        {
            "headline": headline,
            "body": body,
            "published": "2025-03-10",
            "sources": SOURCES if sources is None else sources,
        }
    )


def places(report: Report, kind: FindingKind) -> list[tuple[str, str, str | None]]:
    found = [f for f in report.findings if f.kind == kind]
    assert len(found) == 1, [(f.kind.value, f.text) for f in report.findings]
    return [(s.field, s.text, s.fix) for s in found[0].spans]


def test_a_wrong_person_is_one_finding_at_every_mention(pipeline: Pipeline) -> None:
    body = (
        "Foreign Minister Peter Horvath arrived in Vienna on Monday for talks on energy prices. "
        "Horvath met Chancellor Otto Brandt at the chancellery. "
        "Horvath's aides said the talks were useful, and he called them a good start."
    )
    report = check(pipeline, "Energy talks open in Vienna", body)
    spans = places(report, FindingKind.WRONG_PERSON_FOR_OFFICE)
    assert spans[0] == ("body", "Peter Horvath", "Lena Varga")
    assert ("body", "Horvath", "Varga") in spans  # the surname alone
    assert spans.count(("body", "Horvath", "Varga")) == 2  # ... and the possessive "Horvath's"
    assert ("body", "he", "she") in spans  # the pronoun follows the person's gender
    fixed = apply_fixes(report)
    assert "Horvath" not in fixed.body
    assert "Varga's aides said the talks were useful, and she called them" in fixed.body


def test_the_same_surname_used_for_the_persons_past_stays_unflagged(pipeline: Pipeline) -> None:
    body = (
        "Foreign Minister Peter Horvath arrived in Vienna on Monday for talks on energy prices. "
        "Horvath met Chancellor Otto Brandt at the chancellery. "
        "In 2012, Horvath opened the embassy in Vienna as a young diplomat."
    )
    report = check(pipeline, "Energy talks open in Vienna", body)
    spans = places(report, FindingKind.WRONG_PERSON_FOR_OFFICE)
    past = body.index("In 2012, Horvath") + len("In 2012, ")
    flagged = [
        s.start for f in report.findings if f.severity.value == "error" for s in f.spans if s.field == "body"
    ]
    assert past not in flagged
    assert len([s for s in spans if s[1] == "Horvath"]) == 1
    fixed = apply_fixes(report)
    assert "In 2012, Horvath opened the embassy" in fixed.body
    assert fixed.body.startswith("Foreign Minister Lena Varga arrived")


def test_she_does_not_attach_to_a_man(pipeline: Pipeline) -> None:
    doc = pipeline.annotate(
        pipeline_story(
            "Peter Horvath met Anna Kovacs in Vienna on Monday. "
            "Horvath greeted Kovacs at the station. She said the talks would go on."
        )
    )
    by_name = {e.name: e for e in doc.entities}
    assert by_name["Peter Horvath"].gender == "male"
    assert by_name["Anna Kovacs"].gender == "female"
    assert "pronoun" not in by_name["Peter Horvath"].forms
    she = [
        m
        for m, form in zip(by_name["Anna Kovacs"].mentions, by_name["Anna Kovacs"].forms, strict=True)
        if form == "pronoun"
    ]
    assert [m.span.text for m in she] == ["She"]
    assert {form for form in by_name["Peter Horvath"].forms} == {"name", "surname"}


def pipeline_story(body: str):
    from copydesk.schema import StoryIn

    return StoryIn(headline="Talks in Vienna", body=body, published="2025-03-10")


def test_gender_comes_from_the_sources_pronouns(pipeline: Pipeline) -> None:
    from copydesk.schema import StoryIn

    story = StoryIn(
        headline="Bridge opens",
        body="Minister Kim Laszlo opened the bridge on Monday.",
        published="2025-03-10",
        sources=[{"text": "Minister Kim Laszlo opened the bridge on Monday. She cut the ribbon herself."}],
    )
    doc = pipeline.annotate(story)
    (entity,) = [e for e in doc.entities if e.name == "Kim Laszlo"]
    assert entity.gender == "female"


def test_headline_and_body_disagree_on_the_actor(pipeline: Pipeline) -> None:
    body = "Foreign Minister Lena Varga arrived in Vienna on Monday for talks on energy prices."
    report = check(pipeline, "Peter Horvath arrives in Vienna for energy talks", body)
    found = [f for f in report.findings if f.kind == FindingKind.HEADLINE_CONTRADICTS_BODY]
    assert len(found) == 1
    finding = found[0]
    assert (finding.field, finding.text, finding.fix) == ("headline", "Peter Horvath", "Lena Varga")
    # the body's account is the evidence, not a second place to change: it is right
    assert [(s.field, s.text) for s in finding.spans] == [("headline", "Peter Horvath")]
    assert any(e.origin == "story" and "Lena Varga arrived" in e.quote for e in finding.evidence)
    assert "sources name Lena Varga" in finding.message
    assert apply_fixes(report).headline == "Lena Varga arrives in Vienna for energy talks"


def test_headline_and_body_disagree_on_a_number(pipeline: Pipeline) -> None:
    sources = [{"text": "The city council approved 45 new buses on Tuesday, the mayor said."}]
    body = "The city council approved 45 new buses on Tuesday, the mayor said."
    report = check(pipeline, "Council approves 40 new buses", body, sources)
    found = [f for f in report.findings if f.kind == FindingKind.HEADLINE_CONTRADICTS_BODY]
    assert len(found) == 1
    finding = found[0]
    assert (finding.field, finding.text, finding.fix) == ("headline", "40", "45")
    assert [(s.field, s.text) for s in finding.spans] == [("headline", "40")]
    assert any(e.origin == "story" and "45 new buses" in e.quote for e in finding.evidence)
    assert "sources say so too" in finding.message
    assert apply_fixes(report).headline == "Council approves 45 new buses"


def test_headline_with_the_sources_against_the_body_fixes_the_body(pipeline: Pipeline) -> None:
    sources = [{"text": "The city council approved 45 new buses on Tuesday, the mayor said."}]
    body = "The city council approved 40 new buses on Tuesday, the mayor said."
    report = check(pipeline, "Council approves 45 new buses", body, sources)
    found = [f for f in report.findings if f.kind == FindingKind.HEADLINE_CONTRADICTS_BODY]
    assert [(f.field, f.text, f.fix) for f in found] == [("body", "40", "45")]


LIBRARY = [
    {
        "text": "Mayor Helen Carter opened the new city library on Monday, after two years of building. "
        "The architect, James Porter, said the reading room faces the river."
    }
]
LIBRARY_BODY = (
    "Mayor Helen Carter opened the new city library on Monday, after two years of building. "
    "The architect, James Porter, said the reading room faces the river."
)


def body_flags(report: Report) -> list[str]:
    return [
        s.text for f in report.findings if f.severity.value == "error" for s in f.spans if s.field == "body"
    ]


def test_a_headline_clause_with_another_person_of_the_story(pipeline: Pipeline) -> None:
    report = check(pipeline, "James Porter opened the new city library on Monday", LIBRARY_BODY, LIBRARY)
    found = [f for f in report.findings if f.kind == FindingKind.HEADLINE_CONTRADICTS_BODY]
    assert [(f.field, f.text, f.fix) for f in found] == [("headline", "James Porter", "Helen Carter")]
    assert "sources name Helen Carter" in found[0].message
    assert body_flags(report) == []  # the architect is still James Porter
    assert apply_fixes(report).headline == "Helen Carter opened the new city library on Monday"


def test_a_wrong_person_stops_where_the_sources_tell_the_name_in_its_own_role(pipeline: Pipeline) -> None:
    from copydesk.findings import finding, spread_over_entities
    from copydesk.schema import Evidence, StoryIn

    body = LIBRARY_BODY.replace("Mayor Helen Carter", "Mayor James Porter")
    opening_only = [{"text": LIBRARY[0]["text"].split(". ")[0] + "."}]
    for sources, expected in ((LIBRARY, 1), (opening_only, 2)):
        doc = pipeline.annotate(
            StoryIn(headline="Library opens", body=body, published="2025-03-10", sources=sources)
        )
        wrong = next(m for m in doc.body.mentions if m.span.text == "James Porter")
        found = finding(
            wrong.span,
            FindingKind.WRONG_PERSON,
            "The source says this of Helen Carter.",
            checker="test",
            confidence=0.7,
            evidence=[Evidence(origin="source", quote="Mayor Helen Carter opened the new city library")],
            fix="Helen Carter",
        )
        (spread,) = spread_over_entities(doc, [found])
        # told by the sources, the architect's name stays; untold, it is taken for the same error
        assert [s.text for s in spread.spans] == ["James Porter"] * expected


def test_an_out_of_date_title_is_fixed_everywhere_to_the_title_held_now(pipeline: Pipeline) -> None:
    sources = [
        {
            "text": "Secretary of State Marco Rubio will travel to Mexico City on Tuesday. "
            "Rubio, a former senator from Florida, took office in January."
        }
    ]
    body = "Senator Marco Rubio will travel to Mexico City on Tuesday. Rubio will meet officials there."
    report = check(pipeline, "Senator Rubio heads to Mexico", body, sources)
    assert places(report, FindingKind.WRONG_TITLE) == [
        ("headline", "Senator", "Secretary of State"),
        ("body", "Senator", "Secretary of State"),
    ]
    (finding,) = [f for f in report.findings if f.kind == FindingKind.WRONG_TITLE]
    assert "former" not in finding.fix and "now Secretary of State" in finding.message
    fixed = apply_fixes(report)
    assert fixed.headline == "Secretary of State Rubio heads to Mexico"
    assert fixed.body.startswith("Secretary of State Marco Rubio will travel")


def test_a_source_sentence_naming_the_person_in_another_role_does_not_vouch_for_the_mention(
    pipeline: Pipeline,
) -> None:
    source = (
        "Mozart wrote the role of Don Giovanni for the baritone Luigi Bassi, and Teresa Saporiti "
        "sang Donna Anna at the premiere in Prague."
    )
    story = {"headline": "", "body": "", "published": "1787-11-01", "sources": [{"text": source}]}

    def told(body: str, name: str) -> bool:
        doc = pipeline.annotate(as_story({**story, "body": body}))
        start = body.index(name)
        return told_by_sources(doc, doc.body, doc.body.span(start, start + len(name))) is not None

    # the source names Bassi, but not as the singer of Donna Anna: someone else stands at his place
    assert not told("Luigi Bassi sang Donna Anna at the premiere in Prague.", "Luigi Bassi")
    # the same sentence with the right person is told by the source
    assert told("Teresa Saporiti sang Donna Anna at the premiere in Prague.", "Teresa Saporiti")
