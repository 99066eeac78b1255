"""`copydesk eval` and its metrics, against numbers worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from copydesk.apps.evaluation import metrics, runner
from copydesk.apps.evaluation.command import eval_command
from copydesk.errors import InputError
from copydesk.schema import Finding, FindingKind, Report, Severity, Verdict

FIXTURE = Path(__file__).parent / "fixtures" / "eval" / "mini.jsonl"


def test_balanced_accuracy_is_the_mean_recall_of_both_classes() -> None:
    # consistent: 3 of 4 right; inconsistent: 1 of 2 right -> (0.75 + 0.5) / 2
    assert metrics.balanced_accuracy([1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 1]) == pytest.approx(0.625)
    assert metrics.balanced_accuracy([0, 0], [0, 1]) == pytest.approx(0.5)
    assert metrics.balanced_accuracy([], []) is None


def test_span_scores_count_characters_of_the_union_summed_over_stories() -> None:
    gold = [[(0, 10)], [], [(5, 8), (6, 12)]]
    predicted = [[(5, 15), (8, 12)], [(0, 4)], []]
    scores = metrics.span_scores(gold, predicted)
    # story 1: predicted 5..15 (10 chars), gold 0..10 -> tp 5, fp 5, fn 5
    # story 2: fp 4; story 3: gold 5..12 (7 chars), nothing predicted -> fn 7
    assert (scores.true_positive, scores.false_positive, scores.false_negative) == (5, 9, 12)
    assert scores.precision == pytest.approx(5 / 14)
    assert scores.recall == pytest.approx(5 / 17)
    assert scores.f1 == pytest.approx(2 * (5 / 14) * (5 / 17) / (5 / 14 + 5 / 17))
    assert metrics.span_scores([[]], [[]]).f1 is None


def test_expected_calibration_error_by_hand() -> None:
    scores = [0.05, 0.15, 0.95, 0.91, 0.55]
    labels = [0, 1, 1, 0, 1]
    # bins: [0.0,0.1) {0.05: 0}, [0.1,0.2) {0.15: 1}, [0.5,0.6) {0.55: 1}, [0.9,1.0] {0.95: 1, 0.91: 0}
    expected = (1 * 0.05 + 1 * 0.85 + 1 * 0.45 + 2 * abs(0.5 - 0.93)) / 5
    assert metrics.expected_calibration_error(scores, labels) == pytest.approx(expected)
    bins = metrics.reliability_bins(scores, labels)
    assert [b.count for b in bins] == [1, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins[9].fraction_consistent == pytest.approx(0.5)
    diagram = metrics.reliability_diagram(bins)
    assert len(diagram.splitlines()) == 11 and "0.9-1.0" in diagram


def test_a_score_of_one_falls_in_the_last_bin() -> None:
    assert metrics.reliability_bins([1.0], [1])[-1].count == 1
    assert metrics.expected_calibration_error([1.0, 0.0], [1, 0]) == pytest.approx(0.0)


def _report(
    consistent: bool, score: float, spans: list[tuple[int, int]], kind: FindingKind = FindingKind.CONTRADICTED
) -> Report:
    findings = [
        Finding(
            field="body",
            start=s,
            end=e,
            text="x",
            kind=kind,
            verdict=Verdict.UNSUPPORTED,
            severity=Severity.ERROR,
            confidence=0.9,
            message="m",
            checker="stub",
        )
        for s, e in spans
    ]
    return Report(consistent=consistent, score=score, findings=findings)


def test_runner_groups_by_dataset_and_measures_the_reports_it_is_given(tmp_path: Path) -> None:
    lines = [
        {"dataset": "a", "source": "s1", "text": "one two three", "label": 1, "spans": []},
        {"dataset": "a", "source": "s2", "text": "four five six", "label": 0, "spans": [[5, 9]]},
        {"dataset": "b", "source": "s3", "text": "seven eight", "label": 0, "spans": []},
    ]
    path = tmp_path / "bench.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    answers = {
        "one two three": _report(True, 0.8, []),
        "four five six": _report(False, 0.3, [(0, 9)]),
        "seven eight": _report(True, 0.6, []),
    }
    outcomes = list(runner.run(runner.select(runner.read_rows(path), "all", None), lambda s: answers[s.body]))
    results = {r.name: r for r in runner.group(outcomes)}
    assert set(results) == {"a", "b", "all"}
    assert results["a"].balanced_accuracy == pytest.approx(1.0)
    assert results["b"].balanced_accuracy == pytest.approx(0.0)
    # gold 5..9 (4 chars) inside predicted 0..9 -> precision 4/9, recall 1
    assert results["a"].span.precision == pytest.approx(4 / 9)
    assert results["a"].span.recall == pytest.approx(1.0)
    assert results["b"].span is None  # no span labels in dataset b
    assert results["all"].n == 3


def test_the_verdict_on_facts_is_reported_beside_copydesks_own(tmp_path: Path) -> None:
    # leaked machine text fails a story; without it ("on facts") the story below is consistent
    lines = [
        {"dataset": "a", "source": "s1", "text": "The passage describes a fire.", "label": 1, "spans": []},
        {"dataset": "a", "source": "s2", "text": "A fire in Oslo.", "label": 0, "spans": [[10, 14]]},
    ]
    path = tmp_path / "bench.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    answers = {
        "The passage describes a fire.": _report(False, 0.9, [(0, 21)], FindingKind.MACHINE_TEXT),
        "A fire in Oslo.": _report(False, 0.2, [(10, 14)]),
    }
    outcomes = list(runner.run(runner.read_rows(path), lambda s: answers[s.body]))
    [result] = runner.group(outcomes)
    assert result.balanced_accuracy == pytest.approx(0.5)
    assert result.balanced_accuracy_on_facts == pytest.approx(1.0)
    assert result.span.precision == pytest.approx(4 / 25)
    assert result.span_on_facts.precision == pytest.approx(1.0)  # the machine-text span left out


def test_limit_spreads_rows_over_the_file_and_the_test_split_drops_train_sources(tmp_path: Path) -> None:
    from copydesk.datasplit import split_of

    rows = runner.read_rows(FIXTURE)
    assert [r.record["id"] for r in runner.select(rows, "all", 3)] == ["clean-1", "clean-3", "leak-2"]
    tested = runner.select(rows, "test", None)
    assert all(split_of(r.record["source"]) == "test" for r in tested)
    assert len(tested) == sum(split_of(r.record["source"]) == "test" for r in rows)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json\n", "line 1: not valid JSON"),
        ('{"source": "s", "text": "t", "label": 2}\n', "`label` must be 0"),
        ('{"source": "s", "text": "t", "label": 1, "spans": [5]}\n', "`spans` must be a list"),
        ("\n", "holds no rows"),
    ],
)
def test_bad_benchmark_lines_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        runner.read_rows(path)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)  # keep typer from collapsing the app into the command
    return app


def test_eval_command_on_a_missing_file_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such benchmark file" in result.output
    assert "Traceback" not in result.output


def test_eval_command_gives_the_balanced_accuracy_worked_out_by_hand() -> None:
    result = CliRunner().invoke(
        _app(), ["eval", str(FIXTURE), "--split", "all", "--checkers", "machine_text", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (mini,) = payload["datasets"]
    # 3 clean stories pass; the 3 leaks are caught; the wrong number is not a machine-text error:
    # recall on consistent 3/3, on inconsistent 3/4 -> (1 + 0.75) / 2
    assert mini["n"] == 7
    assert mini["balanced_accuracy"] == pytest.approx(0.875)
    assert mini["span"]["recall"] > 0
    assert 0.0 <= mini["ece"] <= 1.0
    # the knowledge base read is named, since numbers move with it (here the built-in one alone)
    assert "Factbook" in payload["knowledge_base"]["name"]
    # on facts only, no story is failed: every story is called consistent
    assert mini["balanced_accuracy_on_facts"] == pytest.approx(0.5)


def test_eval_command_prints_a_table_and_a_reliability_diagram(monkeypatch: pytest.MonkeyPatch) -> None:
    from copydesk.pipeline import Pipeline

    monkeypatch.setattr(Pipeline, "check", lambda self, story: _report("AI" not in story.body, 0.7, []))
    result = CliRunner().invoke(
        _app(), ["eval", str(FIXTURE), "--split", "all", "--reliability", "--checkers", "entailment"]
    )
    assert result.exit_code == 0, result.output
    assert "mini" in result.stdout and "0.625" in result.stdout  # BA (1 + 1/4) / 2
    assert "0.7-0.8" in result.stdout


def test_a_story_that_breaks_the_pipeline_is_reported_and_left_out() -> None:
    rows = runner.read_rows(FIXTURE)

    def check(story: object) -> Report:
        if story.id == "leak-2":  # type: ignore[attr-defined]
            raise IndexError("list index out of range")
        return _report(True, 0.9, [])

    failed: list[tuple[runner.Row, Exception]] = []
    outcomes = list(runner.run(rows, check, failed=lambda row, exc: failed.append((row, exc))))
    assert len(outcomes) == 6
    assert [(row.record["id"], type(exc)) for row, exc in failed] == [("leak-2", IndexError)]
    with pytest.raises(IndexError):
        list(runner.run(rows, check))


def test_stories_without_a_score_count_for_accuracy_and_are_left_out_of_calibration() -> None:
    rows = runner.read_rows(FIXTURE)[:2]
    outcomes = [runner.Outcome(rows[0], True, 0.95, [], 0.1), runner.Outcome(rows[1], True, None, [], 0.1)]
    result = runner.summarise("mini", outcomes)
    assert result.n == 2 and result.accuracy == pytest.approx(1.0)
    assert sum(b.count for b in result.reliability) == 1
    assert result.ece == pytest.approx(0.05)
