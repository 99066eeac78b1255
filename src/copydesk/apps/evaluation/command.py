"""``copydesk eval``: measure copydesk on benchmark JSONL files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copydesk.apps.common import (
    DEFAULT_BUDGET_S,
    CheckersOption,
    KbOption,
    ModelBudgetOption,
    ModelOption,
    NoKbOption,
    ThreadsOption,
    console,
    fail,
    handle_errors,
)

if TYPE_CHECKING:
    from rich.console import Console

    from copydesk.apps.evaluation.metrics import PlantedScores
    from copydesk.apps.evaluation.runner import DatasetResult


@handle_errors
def eval_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Benchmark JSONL files: one {id, dataset, source, text, label, spans} per line, or "
            "planted-error stories of benchmarks/planted.py (scored per planted kind too)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    limit: Annotated[
        int | None, typer.Option(help="Check at most N rows per file, spread evenly through it.")
    ] = None,
    split: Annotated[
        str,
        typer.Option(
            help="test: only rows whose source is on the test side of the split by source "
            "document (what training never saw); all: every row."
        ),
    ] = "test",
    reliability: Annotated[
        bool, typer.Option("--reliability", help="Print the reliability diagram of each dataset.")
    ] = False,
    kb: KbOption = None,
    no_kb: NoKbOption = False,
    threads: ThreadsOption = None,
    checkers: CheckersOption = None,
    model: ModelOption = "fast",
    model_budget: ModelBudgetOption = DEFAULT_BUDGET_S,
) -> None:
    """Measure copydesk on factual-consistency benchmarks: balanced accuracy, span F1, calibration, speed.

    Example: [bold]copydesk eval ../shared/data/benchmarks/*.jsonl --limit 100[/bold]
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from copydesk.apps.common import settings_from
    from copydesk.apps.evaluation import runner
    from copydesk.findings import knowledge_base_out
    from copydesk.pipeline import Pipeline

    if split not in ("test", "all"):
        fail(f"unknown --split {split!r}; choose test or all")
    if limit is not None and limit < 1:
        fail("--limit must be at least 1")
    settings = settings_from(
        kb=kb, threads=threads, checkers=checkers, no_kb=no_kb, model=model, model_budget=model_budget
    )
    rows = [row for path in files for row in runner.select(runner.read_rows(path), split, limit)]  # type: ignore[arg-type]
    if not rows:
        fail(f"no rows to check on the {split} side of the split; try --split all")
    pipeline = Pipeline(settings)
    failures: list[tuple[runner.Row, Exception]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("Checking stories", total=len(rows))
        outcomes = list(
            runner.run(
                rows,
                pipeline.check,
                lambda: progress.advance(task),
                lambda r, e: failures.append((r, e)),
            )
        )
    for row, exc in failures[:10]:
        what = f"{row.file.name} line {row.line}: {type(exc).__name__}: {exc}"
        console.print(f"[yellow]failed:[/yellow] {escape(what)}")
    if not outcomes:
        fail(f"every one of the {len(rows)} stories failed; see above")
    results = runner.group(outcomes)
    planted = runner.planted(outcomes)
    knowledge_base = knowledge_base_out(pipeline.resources.kb)
    if as_json:
        payload = {
            "failed": [
                {"file": row.file.name, "line": row.line, "error": f"{type(exc).__name__}: {exc}"}
                for row, exc in failures
            ],
            "split": split,
            "limit": limit,
            "checkers": list(settings.checkers),
            "model": settings.model,
            "cascade": pipeline.resources.scorer_counts(),
            # numbers move with the knowledge base a machine holds: say which one was read
            "knowledge_base": knowledge_base.model_dump(mode="json") if knowledge_base else None,
            "datasets": [r.to_dict() for r in results],
        }
        if planted:
            payload["planted"] = [p.to_dict() for p in planted]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    _print_table(results, split)
    _stdout().print(
        "Knowledge base: "
        + (escape(knowledge_base.name) if knowledge_base else "none")
        + (f" (up to {knowledge_base.up_to.isoformat()})" if knowledge_base and knowledge_base.up_to else "")
    )
    if planted:
        _print_planted(planted)
    counts = pipeline.resources.scorer_counts()
    if counts:
        console.print(
            f"--model auto: MPNet re-scored {counts['rescored_pairs']} of {counts['pairs']} pairs "
            f"({counts['rescored_claims']} claims; {counts['left_claims']} more did not fit the budget)."
        )
    if failures:
        console.print(f"{len(failures)} of {len(rows)} stories failed and are left out of the numbers.")
    if reliability:
        from copydesk.apps.evaluation.metrics import reliability_diagram

        for result in results:
            out = _stdout()
            out.print(f"\n[bold]{escape(result.name)}[/bold] reliability (score = P(consistent))")
            out.print(escape(reliability_diagram(result.reliability)))


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 140)


def _print_table(results: list[DatasetResult], split: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    where = "the test side of the split by source" if split == "test" else "every row"
    table = Table(title=f"copydesk on {where}", title_justify="left")
    for heading in (
        "dataset",
        "n",
        "consistent",
        "bal. acc.",
        "on facts",
        "span P",
        "span R",
        "span F1",
        "ECE",
        "stories/s",
    ):
        table.add_column(heading, justify="left" if heading == "dataset" else "right")
    for r in results:
        span = r.span
        table.add_row(
            escape(r.name),
            str(r.n),
            str(r.n_consistent),
            _number(r.balanced_accuracy),
            _number(r.balanced_accuracy_on_facts),
            _number(span.precision if span else None),
            _number(span.recall if span else None),
            _number(span.f1 if span else None),
            _number(r.ece),
            f"{r.stories_per_second:.1f}",
        )
    _stdout().print(table)


def _print_planted(groups: list[PlantedScores]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title="planted errors: found at every span / at least one span; untouched sentences flagged",
        title_justify="left",
    )
    headings = ("kind", "stories", "errors", "every span", "some span", "stories flagged", "untouched fl.")
    for heading in headings:
        table.add_column(heading, justify="left" if heading == "kind" else "right")
    for g in groups:
        table.add_row(
            escape(g.group),
            str(g.stories),
            str(g.errors),
            _number(g.every_span),
            _number(g.some_span),
            _number(g.stories_flagged_share),
            f"{_number(g.untouched_flagged_share)} ({g.untouched_flagged}/{g.untouched_sentences})",
        )
    _stdout().print(table)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
