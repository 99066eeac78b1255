"""End to end: the real pipeline over the fixture stories in tests/fixtures/stories/.

Each fixture is a story in the interchange format with an ``expected`` list of findings (kind,
exact flagged text, fix). Every expected finding must be reported, and nothing else of error
severity: precision matters as much as recall. The correct stories must get no finding at all.

The tests run without a user knowledge base (the user data folder is an empty temporary one) but
with the built-in one (heads of state and government): the fixtures are about invented people, and
the built-in base must add nothing to them.
Every built-in checker runs: one that is missing or fails to load fails these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from copydesk import registry
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import SCHEMA_VERSION, Report, Severity

STORIES = Path(__file__).parent / "fixtures" / "stories"
FIXTURES = sorted(STORIES.glob("*.json"))
CORRECT = [path for path in FIXTURES if not json.loads(path.read_text(encoding="utf-8"))["expected"]]


def _cases(paths: list[Path]) -> list:
    """Fixture paths; a fixture listing ``known_false_positives`` is a strict xfail, so the day the
    model stops making that mistake the test says so."""
    cases = []
    for path in paths:
        known = json.loads(path.read_text(encoding="utf-8")).get("known_false_positives")
        marks = [pytest.mark.xfail(strict=True, reason="; ".join(k["why"] for k in known))] if known else []
        cases.append(pytest.param(path, marks=marks, id=path.stem))
    return cases


def without_kb(data_home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "COPYDESK_KB"}
    env["XDG_DATA_HOME"] = str(data_home)
    return env


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("COPYDESK_KB", raising=False)
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
        built = Pipeline(Settings())
        running = {name for name, _ in built.checkers}  # built now, inside the patch
    # every built-in must run; only the knowledge checker may decline here, for want of a base
    assert set(registry.checkers.builtin) - running <= {"knowledge"}
    return built


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def matches(expected: dict[str, Any], found: Any) -> bool:
    if found.kind.value != expected["kind"]:
        return False
    if expected.get("match") == "within":
        if expected["text"] not in found.text:
            return False
    elif found.text != expected["text"]:
        return False
    if "fix" in expected and found.fix != expected["fix"]:
        return False
    return "severity" not in expected or found.severity.value == expected["severity"]


def test_there_are_enough_fixture_stories() -> None:
    kinds = {e["kind"] for path in FIXTURES for e in load(path)["expected"]}
    assert len(FIXTURES) >= 6 and CORRECT
    assert {
        "wrong_person_for_office",
        "wrong_title",
        "wrong_person",
        "misspelled_name",
        "wrong_date",
        "wrong_number",
        "wrong_place",
        "misquoted",
        "headline_contradicts_body",
        "machine_text",
    } <= kinds


@pytest.mark.parametrize("path", _cases(FIXTURES))
def test_story_gets_exactly_its_expected_findings(path: Path, pipeline: Pipeline) -> None:
    story = load(path)
    report = pipeline.check(story)
    for expected in story["expected"]:
        assert any(matches(expected, found) for found in report.findings), (
            f"{path.stem}: missing {expected}; got {[(f.kind.value, f.text, f.fix) for f in report.findings]}"
        )
    for found in report.findings:
        assert (report.headline if found.field == "headline" else report.body)[
            found.start : found.end
        ] == found.text
        if found.severity == Severity.ERROR:
            assert any(matches(e, found) for e in story["expected"]), (
                f"{path.stem}: unexpected {found.kind.value} on {found.text!r} ({found.message})"
            )


@pytest.mark.parametrize("path", _cases(CORRECT))
def test_correct_story_gets_no_finding_at_all(path: Path, pipeline: Pipeline) -> None:
    report = pipeline.check(load(path))
    assert [(f.kind.value, f.text, f.message) for f in report.findings] == []
    assert report.consistent


def run_cli(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = without_kb(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "copydesk.apps.cli", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_cli_reports_findings_sorted_with_exit_code_1(tmp_path: Path) -> None:
    result = run_cli(STORIES / "wrong_number_place_storm.json", tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == SCHEMA_VERSION
    Report.model_validate(report)
    positions = [(f["field"] != "headline", f["start"]) for f in report["findings"]]
    assert positions == sorted(positions) and len(positions) >= 2
    assert {(f["kind"], f["text"], f["fix"]) for f in report["findings"]} >= {
        ("wrong_place", "Port Alder", "Kessling Bay"),
        ("wrong_number", "75,000", "52,000"),
    }


def test_cli_exit_code_0_for_the_correct_story(tmp_path: Path) -> None:
    result = run_cli(STORIES / "correct_council_vote.json", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == SCHEMA_VERSION
    assert report["findings"] == [] and report["consistent"] is True
