"""Batch input: JSONL lines, a folder of story files, or standard input, turned into tasks.

Every story gets a stable id before anything is checked, because resuming a batch means skipping
the ids already in the output: a record's own ``id``, else ``line-N`` (N counts physical lines
from 1), and for a folder the file's path relative to the folder. A line becomes a story through
``copydesk.reading.story_from_record``, the one reader of story records (re-exported here).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from copydesk.errors import InputError
from copydesk.reading.records import record_id, story_from_record

__all__ = ["STORY_SUFFIXES", "BatchInput", "Task", "record_id", "story_from_record"]

STORY_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json"})
"""Files of a folder that are read as stories (through ``copydesk.reading.read_story``)."""


@dataclass(frozen=True, slots=True)
class Task:
    """One story to check: a raw JSONL line, the path of a story file, or why it cannot be read."""

    id: str
    kind: Literal["line", "file", "invalid"]
    payload: str
    number: int
    """Line number (from 1) of a JSONL line, position (from 1) of a folder's file."""


class BatchInput:
    """The stories of a batch: a JSONL file, a folder of story files, or ``-`` for stdin.

    Standard input is copied to a temporary file first, so that it can be read twice: once for
    the ids (duplicates are refused before any work starts) and once to stream the stories.
    """

    def __init__(self, location: str) -> None:
        self.location = location
        self._spool: IO[bytes] | None = None
        self._folder: Path | None = None
        self._files: list[Path] = []
        if location == "-":
            if sys.stdin is None or sys.stdin.isatty():
                raise InputError(
                    "-: standard input is a terminal; pipe the stories in (cat stories.jsonl | "
                    "copydesk batch - -o reports.jsonl) or give a file"
                )
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            shutil.copyfileobj(sys.stdin.buffer, self._spool)
            return
        path = Path(location)
        if path.is_dir():
            self._folder = path
            self._files = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in STORY_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                ),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            if not self._files:
                raise InputError(
                    f"{location}: the folder holds no story files ({', '.join(sorted(STORY_SUFFIXES))})"
                )
        elif not path.is_file():
            raise InputError(f"{location}: no such file or folder")

    @property
    def is_folder(self) -> bool:
        return self._folder is not None

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    def __enter__(self) -> BatchInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ids(self) -> list[str]:
        """Every story's id in input order; raises InputError naming duplicated ids."""
        ids = [task_id for task_id, _ in self._scan()]
        if len(set(ids)) == len(ids):
            return ids
        places: dict[str, list[int]] = defaultdict(list)
        for task_id, number in self._scan():
            places[task_id].append(number)
        duplicated = {task_id: numbers for task_id, numbers in places.items() if len(numbers) > 1}
        unit = "files" if self.is_folder else "lines"
        shown = "; ".join(
            f"{task_id!r} ({unit} {', '.join(map(str, numbers[:5]))})"
            for task_id, numbers in list(duplicated.items())[:5]
        )
        more = f" and {len(duplicated) - 5} more" if len(duplicated) > 5 else ""
        raise InputError(
            f"{self.location}: {len(duplicated)} story id(s) appear more than once: "
            f"{shown}{more}; give every story its own id"
        )

    def tasks(self) -> Iterator[Task]:
        """Stream the stories, in input order."""
        if self._folder is not None:
            for number, path in enumerate(self._files, start=1):
                yield Task(self._file_id(path), "file", str(path), number)
            return
        for number, raw in self._lines():
            task_id = _line_id(raw, number)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                reason = f"line {number}: not UTF-8 text (byte {exc.start + 1})"
                yield Task(task_id, "invalid", reason, number)
            else:
                yield Task(task_id, "line", text, number)

    def _scan(self) -> Iterator[tuple[str, int]]:
        if self._folder is not None:
            for number, path in enumerate(self._files, start=1):
                yield self._file_id(path), number
            return
        for number, raw in self._lines():
            yield _line_id(raw, number), number

    def _file_id(self, path: Path) -> str:
        assert self._folder is not None
        return path.relative_to(self._folder).as_posix()

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        # Binary reading splits on b"\n" only: JSON strings may hold U+2028, which str.splitlines
        # would take for a line break.
        if self._spool is not None:
            self._spool.seek(0)
            yield from _numbered(self._spool)
            return
        with open(self.location, "rb") as handle:
            yield from _numbered(handle)


def _numbered(handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            yield number, raw.rstrip(b"\r\n")


def _line_id(raw: bytes, number: int) -> str:
    try:
        record = json.loads(raw)
    except ValueError:
        return f"line-{number}"
    return record_id(record, number)
