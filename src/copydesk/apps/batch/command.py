"""``copydesk batch``: check a JSONL file (or a folder, or stdin) of stories, resumably, in parallel."""

from __future__ import annotations

from typing import Annotated

import typer

from copydesk.apps.common import (
    DEFAULT_BUDGET_S,
    CheckersOption,
    KbOption,
    ModelBudgetOption,
    ModelOption,
    NoKbOption,
    console,
    handle_errors,
    settings_from,
)

EXIT_SOME_FAILED = 3
"""Exit status when the output holds error records (stories that could not be checked)."""


@handle_errors
def batch_command(
    input: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            help="JSONL file (one story per line, interchange or benchmark format), "
            "a folder of story files, or - for standard input.",
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="JSONL file of reports, one per story; if it exists, the batch resumes from it. "
            "- for standard output (no resume).",
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes, each loading the models once (default 1); with --ray, actors "
            "(default: as many as the cluster's CPUs allow).",
        ),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="Run on Ray: 'local' starts Ray in this process, 'auto' joins the cluster running "
            "on this machine, ray://HOST:10001 a remote one.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    kb: KbOption = None,
    no_kb: NoKbOption = False,
    threads: Annotated[
        int | None,
        typer.Option(
            help="Threads for model inference per worker (default: the cores divided among the "
            "workers; with --ray, CPUs per actor)."
        ),
    ] = None,
    checkers: CheckersOption = None,
    model: ModelOption = "fast",
    model_budget: ModelBudgetOption = DEFAULT_BUDGET_S,
) -> None:
    """Check many stories and write one JSON report per line; rerun the same command to resume.

    Exit status: 0 when every story was checked, 3 when some failed (error records), 2 for usage errors.

    Example: [bold]copydesk batch stories.jsonl -o reports.jsonl --workers 2[/bold]
    """
    from rich.markup import escape

    from copydesk.apps.batch.runner import run_batch

    settings = settings_from(
        kb=kb, threads=threads, checkers=checkers, no_kb=no_kb, model=model, model_budget=model_budget
    )
    try:
        summary = run_batch(
            input, output, settings, workers=workers, ray=ray, progress=not quiet and console.is_terminal
        )
    except KeyboardInterrupt:
        resume = "" if output == "-" else "; run the same command again to resume"
        console.print(f"interrupted{resume}")
        raise typer.Exit(130) from None
    if not quiet:
        if summary.torn_bytes:
            console.print(f"Cut off a torn last line ({summary.torn_bytes} bytes) left by a killed run.")
        if summary.total == summary.skipped and summary.total:
            console.print(
                f"Nothing to do: all {summary.total} stories are already in {escape(output)}.", soft_wrap=True
            )
        else:
            console.print(escape(summary.describe()), soft_wrap=True)
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed_total else 0)
