"""What every ``copydesk`` sub-command shares: options, exit codes and error handling."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console

from copydesk.errors import CopydeskError
from copydesk.resources import Settings

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

console = Console(stderr=True, highlight=False)
"""Progress, status and errors go to stderr; reports go to stdout."""

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb", envvar="COPYDESK_KB", help="Knowledge base folder (default: the user data directory)."
    ),
]
ThreadsOption = Annotated[int | None, typer.Option(help="Threads for model inference (default: all cores).")]
CheckersOption = Annotated[
    str | None,
    typer.Option(help="Comma-separated checkers to run (default: all). See docs/checkers.md."),
]

F = TypeVar("F", bound=Callable[..., object])


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
    kb: Path | None = None, threads: int | None = None, checkers: str | None = None
) -> Settings:
    """Settings built from the common options, validating the checker names."""
    from copydesk import checkers as registry

    chosen = tuple(registry.BUILTIN)
    if checkers:
        chosen = tuple(name.strip() for name in checkers.split(",") if name.strip())
        unknown = [name for name in chosen if name not in registry.available()]
        if unknown:
            fail(f"unknown checker(s) {', '.join(unknown)}; available: {', '.join(registry.available())}")
    if threads is not None and threads < 1:
        fail("--threads must be at least 1")
    return Settings(checkers=chosen, kb=kb, threads=threads)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text.replace("\n", " "))
