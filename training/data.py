"""Loading the shared training data and train-side benchmark rows as (premise, hypothesis, label) pairs.

Every pair carries a ``group`` (its source document); ``is_dev(group)`` holds out ~10% of
groups as a dev slice that training never sees. Benchmark sources are used only when
``copydesk.datasplit.split_of(source) == "train"``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import lzma
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from copydesk.datasplit import normalise_source, source_hash, split_of

BENCHMARKS = (
    "faithbench_dev",
    "frank_valid",
    "qags",
    "summac_subsets",
    "summedits_news_eval",
    "xsum_hallucinations",
)

_SENT_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[`]*\s*[A-Za-z0-9])")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|U\.S|U\.K|a\.m|p\.m|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$",
    re.I,
)
_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP = frozenset(
    "a an the of to in on at for and or but is are was were be been by with as from that this it its "
    "he she they his her their has have had will would said says not no".split()
)


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int  # 1 = premise supports hypothesis
    origin: str  # e.g. "nli/mnli", "synthetic/entity_swap"
    group: str  # source-document key used for the dev split
    target: float | None = None
    """P(supports) to train toward instead of ``label`` (a teacher's, mixed with the label:
    ``training.distil``); None trains toward the label itself."""


def split_sentences(text: str) -> list[str]:
    """Regex sentence splitter (news prose); merges splits after common abbreviations."""
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    for piece in _SENT_RE.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and (_ABBREV.search(out[-1]) or len(out[-1]) < 4):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def chunks(sentences: list[str], size: int = 3) -> list[str]:
    """Non-overlapping windows of ``size`` sentences joined by spaces (MiniCheck-style chunks)."""
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)] or [""]


def content_words(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP}


def best_window(sentences: list[str], claim: str, size: int = 3) -> str:
    """The window of ``size`` consecutive sentences sharing most content words with ``claim``."""
    if not sentences:
        return ""
    cw = content_words(claim)
    best, best_score = 0, -1.0
    for i in range(max(1, len(sentences) - size + 1)):
        words = content_words(" ".join(sentences[i : i + size]))
        score = len(cw & words) + 1e-3 * (len(sentences) - i)
        if score > best_score:
            best, best_score = i, score
    return " ".join(sentences[best : best + size])


def doc_key(text: str) -> str:
    return hashlib.blake2b(normalise_source(text).encode(), digest_size=8).hexdigest()


def is_dev(group: str, dev_percent: int = 10) -> bool:
    """True for the ~``dev_percent``% of groups held out as the dev slice."""
    h = int(hashlib.blake2b(("dev|" + group).encode(), digest_size=8).hexdigest(), 16)
    return h % 100 < dev_percent


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# --------------------------------------------------------------------------- benchmarks
def benchmark_rows(data_dir: Path, side: str = "train") -> dict[str, list[dict]]:
    """Rows of every ``benchmarks/*.jsonl`` file whose source falls on ``side`` of :func:`split_of`."""
    out: dict[str, list[dict]] = {}
    bdir = data_dir / "benchmarks"
    for path in sorted(bdir.glob("*.jsonl")):
        out[path.stem] = [r for r in read_jsonl(path) if split_of(r["source"]) == side]
    return out


def train_sources(data_dir: Path) -> list[str]:
    """Distinct benchmark sources on the train side, in a stable order."""
    seen: dict[str, str] = {}
    for rows in benchmark_rows(data_dir, "train").values():
        for r in rows:
            seen.setdefault(doc_key(r["source"]), r["source"])
    return [seen[k] for k in sorted(seen)]


def benchmark_pairs(data_dir: Path, max_text_chars: int = 320) -> list[Pair]:
    """Short train-side benchmark texts (one sentence) against their best-matching source window."""
    pairs = []
    for name, rows in benchmark_rows(data_dir, "train").items():
        for r in rows:
            text = " ".join(r["text"].split())
            if not text or len(text) > max_text_chars or len(split_sentences(text)) != 1:
                continue
            premise = best_window(split_sentences(r["source"]), text, 3)
            pairs.append(Pair(premise, text, int(r["label"]), f"benchmark/{name}", doc_key(r["source"])))
    return pairs


# --------------------------------------------------------------------------- NLI
def nli_pairs(data_dir: Path) -> list[Pair]:
    """Binary MNLI and FEVER-NLI pairs (``label<TAB>premise<TAB>hypothesis``)."""
    pairs = []
    ndir = data_dir / "training" / "nli_pairs"
    for path in sorted(ndir.glob("*.txt")):
        kind = path.stem.split("_")[0]
        with open(path, encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[0] not in ("entailment", "not_entailment"):
                    continue
                premise, hyp = row[1].strip(), row[2].strip()
                if premise and hyp:
                    pairs.append(
                        Pair(premise, hyp, int(row[0] == "entailment"), f"nli/{kind}", doc_key(premise))
                    )
    return pairs


# --------------------------------------------------------------------------- WiCE
def _wice_files(data_dir: Path) -> Iterable[Path]:
    wdir = data_dir / "training" / "wice"
    yield from sorted(wdir.glob("entailment_retrieval/claim/*.jsonl"))
    yield from sorted(wdir.glob("non_supported_tokens/*.jsonl"))


def wice_pairs(data_dir: Path, max_sents: int = 5) -> list[Pair]:
    """WiCE claims: supported -> 1; partially/not supported -> 0.

    Premise = the first annotated set of supporting sentences (at most ``max_sents``), or,
    when none is annotated, the evidence window sharing most words with the claim.
    """
    pairs, seen = [], set()
    for path in _wice_files(data_dir):
        for r in read_jsonl(path):
            claim = " ".join(r["claim"].split())
            if not claim or claim in seen:
                continue
            seen.add(claim)
            ev = [e for e in r["evidence"]]
            sets = [s for s in r.get("supporting_sentences") or [] if s]
            if sets:
                idx = sorted(set(sets[0]))[:max_sents]
                premise = " ".join(ev[i] for i in idx if 0 <= i < len(ev))
            else:
                body = [e for e in ev if not e.startswith("(meta data)")]
                premise = best_window(body, claim, 3)
            if not premise:
                continue
            label = int(r["label"] == "supported")
            pairs.append(Pair(premise, claim, label, f"wice/{r['label']}", doc_key(claim)))
    return pairs


# --------------------------------------------------------------------------- Falke
def falke_pairs(data_dir: Path) -> list[Pair]:
    """Falke et al. triples: article sentence supports the correct sentence, not the incorrect one."""
    pairs = []
    for path in sorted((data_dir / "training" / "falke").glob("*.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            art, group = r["article_sent"], "falke|" + r.get("article_id", r["article_sent"])
            pairs.append(Pair(art, r["correct_sent"], 1, "falke/correct", group))
            pairs.append(Pair(art, r["incorrect_sent"], 0, "falke/incorrect", group))
    return pairs


# --------------------------------------------------------------------------- FactCG (CG2C)
def factcg_pairs(data_dir: Path) -> list[Pair]:
    """CG2C news pairs (``training/factcg/cg2c_doc.jsonl``): ``text_a`` premise, ``text_b[0]`` claim.

    Several rows come from one article: the same claim against other chunks of it, or a chunk
    with a name blanked out. Rows sharing a claim or a premise's first sentence are one group,
    so an article falls wholly on the train or the dev side.
    """
    path = data_dir / "training" / "factcg" / "cg2c_doc.jsonl"
    if not path.is_file():
        return []
    rows = [r for r in read_jsonl(path) if r.get("text_a") and r.get("text_b")]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = []
    for r in rows:
        sents = split_sentences(r["text_a"])
        a = "p|" + doc_key(sents[0] if sents else r["text_a"])
        b = "c|" + doc_key(r["text_b"][0])
        parent[find(a)] = find(b)
        keys.append(a)
    pairs = []
    for r, key in zip(rows, keys, strict=True):
        premise, claim = " ".join(r["text_a"].split()), " ".join(r["text_b"][0].split())
        label = int(r["orig_label"])
        pairs.append(
            Pair(
                premise,
                claim,
                label,
                f"factcg/{'supported' if label else 'unsupported'}",
                "cg2c|" + find(key),
            )
        )
    return pairs


# --------------------------------------------------------------------------- mixing
def sample_balanced(pairs: list[Pair], n: int, rng: random.Random) -> list[Pair]:
    """Up to ``n`` pairs, half of each label where possible."""
    pos = [p for p in pairs if p.label == 1]
    neg = [p for p in pairs if p.label == 0]
    rng.shuffle(pos)
    rng.shuffle(neg)
    k_pos = min(len(pos), max(n // 2, n - len(neg)))
    k_neg = min(len(neg), n - k_pos)
    return pos[:k_pos] + neg[:k_neg]


def split_dev(pairs: Iterable[Pair], dev_percent: int = 10) -> tuple[list[Pair], list[Pair]]:
    train, dev = [], []
    for p in pairs:
        (dev if is_dev(p.group, dev_percent) else train).append(p)
    return train, dev


# --------------------------------------------------------------------------- pairs files
def save_pairs(path: Path, splits: dict[str, list[Pair]], counts: dict) -> Path:
    """Write built pairs as xz-compressed JSON lines: a header with ``counts``, then one pair a line.

    Building the synthetic pairs needs spaCy; training needs only torch. A pairs file lets
    the two run on different machines (build here, train on a GPU machine).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wt", encoding="utf-8", preset=9) as fh:
        fh.write(json.dumps({"counts": counts}) + "\n")
        for split, pairs in splits.items():
            for p in pairs:
                row = [split, p.premise, p.hypothesis, p.label, p.origin, p.group]
                if p.target is not None:
                    row.append(round(p.target, 4))
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def load_pairs(path: Path) -> tuple[dict[str, list[Pair]], dict]:
    """Read a file written by :func:`save_pairs`: (pairs by split name, counts)."""
    splits: dict[str, list[Pair]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        counts = json.loads(fh.readline())["counts"]
        for line in fh:
            split, premise, hypothesis, label, origin, group, *target = json.loads(line)
            pair = Pair(premise, hypothesis, int(label), origin, group, float(target[0]) if target else None)
            splits.setdefault(split, []).append(pair)
    return splits, counts


__all__ = [
    "BENCHMARKS",
    "Pair",
    "benchmark_pairs",
    "benchmark_rows",
    "best_window",
    "chunks",
    "factcg_pairs",
    "falke_pairs",
    "is_dev",
    "load_pairs",
    "nli_pairs",
    "sample_balanced",
    "save_pairs",
    "source_hash",
    "split_dev",
    "split_sentences",
    "train_sources",
    "wice_pairs",
]
