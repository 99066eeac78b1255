"""Learning dated facts from an archive of stories."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copydesk.apps.kb import kb_app
from copydesk.document import Document
from copydesk.errors import InputError
from copydesk.knowledge import open_knowledge_base
from copydesk.knowledge_build.learn import fallback_roles, learn_archive
from copydesk.knowledge_build.wikidata import import_wikidata
from copydesk.pipeline import Pipeline
from copydesk.schema import StoryIn

FIXTURES = Path(__file__).parent / "fixtures" / "kb"
ARCHIVE = FIXTURES / "archive.jsonl"


def _bare(story: StoryIn) -> Document:
    return Document.from_story(story)  # no mentions: learning falls back to its three patterns


@pytest.mark.parametrize("with_pipeline", [True, False], ids=["pipeline-roles", "fallback-patterns"])
def test_learn_from_archive(tmp_path: Path, with_pipeline: bool, pipeline: Pipeline) -> None:
    kb = open_knowledge_base(tmp_path, must_exist=False, create=True)
    stats = learn_archive(kb, ARCHIVE, annotate=pipeline.annotate if with_pipeline else _bare)
    assert (stats.stories, stats.undated, stats.invalid) == (4, 1, 1)
    assert "archive.jsonl:6" in stats.problems[0]
    (rubio,) = kb.facts_of(kb.find_people("Marco Rubio")[0])
    # Two stories merge into one fact spanning the dates seen, keeping both stories.
    assert (rubio.start, rubio.end) == (dt.date(2025, 3, 2), dt.date(2025, 8, 28))
    assert rubio.provenance == "learned from 2 stories: arc-2 (2025-03-02) to arc-1 (2025-08-28)"
    (blinken,) = kb.facts_of(kb.find_people("Antony Blinken")[0])
    assert blinken.span_text() == "from 2021 to 2021"  # "then-" with the sentence's year
    assert kb.find_people("Mike Pompeo") == []  # "Former Secretary of State Mike Pompeo" says nothing datable
    assert [f.person.name for f in kb.holders("secretary of state", dt.date(2025, 5, 1))] == ["Marco Rubio"]


def test_learned_facts_attach_to_imported_people_and_offices(tmp_path: Path) -> None:
    kb = open_knowledge_base(tmp_path, must_exist=False, create=True)
    import_wikidata(kb, FIXTURES / "dump.json")
    learn_archive(kb, ARCHIVE, annotate=_bare)
    facts = kb.facts_of(kb.find_people("Marco Rubio")[0])
    learned = [f for f in facts if f.origin == "learned"]
    assert [(f.person.key, f.office.label) for f in learned] == [
        ("Q2003", "United States Secretary of State")
    ]
    assert len(kb.find_people("Marco Rubio")) == 1


def test_fallback_patterns() -> None:
    story = StoryIn(
        body="Marco Rubio, the U.S. Secretary of State, met then-President Joe Biden in 2024. "
        "Former Senator John Smith watched.",
        published="2025-01-02",
    )
    roles = fallback_roles(Document.from_story(story).body, dt.date(2025, 1, 2))
    got = sorted(
        (r.person.entity, r.office.entity, r.tense, r.when.start.year if r.when else None) for r in roles
    )
    assert got == [
        ("Joe Biden", "president", "then", 2024),
        ("John Smith", "senator", "former", None),
        ("Marco Rubio", "secretary of state|united states", "current", None),
    ]


def test_archive_folders_and_errors(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(ARCHIVE, folder / "a.jsonl")
    (folder / "b.json").write_text(
        json.dumps([{"id": "b1", "body": "Governor Laura Kelly spoke on Monday.", "published": "2023-02-01"}])
    )
    kb = open_knowledge_base(tmp_path / "kb", must_exist=False, create=True)
    assert learn_archive(kb, folder, annotate=_bare).stories == 5
    with pytest.raises(InputError, match=r"no \.json or \.jsonl"):
        learn_archive(kb, tmp_path / "kb", annotate=_bare)
    with pytest.raises(InputError, match="no such file"):
        learn_archive(kb, tmp_path / "missing.jsonl", annotate=_bare)


def test_cli_learn(tmp_path: Path) -> None:
    result = CliRunner().invoke(kb_app, ["learn", str(ARCHIVE), "--kb", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new_facts"] == 3
    result = CliRunner().invoke(
        kb_app, ["who", "Secretary of State", "--on", "2025-08-28", "--kb", str(tmp_path)]
    )
    assert "Marco Rubio" in result.output and "arc-1" in result.output
