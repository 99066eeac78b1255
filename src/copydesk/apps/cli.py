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
    EXIT_FINDINGS,
    EXIT_OK,
    CheckersOption,
    KbOption,
    ThreadsOption,
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
    "terminal (highlighted story), json (copydesk/1), html (self-contained page), claimreview (JSON-LD)"
)


@app.command()
@handle_errors
def check(
    story: Annotated[
        str,
        typer.Argument(
            help="Story file: .txt (first line is the headline), .md, .html or .json; - for stdin."
        ),
    ],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            "-s",
            help="Source files, folders of them, or a JSONL of search results. Repeat for several.",
        ),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD), when the story does not say.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "terminal",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    kb: KbOption = None,
    threads: ThreadsOption = None,
    checkers: CheckersOption = None,
) -> None:
    """Check one story against its sources (and the knowledge base) and report what is wrong.

    Example: [bold]copydesk check story.md --sources sources/ --published 2025-08-29[/bold]

    Exit status: 0 nothing found, 1 findings reported, 2 usage or input error.
    """
    from copydesk.pipeline import Pipeline
    from copydesk.reading import read_sources, read_story
    from copydesk.reporting import FORMATS, render
    from copydesk.schema import parse_published

    if output_format not in FORMATS:
        fail(f"unknown --format {output_format!r}; choose one of: {', '.join(FORMATS)}")
    try:
        published_date = parse_published(published) if published else None
    except ValueError as exc:
        fail(f"--published: {exc}")
    loaded = read_story(story, published=published_date)
    if sources:
        loaded = loaded.model_copy(update={"sources": [*loaded.sources, *read_sources(sources)]})
        loaded = type(loaded).model_validate(loaded.model_dump())  # number the new sources
    pipeline = Pipeline(settings_from(kb=kb, threads=threads, checkers=checkers))
    with console.status("Checking the story...", spinner="dots") if sys.stderr.isatty() else _nothing():
        report = pipeline.check(loaded)
    rendered = render(report, output_format)
    if output:
        output.write_text(rendered, encoding="utf-8")
        console.print(f"Report written to {output} ({len(report.findings)} findings).")
    else:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    raise typer.Exit(EXIT_FINDINGS if report.findings else EXIT_OK)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _register_subcommands() -> None:
    from copydesk.apps.batch.command import batch_command
    from copydesk.apps.evaluation.command import eval_command
    from copydesk.apps.kb import kb_app
    from copydesk.apps.serve.command import serve_command

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
