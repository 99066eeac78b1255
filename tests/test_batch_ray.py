"""`copydesk batch --ray`: on a Ray instance started by the test, same reports and resume as locally."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from test_batch import CHECKERS, FOLDER, STORIES, STORY_COUNT, _alive, reports, start_slow_batch  # noqa: E402

from copydesk.apps.batch import run_batch  # noqa: E402
from copydesk.apps.batch.guard import descendants  # noqa: E402
from copydesk.resources import Settings  # noqa: E402

SETTINGS = Settings(checkers=(CHECKERS,))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
def test_a_killed_ray_local_batch_leaves_no_process_behind(tmp_path: Path) -> None:
    """SIGKILL of `copydesk batch --ray local`: Ray's head, workers and agents all end within 10 s."""
    process, output = start_slow_batch(tmp_path, "--ray", "local")
    started: dict[int, str] = {}
    try:
        # Ray Data hands results back a block (4 stories) at a time, often all at once at the end:
        # the batch is killed once its actors are checking, not after its first report.
        deadline = time.monotonic() + 240
        while not any(_command(pid).startswith(b"ray::MapWorker") for pid in descendants({process.pid: ""})):
            assert process.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no Ray actor started in four minutes"
            time.sleep(0.1)
        time.sleep(1)
        started = descendants({process.pid: ""})
        written = output.read_bytes().count(b"\n") if output.exists() else 0
        assert process.poll() is None and written < STORY_COUNT
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        killed = time.monotonic()
        left = list(started)
        while left and time.monotonic() < killed + 10:
            time.sleep(0.1)
            left = [pid for pid, start in started.items() if _alive(pid, start)]
        assert not left, f"still running 10 s after the batch died: {[_command(pid) for pid in left]}"
        assert len(started) >= 5  # Ray's head, its agents and the actors were there to end
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid, start in started.items():
            if _alive(pid, start):
                os.kill(pid, signal.SIGKILL)


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()[:80]
    except OSError:
        return b""


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """A one-machine Ray instance with 2 CPUs inside the test process, shut down afterwards."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    output = tmp_path_factory.mktemp("local") / "reports.jsonl"
    run_batch(str(STORIES), str(output), SETTINGS)
    return reports(output)


def test_ray_gives_the_same_reports_as_a_local_run(
    cluster: None, local_reference: dict[str, dict], tmp_path: Path
) -> None:
    output = tmp_path / "reports.jsonl"
    summary = run_batch(str(STORIES), str(output), SETTINGS, ray="auto", workers=2)
    assert (summary.checked, summary.failed) == (STORY_COUNT, 0)
    assert reports(output) == local_reference


def test_ray_resumes_a_partial_output(
    cluster: None, local_reference: dict[str, dict], tmp_path: Path
) -> None:
    lines = [json.dumps(record) for record in local_reference.values()]
    output = tmp_path / "reports.jsonl"
    output.write_text("\n".join(lines[:3]) + "\n" + lines[3][:40])  # three done, one torn
    summary = run_batch(str(STORIES), str(output), SETTINGS, ray="auto", workers=2)
    assert (summary.skipped, summary.checked, summary.torn_bytes) == (3, STORY_COUNT - 3, 40)
    assert reports(output) == local_reference


def test_ray_reads_a_folder_from_the_driver(cluster: None, tmp_path: Path) -> None:
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_batch(str(FOLDER), str(local), SETTINGS)
    run_batch(str(FOLDER), str(on_ray), SETTINGS, ray="auto", workers=2)
    assert reports(on_ray) == reports(local)
    assert len(reports(local)) == 3
