"""Ends what a ``--ray local`` batch started when the batch process dies, however it dies.

Run as a script (``python guard.py``) by :mod:`copydesk.apps.batch.ray_runner`, with a pipe from
the batch process as its standard input; it imports nothing of copydesk. Ray kills its raylet and
GCS with the process that started them (``PR_SET_PDEATHSIG``), and its workers follow within a
few seconds, but its two agents (``ray::DashboardAgent``, ``ray::RuntimeEnvAgent``) first try to
tell the dead GCS that the raylet died, with a timeout of 60 s written into Ray's code
(``report_raylet_error_logs`` in ``ray/_private/process_watcher.py``, Ray 2.60). So the batch
process writes the processes Ray started for it (``PID START_TIME`` lines) to this guard, which
runs in a session of its own (Ctrl-C and a closed terminal do not reach it), notes every second
the processes below them, and when the pipe closes (the batch process ended) kills those still
running: at once, not a minute later. Linux only (it reads /proc).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
from pathlib import Path

POLL_SECONDS = 1.0


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    roots: dict[int, str] = {}
    known: dict[int, str] = {}
    pending = b""
    while True:
        known.update(roots)
        known.update(descendants(roots))
        ready, _, _ = select.select([sys.stdin], [], [], POLL_SECONDS)
        if not ready:
            continue
        data = os.read(sys.stdin.fileno(), 4096)
        if not data:
            break  # end of file: the batch process has ended
        *lines, pending = (pending + data).split(b"\n")
        for line in lines:
            root, root_start = line.split()
            roots[int(root)] = root_start.decode()
    for pid, started in known.items():
        if start_time(pid) == started:  # the same process, not a new one that got its pid
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def children(pid: int) -> dict[int, str]:
    """The live children of ``pid``, each with its start time."""
    return descendants({pid: ""}, depth=1)


def descendants(roots: dict[int, str], depth: int | None = None) -> dict[int, str]:
    """The live processes below ``roots`` (to ``depth`` levels), each with its start time."""
    table: dict[int, tuple[int, str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = stat_fields(stat)
        if fields is not None and fields[0] != "Z":
            table[int(stat.parent.name)] = (int(fields[1]), fields[19])
    found: dict[int, str] = {}
    frontier = [(pid, 0) for pid in roots]
    while frontier:
        parent, level = frontier.pop()
        if depth is not None and level >= depth:
            continue
        for pid, (ppid, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append((pid, level + 1))
    return found


def start_time(pid: int) -> str | None:
    """When ``pid`` started (clock ticks after boot), or None when it is not running."""
    fields = stat_fields(Path(f"/proc/{pid}/stat"))
    return None if fields is None or fields[0] == "Z" else fields[19]


def stat_fields(stat: Path) -> list[str] | None:
    """Fields 3 onwards of /proc/PID/stat (state, ppid, ..., start time at [19]), or None."""
    try:
        text = stat.read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


if __name__ == "__main__":
    main()
