"""The entailment judges side by side on the same checked stories: ``--model fast``, ``accurate``, ``auto``.

    python benchmarks/judges.py ../shared/data/benchmarks/*.jsonl --models fast,auto --threads 2 \
        [--split test] [--limit N] [--json OUT.json] [--cache CHECKED.pkl] [--rows ROWS.jsonl] [--rejudge]

Each story is read, parsed and checked once (fast mode); then, for every other mode, its claims
are scored again with that mode's judge (``copydesk.checkers.entailment.judge_again``) and the
story is decided with that mode's combiner, exactly as ``copydesk check --model MODE`` would
decide it. Only the judge differs between the columns, so the comparison costs one parse and one
scoring per mode, not one whole run per mode. ``--cache`` keeps the checked stories (the slow
part): a later run with other modes (a newly trained model, say) only scores them again;
``--rejudge`` scores the fast column again too, for a newly trained fast judge and a cache
checked with the one before.

Prints, per dataset, the balanced accuracy and span F1 of each mode, the mean over the five
target datasets, and the seconds each judge took; fast mode's numbers are those of ``copydesk
eval`` on the same rows. ``--rows`` writes one line per story (file, line, dataset, gold label,
and each mode's verdict and score), to read where two judges disagree row by row.
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import sys
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from copydesk.apps.evaluation import runner
from copydesk.checkers.entailment import judge_again
from copydesk.document import Document
from copydesk.inference import MODES
from copydesk.pipeline import Pipeline
from copydesk.reading import story_from_record
from copydesk.resources import Settings

TARGETS = ("faithbench", "summedits-news", "frank_valid (all)", "qags (all)", "xsum-hallucinations")
"""The five target datasets whose mean leads the evaluation (docs/evaluation.md): FRANK and QAGS
are their whole files (CNN/DM and XSum rows together)."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path, help="benchmark JSONL files (copydesk eval's format)")
    ap.add_argument("--models", default="fast,auto", help="comma-separated modes; fast always runs first")
    ap.add_argument("--split", choices=("test", "all"), default="test")
    ap.add_argument("--limit", type=int, default=None, help="at most N rows per file, spread evenly")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--budget", type=float, default=None, help="auto mode's seconds per story")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument(
        "--cache", type=Path, default=None, help="pickle of the stories checked in fast mode (reused)"
    )
    ap.add_argument("--rows", type=Path, default=None, help="write each story's verdicts here (JSONL)")
    ap.add_argument(
        "--rejudge", action="store_true", help="score the cached stories again in fast mode too (a new judge)"
    )
    args = ap.parse_args(argv)
    modes = ["fast", *(m for m in args.models.split(",") if m and m != "fast")]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        ap.error(f"unknown mode {unknown[0]!r}; choose from {', '.join(MODES)}")

    rows = [
        row for path in args.files for row in runner.select(runner.read_rows(path), args.split, args.limit)
    ]
    budget = {} if args.budget is None else {"model_budget_s": args.budget}
    pipelines = {m: Pipeline(Settings(threads=args.threads, model=m, **budget)) for m in modes}
    checked = _checked(rows, pipelines["fast"], args.cache)
    outcomes: dict[str, list[runner.Outcome]] = {m: [] for m in modes}
    seconds = dict.fromkeys(modes, 0.0)
    with _progress() as progress:
        task = progress.add_task("Judging stories", total=len(checked))
        for row, fast_doc, parse_seconds in checked:
            for mode in modes:
                doc = copy.deepcopy(fast_doc)
                started = time.perf_counter()
                if mode != "fast" or args.rejudge:
                    judge_again(doc, pipelines[mode].resources)
                report = pipelines[mode].report(doc)
                took = time.perf_counter() - started + (parse_seconds if mode == "fast" else 0.0)
                seconds[mode] += took
                outcomes[mode].append(runner.outcome(row, report, took))
            progress.advance(task)

    results = {m: {r.name: r for r in runner.group(outcomes[m])} for m in modes}
    names = list(results["fast"])
    print(f"{len(rows)} stories, {args.split} side; balanced accuracy (span F1) per mode")
    print(f"{'dataset':<26}" + "".join(f"{m:>18}" for m in modes))
    for name in names:
        cells = []
        for m in modes:
            r = results[m][name]
            span = f" ({r.span.f1:.3f})" if r.span is not None and r.span.f1 is not None else ""
            cells.append(f"{_number(r.balanced_accuracy)}{span}")
        print(f"{name:<26}" + "".join(f"{c:>18}" for c in cells))
    means = {m: _mean_of_targets(results[m]) for m in modes}
    print(f"{'mean of the five':<26}" + "".join(f"{_number(means[m]):>18}" for m in modes))
    print(f"{'judge seconds':<26}" + "".join(f"{seconds[m]:>18.0f}" for m in modes))
    counts = {m: pipelines[m].resources.scorer_counts() for m in modes}
    if args.json:
        payload = {
            "split": args.split,
            "stories": len(rows),
            "modes": {
                m: {
                    "mean_of_five": means[m],
                    "seconds": seconds[m],
                    "cascade": counts[m],
                    "datasets": [r.to_dict() for r in results[m].values()],
                }
                for m in modes
            },
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    if args.rows:
        _write_rows(args.rows, outcomes)
    return 0


def _write_rows(path: Path, outcomes: dict[str, list[runner.Outcome]]) -> None:
    """One JSON line per story: where it is, its gold label, and every mode's verdict and score."""
    with path.open("w", encoding="utf-8") as out:
        for per_mode in zip(*outcomes.values(), strict=True):
            row = per_mode[0].row
            line = {"file": str(row.file), "line": row.line, "dataset": row.dataset, "label": row.label}
            for mode, o in zip(outcomes, per_mode, strict=True):
                line[mode] = {"consistent": o.consistent, "score": o.score}
            out.write(json.dumps(line) + "\n")


def _checked(
    rows: list[runner.Row], fast: Pipeline, cache: Path | None
) -> list[tuple[runner.Row, Document, float]]:
    """Every row read, parsed and checked in fast mode, with the seconds it took (from ``cache``
    when it holds these very rows)."""
    wanted = [(str(row.file), row.line) for row in rows]
    if cache is not None and cache.is_file():
        with cache.open("rb") as handle:
            stored = pickle.load(handle)
        if [(str(row.file), row.line) for row, _, _ in stored] == wanted:
            print(f"read {len(stored)} checked stories from {cache}")
            return stored
        print(f"{cache} holds other rows; checking again")
    checked = []
    with _progress() as progress:
        task = progress.add_task("Checking stories", total=len(rows))
        for row in rows:
            started = time.perf_counter()
            doc = fast.verify(story_from_record(row.record, row.line))
            for text in (doc.headline, doc.body, *doc.sources):
                text.doc = None  # the parse is done; copies and the cache need not carry it
            checked.append((row, doc, time.perf_counter() - started))
            progress.advance(task)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(checked, handle)
    return checked


def _progress() -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    return Progress(*columns, transient=True)


def _mean_of_targets(results: dict[str, runner.DatasetResult]) -> float | None:
    values = [results[name].balanced_accuracy for name in TARGETS if name in results]
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if len(known) == len(TARGETS) else None


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
