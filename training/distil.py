"""Soft targets from a stronger judge, so that the small shipped judge learns what it knows.

    python -m training.distil --pairs pairs.jsonl.xz --out pairs_distilled.jsonl.xz \\
        --teacher accurate --model-dir DIR --mix 0.5
    python -m training.train_entailment --pairs pairs_distilled.jsonl.xz --init-from MODEL ...

A judge too large to ship (MPNet-base, about 110 MB in int8, where the repository must stay
small) can still teach the MiniLM that ships: the teacher (a copydesk ``--model`` mode, read
from ``--model-dir``) scores every training pair, and each pair's target becomes
``mix * label + (1 - mix) * teacher``; ``train_entailment`` trains toward that probability
(cross-entropy against a soft distribution). The dev pairs keep their labels, so the student is
measured as every judge is. ``--mix 1`` reproduces the labels.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from training.data import Pair, load_pairs, save_pairs

CHUNK = 256


def soft_targets(labels: np.ndarray, teacher: np.ndarray, mix: float) -> np.ndarray:
    """``mix * label + (1 - mix) * teacher``, each in [0, 1]."""
    if not 0.0 <= mix <= 1.0:
        raise ValueError(f"--mix must lie in [0, 1], not {mix}")
    return np.clip(mix * labels + (1.0 - mix) * teacher, 0.0, 1.0)


def distil(pairs: list[Pair], score, mix: float, progress=None) -> tuple[list[Pair], dict[str, float]]:
    """``pairs`` with soft targets from ``score`` (a list of (premise, hypothesis) -> probabilities)."""
    probs = np.zeros(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), CHUNK):
        part = pairs[start : start + CHUNK]
        probs[start : start + len(part)] = score([(p.premise, p.hypothesis) for p in part])
        if progress:
            progress(min(start + CHUNK, len(pairs)), len(pairs))
    labels = np.asarray([p.label for p in pairs], dtype=np.float32)
    targets = soft_targets(labels, probs, mix)
    out = [
        Pair(p.premise, p.hypothesis, p.label, p.origin, p.group, round(float(t), 4))
        for p, t in zip(pairs, targets, strict=True)
    ]
    agree = float(np.mean((probs >= 0.5) == (labels == 1))) if len(pairs) else float("nan")
    return out, {
        "teacher_agrees_with_labels": round(agree, 4),
        "mean_target": round(float(targets.mean()), 4),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--pairs", type=Path, required=True, help="a pairs file train_entailment --save-pairs wrote"
    )
    ap.add_argument("--out", type=Path, required=True, help="the pairs file to write, with soft targets")
    ap.add_argument("--teacher", default="accurate", help="the copydesk --model mode that teaches")
    ap.add_argument(
        "--model-dir", type=Path, default=None, help="the folder holding the teacher's model files"
    )
    ap.add_argument("--mix", type=float, default=0.5, help="weight of the label in each target")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)

    from rich.progress import Progress

    from copydesk.errors import CopydeskError
    from copydesk.inference import build_scorer

    if not a.pairs.is_file():
        ap.error(f"no pairs file at {a.pairs} (write one with train_entailment --save-pairs FILE)")
    if not 0.0 <= a.mix <= 1.0:
        ap.error(f"--mix must lie in [0, 1], not {a.mix}")
    splits, counts = load_pairs(a.pairs)
    try:
        scorer = build_scorer(a.teacher, threads=a.threads, model_dir=a.model_dir)
    except CopydeskError as exc:
        ap.error(str(exc))
    started = time.time()
    with Progress(transient=True) as bar:
        task = bar.add_task("Teacher scoring the training pairs", total=len(splits.get("train", [])))
        train, stats = distil(
            splits.get("train", []), scorer.score, a.mix, lambda done, _: bar.update(task, completed=done)
        )
    splits["train"] = train
    counts["distilled"] = {
        "teacher": a.teacher,
        "mix": a.mix,
        **stats,
        "seconds": round(time.time() - started),
    }
    save_pairs(a.out, splits, counts)
    print(f"wrote {a.out}: {len(train)} training pairs with soft targets; {counts['distilled']}")


if __name__ == "__main__":
    main()
