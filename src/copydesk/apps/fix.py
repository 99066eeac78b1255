"""``copydesk fix``: print the story with every error's fix applied at every place.

Exit codes: 0 nothing needed fixing, 1 something was fixed, 2 usage or input error (as ``check``).
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
    NoKbOption,
    PublishedOption,
    SourcesOption,
    StoryArgument,
    ThreadsOption,
    check_story_files,
    console,
    handle_errors,
    settings_from,
)
from copydesk.fixing import apply_fixes


@handle_errors
def fix_command(
    story: StoryArgument,
    sources: SourcesOption = None,
    published: PublishedOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the corrected story to a file.")
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff against the original instead.")
    ] = False,
    kb: KbOption = None,
    no_kb: NoKbOption = False,
    threads: ThreadsOption = None,
    checkers: CheckersOption = None,
) -> None:
    """Print the corrected story: the headline on the first line, then the body, with every fix of
    error severity applied at every place and leaked machine text deleted.

    Example: [bold]copydesk fix story.md --sources sources/ --diff[/bold]

    Exit status: 0 nothing needed fixing, 1 something was fixed, 2 usage or input error.
    """
    settings = settings_from(kb=kb, threads=threads, checkers=checkers, no_kb=no_kb)
    result = apply_fixes(check_story_files(story, sources, published, settings))
    name = "-" if story == "-" else Path(story).name
    rendered = result.diff(name) if diff else result.text
    if output:
        output.write_text(rendered, encoding="utf-8")
        console.print(f"Corrected story written to {output} ({len(result.changes)} change(s)).")
    else:
        sys.stdout.write(rendered)
    if result.changes:
        console.print(f"{len(result.changes)} change(s) made; run `copydesk check` to see why.")
    raise typer.Exit(EXIT_FINDINGS if result.changes else EXIT_OK)
