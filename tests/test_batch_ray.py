"""`copydesk batch --ray`: on a Ray instance started by the test, same reports and resume as locally."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from test_batch import CHECKERS, FOLDER, STORIES, STORY_COUNT, reports  # noqa: E402

from copydesk.apps.batch import run_batch  # noqa: E402
from copydesk.resources import Settings  # noqa: E402

SETTINGS = Settings(checkers=tuple(name for name in CHECKERS.split(",") if name))


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
