"""Metrics of ``copydesk eval``, as plain functions over plain lists (docs/evaluation.md defines them).

* balanced accuracy of the story-level decision (label 1 = consistent);
* character-level span precision / recall / F1, micro-averaged over stories;
* expected calibration error and the reliability table of ``Report.score`` against the label;
* for planted-error stories (benchmarks/planted.py), per planted kind: the share of errors flagged
  at every span and at least at one, and the share of untouched sentences flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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


# --- planted-error stories (benchmarks/planted.py) ----------------------------------------------

FieldSpan = tuple[str, int, int]
"""(field, start, end): ``field`` is ``"headline"`` or ``"body"``."""


@dataclass(frozen=True)
class PlantedError:
    """One planted error: its kind and every span where it appears (all must be flagged)."""

    kind: str
    spans: tuple[FieldSpan, ...]
    variant: str = ""
    held_out: bool = False

    @property
    def group(self) -> str:
        return f"{self.kind} (held out)" if self.held_out else self.kind


def finding_spans(finding: object) -> list[FieldSpan]:
    """Every place a finding points at: its ``spans`` list when it has a non-empty one (items as
    objects or dicts with field/start/end), else its own ``(field, start, end)``."""
    spans = getattr(finding, "spans", None)
    if spans:
        out = []
        for span in spans:
            if isinstance(span, dict):
                out.append((str(span["field"]), int(span["start"]), int(span["end"])))
            else:
                out.append((str(span.field), int(span.start), int(span.end)))
        return out
    return [(str(finding.field), int(finding.start), int(finding.end))]  # type: ignore[attr-defined]


def overlaps(a: FieldSpan, b: FieldSpan) -> bool:
    """Same field and at least one character in common."""
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


@dataclass
class PlantedScores:
    """Per group of planted errors (a kind, or a kind's held-out variants, or the clean stories)."""

    group: str
    stories: int = 0
    errors: int = 0
    found_every_span: int = 0
    found_some_span: int = 0
    stories_flagged: int = 0
    untouched_sentences: int = 0
    untouched_flagged: int = 0
    finding_kinds: dict[str, int] = field(default_factory=dict)
    """Kinds of the findings that overlapped a planted span, and how many errors each touched."""

    @property
    def every_span(self) -> float | None:
        return self.found_every_span / self.errors if self.errors else None

    @property
    def some_span(self) -> float | None:
        return self.found_some_span / self.errors if self.errors else None

    @property
    def untouched_flagged_share(self) -> float | None:
        return self.untouched_flagged / self.untouched_sentences if self.untouched_sentences else None

    @property
    def stories_flagged_share(self) -> float | None:
        return self.stories_flagged / self.stories if self.stories else None

    def to_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "stories": self.stories,
            "errors": self.errors,
            "found_every_span": self.found_every_span,
            "found_some_span": self.found_some_span,
            "every_span": self.every_span,
            "some_span": self.some_span,
            "stories_flagged": self.stories_flagged,
            "stories_flagged_share": self.stories_flagged_share,
            "untouched_sentences": self.untouched_sentences,
            "untouched_flagged": self.untouched_flagged,
            "untouched_flagged_share": self.untouched_flagged_share,
            "finding_kinds": dict(sorted(self.finding_kinds.items())),
        }


@dataclass(frozen=True)
class PlantedStory:
    """What the per-kind matcher needs of one story: its planted errors, its sentences (headline
    and body sentences as field spans), the error-severity spans copydesk flagged with the kind
    of each finding, and which clean group it belongs to when nothing was planted."""

    errors: tuple[PlantedError, ...]
    sentences: tuple[FieldSpan, ...]
    flagged: tuple[tuple[FieldSpan, str], ...]
    clean_group: str = "clean"


def planted_scores(stories: Iterable[PlantedStory]) -> list[PlantedScores]:
    """Per group: the share of planted errors with a flagged span overlapping *every* one of their
    spans and with one overlapping *at least one*; the share of stories flagged at all; and the
    share of untouched sentences (overlapping no planted span) that hold a flagged span. One
    ``all`` group sums every story."""
    groups: dict[str, PlantedScores] = {}
    total = PlantedScores("all")
    for story in stories:
        names = sorted({e.group for e in story.errors}) or [story.clean_group]
        planted_spans = [s for e in story.errors for s in e.spans]
        untouched = [s for s in story.sentences if not any(overlaps(s, p) for p in planted_spans)]
        flagged_untouched = sum(1 for s in untouched if any(overlaps(s, f) for f, _ in story.flagged))
        for name in names:
            group = groups.setdefault(name, PlantedScores(name))
            _add_story(group, story, untouched, flagged_untouched, name)
        _add_story(total, story, untouched, flagged_untouched, None)
    return [groups[name] for name in sorted(groups, key=_group_order)] + [total]


def _add_story(
    scores: PlantedScores, story: PlantedStory, untouched: list[FieldSpan], flagged: int, group: str | None
) -> None:
    scores.stories += 1
    scores.stories_flagged += bool(story.flagged)
    scores.untouched_sentences += len(untouched)
    scores.untouched_flagged += flagged
    for error in story.errors:
        if group is not None and error.group != group:
            continue
        hits = [[kind for f, kind in story.flagged if overlaps(f, span)] for span in error.spans]
        scores.errors += 1
        scores.found_every_span += bool(hits) and all(hits)
        scores.found_some_span += any(hits)
        for kind in sorted({k for kinds in hits for k in kinds}):
            scores.finding_kinds[kind] = scores.finding_kinds.get(kind, 0) + 1


def _group_order(name: str) -> tuple[int, str]:
    return (1 if name.startswith("clean") else 0, name)
