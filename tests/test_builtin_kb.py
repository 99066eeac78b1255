"""The built-in knowledge base (heads of state and government, World Factbook 2021-2026): its
build, the layers, the horizon, and the checks it makes without sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copydesk.checkers.knowledge import KnowledgeChecker, make
from copydesk.document import Document, Mention, Role
from copydesk.knowledge import KnowledgeLayers, open_builtin, open_knowledge_base
from copydesk.knowledge.store import MONTH
from copydesk.knowledge_build.factbook import aliases, build_builtin, display_title, office_title
from copydesk.lexicon.countries import countries
from copydesk.lexicon.offices import office_key
from copydesk.resources import Resources, Settings
from copydesk.schema import FindingKind, Severity, StoryIn

FIXTURE = Path(__file__).parent / "fixtures" / "kb" / "leaders_small.jsonl"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeLayers:
    folder = tmp_path_factory.mktemp("builtin")
    build_builtin(FIXTURE, folder)
    return KnowledgeLayers(None, open_knowledge_base(folder, must_exist=True))


@pytest.fixture(scope="module")
def builtin() -> KnowledgeLayers:
    return KnowledgeLayers(None, open_builtin())


def story(body: str, published: str, person: str, office: str, tense: str = "current") -> Document:
    """A story annotated by hand with one role: ``office`` followed or preceded by ``person``."""
    doc = Document.from_story(StoryIn(body=body, published=published))
    text = doc.body
    start = body.index(person)
    person_mention = Mention(text.span(start, start + len(person)), "PERSON", person)
    start = body.index(office)
    office_mention = Mention(text.span(start, start + len(office)), "OFFICE", office_key(office))
    text.mentions = sorted([person_mention, office_mention], key=lambda m: m.span.start)
    text.roles = [Role(person_mention, office_mention, tense)]
    return doc


def check(layers: KnowledgeLayers, body: str, published: str, person: str, office: str) -> list:
    return list(KnowledgeChecker(layers)(story(body, published, person, office)))


def test_build_from_a_fixture_corrects_and_keeps_editions(tmp_path: Path) -> None:
    report = build_builtin(FIXTURE, tmp_path)
    assert report.horizon == "2026-01-22" and report.bytes > 0
    assert any("Bolojan" in line and "2025-06-23" in line for line in report.corrected)
    assert any("Tomasdottir" in line and "dropped" in line for line in report.corrected)
    assert any("Ishiba" in line and "2025-10-21" in line for line in report.gaps_closed)
    kb = open_knowledge_base(tmp_path, must_exist=True)
    assert kb.meta("horizon") == "2026-01-22"
    (bolojan,) = kb.holders("prime minister|romania", dt.date(2025, 12, 1))
    assert bolojan.start == dt.date(2025, 6, 23)
    # the U.S. president, head of state and of government, is one office with one term per person
    facts = kb.holders("president|united states", dt.date(2023, 6, 1))
    assert [f.person.name for f in facts] == ["Joseph R. Biden Jr."]
    assert [p.name for p in kb.find_people("Joe Biden")] == ["Joseph R. Biden Jr."]
    assert [p.name for p in kb.find_people("Justin Trudeau")] == ["Justin Pierre James Trudeau"]
    assert [p.name for p in kb.find_people("Trudeau")] == ["Justin Pierre James Trudeau"]
    assert kb.holders("queen|canada", dt.date(2021, 6, 1))[0].person.name == "Elizabeth II"


def test_bad_input_is_named(tmp_path: Path) -> None:
    from copydesk.errors import KnowledgeBaseError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"country": "Canada"}\n', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"bad\.jsonl:1: missing"):
        build_builtin(bad, tmp_path / "out")
    bad.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0].replace('"ca"', '"zz"') + "\n")
    with pytest.raises(KnowledgeBaseError, match="country code 'zz'"):
        build_builtin(bad, tmp_path / "out")


@pytest.mark.parametrize(
    ("title", "kind", "office"),
    [
        ("Interim Prime Minister", "head of government", "prime minister"),
        ("Taoiseach", "head of government", "prime minister"),
        ("Sultan and Prime Minister", "head of state", "sultan"),
        ("Sultan and Prime Minister", "head of government", "prime minister"),
        ("Amir", "head of state", "emir"),
        ("Queen", "head of state", "king"),
        ("President of the Government of Spain", "head of government", "prime minister"),
    ],
)
def test_titles_fold_to_offices(title: str, kind: str, office: str) -> None:
    assert office_title(title, kind) == office


def test_aliases() -> None:
    assert set(aliases("Joseph R. Biden Jr.", "Joseph R. BIDEN Jr.")) >= {"Joe Biden"}
    assert "Lopez Obrador" in aliases("Andres Manuel Lopez Obrador", "Andres Manuel LOPEZ OBRADOR")
    assert "Pedro Sanchez" in aliases("Pedro Sanchez Perez-Castejon", "Pedro SANCHEZ PEREZ-CASTEJON")
    assert "Han" in aliases("Han Duck-soo", "HAN Duck-soo")


def test_evidence_cites_the_edition(builtin: KnowledgeLayers) -> None:
    (fact,) = builtin.builtin.holders("prime minister|canada", dt.date(2025, 6, 17))
    assert builtin.quote(fact, dt.date(2025, 6, 17)) == (
        "World Factbook, edition of 2025-06-12: Prime Minister Mark Carney, since 14 March 2025"
    )


def _current_holders(kb) -> list[tuple[str, str, object]]:
    """(office key, office label, fact) for every office of the built-in base with a key and a
    holder on 2025-12-01."""
    day = dt.date(2025, 12, 1)
    rows = kb.query("SELECT DISTINCT title, place FROM office_keys ORDER BY place, title")
    found = []
    for title, place in rows:
        for fact in kb.holders(f"{title}|{place}", day):
            if fact.possibly_during(__import__("copydesk.document").document.Period(day, day)):
                found.append((f"{title}|{place}", fact.office.label, fact))
    return found


def _written_forms(key: str) -> list[str]:
    """The title of ``key`` as stories write it for its country: adjective, possessive, "of"."""
    title, _, place = key.partition("|")
    country = next(c for c in countries().values() if c.key == place)
    title = display_title(title)
    forms = [f"{title} of {country.label}", f"{country.name}'s {title.lower()}"]
    forms += [f"{adjective} {title}" for adjective in country.adjectives]
    return forms


def test_every_country_of_the_file_is_in_the_title_table(builtin: KnowledgeLayers) -> None:
    places = {p for (p,) in builtin.builtin.query("SELECT DISTINCT country FROM factbook_facts")}
    assert len(places) >= 230
    for key, _, _ in _current_holders(builtin.builtin):
        for written in _written_forms(key):
            assert office_key(written) == key, written


def test_every_current_leader_named_right_gets_no_finding(builtin: KnowledgeLayers) -> None:
    holders = _current_holders(builtin.builtin)
    assert len(holders) >= 300
    checker = KnowledgeChecker(builtin)
    failures = []
    for key, _, fact in holders:
        for written in _written_forms(key)[:3]:
            body = f"{written} {fact.person.name} spoke on Monday."
            found = list(checker(story(body, "2025-12-01", fact.person.name, written)))
            if found:
                failures.append((written, fact.person.name, [f.message for f in found]))
    assert failures == []


def test_stale_leader_is_found(builtin: KnowledgeLayers) -> None:
    (found,) = check(
        builtin, "British Prime Minister Rishi Sunak met farmers.", "2025-03-12", "Rishi Sunak",
        "British Prime Minister",
    )  # fmt: skip
    assert (found.kind, found.fix, found.severity) == (
        FindingKind.WRONG_PERSON_FOR_OFFICE,
        "Keir Starmer",
        Severity.ERROR,
    )
    assert found.evidence[0].quote.startswith("World Factbook, edition of 2025-03-06: Prime Minister Keir")


def test_the_other_office_of_the_same_country_is_a_wrong_title(builtin: KnowledgeLayers) -> None:
    (found,) = check(
        builtin, "Olaf Scholz, the German President, spoke.", "2023-05-01", "Olaf Scholz", "German President"
    )
    assert (found.kind, found.text, found.fix) == (
        FindingKind.WRONG_TITLE,
        "German President",
        "German Chancellor",
    )
    assert "Frank-Walter Steinmeier" in found.message


def test_unqualified_title_from_the_person(builtin: KnowledgeLayers) -> None:
    (found,) = check(
        builtin, "Prime Minister Fumio Kishida spoke.", "2025-03-12", "Fumio Kishida", "Prime Minister"
    )
    assert found.fix == "Shigeru Ishiba"
    # a person the base does not know, with a title and no country: nothing, never some country's
    assert check(builtin, "President Ana Torres spoke.", "2025-03-12", "Ana Torres", "President") == []


def test_a_country_the_base_lacks_gets_nothing(builtin: KnowledgeLayers, tmp_path: Path) -> None:
    body = "Freedonian President Rufus Firefly spoke."
    assert check(builtin, body, "2025-03-12", "Rufus Firefly", "Freedonian President") == []
    body = "Rufus Firefly, the President of Freedonia, spoke."
    assert check(builtin, body, "2025-03-12", "Rufus Firefly", "President of Freedonia") == []
    # nor with a user base that indexes the U.S. president under a bare "President" too
    user = open_knowledge_base(tmp_path, must_exist=False, create=True)
    with user.transaction():
        office = user.put_office("Q11696", "President of the United States", None, ["President"])
        person = user.put_person("Q22686", "Donald Trump", None)
        user.add_fact(person, office, dt.date(2025, 1, 20), 11, None, None, "wikidata", "wikidata Q22686")
    layers = KnowledgeLayers(user, open_builtin())
    assert check(layers, body, "2025-03-12", "Rufus Firefly", "President of Freedonia") == []


def test_horizon_gives_a_warning(builtin: KnowledgeLayers) -> None:
    body = "Canadian Prime Minister Justin Trudeau spoke."
    (found,) = check(builtin, body, "2026-03-01", "Justin Trudeau", "Canadian Prime Minister")
    assert found.severity == Severity.WARNING and found.fix == "Mark Carney"
    assert "as of 2026-01-22 the knowledge base lists" in found.message
    assert check(builtin, body.replace("Justin Trudeau", "Mark Carney"), "2026-03-01", "Mark Carney",
                 "Canadian Prime Minister") == []  # fmt: skip


def test_user_base_wins(tmp_path: Path) -> None:
    user = open_knowledge_base(tmp_path, must_exist=False, create=True)
    with user.transaction():
        office = user.put_office("Q839078", "Prime Minister of Canada")
        person = user.put_person("learned:pat example", "Pat Example", None)
        user.add_fact(
            person, office, dt.date(2025, 6, 1), MONTH, None, None, "learned", "learned from 1 story"
        )
    layers = KnowledgeLayers(user, open_builtin())
    body = "Canadian Prime Minister Pat Example spoke."
    assert check(layers, body, "2025-07-01", "Pat Example", "Canadian Prime Minister") == []
    body = "Canadian Prime Minister Mark Carney spoke."
    (found,) = check(layers, body, "2025-07-01", "Mark Carney", "Canadian Prime Minister")
    assert found.fix == "Pat Example"
    # where the user's base knows nothing (2023), the built-in one answers
    body = "Canadian Prime Minister Mark Carney spoke."
    (found,) = check(layers, body, "2023-07-01", "Mark Carney", "Canadian Prime Minister")
    assert found.fix == "Justin Pierre James Trudeau"


def test_misspelled_leader(builtin: KnowledgeLayers) -> None:
    doc = Document.from_story(StoryIn(body="Keir Starmor spoke.", published="2025-03-12"))
    doc.body.mentions = [Mention(doc.body.span(0, 12), "PERSON", "Keir Starmor")]
    (found,) = KnowledgeChecker(builtin)(doc)
    assert (found.kind, found.fix) == (FindingKind.MISSPELLED_NAME, "Keir Starmer")


def test_no_kb_turns_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPYDESK_KB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert make(Resources(Settings(no_kb=True))) is None
    layers = Resources(Settings()).kb
    assert isinstance(layers, KnowledgeLayers) and layers.user is None and layers.builtin is not None


def test_cli_no_kb_and_kb_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from copydesk.apps.kb import kb_app

    monkeypatch.delenv("COPYDESK_KB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(kb_app, ["who", "Prime Minister of Canada", "--on", "2025-06-17", "--json"])
    assert result.exit_code == 0, result.output
    assert '"person": "Mark Carney"' in result.output
    result = runner.invoke(kb_app, ["person", "Justin Trudeau", "--json"])
    assert result.exit_code == 0 and "Justin Pierre James Trudeau" in result.output
    result = runner.invoke(kb_app, ["stats", "--json"])
    assert result.exit_code == 0 and '"horizon": "2026-01-22"' in result.output


def test_titles_the_mentions_stage_leaves_out(builtin: KnowledgeLayers) -> None:
    """A lower-case title qualified by a country, with no role read for it: the checker reads it."""
    body = "Najib Miqati, the prime minister of Lebanon, said on Monday that talks would go on."
    doc = Document.from_story(StoryIn(body=body, published="2025-06-10"))
    (found,) = KnowledgeChecker(builtin)(doc)
    assert (found.kind, found.text, found.fix) == (
        FindingKind.WRONG_PERSON_FOR_OFFICE,
        "Najib Miqati",
        "Nawaf Salam",
    )
    doc = Document.from_story(
        StoryIn(body=body.replace("the prime", "the former prime"), published="2025-06-10")
    )
    assert list(KnowledgeChecker(builtin)(doc)) == []


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    from copydesk.pipeline import Pipeline

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("COPYDESK_KB", raising=False)
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
        built = Pipeline(Settings(checkers=("knowledge",)))
        assert isinstance(built.resources.kb, KnowledgeLayers)
    return built


def test_every_current_leader_through_the_pipeline(builtin: KnowledgeLayers, pipeline) -> None:
    """Every country's current holders, named as the title table writes them, in stories dated
    2025-12-01 without sources, through the whole pipeline (entity recognition included): no finding."""
    sentences = []
    for key, _, fact in _current_holders(builtin.builtin):
        written = _written_forms(key)[-1 if len(_written_forms(key)) > 2 else 0]
        sentences.append(f"{written} {fact.person.name} spoke to reporters on Monday.")
    assert len(sentences) >= 300
    failures = []
    for start in range(0, len(sentences), 40):
        report = pipeline.check({"headline": "Leaders meet", "body": " ".join(sentences[start : start + 40]),
                                 "published": "2025-12-01"})  # fmt: skip
        failures += [(f.kind.value, f.text, f.message) for f in report.findings]
    assert failures == []


def test_stale_leader_story_through_the_pipeline(pipeline) -> None:
    report = pipeline.check(
        {
            "headline": "British Prime Minister Rishi Sunak meets Japanese Prime Minister Fumio Kishida",
            "body": "British Prime Minister Rishi Sunak met Japanese Prime Minister Fumio Kishida in London.",
            "published": "2025-03-12",
        }
    )
    fixes = {(f.kind.value, f.fix) for f in report.findings}
    assert fixes >= {
        ("wrong_person_for_office", "Keir Starmer"),
        ("wrong_person_for_office", "Shigeru Ishiba"),
    }
