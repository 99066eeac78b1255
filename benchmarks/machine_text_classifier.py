"""Measure the shipped machine-text classifier: recall on the held-out phrasing families, false
hits on test-side news, and what it adds to the machine_text checker's time.

    python benchmarks/machine_text_classifier.py [--data ../shared/data] [--articles 200]

The held-out families and the news sentences are rebuilt exactly as ``training/train_machine_text.py``
builds them (the families in its HELD_OUT never reach training; the news is the test side of
``copydesk.datasplit``). Timing: the checker with and without the classifier on the story of
``benchmarks/speed.py`` and on test-side benchmark articles (median of 5 runs each), with the
encoder warm.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.speed import story as speed_story
from copydesk.checkers.machine_text import MachineTextChecker, load_library, scan
from copydesk.datasplit import split_of
from copydesk.document import Document
from copydesk.inference import load_encoder
from copydesk.patterns.classifier import load_classifier
from copydesk.schema import StoryIn
from training.common import DEFAULT_DATA
from training.train_machine_text import _set_of, hedges, measure, meta_text, news_sentences


def seconds(checker: MachineTextChecker, doc: Document, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        list(checker(doc))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def checker_recall(
    classifier, encoder, held: list[tuple[str, str, str]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Recall of the checker as it runs (a pattern hit or the classifier) on the held-out sentences,
    per set of families and per family."""
    flags = classifier.flags([s for _, _, s in held], encoder)
    by_set: dict[str, list[bool]] = {}
    by_family: dict[str, list[bool]] = {}
    for (kind, family, sentence), flagged in zip(held, flags, strict=True):
        found = bool(flagged) or bool(scan(sentence))
        by_set.setdefault(_set_of(f"{kind}/{family}"), []).append(found)
        by_set.setdefault("all", []).append(found)
        by_family.setdefault(f"{kind}/{family}", []).append(found)
    return tuple(  # type: ignore[return-value]
        {name: round(sum(v) / len(v), 4) for name, v in sorted(groups.items())}
        for groups in (by_set, by_family)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=200, help="test-side articles to time the checker on")
    args = parser.parse_args()

    classifier, encoder = load_classifier(), load_encoder()
    news = news_sentences(args.data)
    held = meta_text(True)
    result = measure(classifier, encoder, held, hedges(True), news["test"])
    result["checker_recall"], result["checker_recall_by_family"] = checker_recall(classifier, encoder, held)

    library = load_library()
    plain, learned = MachineTextChecker(library), MachineTextChecker(library, classifier, encoder)
    encoder.encode(["warm up the encoder"])
    story = Document.from_story(StoryIn.model_validate(speed_story(2)))
    articles: list[str] = []
    for path in sorted((args.data / "benchmarks").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            source = json.loads(line)["source"]
            if split_of(source) == "test" and source not in articles and len(articles) < args.articles:
                articles.append(source)
    added = []
    for text in articles:
        doc = Document.from_story(StoryIn(headline="", body=text))
        added.append(seconds(learned, doc, 3) - seconds(plain, doc, 3))
    result["timing"] = {
        "speed_story_checker_ms_without_classifier": round(1000 * seconds(plain, story), 2),
        "speed_story_checker_ms_with_classifier": round(1000 * seconds(learned, story), 2),
        "test_articles_timed": len(articles),
        "test_article_ms_added_median": round(1000 * statistics.median(added), 2),
        "test_article_ms_added_mean": round(1000 * statistics.mean(added), 2),
        "test_article_ms_added_max": round(1000 * max(added), 2),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "held_out_families"}, indent=1))


if __name__ == "__main__":
    main()
