"""Metrics of ``copydesk eval``, as plain functions over plain lists (docs/evaluation.md defines them).

* balanced accuracy of the story-level decision (label 1 = consistent);
* character-level span precision / recall / F1, micro-averaged over stories;
* expected calibration error and the reliability table of ``Report.score`` against the label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int]


def balanced_accuracy(labels: Sequence[int], predictions: Sequence[int]) -> float | None:
    """Mean over the classes present in ``labels`` of the recall on that class; None for no rows."""
    if len(labels) != len(predictions):
        raise ValueError("labels and predictions differ in length")
    recalls = []
    for cls in sorted(set(labels)):
        rows = [p for y, p in zip(labels, predictions, strict=True) if y == cls]
        recalls.append(sum(1 for p in rows if p == cls) / len(rows))
    return sum(recalls) / len(recalls) if recalls else None


def _characters(spans: Iterable[Span]) -> set[int]:
    chars: set[int] = set()
    for start, end in spans:
        chars.update(range(start, end))
    return chars


@dataclass(frozen=True)
class SpanScores:
    """Character-level counts summed over stories, and the scores they give (None when undefined)."""

    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float | None:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        gold = self.true_positive + self.false_negative
        return self.true_positive / gold if gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def span_scores(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]]) -> SpanScores:
    """Compare, story by story, the characters covered by the gold spans and by the predicted spans.

    Overlapping spans count each character once (the union); counts are summed over stories
    (micro-average), so a story with no gold span contributes only false positives.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    tp = fp = fn = 0
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        g, p = _characters(gold_spans), _characters(predicted_spans)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return SpanScores(tp, fp, fn)


@dataclass(frozen=True)
class ReliabilityBin:
    """Stories whose score fell in ``[low, high)`` (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_score: float | None
    fraction_consistent: float | None


def reliability_bins(scores: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[ReliabilityBin]:
    """Equal-width bins of the predicted P(consistent), with the observed share of consistent stories."""
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    members: list[list[tuple[float, int]]] = [[] for _ in range(bins)]
    for score, label in zip(scores, labels, strict=True):
        members[min(int(score * bins), bins - 1)].append((score, label))
    out = []
    for index, rows in enumerate(members):
        count = len(rows)
        out.append(
            ReliabilityBin(
                low=index / bins,
                high=(index + 1) / bins,
                count=count,
                mean_score=sum(s for s, _ in rows) / count if count else None,
                fraction_consistent=sum(y for _, y in rows) / count if count else None,
            )
        )
    return out


def expected_calibration_error(
    scores: Sequence[float], labels: Sequence[int], bins: int = 10
) -> float | None:
    """Sum over bins of (share of stories in the bin) x |observed share consistent - mean score|."""
    total = len(scores)
    if not total:
        return None
    return sum(
        b.count / total * abs(b.fraction_consistent - b.mean_score)  # type: ignore[operator]
        for b in reliability_bins(scores, labels, bins)
        if b.count
    )


def reliability_diagram(bins: Sequence[ReliabilityBin], width: int = 30) -> str:
    """A text reliability diagram: per bin, the observed share consistent as a bar, and the counts.

    ``|`` marks where a perfectly calibrated bin would end (its mean score).
    """
    lines = ["score bin    n     mean  observed  " + "0" + " " * (width - 2) + "1"]
    for b in bins:
        label = f"{b.low:.1f}-{b.high:.1f}"
        if not b.count:
            lines.append(f"{label}  {0:>5}")
            continue
        filled = round(b.fraction_consistent * width)  # type: ignore[operator]
        bar = list("#" * filled + " " * (width - filled))
        mark = min(round(b.mean_score * width), width - 1)  # type: ignore[operator]
        bar[mark] = "|"
        lines.append(
            f"{label}  {b.count:>5}  {b.mean_score:.3f}  {b.fraction_consistent:>8.3f}  {''.join(bar)}"
        )
    return "\n".join(lines)
