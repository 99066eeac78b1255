"""Soft targets from a stronger judge, so that the small shipped judge learns what it knows.

    python -m training.distil --pairs pairs.jsonl.xz --out pairs_distilled.jsonl.xz \\
        --teacher accurate --model-dir DIR --mix 0.5
    python -m training.distil --pairs pairs.jsonl.xz --stories teach.pkl --labelled 8000 \\
        --out pairs_stories.jsonl.xz --teacher accurate --model-dir DIR
    python -m training.train_entailment --pairs pairs_distilled.jsonl.xz --init-from MODEL ...

A judge too large to ship (MPNet-base, about 110 MB in int8, where the repository must stay
small) can still teach the MiniLM that ships: the teacher (a copydesk ``--model`` mode, read
from ``--model-dir``) scores every training pair, and each pair's target becomes
``mix * label + (1 - mix) * teacher``; ``train_entailment`` trains toward that probability
(cross-entropy against a soft distribution). The dev pairs keep their labels, so the student is
measured as every judge is. ``--mix 1`` reproduces the labels.

``--stories CACHE`` teaches on the pairs copydesk itself asks the judge about instead: every
(passage, claim) pair the ``support`` stage scores for the stories of a ``train_combiner
--cache`` (``copydesk.stages.support.pairs_to_judge``), from the ``--half`` of the train side the
combiner is then *not* fitted on (``train_combiner --half choose``), so that the combiner and the
choice between judges see stories whose claims the student never learned. Those pairs carry no
gold label: their target is the teacher's probability alone (and their label the teacher's
verdict). ``--labelled N`` keeps N of ``--pairs``' labelled training pairs beside them, at random.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


def story_pairs(samples: Iterable[Any], passages_per_claim: int) -> list[Pair]:
    """The (passage, claim) pairs the judge is asked about for checked stories
    (``training.train_combiner.Sample``), each once, grouped by the story's source document."""
    from copydesk.stages.support import pairs_to_judge

    seen: set[tuple[str, str]] = set()
    out = []
    for sample in samples:
        for candidates in pairs_to_judge(sample.doc, passages_per_claim).values():
            for _, (premise, hypothesis) in candidates:
                if (premise, hypothesis) not in seen:
                    seen.add((premise, hypothesis))
                    out.append(Pair(premise, hypothesis, 0, f"stories/{sample.dataset}", sample.group))
    return out


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
    ap.add_argument(
        "--stories",
        type=Path,
        default=None,
        help="a train_combiner --cache: teach on the pairs the judge is asked about for its stories",
    )
    ap.add_argument(
        "--half",
        choices=("teach", "choose"),
        default="teach",
        help="with --stories: the half of the train side whose stories teach (default teach)",
    )
    ap.add_argument(
        "--labelled",
        type=int,
        default=None,
        help="with --stories: how many of --pairs' labelled training pairs to keep (default all)",
    )
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)

    from rich.progress import Progress

    from copydesk.errors import CopydeskError
    from copydesk.inference import build_scorer

    if not a.pairs.is_file():
        ap.error(f"no pairs file at {a.pairs} (write one with train_entailment --save-pairs FILE)")
    if not 0.0 <= a.mix <= 1.0:
        ap.error(f"--mix must lie in [0, 1], not {a.mix}")
    if a.stories is not None and not a.stories.is_file():
        ap.error(
            f"no stories cache at {a.stories} (write one with train_combiner --collect-only --cache FILE)"
        )
    splits, counts = load_pairs(a.pairs)
    try:
        scorer = build_scorer(a.teacher, threads=a.threads, model_dir=a.model_dir)
    except CopydeskError as exc:
        ap.error(str(exc))
    labelled = splits.get("train", [])
    if a.stories is not None:
        from copydesk.resources import Settings
        from training.train_combiner import load_cache

        samples = load_cache(a.stories, a.half)
        to_score = story_pairs(samples, Settings().passages_per_claim)
        mix = 0.0
        if a.labelled is not None and a.labelled < len(labelled):
            labelled = random.Random(a.seed).sample(labelled, a.labelled)
        print(f"{len(to_score)} pairs from {len(samples)} stories ({a.half} half) of {a.stories}")
    else:
        to_score, mix = labelled, a.mix
    started = time.time()
    with Progress(transient=True) as bar:
        task = bar.add_task("Teacher scoring the training pairs", total=len(to_score))
        scored, stats = distil(to_score, scorer.score, mix, lambda done, _: bar.update(task, completed=done))
    if a.stories is not None:  # no gold label: the teacher's verdict stands in for one
        scored = [
            Pair(p.premise, p.hypothesis, int(p.target >= 0.5), p.origin, p.group, p.target) for p in scored
        ]
        splits["train"] = labelled + scored
        stats = {
            "stories": str(a.stories),
            "half": a.half,
            "story_pairs": len(scored),
            "labelled_pairs": len(labelled),
            "mean_target": stats["mean_target"],
        }
    else:
        splits["train"] = scored
    counts["distilled"] = {
        "teacher": a.teacher,
        "mix": mix,
        **stats,
        "seconds": round(time.time() - started),
    }
    save_pairs(a.out, splits, counts)
    print(f"wrote {a.out}: {len(splits['train'])} training pairs with soft targets; {counts['distilled']}")


if __name__ == "__main__":
    main()
