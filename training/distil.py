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
choice between judges see stories whose claims the student never learned. A pair has no label of
its own, but its story's label says something of its claim (:func:`claim_label`): every claim of
a correct story is backed by its sources, and so is a claim of a wrong story that touches none of
its marked spans, while one that does is not. So a backed claim's best pair (the teacher's
highest) gets ``mix * 1 + (1 - mix) * teacher``, every pair of an unbacked claim
``(1 - mix) * teacher``, and the rest the teacher's probability (``--mix 0``: the teacher alone);
a pair's label is its target rounded. ``--labelled N`` keeps N of ``--pairs``' labelled training
pairs beside them, at random.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import numpy as np

from copydesk.datasplit import TrainHalf
from training.data import Pair, load_pairs, save_pairs

CHUNK = 256
Score = Callable[[list[tuple[str, str]]], Any]
OnProgress = Callable[[int, int], None]


def soft_targets(labels: np.ndarray, teacher: np.ndarray, mix: float) -> np.ndarray:
    """``mix * label + (1 - mix) * teacher``, each in [0, 1]."""
    if not 0.0 <= mix <= 1.0:
        raise ValueError(f"--mix must lie in [0, 1], not {mix}")
    return np.clip(mix * labels + (1.0 - mix) * teacher, 0.0, 1.0)


def teacher_scores(pairs: list[Pair], score: Score, progress: OnProgress | None = None) -> np.ndarray:
    """P(supports) of every pair by ``score`` (a list of (premise, hypothesis) -> probabilities)."""
    probs = np.zeros(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), CHUNK):
        part = pairs[start : start + CHUNK]
        probs[start : start + len(part)] = score([(p.premise, p.hypothesis) for p in part])
        if progress:
            progress(min(start + CHUNK, len(pairs)), len(pairs))
    return probs


def _with_targets(pairs: list[Pair], targets: np.ndarray, relabel: bool) -> list[Pair]:
    return [
        Pair(
            p.premise,
            p.hypothesis,
            int(t >= 0.5) if relabel else p.label,
            p.origin,
            p.group,
            round(float(t), 4),
        )
        for p, t in zip(pairs, targets, strict=True)
    ]


def distil(
    pairs: list[Pair], score: Score, mix: float, progress: OnProgress | None = None
) -> tuple[list[Pair], dict[str, float]]:
    """``pairs`` with soft targets ``mix * label + (1 - mix) * teacher``."""
    probs = teacher_scores(pairs, score, progress)
    labels = np.asarray([p.label for p in pairs], dtype=np.float32)
    targets = soft_targets(labels, probs, mix)
    agree = float(np.mean((probs >= 0.5) == (labels == 1))) if len(pairs) else float("nan")
    return _with_targets(pairs, targets, relabel=False), {
        "teacher_agrees_with_labels": round(agree, 4),
        "mean_target": round(float(targets.mean()), 4) if len(pairs) else float("nan"),
    }


@dataclass(frozen=True)
class StoryPair:
    """One pair the judge is asked about, with the claim it belongs to and what the story's
    label says of that claim (:func:`claim_label`)."""

    pair: Pair
    claim: tuple[int, int]
    """(story number, claim number)"""
    backed: int | None


def claim_label(sample: Any, index: int) -> int | None:
    """1 when the story's label says the claim is backed by the sources (a correct story, or a
    wrong one whose marked spans the claim does not touch), 0 when it touches a marked span, None
    when the label does not say (a wrong story without spans)."""
    if sample.label == 1:
        return 1
    if not sample.gold_spans:
        return None
    span = sample.doc.claims[index].span
    return int(not any(span.start < end and start < span.end for start, end in sample.gold_spans))


def story_pairs(samples: Iterable[Any], passages_per_claim: int) -> list[StoryPair]:
    """The (passage, claim) pairs the judge is asked about for checked stories
    (``training.train_combiner.Sample``), each once, grouped by the story's source document."""
    from copydesk.stages.support import pairs_to_judge

    seen: set[tuple[str, str]] = set()
    out = []
    for number, sample in enumerate(samples):
        for index, candidates in pairs_to_judge(sample.doc, passages_per_claim).items():
            backed = claim_label(sample, index)
            for _, (premise, hypothesis) in candidates:
                if (premise, hypothesis) not in seen:
                    seen.add((premise, hypothesis))
                    pair = Pair(premise, hypothesis, 0, f"stories/{sample.dataset}", sample.group)
                    out.append(StoryPair(pair, (number, index), backed))
    return out


def story_targets(items: list[StoryPair], teacher: np.ndarray, mix: float) -> np.ndarray:
    """Each pair's target: the teacher's probability, moved by ``mix`` toward 1 for the best pair
    of a backed claim and toward 0 for every pair of an unbacked one."""
    targets = np.asarray(teacher, dtype=np.float32).copy()
    by_claim: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        by_claim[item.claim].append(k)
    for members in by_claim.values():
        backed = items[members[0]].backed
        if backed == 1:
            best = max(members, key=lambda k: teacher[k])
            targets[best] = mix + (1 - mix) * teacher[best]
        elif backed == 0:
            targets[members] = (1 - mix) * teacher[members]
    return np.clip(targets, 0.0, 1.0)


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
    ap.add_argument(
        "--mix",
        type=float,
        default=0.5,
        help="weight of the label in each target (with --stories: of what the story's label says)",
    )
    ap.add_argument(
        "--stories",
        type=Path,
        default=None,
        help="a train_combiner --cache: teach on the pairs the judge is asked about for its stories",
    )
    ap.add_argument(
        "--half",
        choices=get_args(TrainHalf),
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
    started = time.time()
    with Progress(transient=True) as bar:
        task = bar.add_task("Teacher scoring the training pairs", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if a.stories is None:
            splits["train"], stats = distil(labelled, scorer.score, a.mix, progress)
        else:
            from copydesk.resources import Settings
            from training.train_combiner import load_cache

            samples = load_cache(a.stories, a.half)
            items = story_pairs(samples, Settings().passages_per_claim)
            print(f"{len(items)} pairs from {len(samples)} stories ({a.half} half) of {a.stories}")
            teacher = teacher_scores([item.pair for item in items], scorer.score, progress)
            targets = story_targets(items, teacher, a.mix)
            if a.labelled is not None and a.labelled < len(labelled):
                labelled = random.Random(a.seed).sample(labelled, a.labelled)
            splits["train"] = labelled + _with_targets([item.pair for item in items], targets, relabel=True)
            said = [item.backed for item in items]
            stats = {
                "stories": str(a.stories),
                "half": a.half,
                "story_pairs": len(items),
                "backed_claim_pairs": said.count(1),
                "unbacked_claim_pairs": said.count(0),
                "labelled_pairs": len(labelled),
                "mean_target": round(float(targets.mean()), 4) if len(items) else float("nan"),
            }
    counts["distilled"] = {
        "teacher": a.teacher,
        "mix": a.mix,
        **stats,
        "seconds": round(time.time() - started),
    }
    save_pairs(a.out, splits, counts)
    print(f"wrote {a.out}: {len(splits['train'])} training pairs with soft targets; {counts['distilled']}")


if __name__ == "__main__":
    main()
