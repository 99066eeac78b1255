"""Stories per second of `copydesk batch` with 1 and 2 worker processes and on Ray (local, 2 actors).

    python benchmarks/batch.py                      # 200 stories from ../shared/data/benchmarks
    python benchmarks/batch.py --stories 40 --modes 1,2 --checkers machine_text

The stories are taken in turn from every benchmark file (a mix of short and long sources) and mapped
with ``story_from_record``. Times are wall-clock for the whole batch, model loading and (for Ray)
starting the cluster included, as a user would see them, and the rate after the first report (start-up
left out), and how many cores the batch kept busy on average (CPU time / wall time: with other
work on the machine, fewer than the workers). The reports of every mode are compared.

Two reference numbers put the speed-up in context: one worker held to one thread (mode ``1t``),
which is the runner's own scaling without the second thread a lone worker gets, and the machine's
scaling on a fixed job in two single-threaded processes (skip it with ``--no-ceiling``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from copydesk.apps.batch import run_batch, story_from_record
from copydesk.apps.batch.runner import available_cores
from copydesk.resources import Settings

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "benchmarks"


def pick_stories(count: int) -> list[str]:
    """``count`` interchange-format lines, taken in turn from each benchmark file."""
    files = sorted(DATA.glob("*.jsonl"))
    if not files:
        sys.exit(f"no benchmark files in {DATA}")
    readers = [open(path, encoding="utf-8") for path in files]  # noqa: SIM115 - closed below
    picked: list[str] = []
    try:
        while len(picked) < count and readers:
            for reader in list(readers):
                line = reader.readline()
                if not line:
                    readers.remove(reader)
                    continue
                story = story_from_record(json.loads(line), len(picked) + 1)
                picked.append(story.model_dump_json())
                if len(picked) == count:
                    break
    finally:
        for reader in readers:
            reader.close()
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument(
        "--modes",
        default="1,2,ray,1t",
        help="comma-separated: a worker count, a worker count with t (each worker one thread), or ray",
    )
    parser.add_argument("--checkers", default=None, help="comma-separated checkers (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--no-ceiling", action="store_true", help="skip measuring the machine's own scaling")
    options = parser.parse_args()

    settings = Settings(checkers=tuple(options.checkers.split(","))) if options.checkers else Settings()
    results: dict[str, dict[str, float]] = {}
    outputs: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        stories = Path(folder) / "stories.jsonl"
        stories.write_text("\n".join(pick_stories(options.stories)) + "\n", encoding="utf-8")
        for mode in options.modes.split(","):
            output = Path(folder) / f"reports-{mode}.jsonl"
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            if mode == "ray":
                summary = run_batch(str(stories), str(output), settings, ray="local", workers=2)
                label = "ray (local, 2 actors)"
            elif mode.endswith("t"):  # one worker held to one thread: the runner's scaling alone
                one_thread = dataclasses.replace(settings, threads=1)
                summary = run_batch(str(stories), str(output), one_thread, workers=int(mode[:-1]))
                label = f"{mode[:-1]} worker(s), 1 thread each"
            else:
                summary = run_batch(str(stories), str(output), settings, workers=int(mode))
                label = f"{mode} worker(s)"
            seconds = time.perf_counter() - started
            cores_busy = (_cpu_seconds() - cpu_started) / seconds
            rate = summary.checked / seconds
            results[label] = {
                "stories": summary.checked,
                "failed": summary.failed,
                "seconds": round(seconds, 2),
                "stories_per_s": round(rate, 3),
                "startup_seconds": round(summary.first_seconds, 2),
                "steady_stories_per_s": round(summary.steady_rate, 3),
                "cores_busy": round(cores_busy, 2),
            }
            print(
                f"{label}: {summary.checked} stories in {seconds:.1f} s = {rate:.2f} stories/s; "
                f"{summary.steady_rate:.2f}/s after the first report at {summary.first_seconds:.1f} s "
                f"({summary.failed} failed); {cores_busy:.2f} cores busy on average",
                file=sys.stderr,
            )
            outputs[label] = _by_id(output)
    one, two = results.get("1 worker(s)"), results.get("2 worker(s)")
    single = results.get("1 worker(s), 1 thread each")
    steady = "steady_stories_per_s"
    report = {
        "cores": available_cores(),
        "checkers": list(settings.checkers),
        "results": results,
        "speedup_2_over_1": round(two["stories_per_s"] / one["stories_per_s"], 2) if one and two else None,
        "steady_speedup_2_over_1": (
            round(two[steady] / one[steady], 2) if one and two and one[steady] else None
        ),
        "speedup_2_over_1_thread_worker": (
            round(two["stories_per_s"] / single["stories_per_s"], 2) if single and two else None
        ),
        "machine_speedup_2_over_1": None if options.no_ceiling else machine_speedup(),
        "same_reports_in_every_mode": len({json.dumps(o, sort_keys=True) for o in outputs.values()}) <= 1,
        "differences_from_first_mode": _differences(outputs),
    }
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        for label, result in results.items():
            print(
                f"{label:24} {result['stories_per_s']:6.2f} stories/s  ({result['seconds']} s in all), "
                f"{result[steady]:6.2f} stories/s after start-up ({result['startup_seconds']} s), "
                f"{result['cores_busy']} cores busy"
            )
        if report["speedup_2_over_1"] is not None:
            print(
                f"2 workers / 1 worker on {report['cores']} cores: {report['speedup_2_over_1']}x in all, "
                f"{report['steady_speedup_2_over_1']}x after start-up"
            )
        if report["speedup_2_over_1_thread_worker"] is not None:
            print(f"2 workers / 1 worker held to one thread: {report['speedup_2_over_1_thread_worker']}x")
        if report["machine_speedup_2_over_1"] is not None:
            print(
                f"the machine itself, two single-threaded processes / one: "
                f"{report['machine_speedup_2_over_1']}x (the ceiling for any batch here)"
            )
        print(f"same reports in every mode: {report['same_reports_in_every_mode']}")
        for label, difference in report["differences_from_first_mode"].items():
            print(f"  {label}: {difference}")


CEILING_JOB = """
import time
import numpy as np
matrix = np.random.default_rng(0).random((192, 192), dtype=np.float32)
started = time.perf_counter()
total = 0
for i in range(16_000_000):
    total += i * i
for _ in range(6000):
    matrix = np.tanh(matrix @ matrix)
print(time.perf_counter() - started)
"""


def machine_speedup(repeat: int = 3) -> float:
    """How much faster two single-threaded processes get a fixed job done than one process.

    The job mixes interpreted Python and matrix products, as a check does. On two real cores this
    is near 2; where the two virtual CPUs share a physical core or its caches it is lower, and no
    batch can scale better than it.
    """
    env = os.environ | {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}

    def wall(processes: int) -> float:
        started = time.perf_counter()
        running = [
            subprocess.Popen([sys.executable, "-c", CEILING_JOB], env=env, stdout=subprocess.DEVNULL)
            for _ in range(processes)
        ]
        for process in running:
            process.wait()
        return time.perf_counter() - started

    one = sorted(wall(1) for _ in range(repeat))[repeat // 2]
    two = sorted(wall(2) for _ in range(repeat))[repeat // 2]
    return round(2 * one / two, 2)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (worker processes; Ray's only in part)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _by_id(path: Path) -> dict[str, dict]:
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {record["id"]: record for record in records}


def _differences(outputs: dict[str, dict[str, dict]]) -> dict[str, dict[str, object]]:
    """For each mode unlike the first: how many stories differ, and in which fields."""
    if not outputs:
        return {}
    first_label, first = next(iter(outputs.items()))
    found: dict[str, dict[str, object]] = {}
    for label, other in list(outputs.items())[1:]:
        differing = [key for key in first.keys() | other.keys() if first.get(key) != other.get(key)]
        if differing:
            fields = sorted(
                {
                    name
                    for key in differing
                    if key in first and key in other
                    for name in first[key]
                    if first[key][name] != other[key].get(name)
                }
            )
            found[label] = {
                "compared_with": first_label,
                "stories": len(differing),
                "fields": fields,
                "examples": sorted(differing)[:3],
            }
    return found


if __name__ == "__main__":
    main()
