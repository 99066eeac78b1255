"""What every ``copydesk`` sub-command shares: options, exit codes and error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console

from copydesk import registry
from copydesk.errors import CopydeskError
from copydesk.inference import DEFAULT_BUDGET_S, ModelMode, require_model_files
from copydesk.pipeline import Pipeline
from copydesk.reading import read_sources, read_story
from copydesk.resources import Settings
from copydesk.schema import Report, parse_published

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

console = Console(stderr=True, highlight=False)
"""Progress, status and errors go to stderr; reports go to stdout."""

StoryArgument = Annotated[
    str,
    typer.Argument(help="Story file: .txt (first line is the headline), .md, .html or .json; - for stdin."),
]
SourcesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--sources",
        "-s",
        help="Source files, folders of them, or a JSONL of search results. Repeat for several.",
    ),
]
PublishedOption = Annotated[
    str | None, typer.Option(help="Publication date (YYYY-MM-DD), when the story does not say.")
]
KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        envvar="COPYDESK_KB",
        help="Knowledge base folder, layered over the built-in one (default: the user data directory).",
    ),
]
NoKbOption = Annotated[
    bool,
    typer.Option(
        "--no-kb",
        help="Use no knowledge base at all, not even the built-in one (heads of state and government).",
    ),
]
ThreadsOption = Annotated[int | None, typer.Option(help="Threads for model inference (default: all cores).")]
CheckersOption = Annotated[
    str | None,
    typer.Option(help="Comma-separated checkers to run (default: all). See docs/checkers.md."),
]
ModelOption = Annotated[
    ModelMode,
    typer.Option(
        "--model",
        envvar="COPYDESK_MODEL",
        help="The entailment judge. fast (default): the MiniLM cross-encoder scores every (passage, "
        "claim) pair, about 235 pairs a second on two cores. accurate: MiniLM and MPNet-base both "
        "score every pair and their probabilities are averaged, 6-9x fast's time per pair. auto: "
        "MiniLM scores every pair, then MPNet scores again the weakest and uncertain claims, within "
        "--model-budget seconds per story. accurate and auto need the MPNet file "
        "(entailment_mpnet.onnx), not shipped yet: see docs/models.md.",
    ),
]
ModelBudgetOption = Annotated[
    float,
    typer.Option(
        "--model-budget",
        metavar="SECONDS",
        min=0,
        help="With --model auto: seconds of MPNet per story (a second is about 30-45 pairs on two cores).",
    ),
]

F = TypeVar("F", bound=Callable[..., object])


def check_story_files(
    story: str, sources: list[Path] | None, published: str | None, settings: Settings
) -> Report:
    """Read the story and its sources as the options give them and check it, with a spinner on a
    terminal: what ``check`` and ``fix`` share."""
    try:
        published_date = parse_published(published) if published else None
    except ValueError as exc:
        fail(f"--published: {exc}")
    loaded = read_story(story, published=published_date)
    if sources:
        loaded = loaded.model_copy(update={"sources": [*loaded.sources, *read_sources(sources)]})
        loaded = type(loaded).model_validate(loaded.model_dump())  # number the new sources
    pipeline = Pipeline(settings)
    if not sys.stderr.isatty():
        return pipeline.check(loaded)
    with console.status("Checking the story...", spinner="dots"):
        return pipeline.check(loaded)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line naming the problem and exit (2 for usage and input errors)."""
    console.print(f"[bold red]error:[/bold red] {message}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handle_errors(command: F) -> F:
    """Turn copydesk's errors (and Ctrl-C) into one line on stderr instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except CopydeskError as exc:
            fail(_escape(str(exc)))
        except KeyboardInterrupt:
            console.print("interrupted")
            raise typer.Exit(130) from None
        except (BrokenPipeError, MemoryError) as exc:
            fail(f"{type(exc).__name__}: {exc}")

    return wrapper  # type: ignore[return-value]


def settings_from(
    kb: Path | None = None,
    threads: int | None = None,
    checkers: str | None = None,
    no_kb: bool = False,
    model: ModelMode = "fast",
    model_budget: float = DEFAULT_BUDGET_S,
) -> Settings:
    """Settings built from the common options, validating the checker names and that the
    ``--model`` mode's files are installed."""
    chosen = tuple(registry.checkers.builtin)
    if checkers:
        chosen = tuple(name.strip() for name in checkers.split(",") if name.strip())
        available = registry.checkers.available()
        unknown = [name for name in chosen if name not in available]
        if unknown:
            fail(f"unknown checker(s) {', '.join(unknown)}; available: {', '.join(available)}")
    if threads is not None and threads < 1:
        fail("--threads must be at least 1")
    if no_kb and kb is not None:
        fail("--no-kb and --kb (or COPYDESK_KB) together: choose one")
    if model_budget < 0:
        fail("--model-budget must be at least 0 seconds")
    try:
        require_model_files(model)
    except CopydeskError as exc:
        fail(_escape(str(exc)))
    return Settings(
        checkers=chosen,
        kb=kb,
        threads=threads,
        no_kb=no_kb,
        model=model,
        model_budget_s=model_budget,
    )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text.replace("\n", " "))
