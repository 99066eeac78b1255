"""The decide stage: rule-based fallback, the combiner file, its learning, and its gate."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from copydesk.checkers.entailment import entailment_findings, supports_of
from copydesk.document import Claim, Document, Passage
from copydesk.errors import CopydeskError
from copydesk.findings import finding
from copydesk.schema import FindingKind, Severity, StoryIn
from copydesk.stages.decide import Combiner, decide, features, load_combiner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's training/ package

SOURCE = "The council approved the budget on Monday. Spending on parks rises by 5 percent next year."


def _document(supports: list[float], wrong_numbers: int = 0) -> Document:
    """A story of one claim per support value, each scored against the source, with number errors."""
    # the claims talk about what the source talks about, so a low support reads as "contradicted"
    sentences = [f"The council approved budget item {i} on Monday." for i in range(len(supports))]
    story = StoryIn(body=" ".join(sentences), sources=[{"id": "s1", "text": SOURCE}])
    doc = Document.from_story(story)
    passage = Passage("s1", 0, 42, SOURCE[:42])
    offset = 0
    for i, (sentence, support) in enumerate(zip(sentences, supports, strict=True)):
        doc.claims.append(Claim(doc.body.span(offset, offset + len(sentence)), sentence, i))
        doc.evidence[i] = [passage]
        doc.support[i] = support
        offset += len(sentence) + 1
    for i in range(wrong_numbers):
        span = doc.claims[i % len(doc.claims)].span
        doc.findings.append(
            finding(span, FindingKind.WRONG_NUMBER, "wrong", checker="circumstances", confidence=0.8)
        )
    return doc


def _with_entailment(doc: Document, low: float = 0.2, high: float = 0.5) -> Document:
    doc.findings.extend(entailment_findings(doc, supports_of(doc), low, high))
    return doc


def test_without_a_combiner_every_error_counts_and_the_score_multiplies() -> None:
    doc = _document([0.9, 0.9], wrong_numbers=2)
    report = decide(doc, combiner=None)
    assert not report.consistent
    assert report.score == pytest.approx(0.2 * 0.2)
    assert decide(_document([0.9]), combiner=None).consistent


def test_a_missing_combiner_file_means_the_rule_based_decision(tmp_path: Path) -> None:
    assert load_combiner(tmp_path / "absent.json") is None


def test_a_broken_combiner_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "combiner.json"
    path.write_text('{"model": {}}')
    with pytest.raises(CopydeskError, match=r"combiner\.json is unreadable"):
        load_combiner(path)


def _hand_combiner(gate: float = 0.5) -> Combiner:
    # P(consistent) = sigmoid(10 * min_support - 5 - 2 * count_wrong_number)
    return Combiner.from_dict(
        {
            "model": {
                "features": ["min_support", "count_wrong_number"],
                "mean": [0, 0],
                "scale": [1, 1],
                "coef": [10, -2],
                "intercept": -5,
            },
            "gate": gate,
        }
    )


def test_the_combiner_gates_entailment_findings() -> None:
    combiner = _hand_combiner()
    weak = decide(_with_entailment(_document([0.1, 0.9])), combiner=combiner)
    assert weak.score < 0.05
    assert not weak.consistent
    assert [f.severity for f in weak.findings] == [Severity.ERROR]
    # an unsupported (not contradicted) claim in a story judged inconsistent becomes the error
    doubtful = decide(
        _with_entailment(_document([0.3, 0.9]), low=0.2, high=0.5), combiner=_hand_combiner(0.1)
    )
    assert [(f.kind, f.severity) for f in doubtful.findings] == [(FindingKind.UNSUPPORTED, Severity.ERROR)]
    # the same finding stays a warning when the story as a whole is judged consistent
    kept = decide(_with_entailment(_document([0.15, 0.9]), low=0.2, high=0.5), combiner=_hand_combiner(0.99))
    assert kept.consistent
    assert [(f.kind, f.severity) for f in kept.findings] == [(FindingKind.CONTRADICTED, Severity.WARNING)]


def test_errors_of_other_checkers_always_count() -> None:
    report = decide(_document([0.99], wrong_numbers=1), combiner=_hand_combiner())
    assert not report.consistent


def test_a_confident_error_of_another_checker_caps_the_score() -> None:
    # a combiner that knows nothing of wrong numbers still cannot call such a story probably fine
    blind = Combiner.from_dict(
        {"model": {"features": ["min_support"], "mean": [0], "scale": [1], "coef": [10], "intercept": -5}}
    )
    clean = decide(_document([0.99]), combiner=blind)
    flagged = decide(_document([0.99], wrong_numbers=1), combiner=blind)
    assert clean.score > 0.99
    assert flagged.score == pytest.approx(clean.score * (1 - 0.8), abs=1e-3)
    # leaked machine text is an error to fix, not a claim the sources could support
    leaked = _document([0.99])
    leaked.findings.append(
        finding(
            leaked.claims[0].span, FindingKind.MACHINE_TEXT, "leak", checker="machine_text", confidence=0.95
        )
    )
    report = decide(leaked, combiner=blind)
    assert not report.consistent and report.score == pytest.approx(clean.score)


def test_score_falls_with_more_errors() -> None:
    combiner = _hand_combiner()
    scores = [decide(_document([0.7, 0.8, 0.9], wrong_numbers=n), combiner=combiner).score for n in range(4)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def _samples(n: int, seed: int = 7) -> list:
    from training.train_combiner import Sample

    rng = random.Random(seed)
    samples = []
    for i in range(n):
        label = int(rng.random() < 0.5)
        supports = [rng.uniform(0.6, 1.0) for _ in range(rng.randint(1, 4))]
        if label == 0:
            supports[rng.randrange(len(supports))] = rng.uniform(0.0, 0.7)
        errors = int(label == 0 and rng.random() < 0.3) + int(rng.random() < 0.03)
        doc = _with_entailment(_document(supports, wrong_numbers=errors))
        samples.append(Sample(f"set{i % 2}", label, [], f"source-{i // 3}", doc))
    return samples


def test_learned_combiner_round_trips_and_orders_stories_sensibly(tmp_path: Path) -> None:
    from training.train_combiner import fit_combiner

    data = fit_combiner(_samples(240), log=lambda line: None)
    path = tmp_path / "combiner.json"
    path.write_text(json.dumps(data))
    combiner = load_combiner(path)
    assert combiner is not None
    assert set(combiner.names) == set(features(_document([0.5])))
    assert 0 <= data["entailment"]["contradicted_below"] <= data["entailment"]["unsupported_below"] <= 1
    assert data["cross_validation"]["all"]["macro_balanced_accuracy"] > 0.7

    strong = decide(_with_entailment(_document([0.95, 0.9])), combiner=combiner)
    weak = decide(_with_entailment(_document([0.95, 0.05])), combiner=combiner)
    flawed = decide(_with_entailment(_document([0.95, 0.9], wrong_numbers=2)), combiner=combiner)
    assert strong.consistent and not weak.consistent and not flawed.consistent
    assert strong.score > weak.score and strong.score >= flawed.score
    raw = [combiner.raw_probability(features(_document([0.9, 0.9], wrong_numbers=n))) for n in range(3)]
    assert raw == sorted(raw, reverse=True) and raw[0] > raw[-1]


def test_shipped_combiner_scores_a_well_supported_story_above_a_contradicted_one() -> None:
    combiner = load_combiner()
    assert combiner is not None, "models/combiner.json is missing: python -m training.train_combiner"
    assert np.all(combiner.scale > 0)
    supported = combiner.probability(features(_with_entailment(_document([0.95, 0.9, 0.92]))))
    contradicted = combiner.probability(features(_with_entailment(_document([0.95, 0.02, 0.92]))))
    assert supported > contradicted
