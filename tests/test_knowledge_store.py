"""The store: opening it, name normalisation, lookups by name and by office."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copydesk.errors import KnowledgeBaseError
from copydesk.knowledge import KnowledgeBase, open_knowledge_base
from copydesk.knowledge_build.wikidata import import_wikidata
from copydesk.lexicon.names import normalise_name

DUMP = Path(__file__).parent / "fixtures" / "kb" / "dump.json"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    store = open_knowledge_base(tmp_path_factory.mktemp("kb"), must_exist=False, create=True)
    import_wikidata(store, DUMP)
    return store


def test_missing_and_broken_knowledge_bases(tmp_path: Path) -> None:
    assert open_knowledge_base(tmp_path / "none", must_exist=False) is None
    with pytest.raises(KnowledgeBaseError, match="copydesk kb import-wikidata"):
        open_knowledge_base(tmp_path / "none", must_exist=True)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kb.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnowledgeBaseError, match="not a readable knowledge base"):
        open_knowledge_base(broken, must_exist=True)


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Antony J. Blinken", "antony blinken"),
        ("Joseph R. Biden Jr.", "joseph biden"),
        ("José  Álvarez", "jose alvarez"),
        ("Alexandria Ocasio-Cortez", "alexandria ocasio cortez"),
        ("Dr. Beto O'Rourke", "beto orourke"),
    ],
)
def test_names_normalise(written: str, normal: str) -> None:
    assert normalise_name(written) == normal


def test_find_people(kb: KnowledgeBase) -> None:
    assert [p.name for p in kb.find_people("antony j. blinken")] == ["Antony Blinken"]
    assert [p.name for p in kb.find_people("Blinken")] == ["Antony Blinken"]
    assert {p.name for p in kb.find_people("Smith")} == {"Jon Smith", "John Smith"}
    assert kb.find_people("Nobody Atall") == []


def test_similar_people_need_a_shared_name(kb: KnowledgeBase) -> None:
    assert [m.person.name for m in kb.similar_people("Antonio Blinken")] == ["Antony Blinken"]
    assert [m.person.name for m in kb.similar_people("Antony Blinkin")] == ["Antony Blinken"]
    assert kb.similar_people("Anthony Blanket") == []


def test_offices_are_ranked(kb: KnowledgeBase) -> None:
    labels = [o.label for o in kb.rank_offices("secretary of state")]
    assert labels == ["United States Secretary of State", "Kansas Secretary of State"]  # most facts first
    labels = [o.label for o in kb.rank_offices("secretary of state", people=["Scott Schwab"])]
    assert labels[0] == "Kansas Secretary of State"  # the story names its holder
    assert [o.label for o in kb.offices_for_key("secretary of state|kansas")] == ["Kansas Secretary of State"]


def test_holders_at_a_date(kb: KnowledgeBase) -> None:
    def names(key: str, day: dt.date) -> list[str]:
        return [f.person.name for f in kb.holders(key, day)]

    assert names("president|united states", dt.date(2019, 6, 1)) == ["Donald Trump"]
    assert names("president|united states", dt.date(2023, 6, 1)) == ["Joe Biden"]
    assert names("president|united states", dt.date(2025, 8, 29)) == ["Donald Trump"]
    assert names("secretary of state|united states", dt.date(2021, 1, 23)) == []  # between two terms
