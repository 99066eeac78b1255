"""What the built-in knowledge base costs a cold check: time to open it and make the knowledge
checker, time of that checker on a stale-leader story, and resident memory, in fresh processes.

    python benchmarks/builtin_kb.py [--runs 7]

Each run is a new interpreter (cold: nothing cached), once with the built-in base and once with
``--no-kb``; the medians and their difference are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from copydesk.checkers.knowledge import KnowledgeChecker
from copydesk.document import Document, Mention, Role
from copydesk.lexicon.offices import office_key
from copydesk.resources import Resources, Settings
from copydesk.schema import StoryIn
imported = time.perf_counter()
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
use = sys.argv[1] == "builtin"
t1 = time.perf_counter()
kb = Resources(Settings(no_kb=not use)).kb
checker = KnowledgeChecker(kb) if kb is not None else None
body = "British Prime Minister Rishi Sunak met Japanese Prime Minister Fumio Kishida on Tuesday."
doc = Document.from_story(StoryIn(body=body, published="2025-03-12"))
mentions = []
roles = (("Rishi Sunak", "British Prime Minister"), ("Fumio Kishida", "Japanese Prime Minister"))
for person, office in roles:
    p, o = body.index(person), body.index(office)
    pm = Mention(doc.body.span(p, p + len(person)), "PERSON", person)
    om = Mention(doc.body.span(o, o + len(office)), "OFFICE", office_key(office))
    mentions += [pm, om]
    doc.body.roles.append(Role(pm, om))
doc.body.mentions = sorted(mentions, key=lambda m: m.span.start)
found = list(checker(doc)) if checker else []
t2 = time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": (t2 - t1) * 1000, "rss_mb": rss1 / 1024,
                  "rss_added_mb": (rss1 - rss0) / 1024, "findings": len(found)}))
"""


def run(mode: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"builtin": [], "none": []}
    for _ in range(args.runs):
        for mode in results:
            results[mode].append(run(mode))
    median = {m: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for m, rs in results.items()}
    for mode, values in median.items():
        print(
            f"{mode:8s} open+check {values['ms']:7.1f} ms  peak RSS {values['rss_mb']:6.1f} MB  "
            f"findings {values['findings']:.0f}"
        )
    print(
        f"built-in base adds {median['builtin']['ms'] - median['none']['ms']:.1f} ms and "
        f"{median['builtin']['rss_mb'] - median['none']['rss_mb']:.1f} MB peak RSS "
        f"(medians of {args.runs} runs)"
    )


if __name__ == "__main__":
    main()
