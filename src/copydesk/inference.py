"""Runtime model wrappers: onnxruntime + tokenizers only (no torch, no transformers).

* :class:`SentenceEncoder` -- all-MiniLM-L6-v2 sentence embeddings (384-d, unit norm).
* :class:`EntailmentScorer` -- a cross-encoder giving P(evidence supports claim): the shipped
  MiniLM, or any file of the same kind; the pair format follows the tokenizer (BERT's
  ``[CLS] A [SEP] B [SEP]`` with token types, or MPNet's ``<s> A </s></s> B </s>``).
* :class:`MPNetScorer` -- the MPNet-base cross-encoder (``entailment_mpnet.onnx``), when built.
* :class:`JointScorer` -- several judges on every pair, their probabilities averaged.
* :class:`CascadeScorer` -- MiniLM on every pair, MPNet as well on the pairs that decide, in a
  time budget.

``--model fast|accurate|auto`` picks one of them (:func:`build_scorer`). Every model pads each
batch only to its longest member, after sorting inputs by length, and returns results in the
caller's order. ``load_encoder`` / ``load_scorer`` / ``load_mpnet_scorer`` build each model once
per process (cached). The model files live in :data:`copydesk.models.MODEL_DIR` and are rebuilt
from the shared data with ``python -m training.build``.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from copydesk import models
from copydesk.errors import CopydeskError, ModelMissingError
from copydesk.protocols import Scorer

__all__ = [
    "ENCODER_MAX_TOKENS",
    "MODES",
    "SCORER_MAX_TOKENS",
    "CascadeScorer",
    "EntailmentScorer",
    "JointScorer",
    "MPNetScorer",
    "ModelMissingError",
    "ModelMode",
    "SentenceEncoder",
    "build_scorer",
    "encode_pairs",
    "encode_texts",
    "is_roberta_style",
    "load_encoder",
    "load_mpnet_scorer",
    "load_scorer",
    "load_tokenizer",
    "require_model_files",
]

ENCODER_FILE = "embedder.onnx"
SCORER_FILE = "entailment.onnx"
TOKENIZER_FILE = "tokenizer.json"
MPNET_SCORER_FILE = "entailment_mpnet.onnx"
MPNET_TOKENIZER_FILE = "tokenizer_mpnet.json"
ENCODER_MAX_TOKENS = 128
SCORER_MAX_TOKENS = 256
#: the premise keeps at least this many tokens when a hypothesis is very long
MIN_PREMISE_TOKENS = 32
REBUILD_HINT = (
    "Rebuild the model files with `python -m training.build` from the repository root "
    "(needs the data in ../shared/data and the `train` extras: pip install -e '.[train]'), "
    "or reinstall copydesk, whose package ships them."
)
MPNET_BUILD_HINT = (
    "copydesk does not ship the MPNet judge yet. Build it with `python -m training.fetch_mpnet "
    "--out DIR`, then `python -m training.train_entailment --encoder mpnet --base-model DIR` "
    "(a GPU run; see docs/models.md, 'A stronger judge'), or use --model fast."
)

PAIRS_PER_RUN = 1
"""Pairs per run of a cross-encoder. The int8 files quantise their activations with one scale per
run, so in a batch a pair's score depends on the pairs beside it: splitting 1,031 pairs of
benchmark and speed stories differently moved their scores by 0.003 at the median and 0.39 at
most, and 12 crossed 0.5. Run alone, a pair always gets the same score, and on two cores (AVX2)
the judge is a quarter faster, padding nothing (docs/evaluation.md, "Settled claims")."""

ModelMode = Literal["fast", "accurate", "auto"]
MODES: tuple[str, ...] = get_args(ModelMode)
COST_RATIO = 8.0
"""What MPNet-base (12 layers, 768 wide) is first assumed to cost per pair, in MiniLM-L6's (6 layers,
384 wide) time; the int8 files measured 5-6x here, and the cascade learns the ratio as it runs."""
DEFAULT_BUDGET_S = 1.0
"""Seconds of MPNet per story in ``auto`` mode: 30-45 pairs on two cores (MiniLM: 235 pairs/s)."""
RESCORE_BELOW = 0.9
"""In ``auto`` mode, claims whose MiniLM support is at least this are left as they are. MiniLM's
supports bunch up under 0.92 (of 99 train-side benchmark claims, 90% fall below 0.89), and wrong
stories hide at 0.7-0.88 as right ones do at 0.04-0.2: only the surest claims are spared, and the
weakest-first order and the budget choose among the rest."""
ACCURATE_WEIGHT = 0.5
"""Where MPNet scores a pair, its probability's share of the pair's score; MiniLM's makes the rest.
On the 2,031 held-out dev pairs (by source document) the mean of the two scored a balanced accuracy
of 0.807, MiniLM alone 0.779, the int8 MPNet alone 0.783 (fp32: 0.805): the two err on different
pairs (MiniLM on synthetic edits and WiCE, MPNet on the benchmark rows), and the mean also takes
back most of what int8 costs MPNet. docs/models.md, "Two judges together"."""


def _require(path: Path, hint: str = REBUILD_HINT) -> Path:
    if not path.is_file():
        raise ModelMissingError(f"Model file {path} is missing. {hint}")
    return path


def load_tokenizer(path: Path | str | None = None):  # -> tokenizers.Tokenizer
    """Load a tokenizer (default the shipped ``tokenizer.json``) with padding/truncation off."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(_require(Path(path) if path else models.MODEL_DIR / TOKENIZER_FILE)))
    tok.no_padding()
    tok.no_truncation()
    return tok


# --------------------------------------------------------------------------- input formats
def is_roberta_style(tok) -> bool:
    """True for a tokenizer whose pair template is ``<s> A </s></s> B </s>`` (MPNet, RoBERTa).

    MPNet's vocabulary also holds ``[CLS]`` and ``[SEP]`` as ordinary tokens, so a BERT-style
    encoding would run without error and feed the model inputs it never saw: the format is
    chosen by the ``<s>`` token, not by ``[CLS]``.
    """
    return tok.token_to_id("<s>") is not None and tok.token_to_id("</s>") is not None


def pad_id(tok) -> int:
    """The padding id the model expects (``<pad>`` for MPNet, ``[PAD]`` for BERT, else 0)."""
    found = tok.token_to_id("<pad>" if is_roberta_style(tok) else "[PAD]")
    return found if found is not None else 0


def _special_ids(tok) -> tuple[int, int]:
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ModelMissingError(f"tokenizer has no [CLS]/[SEP] token. {REBUILD_HINT}")
    return cls_id, sep_id


def encode_texts(tok, texts: Sequence[str], max_tokens: int = ENCODER_MAX_TOKENS) -> list[list[int]]:
    """``[CLS] text [SEP]`` token ids per text, truncated to ``max_tokens``."""
    cls_id, sep_id = _special_ids(tok)
    encs = tok.encode_batch(list(texts), add_special_tokens=False)
    return [[cls_id, *e.ids[: max_tokens - 2], sep_id] for e in encs]


EncodedPairs = list[tuple[list[int], list[int]]]


def encode_pairs(tok, pairs: Sequence[tuple[str, str]], max_tokens: int = SCORER_MAX_TOKENS) -> EncodedPairs:
    """Token ids and token-type ids per (premise, hypothesis) pair, in the tokenizer's format:
    :func:`encode_pairs_bert` for a WordPiece ``[CLS]``/``[SEP]`` tokenizer (MiniLM),
    :func:`encode_pairs_roberta` for one with ``<s>``/``</s>`` (MPNet).

    Training uses these same functions, so train and run time see identical inputs.
    """
    encode = encode_pairs_roberta if is_roberta_style(tok) else encode_pairs_bert
    return encode(tok, pairs, max_tokens)


def encode_pairs_bert(
    tok, pairs: Sequence[tuple[str, str]], max_tokens: int = SCORER_MAX_TOKENS
) -> EncodedPairs:
    """``[CLS] premise [SEP] hypothesis [SEP]`` ids and token-type ids (0 then 1) per pair,
    truncated by :func:`truncated_pairs`."""
    cls_id, sep_id = _special_ids(tok)
    out = []
    for p, h in truncated_pairs(tok, pairs, budget=max_tokens - 3):
        ids = [cls_id, *p, sep_id, *h, sep_id]
        types = [0] * (len(p) + 2) + [1] * (len(h) + 1)
        out.append((ids, types))
    return out


def encode_pairs_roberta(
    tok, pairs: Sequence[tuple[str, str]], max_tokens: int = SCORER_MAX_TOKENS
) -> EncodedPairs:
    """``<s> premise </s></s> hypothesis </s>`` ids (token types all 0; MPNet takes none) per
    pair, truncated by :func:`truncated_pairs`."""
    cls_id, sep_id = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    out = []
    for p, h in truncated_pairs(tok, pairs, budget=max_tokens - 4):
        ids = [cls_id, *p, sep_id, sep_id, *h, sep_id]
        out.append((ids, [0] * len(ids)))
    return out


def truncated_pairs(tok, pairs: Sequence[tuple[str, str]], budget: int) -> list[tuple[list[int], list[int]]]:
    """(premise ids, hypothesis ids) per pair, together at most ``budget`` tokens: the premise
    (evidence) is cut first; the hypothesis (claim) only when it alone would leave the premise
    fewer than ``MIN_PREMISE_TOKENS`` tokens. Every model's pair encoding shares this rule."""
    prem = tok.encode_batch([p for p, _ in pairs], add_special_tokens=False)
    hyp = tok.encode_batch([h for _, h in pairs], add_special_tokens=False)
    out = []
    for pe, he in zip(prem, hyp, strict=True):
        p, h = pe.ids, he.ids
        if len(p) + len(h) > budget:
            keep_p = max(budget - len(h), min(len(p), MIN_PREMISE_TOKENS))
            p = p[:keep_p]
            h = h[: budget - len(p)]
        out.append((p, h))
    return out


def _pad(rows: Sequence[Sequence[int]], pad: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return ids, mask


def _session(model_path: Path, threads: int | None):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or os.cpu_count() or 1
    # The arena keeps the peak of every batch shape it has seen, and the memory patterns keep a plan
    # per input shape; with dynamic padding either is a hundred MB or more for nothing (the patterns:
    # 537 -> 455 MB peak on news stories). Plain allocation costs little next to the matrix products.
    opts.enable_cpu_mem_arena = False
    opts.enable_mem_pattern = False
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return ort.InferenceSession(str(model_path), sess_options=opts, providers=["CPUExecutionProvider"])


class _OnnxModel:
    file_name = ""
    tokenizer_name = TOKENIZER_FILE
    hint = REBUILD_HINT

    def __init__(
        self,
        model_dir: Path | str | None = None,
        threads: int | None = None,
        *,
        model_path: Path | str | None = None,
        tokenizer_path: Path | str | None = None,
    ) -> None:
        base = Path(model_dir) if model_dir else models.MODEL_DIR
        self.model_path = _require(Path(model_path) if model_path else base / self.file_name, self.hint)
        self.tokenizer = load_tokenizer(
            _require(Path(tokenizer_path) if tokenizer_path else base / self.tokenizer_name, self.hint)
        )
        self.pad_id = pad_id(self.tokenizer)
        try:
            self.session = _session(self.model_path, threads)
        except Exception as exc:  # onnxruntime's errors share no base class but Exception
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelMissingError(
                f"Model file {self.model_path} could not be loaded ({first_line}); its external data "
                f"files ({self.model_path.name}.data*), if it has some, must lie beside it. {self.hint}"
            ) from None
        self.input_names = {i.name for i in self.session.get_inputs()}

    def _run(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.input_names})[0]


class SentenceEncoder(_OnnxModel):
    """all-MiniLM-L6-v2 sentence embeddings: mean-pooled, L2-normalised, 384-d."""

    file_name = ENCODER_FILE
    dim = 384

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns a float32 array of shape (len(texts), 384)."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        rows = encode_texts(self.tokenizer, texts, ENCODER_MAX_TOKENS)
        order = np.argsort([len(r) for r in rows], kind="stable")
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask = _pad([rows[i] for i in idx], self.pad_id)
            hidden = self._run(ids, mask, np.zeros_like(ids))
            if hidden.ndim == 3:  # token embeddings -> mean over real tokens
                m = mask[:, :, None].astype(np.float32)
                hidden = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            norms = np.linalg.norm(hidden, axis=1, keepdims=True)
            out[idx] = hidden / np.clip(norms, 1e-12, None)
        return out


class EntailmentScorer(_OnnxModel):
    """A cross-encoder: P(premise = evidence passage supports hypothesis = claim).

    The shipped MiniLM by default; given another file and its tokenizer, the pair format follows
    the tokenizer (:func:`encode_pairs`), so an MPNet file loads here too.
    """

    file_name = SCORER_FILE

    @property
    def encoder(self) -> str:
        """The input format: ``"mpnet"`` (``<s> A </s></s> B </s>``) or ``"minilm"`` (BERT)."""
        return "mpnet" if is_roberta_style(self.tokenizer) else "minilm"

    def score(
        self,
        pairs: Sequence[tuple[str, str]],
        batch_size: int = PAIRS_PER_RUN,
        max_tokens: int = SCORER_MAX_TOKENS,
    ) -> np.ndarray:
        """Score (premise, hypothesis) pairs; returns float32 probabilities in [0, 1].

        ``batch_size`` pairs per run of the model; see :data:`PAIRS_PER_RUN` for why one.
        """
        pairs = list(pairs)
        out = np.zeros(len(pairs), dtype=np.float32)
        if not pairs:
            return out
        rows = encode_pairs(self.tokenizer, pairs, max_tokens)
        order = np.argsort([len(r[0]) for r in rows], kind="stable")
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask = _pad([rows[i][0] for i in idx], self.pad_id)
            types, _ = _pad([rows[i][1] for i in idx], 0)
            logits = self._run(ids, mask, types).astype(np.float32)
            out[idx] = _entail_prob(logits)
        return out


class MPNetScorer(EntailmentScorer):
    """The MPNet-base cross-encoder (``entailment_mpnet.onnx`` with its external data files and
    ``tokenizer_mpnet.json``), written by ``training.train_entailment --encoder mpnet``."""

    file_name = MPNET_SCORER_FILE
    tokenizer_name = MPNET_TOKENIZER_FILE
    hint = MPNET_BUILD_HINT


def _entail_prob(logits: np.ndarray) -> np.ndarray:
    if logits.ndim == 1 or logits.shape[-1] == 1:
        return 1.0 / (1.0 + np.exp(-logits.reshape(-1)))
    z = logits - logits.max(-1, keepdims=True)
    e = np.exp(z)
    return (e[:, 1] / e.sum(-1)).astype(np.float32)


@functools.lru_cache(maxsize=4)
def load_encoder(threads: int | None = None) -> SentenceEncoder:
    """The shipped sentence encoder, built once per process (per thread count)."""
    return SentenceEncoder(threads=threads)


@functools.lru_cache(maxsize=4)
def load_scorer(threads: int | None = None) -> EntailmentScorer:
    """The shipped entailment scorer, built once per process (per thread count)."""
    return EntailmentScorer(threads=threads)


@functools.lru_cache(maxsize=4)
def load_mpnet_scorer(threads: int | None = None) -> MPNetScorer:
    """The MPNet scorer from :data:`copydesk.models.MODEL_DIR`, built once per process."""
    return MPNetScorer(threads=threads)


# --------------------------------------------------------------------------- modes and the cascade
def require_model_files(mode: str, model_dir: Path | str | None = None) -> None:
    """Raise :class:`ModelMissingError` naming the file and the command that builds it when ``mode``
    needs a model file that is not installed (``accurate`` and ``auto`` need MPNet's); a
    :class:`CopydeskError` for an unknown mode. Costs two file checks."""
    if mode not in MODES:
        raise CopydeskError(f"unknown model mode {mode!r}; choose one of: {', '.join(MODES)}")
    if mode == "fast":
        return
    base = Path(model_dir) if model_dir else models.MODEL_DIR
    for name in (MPNET_SCORER_FILE, MPNET_TOKENIZER_FILE):
        path = base / name
        if not path.is_file():
            raise ModelMissingError(f"--model {mode} needs {path}, which is missing. {MPNET_BUILD_HINT}")


def build_scorer(
    mode: str = "fast",
    threads: int | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
    model_dir: Path | str | None = None,
) -> Scorer:
    """The entailment scorer of a mode: ``fast`` MiniLM on every pair; ``accurate`` MiniLM and
    MPNet on every pair, averaged (:class:`JointScorer`, about ``COST_RATIO`` + 1 times the time);
    ``auto`` a :class:`CascadeScorer` giving MPNet ``budget_s`` seconds per call. The shipped files
    are shared per process; ``model_dir`` loads fresh ones from another folder."""
    require_model_files(mode, model_dir)

    def minilm() -> EntailmentScorer:
        return EntailmentScorer(model_dir, threads) if model_dir else load_scorer(threads)

    def mpnet() -> MPNetScorer:
        return MPNetScorer(model_dir, threads) if model_dir else load_mpnet_scorer(threads)

    if mode == "fast":
        return minilm()
    if mode == "accurate":
        return JointScorer([minilm(), mpnet()], [1.0 - ACCURATE_WEIGHT, ACCURATE_WEIGHT])
    return CascadeScorer(minilm(), mpnet(), budget_s=budget_s)


class JointScorer:
    """A :class:`~copydesk.protocols.Scorer` whose score for a pair is the weighted mean of its
    judges' probabilities (weights summing to 1)."""

    def __init__(self, judges: Sequence[Scorer], weights: Sequence[float]) -> None:
        if not judges or len(judges) != len(weights):
            raise CopydeskError("a joint scorer needs one weight per judge, and at least one judge")
        if any(w < 0 for w in weights) or not np.isclose(sum(weights), 1.0):
            raise CopydeskError(f"a joint scorer's weights must be non-negative and sum to 1, not {weights}")
        self.judges = list(judges)
        self.weights = [float(w) for w in weights]

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int = PAIRS_PER_RUN) -> np.ndarray:
        pairs = list(pairs)
        total = np.zeros(len(pairs), dtype=np.float32)
        for judge, weight in zip(self.judges, self.weights, strict=True):
            if weight:
                total += weight * np.asarray(judge.score(pairs, batch_size), dtype=np.float32)
        return total


@dataclass
class CascadeCounts:
    """What a :class:`CascadeScorer` did, summed over its calls."""

    calls: int = 0
    pairs: int = 0
    """pairs scored by the fast model (all of them)"""
    rescored_pairs: int = 0
    """pairs the accurate model re-scored"""
    rescored_claims: int = 0
    left_claims: int = 0
    """claims that wanted re-scoring but did not fit in the budget"""
    fast_s: float = 0.0
    accurate_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


class CascadeScorer:
    """A :class:`~copydesk.protocols.Scorer`: the fast model scores every pair, then the accurate
    model scores again the pairs of the claims that decide, weakest claim first, within
    ``budget_s`` seconds per call; such a pair's score becomes ``accurate_weight`` of the accurate
    model's probability plus the rest of the fast one's (as in ``accurate`` mode).

    A claim is the set of pairs sharing a hypothesis (the support stage words a claim in each
    passage's terms, a pronoun replaced by the name, and each wording counts as a claim here); its
    support is the best of its pairs, as the support stage takes it. The claims whose fast
    support is under ``rescore_below`` -- the weakest, which the verdict rests on, and those in
    the uncertain band above them -- are re-scored whole (every pair, so that a claim's support
    comes from one model), in order of support. Each claim's cost is estimated from the fast
    model's time on this call times the accurate/fast ratio last measured (``cost_ratio`` until
    then); a claim that would overrun the budget is left to the fast model, and a smaller one
    after it may still fit. The accurate model is called with up to ``batch_size`` pairs at a time;
    after each the estimate is corrected by the time it took. ``counts`` says how many pairs and
    claims went to the accurate model.
    """

    def __init__(
        self,
        fast: Scorer,
        accurate: Scorer,
        budget_s: float = DEFAULT_BUDGET_S,
        rescore_below: float = RESCORE_BELOW,
        cost_ratio: float = COST_RATIO,
        clock: Callable[[], float] = time.perf_counter,
        accurate_weight: float = ACCURATE_WEIGHT,
    ) -> None:
        if budget_s < 0:
            raise CopydeskError(f"the model budget must be at least 0 seconds, not {budget_s}")
        if not 0.0 <= accurate_weight <= 1.0:
            raise CopydeskError(f"the accurate model's weight must lie in [0, 1], not {accurate_weight}")
        self.fast = fast
        self.accurate = accurate
        self.accurate_weight = accurate_weight
        self.budget_s = budget_s
        self.rescore_below = rescore_below
        self.ratio = cost_ratio
        self.clock = clock
        self.counts = CascadeCounts()
        self._lock = threading.Lock()

    def claims_to_rescore(self, pairs: Sequence[tuple[str, str]], scores: np.ndarray) -> list[list[int]]:
        """Indices of the pairs of each claim worth re-scoring, weakest claim first."""
        claims: dict[str, list[int]] = {}
        for i, (_, hypothesis) in enumerate(pairs):
            claims.setdefault(hypothesis, []).append(i)
        support = {h: float(scores[idx].max()) for h, idx in claims.items()}
        wanted = [h for h in claims if support[h] < self.rescore_below]
        return [claims[h] for h in sorted(wanted, key=lambda h: support[h])]

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int = 16) -> np.ndarray:
        pairs = list(pairs)
        started = self.clock()
        scores = np.array(self.fast.score(pairs), dtype=np.float32)
        fast_s = self.clock() - started
        queue = self.claims_to_rescore(pairs, scores) if pairs and self.budget_s > 0 else []
        per_pair = self.ratio * fast_s / max(1, len(pairs))
        spent = 0.0
        sent = claims_sent = left = 0
        while queue:
            batch: list[int] = []
            planned = 0.0
            for claim in list(queue):
                cost = per_pair * len(claim)
                if spent + planned + cost > self.budget_s:
                    queue.remove(claim)
                    left += 1
                elif not batch or len(batch) + len(claim) <= batch_size:
                    queue.remove(claim)
                    batch += claim
                    planned += cost
                    claims_sent += 1
                else:
                    break
            if not batch:
                break
            t0 = self.clock()
            again = np.asarray(self.accurate.score([pairs[i] for i in batch]), dtype=np.float32)
            scores[batch] = self.accurate_weight * again + (1.0 - self.accurate_weight) * scores[batch]
            took = self.clock() - t0
            spent += took
            sent += len(batch)
            per_pair = took / len(batch)
            if fast_s > 0:
                self.ratio = per_pair / (fast_s / len(pairs))
        with self._lock:
            c = self.counts
            c.calls += 1
            c.pairs += len(pairs)
            c.rescored_pairs += sent
            c.rescored_claims += claims_sent
            c.left_claims += left
            c.fast_s += fast_s
            c.accurate_s += spent
        return scores
