"""The output of a batch, which is also its journal: what is in it is done.

Lines are appended whole (one ``write`` of the line and its newline, on a file opened with
O_APPEND), so a reader never sees half a line while the batch runs. A process killed during a write
can still leave a torn last line; :meth:`Journal.recover` cuts it off before resuming, and the
story it belonged to is checked again.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from copydesk.errors import InputError

FSYNC_SECONDS = 2.0
"""How often appended lines are forced to disk (and always when the batch ends)."""


@dataclass
class Done:
    """What an existing output already holds."""

    ids: set[str] = field(default_factory=set)
    failed: int = 0
    """How many of those lines are error records."""
    inconsistent: int = 0
    torn_bytes: int = 0
    """Bytes of a torn last line that were cut off."""


class Journal:
    """An output JSONL file that a batch appends to and resumes from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._synced = time.monotonic()

    def recover(self) -> Done:
        """Cut off a torn last line and read the ids already done."""
        done = Done()
        if not self.path.exists():
            return done
        if not self.path.is_file():
            raise InputError(f"{self.path}: the output is not a file; give a .jsonl path with -o")
        with open(self.path, "r+b") as handle:
            done.torn_bytes = _cut_torn_tail(handle)
            handle.seek(0)
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                    task_id = record["id"]
                except (ValueError, TypeError, KeyError):
                    raise InputError(
                        f"{self.path}: line {number} is not a copydesk report, so this file is not the "
                        "output of a batch; give another -o (it would be appended to)"
                    ) from None
                done.ids.add(str(task_id))
                if record.get("error") is not None:
                    done.failed += 1
                elif record.get("consistent") is False:
                    done.inconsistent += 1
        return done

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._synced = time.monotonic()

    def write(self, line: str) -> None:
        """Append one line (given without its newline) in one write; the file opens on the first."""
        if self._fd is None:
            self.open()
            assert self._fd is not None
        _write_all(self._fd, line.encode("utf-8") + b"\n")
        if time.monotonic() - self._synced >= FSYNC_SECONDS:
            os.fsync(self._fd)
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None


class StdoutSink:
    """Writes lines to standard output (no resume: nothing to read back)."""

    def write(self, line: str) -> None:
        sys.stdout.buffer.write(line.encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()

    def close(self) -> None:
        sys.stdout.buffer.flush()


def _cut_torn_tail(handle: BinaryIO) -> int:
    """Truncate the file after its last newline; return how many bytes were cut."""
    size = handle.seek(0, os.SEEK_END)
    position = size
    block = 1 << 16
    while position > 0:
        start = max(0, position - block)
        handle.seek(start)
        chunk = handle.read(position - start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            keep = start + newline + 1
            break
        position = start
    else:
        keep = 0
    if keep < size:
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


def _write_all(fd: int, data: bytes) -> None:
    # A regular file takes the whole buffer in one write; the loop only guards against a short
    # write (a full disk reports ENOSPC on the next call instead).
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
