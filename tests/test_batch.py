"""`copydesk batch`: resumable after SIGKILL, torn lines repaired, bad stories isolated, parallel."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copydesk.apps.batch.guard import start_time, stat_fields
from copydesk.apps.batch.records import story_from_record
from copydesk.errors import InputError
from copydesk.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
STORIES = FIXTURES / "stories.jsonl"
FOLDER = FIXTURES / "folder"
STORY_COUNT = 8

# The machine_text checker (built in, fast, no model) tells the stories with leaked machine text
# apart. If it is missing, every batch here fails on the unknown checker: nothing is skipped.
CHECKERS = "machine_text"

# Loaded first by every Python started with it on PYTHONPATH: slows each story down so that a
# test can kill the batch part-way. It changes timing only, never a result.
SLOW_SHIM = """
import os, time
import copydesk.pipeline as _pipeline
_check = _pipeline.Pipeline.check
def _slow_check(self, story):
    time.sleep(float(os.environ["COPYDESK_TEST_SLOW_SECONDS"]))
    return _check(self, story)
_pipeline.Pipeline.check = _slow_check
"""


def batch(*args: str | Path, stdin: bytes | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "copydesk.apps.cli", "batch", *map(str, args), "--checkers", CHECKERS]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=timeout)


def reports(path: Path) -> dict[str, dict]:
    """The output's records by id, checking that it is whole lines, each id once."""
    data = path.read_bytes()
    assert data.endswith(b"\n")
    records = [json.loads(line) for line in data.splitlines()]
    by_id = {record["id"]: record for record in records}
    assert len(by_id) == len(records), "an id appears twice in the output"
    return by_id


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """An uninterrupted run with one worker."""
    output = tmp_path_factory.mktemp("reference") / "reports.jsonl"
    done = batch(STORIES, "-o", output)
    assert done.returncode == 0, done.stderr.decode()
    return reports(output)


def test_every_story_gets_one_report(reference: dict[str, dict]) -> None:
    assert len(reference) == STORY_COUNT
    assert "line-4" in reference  # the story without an id is named by its line
    assert all(
        record["schema"] == SCHEMA_VERSION
        and isinstance(record["consistent"], bool)
        and 0.0 <= record["score"] <= 1.0
        for record in reference.values()
    )
    benchmark_line = reference["bench-style"]  # {"source", "text"} shape
    assert benchmark_line["body"].startswith(" The river path reopened")
    assert [source["text"][:20] for source in benchmark_line["sources"]] == ["The river path reope"]


def test_reports_differ_where_stories_do(reference: dict[str, dict]) -> None:
    kinds = {
        story_id: {finding["kind"] for finding in record["findings"]}
        for story_id, record in reference.items()
    }
    assert "machine_text" in kinds["library-hours"]
    assert "machine_text" in kinds["market-move"]
    assert "machine_text" not in kinds["harbour-ferry"]


def test_sigkill_part_way_then_rerun_equals_uninterrupted_run(
    tmp_path: Path, reference: dict[str, dict]
) -> None:
    output = tmp_path / "reports.jsonl"
    (tmp_path / "shim").mkdir()
    (tmp_path / "shim" / "sitecustomize.py").write_text(SLOW_SHIM)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "shim"), "COPYDESK_TEST_SLOW_SECONDS": "0.5"}
    command = [
        sys.executable,
        "-m",
        "copydesk.apps.cli",
        "batch",
        str(STORIES),
        "-o",
        str(output),
        "--checkers",
        CHECKERS,
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (output.exists() and output.read_bytes().count(b"\n") >= 2):
            assert process.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch wrote nothing in two minutes"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    written = output.read_bytes().count(b"\n")
    assert 2 <= written < STORY_COUNT

    rerun = batch(STORIES, "-o", output)

    assert rerun.returncode == 0, rerun.stderr.decode()
    assert reports(output) == reference
    assert "skipped as already done" in rerun.stderr.decode()


def _children(pid: int) -> dict[int, str]:
    """The live children of ``pid``, each with its start time (so that a reused pid is not taken for it)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = stat_fields(stat)
        if fields is not None and int(fields[1]) == pid and fields[0] != "Z":
            found[int(stat.parent.name)] = fields[19]
    return found


def _alive(pid: int, started: str) -> bool:
    return start_time(pid) == started


def start_slow_batch(tmp_path: Path, *options: str) -> tuple[subprocess.Popen[bytes], Path]:
    """`copydesk batch` over the fixture stories, each check slowed to 2 s, writing to tmp_path."""
    output = tmp_path / "reports.jsonl"
    (tmp_path / "shim").mkdir()
    (tmp_path / "shim" / "sitecustomize.py").write_text(SLOW_SHIM)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "shim"), "COPYDESK_TEST_SLOW_SECONDS": "2"}
    command = [
        *(sys.executable, "-m", "copydesk.apps.cli", "batch", str(STORIES), "-o", str(output)),
        *(*options, "--workers", "2", "--checkers", CHECKERS),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, output


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
def test_workers_end_when_the_batch_is_killed(tmp_path: Path) -> None:
    process, output = start_slow_batch(tmp_path)
    workers: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while not (output.exists() and output.read_bytes().count(b"\n") >= 1):
            assert process.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "the batch wrote nothing in two minutes"
            time.sleep(0.02)
        workers = _children(process.pid)
        assert process.poll() is None and output.read_bytes().count(b"\n") < STORY_COUNT
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert len(workers) >= 2, f"expected two worker processes, found {sorted(workers)}"
        killed = time.monotonic()
        left = list(workers)
        while left and time.monotonic() < killed + 10:
            time.sleep(0.1)
            left = [pid for pid, started in workers.items() if _alive(pid, started)]
        assert not left, f"processes {left} of the killed batch still run 10 s after it died"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid, started in workers.items():
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)


def test_torn_last_line_is_cut_off_and_redone(tmp_path: Path, reference: dict[str, dict]) -> None:
    lines = [json.dumps(record) for record in reference.values()]
    output = tmp_path / "reports.jsonl"
    output.write_text("\n".join(lines[:3]) + "\n" + lines[3][: len(lines[3]) // 2])

    rerun = batch(STORIES, "-o", output)

    assert rerun.returncode == 0, rerun.stderr.decode()
    assert "torn last line" in rerun.stderr.decode()
    assert reports(output) == reference


def test_a_bad_story_mid_batch_becomes_an_error_record(tmp_path: Path, reference: dict[str, dict]) -> None:
    lines = STORIES.read_text().splitlines()
    bad = ['{"id": "no-body", "headline": "A headline", "body": 42}', "{this is not json"]
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join([*lines[:5], *bad, *lines[5:]]) + "\n")
    output = tmp_path / "reports.jsonl"

    done = batch(stories, "-o", output)

    assert done.returncode == 3
    assert "2 failed" in done.stderr.decode()
    written = reports(output)
    assert set(written) == set(reference) | {"no-body", "line-7"}
    assert written["no-body"]["consistent"] is None and "body" in written["no-body"]["error"]
    assert "line 7" in written["line-7"]["error"] and "JSON" in written["line-7"]["error"]
    assert {key: written[key] for key in reference} == reference
    again = batch(stories, "-o", output)  # failures count in the status of a resumed run too
    assert again.returncode == 3 and "Nothing to do" in again.stderr.decode()


def test_two_workers_give_the_same_reports_as_one(tmp_path: Path, reference: dict[str, dict]) -> None:
    output = tmp_path / "reports.jsonl"
    done = batch(STORIES, "-o", output, "--workers", "2")
    assert done.returncode == 0, done.stderr.decode()
    assert reports(output) == reference


def test_folder_of_story_files(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    done = batch(FOLDER, "-o", output)
    assert done.returncode == 0, done.stderr.decode()
    written = reports(output)
    assert set(written) == {"ferry.txt", "library.md", "more/market.json"}  # README.rst is no story
    assert written["ferry.txt"]["headline"] == "Harbour ferry returns after winter repairs"
    assert "Mill Square" in written["more/market.json"]["body"]
    again = batch(FOLDER, "-o", output)
    assert again.returncode == 0 and "Nothing to do" in again.stderr.decode()
    assert reports(output) == written


def test_stdin_to_stdout(reference: dict[str, dict]) -> None:
    done = batch("-", "-o", "-", stdin=STORIES.read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert {record["id"]: record for record in records} == reference
    assert len(records) == STORY_COUNT


def test_duplicate_ids_are_refused_before_any_work(tmp_path: Path) -> None:
    lines = STORIES.read_text().splitlines()
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join([*lines, lines[1]]) + "\n")
    output = tmp_path / "reports.jsonl"
    done = batch(stories, "-o", output)
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "'library-hours'" in message and "lines 2, 9" in message
    assert "Traceback" not in message
    assert not output.exists()


def test_output_of_another_batch_is_not_appended_to(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    other = '{"schema": "copydesk/1", "id": "someone-else", "consistent": true, "score": 1.0}\n'
    output.write_text(other)
    done = batch(STORIES, "-o", output)
    assert done.returncode == 2
    assert "someone-else" in done.stderr.decode()
    assert output.read_text() == other


def test_story_from_record_reads_both_shapes() -> None:
    benchmark = {
        "id": "b1",
        "dataset": "x",
        "source": "Source text.",
        "text": " Claim text.",
        "label": 0,
        "spans": [[1, 6]],
    }
    story = story_from_record(benchmark, 3)
    assert (story.id, story.body, [s.text for s in story.sources]) == ("b1", " Claim text.", ["Source text."])
    interchange = story_from_record({"headline": "H", "body": "B", "published": "2025-08-29"}, 17)
    assert (interchange.id, interchange.body, str(interchange.published)) == ("line-17", "B", "2025-08-29")
    with pytest.raises(InputError, match="line 5"):
        story_from_record({"headline": ""}, 5)


def test_python_gets_a_report_or_the_same_failure_shape_per_story() -> None:
    from copydesk import Pipeline, Settings
    from copydesk.apps.batch import check_stories
    from copydesk.schema import Report, StoryFailure, StoryIn

    class BrokenOnBugs(Pipeline):
        def check(self, story: StoryIn | dict) -> Report:
            if isinstance(story, StoryIn) and "bug" in story.body:
                raise ZeroDivisionError("division by zero")
            return super().check(story)

    good = json.loads(STORIES.read_text().splitlines()[0])
    stories = [
        good,
        {"id": "no-body", "headline": "A headline", "body": 42},
        ["not", "a", "story"],
        StoryIn(id="crash", body="A story that meets a bug."),
    ]
    results = list(check_stories(stories, BrokenOnBugs(Settings(checkers=(CHECKERS,)))))

    assert isinstance(results[0], Report) and results[0].id == good["id"]
    failures = results[1:]
    assert all(isinstance(f, StoryFailure) and f.score is None and f.consistent is None for f in failures)
    assert [f.id for f in failures] == ["no-body", None, "crash"]
    assert failures[0].error == "story 2: field `body` is wrong: Input should be a valid string"
    assert failures[1].error.startswith("story 3: the JSON is a list, not a story object")
    assert failures[2].error == "checking failed: ZeroDivisionError: division by zero"
    assert set(json.loads(failures[0].to_json())) == {"schema", "id", "consistent", "score", "error"}


def test_journal_recovery_cuts_only_the_torn_tail(tmp_path: Path) -> None:
    from copydesk.apps.batch.journal import Journal

    path = tmp_path / "reports.jsonl"
    whole = '{"id": "a", "consistent": true}\n{"id": "b", "error": "bad"}\n'
    path.write_text(whole + '{"id": "c", "consis')
    done = Journal(path).recover()
    assert (done.ids, done.failed, done.torn_bytes) == ({"a", "b"}, 1, len('{"id": "c", "consis'))
    assert path.read_text() == whole
    path.write_text('{"id": "only-half')  # killed during the first write
    assert Journal(path).recover().ids == set()
    assert path.read_bytes() == b""
