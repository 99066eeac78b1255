"""Learn the decide stage's combiner (``models/combiner.json``) on the train side of the benchmarks.

    python -m training.train_combiner --data ../shared/data --out src/copydesk/models/combiner.json

One combiner per ``--model`` mode, since its thresholds and weights are learned on the support
values of that mode's judge: ``--model fast`` (the default) writes ``combiner.json``; ``--model
auto`` and ``--model accurate`` (they need ``entailment_mpnet.onnx``) write ``combiner_auto.json``
and ``combiner_accurate.json`` (``copydesk.models.combiner_file``). The cached stories hold the
supports of the mode that checked them: give each mode its own ``--cache``, or pass ``--rescore``
to score a cache's claims again with ``--model``'s judge (reading and parsing are not repeated).

1. Runs copydesk's pipeline (every stage and checker, as ``copydesk check`` does) over at most
   ``--per-file`` rows of each benchmark file whose source is on the *train* side of
   ``copydesk.datasplit.split_of``;
2. learns the entailment checker's thresholds from the claims' support values;
3. fits a logistic regression over ``copydesk.stages.decide.features`` (the function the run time
   uses), with out-of-fold predictions grouped by source document, an isotonic calibration of
   those, the gate on P(inconsistent) that maximises the mean balanced accuracy over datasets,
   and a Platt map of each finding kind's confidence;
4. writes the JSON and prints the cross-validated scores.

``--cache FILE`` keeps the pipeline's output (the slow part) so refitting takes seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, get_args

import numpy as np

from copydesk import registry
from copydesk.apps.evaluation import metrics
from copydesk.apps.evaluation.runner import Row, read_rows, select
from copydesk.checkers.entailment import NAME as ENTAILMENT
from copydesk.checkers.entailment import entailment_findings, supports_of
from copydesk.datasplit import TrainHalf, source_hash, train_half
from copydesk.document import Document
from copydesk.errors import CopydeskError
from copydesk.inference import MODES, build_scorer
from copydesk.models import combiner_file
from copydesk.reading import story_from_record
from copydesk.schema import Finding, Severity
from copydesk.stages import calibration
from copydesk.stages.decide import NOT_ABOUT_FACTS, features, gate_findings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
MODEL_DIR = REPO_ROOT / "src" / "copydesk" / "models"
DEFAULT_OUT = combiner_file("fast", MODEL_DIR)
FOLDS = 5
#: share of inconsistent train stories whose weakest claim must fall under the "unsupported" line
UNLABELLED_KINDS = frozenset(kind.value for kind in NOT_ABOUT_FACTS)
"""Finding kinds the benchmarks do not label (``copydesk.stages.decide.NOT_ABOUT_FACTS``). Such findings
keep the confidence their checker gives them instead of a calibration that would teach that
leaks are harmless."""

UNSUPPORTED_FALSE_ALARMS = 0.05
"""Share of the claims of consistent stories allowed under the 'unsupported' line: a warning an
editor sees on true statements costs trust, so this line is set for precision."""


@dataclass
class Sample:
    """One checked train story: its gold answer and the document the checkers annotated."""

    dataset: str
    label: int
    gold_spans: list[tuple[int, int]]
    group: str
    doc: Document


def train_rows(data_dir: Path, per_file: int | None, half: TrainHalf | None = None) -> list[Row]:
    """The train-side rows of every benchmark file (of one ``half`` of the train side when given),
    at most ``per_file`` of each, spread evenly over the file (``None``: all)."""
    files = sorted((data_dir / "benchmarks").glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no benchmark files in {data_dir / 'benchmarks'}; pass --data ../shared/data")
    rows: list[Row] = []
    for path in files:
        train = [r for r in read_rows(path) if _split(r) == "train"]
        if half:
            train = [r for r in train if train_half(source_hash(_source(r))) == half]
        rows.extend(select(train, "all", per_file))
    return rows


def _source(row: Row) -> str:
    return str(row.record.get("source") or "")


def _split(row: Row) -> str:
    from copydesk.datasplit import split_of

    return split_of(_source(row))


class _CacheReader(pickle.Unpickler):
    """Reads caches written by ``python -m training.train_combiner``, where ``Sample`` was pickled
    as ``__main__.Sample``, from any module."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "__main__" and name == "Sample":
            return Sample
        return super().find_class(module, name)


def load_cache(path: Path, half: TrainHalf | None = None) -> list[Sample]:
    """The checked stories a ``--cache`` file holds (those of one ``half`` of the train side when given)."""
    with path.open("rb") as handle:
        samples = _CacheReader(handle).load()
    if half:
        samples = [s for s in samples if half_of(s) == half]
    return samples


def half_of(sample: Sample) -> TrainHalf:
    """The half of the train side a checked story's source belongs to."""
    return train_half(int(sample.group))


def collect(rows: Sequence[Row], pipeline: Any, advance: Callable[[], None] = lambda: None) -> list[Sample]:

    samples = []
    for row in rows:
        try:
            doc = pipeline.verify(story_from_record(row.record, row.line))
        except Exception as exc:  # one story the pipeline cannot handle must not cost the whole run
            print(f"left out {row.file.name} line {row.line}: {type(exc).__name__}: {exc}")
            advance()
            continue
        for text in (doc.headline, doc.body, *doc.sources):
            text.doc = None  # the spaCy parse is not needed any more and weighs the most
        group = str(source_hash(_source(row)))
        samples.append(Sample(row.dataset, row.label, row.spans, group, doc))
        advance()
    return samples


def min_support(sample: Sample) -> float | None:
    supports = supports_of(sample.doc)
    return min(s for s, _ in supports.values()) if supports else None


def macro_balanced_accuracy(samples: Sequence[Sample], predicted_consistent: Sequence[bool]) -> float:
    by_dataset: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for sample, predicted in zip(samples, predicted_consistent, strict=True):
        by_dataset[sample.dataset][0].append(sample.label)
        by_dataset[sample.dataset][1].append(int(predicted))
    scores = [metrics.balanced_accuracy(y, p) for y, p in by_dataset.values()]
    return float(np.mean([s for s in scores if s is not None]))


def learn_thresholds(samples: Sequence[Sample]) -> dict[str, float]:
    """The 'contradicted' line maximising the macro balanced accuracy of "weakest claim below it"; the
    'unsupported' line under which only ``UNSUPPORTED_FALSE_ALARMS`` of consistent stories' claims fall."""
    weakest = [min_support(s) for s in samples]
    scored = [w for w in weakest if w is not None]
    if not scored:
        raise SystemExit("no claim got a support value: is the entailment model installed and retrieval on?")
    candidates = np.unique(np.quantile(scored, np.linspace(0.02, 0.98, 49)))
    best = max(
        candidates,
        key=lambda t: macro_balanced_accuracy(samples, [w is None or w >= t for w in weakest]),
    )
    true_claims = [support for s in samples if s.label == 1 for support, _ in supports_of(s.doc).values()]
    upper = float(np.quantile(true_claims, UNSUPPORTED_FALSE_ALARMS)) if true_claims else float(best)
    return {
        "contradicted_below": round(float(best), 4),
        "unsupported_below": round(max(upper, float(best)), 4),
    }


def refind(sample: Sample, thresholds: dict[str, float]) -> None:
    """Redo the entailment checker's findings with the learned thresholds (the rest stays)."""
    doc = sample.doc
    kept = [f for f in doc.findings if f.checker != ENTAILMENT]
    found = list(
        entailment_findings(
            doc, supports_of(doc), thresholds["contradicted_below"], thresholds["unsupported_below"]
        )
    )
    doc.findings = kept + found


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def _fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardise(x)
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return mean, scale, model.coef_[0], float(model.intercept_[0])


def _predict(params: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, coef, intercept = params
    return calibration.sigmoid(((x - mean) / scale) @ coef + intercept)


def _folds(groups: Sequence[str]) -> list[np.ndarray]:
    from sklearn.model_selection import GroupKFold

    index = np.arange(len(groups))
    return [test for _, test in GroupKFold(n_splits=FOLDS).split(index, groups=groups)]


def _consistent_after_gate(sample: Sample, p_inconsistent: float, gate: float) -> bool:
    return not any(
        f.severity == Severity.ERROR for f in gate_findings(sample.doc.findings, p_inconsistent, gate)
    )


def finding_is_right(found: Finding, sample: Sample) -> bool:
    """A finding is right when its story has an error and, where spans are known, it touches one."""
    if sample.label == 1:
        return False
    if not sample.gold_spans or found.field != "body":
        return True
    return any(found.start < end and start < found.end for start, end in sample.gold_spans)


def fit_combiner(
    samples: Sequence[Sample], c: float = 0.5, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Everything in combiner.json, learned from checked train stories (their findings are redone)."""
    thresholds = learn_thresholds(samples)
    for sample in samples:
        refind(sample, thresholds)
    rows = [features(s.doc) for s in samples]
    names = sorted(rows[0])
    x = np.asarray([[r[n] for n in names] for r in rows], dtype=np.float64)
    y = np.asarray([s.label for s in samples])
    folds = _folds([s.group for s in samples])

    raw = np.zeros(len(samples))
    for test in folds:
        train = np.setdiff1d(np.arange(len(samples)), test)
        raw[test] = _predict(_fit_logistic(x[train], y[train], c), x[test])
    # cross-fitted isotonic maps, to measure the calibration honestly ...
    calibrated = np.zeros(len(samples))
    for test in folds:
        train = np.setdiff1d(np.arange(len(samples)), test)
        calibrated[test] = calibration.apply(calibration.fit_isotonic(raw[train], y[train]), raw[test])
    # ... and the shipped one, fitted on every out-of-fold prediction
    iso = calibration.fit_isotonic(raw, y)

    gates = np.round(np.linspace(0.2, 0.8, 61), 3)
    scores = [
        macro_balanced_accuracy(
            samples, [_consistent_after_gate(s, 1 - p, g) for s, p in zip(samples, calibrated, strict=True)]
        )
        for g in gates
    ]
    # the middle of the best plateau: where several gates decide alike, the edge is chance
    best = [g for g, score in zip(gates, scores, strict=True) if score >= max(scores) - 1e-9]
    gate = float(best[len(best) // 2])
    decisions = [_consistent_after_gate(s, 1 - p, gate) for s, p in zip(samples, calibrated, strict=True)]

    finding_calibration = {}
    by_kind: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    for sample in samples:
        for found in sample.doc.findings:
            by_kind[found.kind.value][0].append(found.confidence)
            by_kind[found.kind.value][1].append(int(finding_is_right(found, sample)))
    for kind, (confidence, right) in sorted(by_kind.items()):
        if kind in UNLABELLED_KINDS:
            continue
        if len(confidence) >= 30 and 0 < sum(right) < len(right):
            finding_calibration[kind] = calibration.fit_platt(confidence, right)

    cv = _report_cv(samples, calibrated, decisions, gate, log)
    mean, scale, coef, intercept = _fit_logistic(x, y, c)
    return {
        "version": 1,
        "trained": dt.date.today().isoformat(),
        "model": {
            "kind": "logistic_regression",
            "features": names,
            "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(),
            "coef": coef.round(6).tolist(),
            "intercept": round(intercept, 6),
            "C": c,
        },
        "calibration": iso,
        "gate": float(gate),
        "entailment": thresholds,
        "finding_calibration": finding_calibration,
        "train": {"stories": len(samples), "datasets": dict(sorted(_count(samples).items()))},
        "cross_validation": cv,
    }


def _count(samples: Sequence[Sample]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for s in samples:
        counts[s.dataset] += 1
    return counts


def _report_cv(
    samples: Sequence[Sample],
    calibrated: np.ndarray,
    decisions: list[bool],
    gate: float,
    log: Callable[[str], None],
) -> dict[str, Any]:
    log(f"{FOLDS}-fold cross-validation by source document on the train side (gate {gate:.2f}):")
    out: dict[str, Any] = {}
    for dataset in sorted(_count(samples)):
        idx = [i for i, s in enumerate(samples) if s.dataset == dataset]
        labels = [samples[i].label for i in idx]
        ba = metrics.balanced_accuracy(labels, [int(decisions[i]) for i in idx])
        ece = metrics.expected_calibration_error([float(calibrated[i]) for i in idx], labels)
        out[dataset] = {"n": len(idx), "balanced_accuracy": ba, "ece": ece}
        log(f"  {dataset:<24} n={len(idx):>4}  balanced accuracy {ba:.3f}  ECE {ece:.3f}")
    labels = [s.label for s in samples]
    ece_all = metrics.expected_calibration_error(calibrated.tolist(), labels)
    macro = macro_balanced_accuracy(samples, decisions)
    out["all"] = {"n": len(samples), "macro_balanced_accuracy": macro, "ece": ece_all}
    log(f"  {'all':<24} n={len(samples):>4}  macro balanced accuracy {macro:.3f}  ECE {ece_all:.3f}")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (holds benchmarks/)"
    )
    ap.add_argument(
        "--model",
        choices=MODES,
        default="fast",
        help="the entailment judge the stories are checked with (copydesk's --model); the combiner "
        "is written for that mode",
    )
    ap.add_argument(
        "--out", type=Path, default=None, help="default: src/copydesk/models/combiner[_MODE].json"
    )
    ap.add_argument(
        "--per-file", type=int, default=300, help="train rows per benchmark file, at most (0: all of them)"
    )
    ap.add_argument(
        "--half",
        choices=get_args(TrainHalf),
        default=None,
        help="only the stories of one half of the train side (split by source document, "
        "copydesk.datasplit.train_half): fit on 'choose' when the judge learned the claims of the "
        "'teach' stories (training.distil --stories)",
    )
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--kb", type=Path, default=None)
    ap.add_argument(
        "--cache", type=Path, default=None, help="pickle of the checked stories, reused if present"
    )
    ap.add_argument(
        "--rescore",
        action="store_true",
        help="score every cached story's claims again with --model's judge (one --cache, checked in "
        "any mode, then serves every mode)",
    )
    ap.add_argument(
        "--judge",
        action="append",
        default=[],
        metavar="HALF=DIR",
        help="score the cached stories of one half of the train side again with the --model judge in "
        "DIR (repeatable). Cross-fitting: --judge choose=A --judge teach=B, where A learned the teach "
        "half and B the choose half, gives every story a verdict from a judge that never learned it, "
        "for the combiner of a judge taught on both halves",
    )
    ap.add_argument("-C", type=float, default=0.5, help="inverse regularisation of the logistic regression")
    ap.add_argument(
        "--collect-only",
        action="store_true",
        help="only check the stories and write --cache (e.g. while the entailment model is still training)",
    )
    args = ap.parse_args(argv)
    args.out = args.out or combiner_file(args.model, MODEL_DIR)
    if args.judge and not (args.cache and args.cache.is_file()):
        ap.error("--judge scores cached stories again: give the --cache of the checked stories")
    try:
        args.judge_dirs = judges_by_half(args.judge)
        args.judges = {
            half: build_scorer(args.model, args.threads, model_dir=folder)
            for half, folder in args.judge_dirs.items()
        }
    except (ValueError, CopydeskError) as exc:
        ap.error(f"--judge: {exc}")

    samples = _samples(args)
    if args.collect_only:
        return
    combiner = fit_combiner(samples, c=args.C)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(combiner, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def usable_checkers() -> tuple[str, ...]:
    """The built-in checkers whose modules are installed (a missing one is reported and left out)."""
    chosen = []
    for name in registry.checkers.builtin:
        try:
            registry.checkers.get(name)
        except (ImportError, CopydeskError) as exc:
            print(f"checker {name} left out: {exc}")
            continue
        chosen.append(name)
    return tuple(chosen)


def complete_entailment(samples: Sequence[Sample], resources: Any, again: bool = False) -> int:
    """Score the claims of cached stories with the judge of ``resources`` (its ``--model``): those
    checked before the model existed, or with ``again`` every story (a cache checked in one mode
    then serves every mode). The same functions the pipeline runs after ``retrieve``; returns how
    many stories were scored."""
    from copydesk.checkers.entailment import judge_again

    done = 0
    for sample in samples:
        doc = sample.doc
        if not again and (doc.support or any(f.checker == ENTAILMENT for f in doc.findings)):
            continue
        if not judge_again(doc, resources):
            raise SystemExit("the entailment model is missing: build it before learning the combiner")
        done += 1
    return done


def judges_by_half(values: Sequence[str]) -> dict[TrainHalf, Path]:
    """``--judge HALF=DIR`` values as {half: model folder}; ValueError names a malformed one."""
    halves = get_args(TrainHalf)
    out: dict[TrainHalf, Path] = {}
    for value in values:
        half, sep, folder = value.partition("=")
        if not sep or half not in halves or not folder:
            raise ValueError(f"{value!r}: expected HALF=DIR with HALF one of {', '.join(halves)}")
        if half in out:
            raise ValueError(f"the {half} half is given twice")
        out[cast(TrainHalf, half)] = Path(folder)
    return out


def rescore_by_half(samples: Sequence[Sample], judges: Mapping[TrainHalf, Any], settings: Any) -> int:
    """Score the stories of each half in ``judges`` again with that half's scorer (the rest keep
    their supports); returns how many stories were scored."""
    from copydesk.resources import Resources

    done = 0
    for half, scorer in judges.items():
        mine = [s for s in samples if half_of(s) == half]
        done += complete_entailment(mine, Resources(settings, scorer=scorer), again=True)
    return done


def _samples(args: argparse.Namespace) -> list[Sample]:
    if args.cache and args.cache.is_file():
        samples = load_cache(args.cache, args.half)
        print(
            f"read {len(samples)} checked stories from {args.cache}"
            + (f" ({args.half} half)" if args.half else "")
        )
        if not args.collect_only:
            from copydesk.resources import Resources, Settings

            settings = Settings(threads=args.threads, model=args.model)
            # the halves a --judge scores are scored once, by that judge
            rest = [s for s in samples if half_of(s) not in args.judges]
            completed = complete_entailment(rest, Resources(settings), again=args.rescore)
            if completed:
                print(f"ran the entailment stage and checker ({args.model}) on {completed} cached stories")
            if args.judges:
                scored = rescore_by_half(samples, args.judges, settings)
                named = ", ".join(f"{half} by {folder}" for half, folder in args.judge_dirs.items())
                print(f"scored {scored} cached stories again ({named})")
        return samples
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from copydesk.pipeline import Pipeline
    from copydesk.resources import Settings

    chosen = usable_checkers()
    print(f"checkers: {', '.join(chosen)}")
    pipeline = Pipeline(Settings(checkers=chosen, kb=args.kb, threads=args.threads, model=args.model))
    rows = train_rows(args.data, args.per_file or None, args.half)
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("Checking train stories", total=len(rows))
        samples = collect(rows, pipeline, lambda: progress.advance(task))
    print(f"checked {len(samples)} stories in {time.perf_counter() - started:.0f} s")
    if args.cache:
        with args.cache.open("wb") as handle:
            pickle.dump(samples, handle)
    return samples


if __name__ == "__main__":
    main()
