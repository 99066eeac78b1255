"""Import speed of ``copydesk kb import-wikidata`` on a synthetic Wikidata dump (a benchmark, not a test).

    python benchmarks/kb_import.py                    # 1,000,000 entities, gzip
    python benchmarks/kb_import.py --entities 200000 --people 0.05

The dump mixes people holding offices (``--people``, a share of the entities, each with one to
three P39 statements and qualifiers), offices (one in a thousand, half of them without any
"position" marker and placed before their holders, so the second pass has work to do) and
filler items with labels in several languages and a few claims, about 1 KB each. Prints the
entities per second of the import alone and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Anna", "Marco", "John", "Maria", "Ahmed", "Li", "Olga", "Pedro", "Grace", "Kofi", "Ines", "Yuki"]
LAST = ["Smith", "Rossi", "Garcia", "Okafor", "Nakamura", "Ivanova", "Dubois", "Khan", "Silva", "Berg"]


def _time(day: str, precision: int = 11) -> dict:
    return {
        "snaktype": "value",
        "property": "P580",
        "datatype": "time",
        "datavalue": {
            "type": "time",
            "value": {
                "time": f"+{day}T00:00:00Z",
                "precision": precision,
                "timezone": 0,
                "before": 0,
                "after": 0,
            },
        },
    }


def _item(prop: str, qid: str) -> dict:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": prop,
            "datatype": "wikibase-item",
            "datavalue": {
                "type": "wikibase-entityid",
                "value": {"entity-type": "item", "id": qid, "numeric-id": int(qid[1:])},
            },
        },
        "type": "statement",
        "rank": "normal",
    }


def _labels(text: str) -> dict:
    return {lang: {"language": lang, "value": text} for lang in ("en", "de", "fr", "es", "it", "nl")}


def entity(number: int, rng: random.Random, people_share: float, offices: list[str]) -> dict:
    qid = f"Q{number}"
    if number % 1000 == 0:
        claims = {"P31": [_item("P31", "Q4164871")]} if number % 2000 else {}
        return {
            "type": "item",
            "id": qid,
            "labels": _labels(f"Minister of Affairs {number}"),
            "claims": claims,
            "aliases": {"en": [{"language": "en", "value": f"Affairs Minister {number}"}]},
            "descriptions": {},
        }
    if rng.random() < people_share:
        held = []
        for _ in range(rng.randint(1, 3)):
            start = rng.randint(1950, 2024)
            statement = _item("P39", rng.choice(offices))
            statement["qualifiers"] = {"P580": [_time(f"{start}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")]}
            if rng.random() < 0.8:
                statement["qualifiers"]["P582"] = [_time(f"{start + rng.randint(1, 8)}-00-00", 9)]
            held.append(statement)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{number % 997}"
        return {
            "type": "item",
            "id": qid,
            "labels": _labels(name),
            "descriptions": {"en": {"language": "en", "value": "politician"}},
            "aliases": {},
            "claims": {"P31": [_item("P31", "Q5")], "P39": held},
        }
    return {
        "type": "item",
        "id": qid,
        "labels": _labels(f"Thing number {number} " + "x" * rng.randint(20, 200)),
        "descriptions": {"en": {"language": "en", "value": "a synthetic filler item of the benchmark"}},
        "aliases": {},
        "claims": {"P31": [_item("P31", "Q515")], "P17": [_item("P17", "Q30")]},
    }


def write_dump(path: Path, count: int, people_share: float, seed: int = 7) -> None:
    rng = random.Random(seed)
    offices = [f"Q{n}" for n in range(1000, count + 1, 1000)] or ["Q1000"]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as out:
        out.write("[\n")
        for number in range(1, count + 1):
            out.write(json.dumps(entity(number, rng, people_share, offices), separators=(",", ":")))
            out.write(",\n" if number < count else "\n")
        out.write("]\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument(
        "--people", type=float, default=0.05, help="share of entities that are office holders"
    )
    args = parser.parse_args()

    from copydesk.knowledge import open_knowledge_base
    from copydesk.knowledge_build.wikidata import import_wikidata

    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "synthetic.json.gz"
        began = time.perf_counter()
        write_dump(dump, args.entities, args.people)
        written = time.perf_counter() - began
        kb = open_knowledge_base(Path(folder) / "kb", must_exist=False, create=True)
        stats = import_wikidata(kb, dump)
        counts = kb.stats()
        kb.close()
        size = sum(p.stat().st_size for p in (Path(folder) / "kb").iterdir())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        json.dump(
            {
                "entities": stats.entities,
                "dump_mb": round(dump.stat().st_size / 2**20, 1),
                "generate_s": round(written, 1),
                "import_s": round(stats.seconds, 1),
                "entities_per_s": round(stats.entities_per_second),
                "people": stats.people,
                "facts": stats.facts,
                "second_pass": stats.second_pass,
                "offices": counts["offices"],
                "kb_mb": round(size / 2**20, 1),
                "peak_rss_mb": round(peak_mb, 1),
            },
            sys.stdout,
            indent=2,
        )
        print()


if __name__ == "__main__":
    main()
