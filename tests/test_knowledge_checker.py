"""The knowledge checker on hand-annotated documents, and once through the whole pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copydesk.checkers.knowledge import KnowledgeChecker, make
from copydesk.document import Document, Mention, Period, Role
from copydesk.knowledge import KnowledgeBase, open_knowledge_base
from copydesk.knowledge_build.wikidata import import_wikidata
from copydesk.lexicon.offices import office_key
from copydesk.pipeline import Pipeline
from copydesk.resources import Resources, Settings
from copydesk.schema import FindingKind, SourceIn, StoryIn

FIXTURES = Path(__file__).parent / "fixtures" / "kb"
POMPEO = "Mike Pompeo, the Secretary of State, arrived in Madrid for talks."


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kb")
    store = open_knowledge_base(folder, must_exist=False, create=True)
    import_wikidata(store, FIXTURES / "dump.json")
    store.close()
    return folder


@pytest.fixture(scope="module")
def kb(kb_dir: Path) -> KnowledgeBase:
    return open_knowledge_base(kb_dir, must_exist=True)


def annotated(
    body: str,
    published: str | None,
    people: list[str],
    role: tuple[str, str, str] | None = None,
    when: Period | None = None,
    sources: list[SourceIn] = (),
) -> Document:
    """A document annotated by hand: PERSON mentions for ``people`` and one (person, office, tense) role."""
    doc = Document.from_story(StoryIn(body=body, published=published, sources=list(sources)))
    text = doc.body
    mentions = {}
    for name in people:
        start = body.index(name)
        mentions[name] = Mention(text.span(start, start + len(name)), "PERSON", name)
    text.mentions = list(mentions.values())
    if role is not None:
        person, office, tense = role
        start = body.index(office)
        office_mention = Mention(text.span(start, start + len(office)), "OFFICE", office_key(office))
        text.mentions.append(office_mention)
        text.roles = [Role(mentions[person], office_mention, tense, when)]
    return doc


def test_no_kb_no_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb_dir: Path) -> None:
    monkeypatch.setenv("COPYDESK_KB", str(tmp_path / "nothing-here"))
    assert make(Resources(Settings(no_kb=True))) is None
    assert make(Resources(Settings())) is not None  # the built-in knowledge base
    assert make(Resources(Settings(kb=kb_dir))) is not None


def test_wrong_person_for_office(kb: KnowledgeBase) -> None:
    doc = annotated(POMPEO, "2025-08-29", ["Mike Pompeo"], ("Mike Pompeo", "Secretary of State", "current"))
    (found,) = [f for f in KnowledgeChecker(kb)(doc) if f.kind == FindingKind.WRONG_PERSON_FOR_OFFICE]
    assert (found.text, found.fix) == ("Mike Pompeo", "Marco Rubio")
    assert found.evidence[0].origin == "knowledge_base"
    assert found.evidence[0].quote == "Marco Rubio held United States Secretary of State from 2025-01-21"
    assert found.evidence[0].provenance == "wikidata Q2003"


def test_right_person_inside_the_term(kb: KnowledgeBase) -> None:
    doc = annotated(POMPEO, "2019-06-01", ["Mike Pompeo"], ("Mike Pompeo", "Secretary of State", "current"))
    assert list(KnowledgeChecker(kb)(doc)) == []


def test_no_date_no_time_check(kb: KnowledgeBase) -> None:
    doc = annotated(POMPEO, None, ["Mike Pompeo"], ("Mike Pompeo", "Secretary of State", "current"))
    assert list(KnowledgeChecker(kb)(doc)) == []


def test_role_date_wins_over_publication(kb: KnowledgeBase) -> None:
    body = "In 2023, then-Secretary of State Mike Pompeo visited Kyiv."
    doc = annotated(
        body,
        "2025-08-29",
        ["Mike Pompeo"],
        ("Mike Pompeo", "Secretary of State", "then"),
        when=Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    )
    (found,) = list(KnowledgeChecker(kb)(doc))
    assert (found.kind, found.fix) == (FindingKind.WRONG_PERSON_FOR_OFFICE, "Antony Blinken")


def test_relative_period_in_the_sentence(kb: KnowledgeBase) -> None:
    body = "In the seventh month of the Trump administration, Secretary of State Antony Blinken visited Rome."
    doc = annotated(
        body, "2025-08-29", ["Antony Blinken"], ("Antony Blinken", "Secretary of State", "current")
    )
    (found,) = list(KnowledgeChecker(kb)(doc))
    assert found.fix == "Marco Rubio" and "2025-07-20" in found.message


def test_sources_win(kb: KnowledgeBase) -> None:
    source = SourceIn(title="Wire", text="Secretary of State Mike Pompeo arrived in Madrid.")
    doc = annotated(
        POMPEO,
        "2025-08-29",
        ["Mike Pompeo"],
        ("Mike Pompeo", "Secretary of State", "current"),
        sources=[source],
    )
    assert [f for f in KnowledgeChecker(kb)(doc) if f.kind == FindingKind.WRONG_PERSON_FOR_OFFICE] == []


def test_former_title_presented_as_current(kb: KnowledgeBase) -> None:
    body = "Senator Marco Rubio criticised the plan on Monday."
    doc = annotated(body, "2025-08-29", ["Marco Rubio"], ("Marco Rubio", "Senator", "current"))
    (found,) = list(KnowledgeChecker(kb)(doc))
    assert (found.kind, found.text, found.fix) == (
        FindingKind.WRONG_TITLE,
        "Senator",
        "Secretary of State",  # the title as the story would write it, not the KB's full label
    )
    doc = annotated(
        "U.S. Senator Marco Rubio criticised the plan on Monday.",
        "2025-08-29",
        ["Marco Rubio"],
        ("Marco Rubio", "U.S. Senator", "current"),
    )
    assert [f.fix for f in KnowledgeChecker(kb)(doc)] == ["U.S. Secretary of State"]
    doc = annotated(body, "2020-03-01", ["Marco Rubio"], ("Marco Rubio", "Senator", "current"))
    assert list(KnowledgeChecker(kb)(doc)) == []
    doc = annotated(
        "Former Senator Marco Rubio spoke.",
        "2025-08-29",
        ["Marco Rubio"],
        ("Marco Rubio", "Senator", "former"),
    )
    assert list(KnowledgeChecker(kb)(doc)) == []


def test_misspelled_name(kb: KnowledgeBase) -> None:
    body = "Antonio Blinken met reporters in Kyiv."
    (found,) = list(KnowledgeChecker(kb)(annotated(body, "2025-08-29", ["Antonio Blinken"])))
    assert (found.kind, found.text, found.fix) == (
        FindingKind.MISSPELLED_NAME,
        "Antonio Blinken",
        "Antony Blinken",
    )
    assert found.evidence[0].provenance == "wikidata Q2002"


def test_a_name_the_sources_write_the_same_way_is_not_a_misspelling(kb: KnowledgeBase) -> None:
    # a tokenised source ("antonio - blinken", lower case) still writes the story's spelling
    body = "Antonio-Blinken met reporters in Kyiv."
    tokenised = [SourceIn(id="s1", text="reporters met antonio - blinken in kyiv on monday .")]
    doc = annotated(body, "2025-08-29", ["Antonio-Blinken"], sources=tokenised)
    assert list(KnowledgeChecker(kb)(doc)) == []
    elsewhere = [SourceIn(id="s1", text="Reporters met the minister in Kyiv on Monday.")]
    doc = annotated(body, "2025-08-29", ["Antonio-Blinken"], sources=elsewhere)
    assert [f.kind for f in KnowledgeChecker(kb)(doc)] == [FindingKind.MISSPELLED_NAME]


def test_a_real_person_is_not_a_misspelling(kb: KnowledgeBase) -> None:
    # "Jon Smith" is one letter from "John Smith", but the KB knows a Jon Smith.
    assert list(KnowledgeChecker(kb)(annotated("Jon Smith retired.", "2025-08-29", ["Jon Smith"]))) == []
    # Unknown people far from any KB name are left alone.
    assert list(KnowledgeChecker(kb)(annotated("Priya Raman retired.", "2025-08-29", ["Priya Raman"]))) == []


def test_tenure_placed_outside_the_term(kb: KnowledgeBase) -> None:
    body = "Antony Blinken's tenure in 2019 was marked by long talks."
    (found,) = list(KnowledgeChecker(kb)(annotated(body, "2025-08-29", ["Antony Blinken"])))
    assert (found.kind, found.text) == (FindingKind.WRONG_DATE, "2019")
    assert "2021-01-26 to 2025-01-20" in found.evidence[0].quote
    inside = "Antony Blinken's tenure in 2022 was marked by long talks."
    assert list(KnowledgeChecker(kb)(annotated(inside, "2025-08-29", ["Antony Blinken"]))) == []


def test_through_the_pipeline(kb_dir: Path) -> None:
    """The whole pipeline, from the mentions stage reading "Mike Pompeo, the Secretary of State"."""
    pipeline = Pipeline(Settings(kb=kb_dir, checkers=("knowledge",), dense_retrieval=False))
    story = {"id": "t1", "body": POMPEO, "published": "2025-08-29"}
    doc = pipeline.annotate(pipeline_story(story))
    assert [(r.person.span.text, r.office.entity) for r in doc.body.roles] == [
        ("Mike Pompeo", "secretary of state")
    ]
    report = pipeline.check(story)
    fixes = [(f.kind, f.text, f.fix) for f in report.findings]
    assert fixes == [(FindingKind.WRONG_PERSON_FOR_OFFICE, "Mike Pompeo", "Marco Rubio")]
    assert not report.consistent
    assert pipeline.check({**story, "published": "2019-06-01"}).findings == []


def pipeline_story(story: dict) -> StoryIn:
    return StoryIn.model_validate(story)
