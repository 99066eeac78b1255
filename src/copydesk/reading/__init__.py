"""Reading stories and sources from files, folders, stdin and uploads (docs/input-formats.md).

Every problem with the input raises :class:`copydesk.errors.InputError` with one line naming the
file, the problem and what to do about it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from copydesk.errors import InputError
from copydesk.reading import limits
from copydesk.reading.decode import (
    UnreadableFileError,
    decode_text,
    label,
    megabytes,
    read_file_limited,
    read_stdin_limited,
    too_large,
)
from copydesk.reading.jsonio import describe_validation_error
from copydesk.reading.records import story_from_record
from copydesk.reading.sources import SOURCE_ADVICE, folder_files, parse_sources, unique_ids
from copydesk.reading.story import STORY_ADVICE, format_of, parse_story, sniff
from copydesk.schema import SourceIn, StoryIn

__all__ = [
    "InputError",
    "describe_validation_error",
    "limits",
    "read_source_bytes",
    "read_sources",
    "read_story",
    "read_story_text",
    "story_from_record",
]

log = logging.getLogger("copydesk.reading")

_TEXT_TYPES = ".txt, .md, .html, .json or .jsonl"


def read_story(
    path: str | Path, published: dt.date | None = None, *, max_bytes: int | None = None
) -> StoryIn:
    """Read the story in ``path`` (``-`` for stdin); ``published`` overrides the date the story gives."""
    limit = limits.MAX_STORY_BYTES if max_bytes is None else max_bytes
    if str(path) == "-":
        return read_story_text(
            "<stdin>",
            read_stdin_limited(limit=limit, kind="story", advice=STORY_ADVICE),
            published,
            max_bytes=limit,
        )
    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"{label(path)}: is a folder; give one story file (pass source folders with --sources)"
        )
    data = read_file_limited(path, limit=limit, kind="story", advice=STORY_ADVICE)
    return read_story_text(str(path), data, published, max_bytes=limit)


def read_story_text(
    name: str, data: bytes, published: dt.date | None = None, *, max_bytes: int | None = None
) -> StoryIn:
    """The story in ``data``; ``name`` gives the format by its extension (else it is sniffed)."""
    limit = limits.MAX_STORY_BYTES if max_bytes is None else max_bytes
    shown = "stdin" if name == "<stdin>" else label(name)
    if len(data) > limit:
        raise too_large(shown, len(data), limit, "story", STORY_ADVICE)
    fmt = format_of(name)
    text = decode_text(shown, data, kind="story", html=fmt in (None, "html"))
    if not text.strip():
        raise InputError(f"{shown}: the story is empty; write a headline and a body")
    return parse_story(shown, text, fmt or sniff(text), published)


def read_sources(paths: Sequence[str | Path], *, max_bytes: int | None = None) -> list[SourceIn]:
    """The sources in ``paths``: files, folders of them (recursively), JSON or JSONL search results.

    Ids come from the JSON ``id`` or the file name, made unique. Unreadable files inside a folder
    (binary, not UTF-8, too large, empty) are skipped with a warning; named directly they are errors.
    """
    limit = limits.MAX_SOURCE_BYTES if max_bytes is None else max_bytes
    found: list[SourceIn] = []
    total = 0
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = _folder(path)
            read_any = False
            skipped: list[tuple[Path, UnreadableFileError]] = []
            for file in files:
                try:
                    data = read_file_limited(file, limit=limit, kind="source", advice=SOURCE_ADVICE)
                    total = _add(total, len(data))
                    found.extend(read_source_bytes(str(file), data, max_bytes=limit))
                    read_any = True
                except UnreadableFileError as exc:
                    skipped.append((file, exc))
            if not read_any:
                raise InputError(
                    f"{label(path)}: no readable source file in this folder ({_skipped(path, skipped)}); "
                    f"add {_TEXT_TYPES} sources"
                )
            for _file, problem in skipped:
                log.warning("skipped %s", problem)
        else:
            data = read_file_limited(path, limit=limit, kind="source", advice=SOURCE_ADVICE)
            total = _add(total, len(data))
            found.extend(read_source_bytes(str(path), data, max_bytes=limit))
    return unique_ids(found)


def read_source_bytes(name: str, data: bytes, *, max_bytes: int | None = None) -> list[SourceIn]:
    """The sources in one uploaded or read file: a document, or JSON / JSONL search results."""
    limit = limits.MAX_SOURCE_BYTES if max_bytes is None else max_bytes
    shown = label(name)
    if len(data) > limit:
        raise too_large(shown, len(data), limit, "source", SOURCE_ADVICE)
    text = decode_text(shown, data, kind="source", html=format_of(name) in (None, "html"))
    if not text.strip():
        raise UnreadableFileError(f"{shown}: the source is empty; remove it or add its text")
    return unique_ids(parse_sources(shown, text))


def _skipped(folder: Path, skipped: list[tuple[Path, UnreadableFileError]]) -> str:
    """ "it is empty", or how many files were skipped and why the first one was."""
    if not skipped:
        return "it is empty"
    file, exc = skipped[0]
    name = label(file)
    # Messages read "NAME: PROBLEM; ADVICE": keep the problem only.
    problem = str(exc).removeprefix(f"{name}: ").split("; ")[0]
    more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
    return f"skipped {label(file.relative_to(folder))}: {problem}{more}"


def _folder(path: Path) -> list[Path]:
    try:
        files = folder_files(path)
    except PermissionError:
        raise InputError(
            f"{label(path)}: permission denied listing the folder; check its permissions"
        ) from None
    except OSError as exc:
        raise InputError(f"{label(path)}: cannot list the folder ({exc.strerror or exc})") from None
    if len(files) > limits.MAX_SOURCE_FILES:
        raise InputError(
            f"{label(path)}: holds {len(files)} files, over the limit of {limits.MAX_SOURCE_FILES}; "
            "point --sources at the story's own material"
        )
    return files


def _add(total: int, size: int) -> int:
    total += size
    if total > limits.MAX_SOURCES_TOTAL_BYTES:
        raise InputError(
            f"the sources together are over the {megabytes(limits.MAX_SOURCES_TOTAL_BYTES)} limit; "
            "give only the story's own material"
        )
    return total
