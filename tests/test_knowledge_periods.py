"""Periods only the knowledge base can resolve."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from copydesk.document import Period
from copydesk.knowledge import KnowledgeBase, open_knowledge_base
from copydesk.knowledge.periods import resolve_relative_period
from copydesk.knowledge_build.wikidata import import_wikidata

DUMP = Path(__file__).parent / "fixtures" / "kb" / "dump.json"
PUBLISHED = dt.date(2025, 8, 29)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    store = open_knowledge_base(tmp_path_factory.mktemp("kb"), must_exist=False, create=True)
    import_wikidata(store, DUMP)
    return store


def period(a: str, b: str) -> Period:
    return Period(dt.date.fromisoformat(a), dt.date.fromisoformat(b))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tariffs rose in the seventh month of the Trump administration.",
            period("2025-07-20", "2025-08-19"),
        ),
        ("During Blinken's tenure, talks stalled.", period("2021-01-26", "2025-01-20")),
        (
            "In Rubio's first year as secretary of state, he travelled widely.",
            period("2025-01-21", "2026-01-20"),
        ),
        ("The first year of Trump's first term was busy.", period("2017-01-20", "2018-01-19")),
        ("Costs rose under the Biden administration.", period("2021-01-20", "2025-01-20")),
        ("It happened in the last month of the Biden presidency.", period("2024-12-21", "2025-01-20")),
    ],
)
def test_resolves(kb: KnowledgeBase, text: str, expected: Period) -> None:
    assert resolve_relative_period(text, kb, PUBLISHED) == expected


def test_running_term_depends_on_publication(kb: KnowledgeBase) -> None:
    text = "the seventh month of the Trump administration"
    assert resolve_relative_period(text, kb, dt.date(2018, 1, 1)) == period("2017-07-20", "2017-08-19")


@pytest.mark.parametrize(
    "text", ["During Smithers's tenure, nothing happened.", "The council met on Monday."]
)
def test_unknown_people_and_plain_text(kb: KnowledgeBase, text: str) -> None:
    assert resolve_relative_period(text, kb, PUBLISHED) is None
