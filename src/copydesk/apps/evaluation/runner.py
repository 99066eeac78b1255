"""Run copydesk over benchmark files and collect what the metrics need.

Every story goes through :meth:`copydesk.pipeline.Pipeline.check`, the same path as
``copydesk check`` and ``copydesk batch``: the decision measured is the one users get.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from copydesk.apps.evaluation import metrics
from copydesk.errors import InputError
from copydesk.reading import story_from_record
from copydesk.schema import Finding, Report, Severity
from copydesk.stages.decide import NOT_ABOUT_FACTS

SplitChoice = Literal["test", "all"]


@dataclass(frozen=True)
class Row:
    """One benchmark line: the record, where it came from, and its gold answer."""

    file: Path
    line: int
    record: dict[str, Any]
    label: int
    spans: list[tuple[int, int]]
    planted: tuple[metrics.PlantedError, ...] | None = None
    """The planted errors of a planted-error story (benchmarks/planted.py); None for other rows."""
    sentences: tuple[metrics.FieldSpan, ...] = ()

    @property
    def dataset(self) -> str:
        return str(self.record.get("dataset") or self.file.stem)


def read_rows(path: Path) -> list[Row]:
    """Every row of a benchmark JSONL file; raises InputError naming the file and line at fault."""
    if not path.is_file():
        raise InputError(f"{path}: no such benchmark file")
    rows = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                rows.append(_row(path, number, line))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; give a JSONL benchmark file") from None
    if not rows:
        raise InputError(f"{path}: the file holds no rows")
    return rows


def _row(path: Path, number: int, line: str) -> Row:
    where = f"{path} line {number}"
    try:
        record = json.loads(line)
    except ValueError:
        raise InputError(f"{where}: not valid JSON") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    label = record.get("label")
    if label not in (0, 1) or isinstance(label, bool):
        raise InputError(f"{where}: `label` must be 0 (has an error) or 1 (consistent), got {label!r}")
    spans = record.get("spans") or []
    try:
        pairs = [(int(start), int(end)) for start, end in spans]
    except (TypeError, ValueError):
        raise InputError(f"{where}: `spans` must be a list of [start, end] pairs") from None
    if "planted" not in record:
        return Row(path, number, record, label, pairs)
    try:
        planted = tuple(
            metrics.PlantedError(
                kind=str(error["kind"]),
                spans=tuple(_field_span(span) for span in error["spans"]),
                variant=str(error.get("variant") or ""),
                held_out=bool(error.get("held_out")),
            )
            for error in record["planted"] or []
        )
        sentences = tuple(_field_span(span) for span in record.get("sentences") or [])
    except (TypeError, KeyError, ValueError, AttributeError):
        raise InputError(
            f"{where}: `planted` must be a list of {{kind, spans: [{{field, start, end}}]}} and "
            "`sentences` a list of {field, start, end}"
        ) from None
    return Row(path, number, record, label, pairs, planted, sentences)


def _field_span(span: dict[str, Any]) -> metrics.FieldSpan:
    if span["field"] not in ("headline", "body"):
        raise ValueError(span["field"])
    return (span["field"], int(span["start"]), int(span["end"]))


def split_text(record: dict[str, Any]) -> str:
    """The text the split by source decides a row on: its ``source``, else its ``split_key`` (what
    planted stories without sources carry), else the text of its first source."""
    if isinstance(record.get("source"), str):
        return record["source"]
    if isinstance(record.get("split_key"), str):
        return record["split_key"]
    sources = record.get("sources")
    if isinstance(sources, list) and sources and isinstance(sources[0], dict):
        return str(sources[0].get("text") or sources[0].get("snippet") or "")
    return ""


def select(rows: list[Row], split: SplitChoice, limit: int | None) -> list[Row]:
    """Rows on the chosen side of the split by source, then at most ``limit`` spread evenly over the file."""
    if split == "test":
        from copydesk.datasplit import split_of

        rows = [row for row in rows if split_of(split_text(row.record)) == "test"]
    if limit is not None and len(rows) > limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


@dataclass
class Outcome:
    """copydesk's answer for one row."""

    row: Row
    consistent: bool
    """copydesk's verdict: no finding of error severity (``report.consistent``)."""
    score: float | None
    """None when nothing could be checked (no sources, nothing in the knowledge base)."""
    spans: list[tuple[int, int]]
    seconds: float
    flagged: list[tuple[metrics.FieldSpan, str]] = field(default_factory=list)
    """Every span of every error-severity finding, headline and body, with the finding's kind."""
    consistent_on_facts: bool | None = None
    """The verdict without the kinds that say nothing of the facts (leaked machine text)."""
    spans_on_facts: list[tuple[int, int]] = field(default_factory=list)


def outcome(row: Row, report: Report, seconds: float) -> Outcome:
    """What copydesk answered for ``row``: its own verdict and body spans, and the same from the
    findings about facts only (:data:`~copydesk.stages.decide.NOT_ABOUT_FACTS` left out), for
    comparison with labels that may or may not count leaked machine text as an error."""
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    flagged = [(span, str(f.kind)) for f in errors for span in metrics.finding_spans(f)]
    on_facts = [f for f in errors if f.kind not in NOT_ABOUT_FACTS]
    return Outcome(
        row,
        report.consistent,
        report.score,
        _body_spans(errors),
        seconds,
        flagged,
        not on_facts,
        _body_spans(on_facts),
    )


def _body_spans(findings: list[Finding]) -> list[tuple[int, int]]:
    return [
        (start, end) for f in findings for where, start, end in metrics.finding_spans(f) if where == "body"
    ]


def run(
    rows: list[Row],
    check: Callable[[Any], Report],
    advance: Callable[[], None] = lambda: None,
    failed: Callable[[Row, Exception], None] | None = None,
) -> Iterator[Outcome]:
    """Check every row with ``check`` (a pipeline's ``check``), timing each story.

    With ``failed``, a story whose check raises is passed to it and left out instead of ending
    the run (a long measurement should not die on one story); without, the error propagates.
    """
    for row in rows:
        try:
            story = story_from_record(row.record, row.line)
        except InputError as exc:
            raise InputError(f"{row.file}: {exc}") from None
        started = time.perf_counter()
        try:
            report = check(story)
        except Exception as exc:
            if failed is None:
                raise
            failed(row, exc)
            advance()
            continue
        yield outcome(row, report, time.perf_counter() - started)
        advance()


@dataclass
class DatasetResult:
    """The metrics of one dataset (or of one whole file holding several)."""

    name: str
    files: list[str]
    n: int
    n_consistent: int
    balanced_accuracy: float | None
    accuracy: float
    balanced_accuracy_on_facts: float | None
    """With the verdict on facts only (leaked machine text left out)."""
    span: metrics.SpanScores | None
    stories_per_second: float
    ece: float | None
    reliability: list[metrics.ReliabilityBin] = field(default_factory=list)
    span_on_facts: metrics.SpanScores | None = None

    def to_dict(self) -> dict[str, Any]:
        span = None
        if self.span is not None:
            span = {
                "precision": self.span.precision,
                "recall": self.span.recall,
                "f1": self.span.f1,
                "true_positive_chars": self.span.true_positive,
                "false_positive_chars": self.span.false_positive,
                "false_negative_chars": self.span.false_negative,
            }
        return {
            "dataset": self.name,
            "files": self.files,
            "n": self.n,
            "n_consistent": self.n_consistent,
            "balanced_accuracy": self.balanced_accuracy,
            "accuracy": self.accuracy,
            "balanced_accuracy_on_facts": self.balanced_accuracy_on_facts,
            "span_f1_on_facts": self.span_on_facts.f1 if self.span_on_facts else None,
            "span": span,
            "stories_per_second": self.stories_per_second,
            "ece": self.ece,
            "reliability": [vars(b) for b in self.reliability],
        }


def summarise(name: str, outcomes: list[Outcome]) -> DatasetResult:
    labels = [o.row.label for o in outcomes]
    predictions = [int(o.consistent) for o in outcomes]
    on_facts = [
        int(o.consistent if o.consistent_on_facts is None else o.consistent_on_facts) for o in outcomes
    ]
    # calibration only over the stories that got a score (None: nothing to check against)
    scored = [(o.score, o.row.label) for o in outcomes if o.score is not None]
    scores, scored_labels = [s for s, _ in scored], [y for _, y in scored]
    # span metrics only where the dataset has span labels at all
    has_spans = any(o.row.spans for o in outcomes)
    span = (
        metrics.span_scores([o.row.spans for o in outcomes], [o.spans for o in outcomes])
        if has_spans
        else None
    )
    seconds = sum(o.seconds for o in outcomes)
    return DatasetResult(
        name=name,
        files=sorted({o.row.file.name for o in outcomes}),
        n=len(outcomes),
        n_consistent=sum(labels),
        balanced_accuracy=metrics.balanced_accuracy(labels, predictions),
        accuracy=sum(y == p for y, p in zip(labels, predictions, strict=True)) / len(labels),
        balanced_accuracy_on_facts=metrics.balanced_accuracy(labels, on_facts),
        span_on_facts=(
            metrics.span_scores([o.row.spans for o in outcomes], [o.spans_on_facts for o in outcomes])
            if has_spans
            else None
        ),
        span=span,
        stories_per_second=len(outcomes) / seconds if seconds else float("inf"),
        ece=metrics.expected_calibration_error(scores, scored_labels),
        reliability=metrics.reliability_bins(scores, scored_labels),
    )


def group(outcomes: list[Outcome]) -> list[DatasetResult]:
    """One result per dataset, per file of several datasets (among several files), and for all rows."""
    by_dataset: dict[str, list[Outcome]] = {}
    by_file: dict[Path, list[Outcome]] = {}
    for o in outcomes:
        by_dataset.setdefault(o.row.dataset, []).append(o)
        by_file.setdefault(o.row.file, []).append(o)
    results = [summarise(name, rows) for name, rows in by_dataset.items()]
    for path, rows in by_file.items():
        if len(by_file) > 1 and len({o.row.dataset for o in rows}) > 1:
            results.append(summarise(f"{path.stem} (all)", rows))
    if len(results) > 1:
        results.append(summarise("all", outcomes))
    return results


def planted(outcomes: list[Outcome]) -> list[metrics.PlantedScores]:
    """Per planted kind (held-out variants apart), over the planted-error stories among ``outcomes``;
    empty when there are none."""
    stories = [
        metrics.PlantedStory(
            errors=o.row.planted,
            sentences=o.row.sentences,
            flagged=tuple(o.flagged),
            clean_group=f"clean ({o.row.record['family']})" if o.row.record.get("family") else "clean",
        )
        for o in outcomes
        if o.row.planted is not None
    ]
    return metrics.planted_scores(stories) if stories else []
