"""Simplest MiniCheck-style story scoring on the test side of the benchmarks.

Source split into 3-sentence chunks; each text sentence scores the max over chunks of
P(chunk supports sentence); the story scores the min over its sentences; label 1 if >= 0.5.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np

from training.common import balanced_accuracy
from training.data import benchmark_rows, chunks, split_sentences


def _stable_sample(rows: list[dict], n: int) -> list[dict]:
    key = lambda r: hashlib.blake2b(str(r["id"]).encode(), digest_size=8).digest()  # noqa: E731
    return sorted(rows, key=key)[:n]


def minicheck_scores(scorer, rows: list[dict], chunk_size: int = 3) -> np.ndarray:
    """Story-level scores (min over text sentences of max over source chunks)."""
    index: dict[tuple[str, str], int] = {}
    plans = []
    for r in rows:
        cks = chunks(split_sentences(r["source"]), chunk_size)
        sents = split_sentences(r["text"]) or [r["text"]]
        plan = []
        for s in sents:
            plan.append([index.setdefault((c, s), len(index)) for c in cks])
        plans.append(plan)
    probs = scorer.score(list(index)) if index else np.zeros(0)
    return np.array([min(max(probs[i] for i in sent) for sent in plan) for plan in plans], dtype=np.float32)


def minicheck_benchmarks(
    scorer, data_dir: Path, n_rows: int = 200, threshold: float = 0.5, log=print
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rows in benchmark_rows(data_dir, "test").items():
        rows = _stable_sample(rows, n_rows)
        if not rows:
            continue
        t = time.time()
        scores = minicheck_scores(scorer, rows)
        y = [int(r["label"]) for r in rows]
        pred = (scores >= threshold).astype(int)
        out[name] = {
            "rows": len(rows),
            "positives": int(sum(y)),
            "balanced_accuracy": round(balanced_accuracy(y, pred), 4),
            "seconds": round(time.time() - t, 1),
        }
        try:
            from sklearn.metrics import roc_auc_score

            out[name]["roc_auc"] = round(float(roc_auc_score(y, scores)), 4) if 0 < sum(y) < len(y) else None
        except ImportError:
            pass
        log(f"benchmark {name}: {out[name]}")
    return out
