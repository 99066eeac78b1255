"""The ``copydesk`` command line.

Exit codes: 0 nothing found, 1 findings reported, 2 usage or input error. Sub-commands that live
elsewhere (``batch``, ``eval``, ``serve``, ``kb``) are registered here from their own modules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from copydesk.apps.common import (
    DEFAULT_BUDGET_S,
    EXIT_FINDINGS,
    EXIT_OK,
    CheckersOption,
    KbOption,
    ModelBudgetOption,
    ModelOption,
    NoKbOption,
    PublishedOption,
    SourcesOption,
    StoryArgument,
    ThreadsOption,
    check_story_files,
    console,
    fail,
    handle_errors,
    settings_from,
)

app = typer.Typer(
    name="copydesk",
    help="The copy desk for machine-written news: finds wrong people, titles, names, dates, numbers, "
    "misquotes and leaked machine text, with the evidence and a fix. Runs offline.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

FORMAT_HELP = (
    "terminal (highlighted story), json (copydesk/2), html (self-contained page), claimreview (JSON-LD)"
)


@app.command()
@handle_errors
def check(
    story: StoryArgument,
    sources: SourcesOption = None,
    published: PublishedOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "terminal",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    kb: KbOption = None,
    no_kb: NoKbOption = False,
    threads: ThreadsOption = None,
    checkers: CheckersOption = None,
    model: ModelOption = "fast",
    model_budget: ModelBudgetOption = DEFAULT_BUDGET_S,
) -> None:
    """Check one story against its sources (and the knowledge base) and report what is wrong.

    Example: [bold]copydesk check story.md --sources sources/ --published 2025-08-29[/bold]

    Exit status: 0 nothing found, 1 findings reported, 2 usage or input error.
    """
    from copydesk.registry import report_formats
    from copydesk.reporting import render

    if output_format not in report_formats.available():
        fail(f"unknown --format {output_format!r}; choose one of: {', '.join(report_formats.available())}")
    settings = settings_from(
        kb=kb, threads=threads, checkers=checkers, no_kb=no_kb, model=model, model_budget=model_budget
    )
    report = check_story_files(story, sources, published, settings)
    rendered = render(report, output_format)
    if output:
        output.write_text(rendered, encoding="utf-8")
        console.print(f"Report written to {output} ({len(report.findings)} findings).")
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    raise typer.Exit(EXIT_FINDINGS if report.findings else EXIT_OK)


def _register_subcommands() -> None:
    from copydesk.apps.batch.command import batch_command
    from copydesk.apps.evaluation.command import eval_command
    from copydesk.apps.fix import fix_command
    from copydesk.apps.kb import kb_app
    from copydesk.apps.serve.command import serve_command

    app.command("fix")(fix_command)
    app.command("batch")(batch_command)
    app.command("eval")(eval_command)
    app.command("serve")(serve_command)
    app.add_typer(kb_app, name="kb")


def main() -> None:
    """Entry point of the ``copydesk`` script."""
    _register_subcommands()
    app()


if __name__ == "__main__":
    main()
