"""Speed and memory of one check: a 600-word story with five 800-word sources.

    python benchmarks/speed.py [--repeat 7] [--threads 2] [--model fast|accurate|auto]
    python benchmarks/speed.py --sources 1 --source-words 50000 --repeat 3   # one long source
    python benchmarks/speed.py --stories STORIES.jsonl [--repeat 40]         # your own stories

Prints the cold start (import + model load + first check, measured in a fresh process), the
median warm check with new sources each time, the median warm re-check of the same story (as
when an editor applies a fix and checks again; nothing is cached between stories), and the peak
resident memory. Targets on 2 cores: warm <= 1 s, cold <= 5 s, peak <= 1 GB.

The synthetic story is a worst case for the judge: its template sentences carry random numbers and
names, so hardly a claim is supported, and no claim is settled by its first passage
(``copydesk.stages.support.SETTLED_SUPPORT``). ``--stories`` times real stories instead: the first
``--repeat`` records of a JSONL file in copydesk's interchange format (say, the clean stories of
``benchmarks/planted.py``), each checked warm once and then re-checked.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PEOPLE = ["Maria Alvarez", "Tom Becker", "Aisha Khan", "Lars Olsen", "Chen Wei", "Sofia Rossi"]
PLACES = ["Lisbon", "Porto", "Madrid", "Valencia", "Seville", "Bilbao"]
ORGS = ["the port authority", "the city council", "the transport ministry", "the rail union"]


def sentence(rng: random.Random) -> str:
    person, place, org = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(ORGS)
    number = rng.randint(2, 900)
    templates = [
        f"{person}, the director of {org}, said on Tuesday that {number} workers would join the project "
        f"in {place}.",
        f"The plan approved by {org} in March sets aside {number} million euros for new tracks near {place}.",
        f"Officials in {place} expect {number} trains a day once the line opens, according to {person}.",
        f"{person} told reporters that {org} had reviewed {number} complaints about delays last year.",
        f"Construction near {place} began in 2023 and employs {number} people, {org} said.",
    ]
    return rng.choice(templates)


def text_of(words: int, rng: random.Random) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(sentence(rng))
    return " ".join(sentences)


def story(seed: int, sources: int = 5, source_words: int = 800) -> dict:
    rng = random.Random(seed)
    return {
        "id": f"bench-{seed}",
        "headline": "Rail expansion plan moves ahead in Iberia",
        "body": text_of(600, rng),
        "published": "2025-06-01",
        "sources": [
            {"id": f"s{i}", "title": f"Source {i}", "text": text_of(source_words, rng)}
            for i in range(sources)
        ],
    }


def read_stories(path: Path, count: int) -> list[dict]:
    """The first ``count`` stories of a JSONL file (exits with a message when there are none)."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        records = [json.loads(line) for line in lines[:count]]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        sys.exit(f"--stories {path}: {exc}")
    if not records or not all(isinstance(r, dict) for r in records):
        sys.exit(f"--stories {path}: expected one JSON object (a story) per line")
    return records


def cold_start(threads: int | None, model: str, item: dict) -> float:
    """Seconds from a fresh interpreter to the first report, import and model loading included."""
    code = (
        "import json,sys,time; t=time.perf_counter(); import copydesk; "
        f"p=copydesk.Pipeline(copydesk.Settings(threads={threads!r}, model={model!r})); "
        "p.check(json.loads(sys.stdin.read())); print(time.perf_counter()-t)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(item), capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--model", choices=("fast", "accurate", "auto"), default="fast", help="the entailment judge (--model)"
    )
    parser.add_argument("--sources", type=int, default=5, help="sources per story (default 5)")
    parser.add_argument(
        "--source-words", type=int, default=800, help="words per source (default 800; 50000 for a long one)"
    )
    parser.add_argument(
        "--stories", type=Path, default=None, help="time these stories (JSONL, one per line) instead"
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.sources < 1 or args.source_words < 1:
        parser.error("--repeat, --sources and --source-words must be at least 1")

    import copydesk

    records = read_stories(args.stories, args.repeat + 1) if args.stories else []

    def make(seed: int) -> dict:
        if records:
            return records[(seed - 1) % len(records)]
        return story(seed, args.sources, args.source_words)

    colds = [cold_start(args.threads, args.model, make(0)) for _ in range(3)]
    pipeline = copydesk.Pipeline(copydesk.Settings(threads=args.threads, model=args.model))
    pipeline.check(make(1))
    fresh, again, timed = [], [], []
    for seed in range(2, 2 + args.repeat):
        item = make(seed)
        timed.append(item)
        start = time.perf_counter()
        report = pipeline.check(item)
        fresh.append(time.perf_counter() - start)
        start = time.perf_counter()
        pipeline.check(item)
        again.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    story_words = [len(i["body"].split()) for i in timed]
    source_words = [sum(len(s.get("text", "").split()) for s in i.get("sources", [])) for i in timed]
    print(
        json.dumps(
            {
                "model": args.model,
                "stories": str(args.stories) if args.stories else "synthetic",
                "story_words_median": statistics.median(story_words),
                "source_words_median": statistics.median(source_words),
                "claims": len(report.claims),
                "cold_start_s_median": round(statistics.median(colds), 3),
                "warm_new_sources_s_median": round(statistics.median(fresh), 3),
                "warm_same_story_s_median": round(statistics.median(again), 3),
                "peak_rss_mb": round(peak_mb, 1),
                "checkers": [name for name, _ in pipeline.checkers],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
