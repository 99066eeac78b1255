"""Running a batch on Ray: Ray Data ``map_batches`` over an actor pool, each actor one pipeline.

The driver (the ``copydesk batch`` process) plans the batch exactly as a local run does (ids,
duplicates, what the output already holds), sends the pending stories to the cluster, and streams
the reports back with ``iter_rows()`` into the same journal, so the resume guarantees are the same.

With ``--ray local`` the Ray instance is this process's own, and a guard process
(``copydesk/apps/batch/guard.py``) ends what is left of it when this process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import subprocess
import sys
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

from copydesk.apps.batch import guard as guard_process
from copydesk.apps.batch.checking import Outcome, SetupError, StoryChecker
from copydesk.apps.batch.grouping import grouped_by_sources
from copydesk.apps.batch.records import Task
from copydesk.errors import CopydeskError
from copydesk.resources import Settings

LOCAL = "local"
"""``--ray local``: start a Ray instance inside this process (a one-machine cluster)."""

STORIES_PER_BLOCK = 4
"""Small blocks: reports come back (and are journaled) a few at a time, not at the end."""

MAX_BLOCKS = 10_000


class RayStoryChecker:
    """The callable class of ``map_batches``: Ray Data builds one per actor, models load once."""

    def __init__(self, settings: Settings) -> None:
        self.setup_error: str | None = None
        try:
            self.checker: StoryChecker | None = StoryChecker(settings)
        except SetupError as exc:
            self.checker = None
            self.setup_error = str(exc)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        ids: list[str] = []
        statuses: list[str] = []
        lines: list[str] = []
        for task_id, kind, payload, number, data in zip(
            batch["id"], batch["kind"], batch["payload"], batch["number"], batch["data"], strict=True
        ):
            if self.checker is None:
                outcome = Outcome(str(task_id), "setup_failed", self.setup_error or "")  # type: ignore[arg-type]
            else:
                task = Task(str(task_id), str(kind), str(payload), int(number))  # type: ignore[arg-type]
                outcome = self.checker(task, bytes(data) if kind == "file" else None)
            ids.append(outcome.id)
            statuses.append(outcome.status)
            lines.append(outcome.line)
        return {"id": ids, "status": statuses, "line": lines}


def outcomes_on_ray(
    tasks: Iterable[Task], settings: Settings, *, workers: int | None, address: str
) -> Generator[Outcome, None, None]:
    """Check the tasks on a Ray cluster (``address``: ``local``, ``auto``, ``ray://host:10001``)."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise CopydeskError('--ray needs Ray: pip install "ray[data]"') from None

    # blocks are contiguous: a group of stories with the same sources lands on one actor
    items = [_row(task) for group in grouped_by_sources(tasks) for task in group]
    if not items:
        return
    started_here = not ray.is_initialized()
    guard = _start_guard() if started_here and address == LOCAL else None
    try:
        yield from _run(ray, items, settings, workers, address, started_here, guard)
    finally:
        _stop_guard(guard)


def _run(
    ray: Any,
    items: list[dict[str, Any]],
    settings: Settings,
    workers: int | None,
    address: str,
    started_here: bool,
    guard: subprocess.Popen[bytes] | None,
) -> Generator[Outcome, None, None]:
    if started_here:
        before = guard_process.children(os.getpid()) if guard is not None else {}
        _connect(ray, address)
        if guard is not None:
            _watch(guard, before)
    try:
        threads, actors, fitting = _sizes(ray, settings, workers)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # copydesk draws its own
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notices say where ray logs go
        blocks = min(MAX_BLOCKS, len(items), max(actors, math.ceil(len(items) / STORIES_PER_BLOCK)))
        dataset = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            RayStoryChecker,
            fn_constructor_args=(dataclasses.replace(settings, threads=threads),),
            batch_size=STORIES_PER_BLOCK,
            batch_format="numpy",
            # Starts the actors the cluster has room for now, grows when an autoscaler adds nodes.
            compute=ray.data.ActorPoolStrategy(min_size=min(actors, fitting), max_size=actors),
            num_cpus=threads,
        )
        for row in dataset.iter_rows():
            if row["status"] == "setup_failed":
                raise SetupError(str(row["line"]))
            yield Outcome(str(row["id"]), row["status"], str(row["line"]))
    finally:
        if started_here:
            ray.shutdown()


def _start_guard() -> subprocess.Popen[bytes] | None:
    """Start the guard that ends this process's Ray instance with it (Linux: it reads /proc)."""
    if not sys.platform.startswith("linux"):
        return None
    return subprocess.Popen(
        [sys.executable, "-I", guard_process.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C and a closed terminal must not end it before this process
    )


def _watch(guard: subprocess.Popen[bytes], before: dict[int, str]) -> None:
    """Tell the guard which processes (with all below them) are this process's Ray instance."""
    assert guard.stdin is not None
    started = guard_process.children(os.getpid()).items() - before.items()
    lines = "".join(f"{pid} {start}\n" for pid, start in started if pid != guard.pid)
    with contextlib.suppress(OSError):  # a guard that died cannot help; the batch goes on
        guard.stdin.write(lines.encode())
        guard.stdin.flush()


def _stop_guard(guard: subprocess.Popen[bytes] | None) -> None:
    """Ray was shut down: closing the pipe lets the guard end whatever is left, and itself."""
    if guard is None:
        return
    assert guard.stdin is not None
    guard.stdin.close()
    try:
        guard.wait(timeout=10)
    except subprocess.TimeoutExpired:
        guard.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            guard.wait(timeout=5)


def _row(task: Task) -> dict[str, Any]:
    """A task as a dataset row. A file's content travels with it: cluster nodes need not see the folder."""
    row: dict[str, Any] = {**dataclasses.asdict(task), "data": b""}
    if task.kind == "file":
        try:
            row["data"] = Path(task.payload).read_bytes()
        except OSError as exc:
            row.update(kind="invalid", payload=f"{task.payload}: cannot be read ({exc.strerror})")
    return row


def _connect(ray: Any, address: str) -> None:
    logging.getLogger("ray").setLevel(logging.WARNING)
    try:
        if address == LOCAL:
            ray.init(include_dashboard=False, logging_level=logging.WARNING)
        else:
            ray.init(address=address, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise CopydeskError(
            f"--ray {address}: could not connect to a Ray cluster ({exc}); start one with "
            "`ray start --head`, or use --ray local"
        ) from None


def _sizes(ray: Any, settings: Settings, workers: int | None) -> tuple[int, int, int]:
    """Threads (CPUs) per actor, the number of actors, and how many of them fit the cluster now.

    ``--workers`` actors sharing the CPUs of the cluster (never more than one node has), or, without
    ``--workers``, as many actors of ``--threads`` CPUs (default 1) as the cluster holds.
    """
    total = int(ray.cluster_resources().get("CPU", 1))
    largest_node = max(
        (int(node["Resources"].get("CPU", 0)) for node in ray.nodes() if node.get("Alive")), default=total
    )
    if workers:
        threads = settings.threads or max(1, min(largest_node, total // workers))
        return threads, workers, max(1, total // threads)
    threads = settings.threads or 1
    return threads, max(1, total // threads), max(1, total // threads)
