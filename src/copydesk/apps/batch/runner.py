"""Running a batch: plan (ids, duplicates, what is done), check (here, in processes or on Ray), write.

Results are written in the order they complete, not in input order: with several workers that
keeps every worker busy, and the output is a set keyed by ``id`` (the same set as an uninterrupted
run's, whatever the order).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from copydesk.apps.batch.checking import Outcome, SetupError, StoryChecker
from copydesk.apps.batch.grouping import grouped_by_sources
from copydesk.apps.batch.journal import Journal, StdoutSink
from copydesk.apps.batch.ray_runner import outcomes_on_ray
from copydesk.apps.batch.records import BatchInput, Task
from copydesk.apps.common import console
from copydesk.errors import CopydeskError, InputError
from copydesk.resources import Settings

IN_FLIGHT_PER_WORKER = 4
"""Stories queued per worker process: enough to keep it busy, few enough to bound memory."""

PARENT_POLL_SECONDS = 1.0
"""How often a worker's watchdog looks whether the batch process is still its parent."""

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class Summary:
    """What a batch run did; ``failed_total`` counts error records in the whole output."""

    total: int = 0
    skipped: int = 0
    """Stories already in the output when the run started."""
    checked: int = 0
    inconsistent: int = 0
    failed: int = 0
    failed_before: int = 0
    inconsistent_before: int = 0
    seconds: float = 0.0
    first_seconds: float = 0.0
    """Time to the first report: starting workers, loading models, checking one story."""
    torn_bytes: int = 0

    @property
    def failed_total(self) -> int:
        return self.failed + self.failed_before

    @property
    def rate(self) -> float:
        return self.checked / self.seconds if self.seconds > 0 else 0.0

    @property
    def steady_rate(self) -> float:
        """Stories per second once the first report came (start-up and model loading left out)."""
        after_first = self.seconds - self.first_seconds
        return (self.checked - 1) / after_first if self.checked > 1 and after_first > 0 else 0.0

    def describe(self) -> str:
        parts = [
            f"checked {self.checked} of {self.total} stories",
            f"{self.inconsistent} inconsistent",
            f"{self.failed} failed",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} skipped as already done ({self.failed_before} of them failed)")
        if self.checked:
            parts.append(f"{self.rate:.2f} stories/s")
        return "; ".join(parts)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_batch(
    input: str,
    output: str,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    ray: str | None = None,
    progress: bool = False,
) -> Summary:
    """Check every story of ``input`` not yet in ``output`` and append its report line there.

    ``input``: a JSONL file, a folder of story files or ``-`` (stdin); ``output``: a JSONL file
    (resumed when it exists) or ``-`` (stdout). ``workers`` processes (default 1: in this
    process), or with ``ray`` (``"local"``, ``"auto"``, ``"ray://host:10001"``) Ray actors.
    """
    settings = settings or Settings()
    if workers is not None and workers < 1:
        raise InputError("--workers must be at least 1")
    if output != "-" and input != "-" and Path(output).resolve() == Path(input).resolve():
        raise InputError(f"{output}: the output would overwrite the input; give another -o")
    summary = Summary()
    with BatchInput(input) as source:
        ids = source.ids()
        summary.total = len(ids)
        sink: Journal | StdoutSink
        if output == "-":
            sink = StdoutSink()
            done_ids: set[str] = set()
        else:
            sink = Journal(Path(output))
            done = sink.recover()
            unknown = done.ids.difference(ids)
            if unknown:
                example = ", ".join(repr(i) for i in sorted(unknown)[:3])
                raise InputError(
                    f"{output} holds {len(unknown)} report(s) for stories that are not in "
                    f"{input} (e.g. {example}); is it the output of another batch? "
                    "give another -o"
                )
            done_ids = done.ids
            summary.skipped = len(done.ids)
            summary.failed_before = done.failed
            summary.inconsistent_before = done.inconsistent
            summary.torn_bytes = done.torn_bytes
        pending = summary.total - summary.skipped
        tasks = (task for task in source.tasks() if task.id not in done_ids)
        started = time.monotonic()
        if pending:
            outcomes = _outcomes(tasks, settings, workers, ray)
            with contextlib.closing(outcomes), _Progress(pending, progress, summary.skipped) as bar:
                try:
                    for outcome in outcomes:
                        sink.write(outcome.line)
                        if not summary.checked:
                            summary.first_seconds = time.monotonic() - started
                        summary.checked += 1
                        if outcome.status == "failed":
                            summary.failed += 1
                        elif outcome.status == "inconsistent":
                            summary.inconsistent += 1
                        bar.advance()
                finally:
                    sink.close()
        summary.seconds = time.monotonic() - started
    return summary


def _outcomes(
    tasks: Iterable[Task], settings: Settings, workers: int | None, ray: str | None
) -> Generator[Outcome, None, None]:
    if ray is not None:
        return outcomes_on_ray(tasks, settings, workers=workers, address=ray)
    if (workers or 1) == 1:
        return outcomes_in_process(tasks, settings)
    return outcomes_in_pool(tasks, settings, workers or 1)


def outcomes_in_process(tasks: Iterable[Task], settings: Settings) -> Generator[Outcome, None, None]:
    """Check the tasks one after the other with one pipeline in this process."""
    checker = StoryChecker(settings)
    for task in tasks:
        yield checker(task)


def outcomes_in_pool(
    tasks: Iterable[Task], settings: Settings, workers: int
) -> Generator[Outcome, None, None]:
    """Check the tasks in ``workers`` processes, each with one pipeline and its share of the cores.

    Stories with the same sources go to a worker together (see ``copydesk.apps.batch.grouping``).
    """
    threads = settings.threads or max(1, available_cores() // workers)
    settings = dataclasses.replace(settings, threads=threads)
    # spawn: a fresh interpreter per worker (forking a parent that holds threads is unsafe).
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(settings, os.getpid())
    )
    in_flight: set[Future[list[Outcome]]] = set()
    queue = grouped_by_sources(tasks)
    finished = False
    try:
        # Libraries read their thread limits from the environment when they load, in the worker,
        # so the limits must be in the environment the workers are spawned with.
        with _environment({name: str(threads) for name in THREAD_ENV} | {"TOKENIZERS_PARALLELISM": "false"}):
            _fill(pool, queue, in_flight, workers * IN_FLIGHT_PER_WORKER)
        while in_flight:
            completed, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in completed:
                yield from _result(future)
            _fill(pool, queue, in_flight, workers * IN_FLIGHT_PER_WORKER)
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop(pool)


def _fill(
    pool: ProcessPoolExecutor, queue: Iterator[list[Task]], in_flight: set[Future[list[Outcome]]], limit: int
) -> None:
    while len(in_flight) < limit:
        group = next(queue, None)
        if group is None:
            return
        in_flight.add(pool.submit(_check_in_worker, group))


def _result(future: Future[list[Outcome]]) -> list[Outcome]:
    try:
        return future.result()
    except SetupError:
        raise
    except BrokenProcessPool:
        raise CopydeskError(
            "a worker process died (out of memory, or killed); the reports written so far "
            "are kept: run the same command again to resume"
        ) from None


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once (Ctrl-C, an error): drop queued work and end the workers mid-story."""
    pool.shutdown(wait=False, cancel_futures=True)
    # The executor has no public way to end running work; its processes are terminated directly.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True)


_worker_checker: StoryChecker | None = None
_worker_setup_error: str | None = None


def _start_worker(settings: Settings, parent_pid: int) -> None:
    global _worker_checker, _worker_setup_error
    end_with_parent(parent_pid)
    # Ctrl-C goes to the whole process group; the parent alone decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _worker_checker = StoryChecker(settings)
    except SetupError as exc:
        _worker_setup_error = str(exc)


def end_with_parent(parent_pid: int) -> None:
    """Make this process end within about a second of ``parent_pid``, however the parent ends.

    A worker blocked on its task queue never notices its parent dying: the queue's pipe stays open
    (the workers hold its write end too), so after a ``kill -9`` of ``copydesk batch`` the workers
    would live on with parent 1. Two guards, either of which is enough:

    - on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills this process when the
      thread that started it ends (``run_batch`` starts the pool in the thread it runs in, and that
      thread waits in it until the pool is shut down);
    - everywhere, a daemon thread that looks every second whether the parent is still ``parent_pid``
      (a dead parent's children are handed to init or a subreaper) and ends the process if not.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the guard was set
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="copydesk-parent-watch", daemon=True
    ).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _check_in_worker(group: list[Task]) -> list[Outcome]:
    if _worker_checker is None:
        raise SetupError(_worker_setup_error or "the worker did not start")
    return [_worker_checker(task) for task in group]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _Progress:
    """A rich progress bar with rate and ETA on stderr, or nothing."""

    def __init__(self, total: int, enabled: bool, skipped: int) -> None:
        self._bar = None
        if not enabled:
            return
        label = "Checking" + (f" (skipping {skipped} done)" if skipped else "")
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._bar.add_task(label, total=total, rate="-- stories/s")
        self._started = time.monotonic()
        self._count = 0

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self) -> None:
        if self._bar is None:
            return
        self._count += 1
        elapsed = time.monotonic() - self._started
        self._bar.update(self._task, advance=1, rate=f"{self._count / elapsed:.2f} stories/s")
