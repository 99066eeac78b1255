"""``copydesk fix``, ``copydesk.fix(...)`` and the fixing logic under them.

The logic is tested on hand-made reports (no models); the command on bad input (it must fail
before loading anything) and, end to end, on the demo story with its sources and demo KB.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import copydesk
from copydesk.fixing import apply_changes, apply_fixes, planned_changes, story_text
from copydesk.schema import Finding, FindingKind, FindingSpan, Report, Severity, Verdict

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "rubio-trip"


def place(text: str, part: str, fix: str | None, field: str = "body", nth: int = 0) -> FindingSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return FindingSpan(field=field, start=start, end=start + len(part), text=part, fix=fix)  # type: ignore[arg-type]


def made(kind: FindingKind, spans: list[FindingSpan], severity: Severity = Severity.ERROR) -> Finding:
    first = spans[0]
    return Finding(
        field=first.field,
        start=first.start,
        end=first.end,
        text=first.text,
        kind=kind,
        verdict=Verdict.CONTRADICTED,
        severity=severity,
        confidence=0.9,
        message="m",
        fix=first.fix,
        checker="test",
        spans=spans,
    )


HEADLINE = "Pompeo to visit Mexico"
BODY = (
    "Secretary of State Mike Pompeo will travel to Mexico City. Pompeo's team is ready. "
    "Here is a summary of the article. The trip lasts four days."
)


def report_with(*findings: Finding) -> Report:
    return Report(headline=HEADLINE, body=BODY, consistent=False, score=0.1, findings=list(findings))


def test_one_fix_is_applied_at_every_place() -> None:
    person = made(
        FindingKind.WRONG_PERSON_FOR_OFFICE,
        [
            place(BODY, "Mike Pompeo", "Marco Rubio"),
            place(HEADLINE, "Pompeo", "Rubio", field="headline"),
            place(BODY, "Pompeo", "Rubio", nth=1),
        ],
    )
    result = apply_fixes(report_with(person))
    assert result.headline == "Rubio to visit Mexico"
    assert result.body.startswith("Secretary of State Marco Rubio will travel to Mexico City. Rubio's team")
    assert [c.old for c in result.changes] == ["Pompeo", "Mike Pompeo", "Pompeo"]
    assert result.text.splitlines()[0] == "Rubio to visit Mexico"


def test_a_leaked_sentence_goes_with_its_joining_space_and_a_wider_change_wins() -> None:
    leak = made(FindingKind.MACHINE_TEXT, [place(BODY, "Here is a summary of the article.", "")])
    inside = made(FindingKind.WRONG_NUMBER, [place(BODY, "summary", "précis")])
    result = apply_fixes(report_with(inside, leak))
    assert "Pompeo's team is ready. The trip lasts four days." in result.body
    assert "précis" not in result.body
    assert len(result.changes) == 1


def test_warnings_places_left_as_they_are_and_stale_reports_change_nothing() -> None:
    warning = made(FindingKind.UNSUPPORTED, [place(BODY, "four days", "three days")], Severity.WARNING)
    shown = made(FindingKind.HEADLINE_CONTRADICTS_BODY, [place(BODY, "Mexico City", None)])
    stale = made(FindingKind.WRONG_PLACE, [place(BODY, "Mexico City", "Quito")])
    stale.spans[0].text = "Lima"  # the report was made on another text
    result = apply_fixes(report_with(warning, shown, stale))
    assert not result.changes
    assert (result.headline, result.body) == (HEADLINE, BODY)
    assert result.diff() == ""


def test_two_findings_asking_the_same_change_make_one() -> None:
    a = made(FindingKind.WRONG_PERSON_FOR_OFFICE, [place(BODY, "Mike Pompeo", "Marco Rubio")])
    b = made(FindingKind.HEADLINE_CONTRADICTS_BODY, [place(BODY, "Mike Pompeo", "Marco Rubio")])
    changes = planned_changes(report_with(a, b))
    assert len(changes) == 1
    assert apply_changes(BODY, changes).count("Marco Rubio") == 1


def test_story_text_puts_the_headline_first() -> None:
    assert story_text("Head", "Body.\n") == "Head\n\nBody.\n"
    assert story_text("", "Body.") == "Body.\n"


def copydesk_cli(
    *args: str, stdin: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "copydesk.apps.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=600,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("story.json", b'{"headline": "x", "body": ', "JSON"),
    ],
)
def test_fix_rejects_bad_input_with_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    story = tmp_path / name
    story.write_bytes(content)
    done = copydesk_cli("fix", str(story), "--no-kb")
    assert done.returncode == 2, done.stderr.decode()
    error = done.stderr.decode()
    assert "error:" in error and says.lower() in error.lower()
    assert "Traceback" not in error
    assert done.stdout == b""


def test_fix_rejects_a_missing_file(tmp_path: Path) -> None:
    done = copydesk_cli("fix", str(tmp_path / "nowhere.md"), "--no-kb")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr.decode()


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-kb")
    done = copydesk_cli(
        "kb", "import-wikidata", str(ROOT / "examples/knowledge/officials.json"), "--kb", str(folder)
    )
    assert done.returncode == 0, done.stderr.decode()
    return folder


def test_fix_on_the_demo_story_changes_every_error_and_nothing_else(demo_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.txt"
    done = copydesk_cli(
        "fix",
        str(DEMO / "story.md"),
        "--sources",
        str(DEMO / "sources"),
        "--kb",
        str(demo_kb),
        "-o",
        str(out),
    )
    assert done.returncode == 1, done.stderr.decode()
    fixed = out.read_text(encoding="utf-8")
    for gone in ("Pompeo", "Antonio", "U.S. Senator", "search results"):
        assert gone not in fixed
    assert fixed.splitlines()[0] == "Secretary of State Rubio Scheduled for Mexico and Ecuador Trips"
    assert "During Antony Blinken's tenure in 2023" in fixed
    # nothing else changed: the original with exactly these edits
    original = (DEMO / "story.md").read_text(encoding="utf-8")
    expected = (
        original.replace("# U.S. Senator Rubio", "Secretary of State Rubio")
        .replace("Published: 2025-08-29\n\n", "")
        .replace("Mike Pompeo", "Marco Rubio")
        .replace("In Mexico City, Pompeo", "In Mexico City, Rubio")
        .replace(
            " The specific Mexican counterpart he met with is not detailed in the available search results.",
            "",
        )
        .replace("Antonio Blinken's tenure in 2025", "Antony Blinken's tenure in 2023")
    )
    assert fixed == expected
    diff = copydesk_cli(
        "fix", str(DEMO / "story.md"), "--sources", str(DEMO / "sources"), "--kb", str(demo_kb), "--diff"
    )
    assert diff.returncode == 1
    assert diff.stdout.decode().count("\n-") == 4  # the headline and three paragraphs of the body


def test_python_fix_returns_the_corrected_story() -> None:
    story = {
        "headline": "Council approves buses",
        "body": "The council approved 45 new buses on Tuesday. "
        "The exact cost is not detailed in the available search results.",
        "sources": [{"text": "The council approved 45 new buses on Tuesday."}],
    }
    result = copydesk.fix(story, copydesk.Settings(no_kb=True, dense_retrieval=False))
    assert result.body == "The council approved 45 new buses on Tuesday."
    assert result.changed and result.changes[0].kind == "machine_text"
    assert result.report.findings
