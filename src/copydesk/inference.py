"""Runtime model wrappers: onnxruntime + tokenizers only (no torch, no transformers).

* :class:`SentenceEncoder` -- all-MiniLM-L6-v2 sentence embeddings (384-d, unit norm).
* :class:`EntailmentScorer` -- a MiniLM cross-encoder giving P(evidence supports claim).

Both pad each batch only to its longest member, after sorting inputs by length, and
return results in the caller's order. ``load_encoder`` / ``load_scorer`` build each
model once per process (cached). The model files live in :data:`copydesk.models.MODEL_DIR`
and are rebuilt from the shared data with ``python -m training.build``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copydesk.errors import ModelMissingError
from copydesk.models import MODEL_DIR

__all__ = [
    "ENCODER_MAX_TOKENS",
    "SCORER_MAX_TOKENS",
    "EntailmentScorer",
    "ModelMissingError",
    "SentenceEncoder",
    "encode_pairs",
    "encode_texts",
    "load_encoder",
    "load_scorer",
    "load_tokenizer",
]

ENCODER_FILE = "embedder.onnx"
SCORER_FILE = "entailment.onnx"
TOKENIZER_FILE = "tokenizer.json"
ENCODER_MAX_TOKENS = 128
SCORER_MAX_TOKENS = 256
#: the premise keeps at least this many tokens when a hypothesis is very long
MIN_PREMISE_TOKENS = 32
REBUILD_HINT = (
    "Rebuild the model files with `python -m training.build` from the repository root "
    "(needs the data in ../shared/data and the `train` extras: pip install -e '.[train]'), "
    "or reinstall copydesk, whose package ships them."
)


def _require(path: Path) -> Path:
    if not path.is_file():
        raise ModelMissingError(f"Model file {path} is missing. {REBUILD_HINT}")
    return path


def load_tokenizer(path: Path | str | None = None):  # -> tokenizers.Tokenizer
    """Load the WordPiece tokenizer (``tokenizer.json``) with padding/truncation off."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(_require(Path(path) if path else MODEL_DIR / TOKENIZER_FILE)))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _special_ids(tok) -> tuple[int, int, int]:
    cls_id, sep_id, pad_id = (tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    if cls_id is None or sep_id is None:
        raise ModelMissingError(f"tokenizer has no [CLS]/[SEP] token. {REBUILD_HINT}")
    return cls_id, sep_id, pad_id if pad_id is not None else 0


def encode_texts(tok, texts: Sequence[str], max_tokens: int = ENCODER_MAX_TOKENS) -> list[list[int]]:
    """``[CLS] text [SEP]`` token ids per text, truncated to ``max_tokens``."""
    cls_id, sep_id, _ = _special_ids(tok)
    encs = tok.encode_batch(list(texts), add_special_tokens=False)
    return [[cls_id, *e.ids[: max_tokens - 2], sep_id] for e in encs]


def encode_pairs(
    tok, pairs: Sequence[tuple[str, str]], max_tokens: int = SCORER_MAX_TOKENS
) -> list[tuple[list[int], list[int]]]:
    """``[CLS] premise [SEP] hypothesis [SEP]`` ids and token-type ids per pair.

    Truncation cuts the premise (evidence) first; the hypothesis (claim) is cut only
    when it alone would leave the premise fewer than ``MIN_PREMISE_TOKENS`` tokens.
    Training uses this same function, so train and run time see identical inputs.
    """
    cls_id, sep_id, _ = _special_ids(tok)
    out = []
    for p, h in truncated_pairs(tok, pairs, budget=max_tokens - 3):
        ids = [cls_id, *p, sep_id, *h, sep_id]
        types = [0] * (len(p) + 2) + [1] * (len(h) + 1)
        out.append((ids, types))
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


def _pad(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return ids, mask


def _session(model_path: Path, threads: int | None):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or os.cpu_count() or 1
    # The arena keeps the peak of every batch shape it has seen; with dynamic padding that is
    # hundreds of MB for nothing. Plain allocation costs little next to the matrix products.
    opts.enable_cpu_mem_arena = False
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return ort.InferenceSession(str(model_path), sess_options=opts, providers=["CPUExecutionProvider"])


class _OnnxModel:
    file_name = ""

    def __init__(
        self,
        model_dir: Path | str | None = None,
        threads: int | None = None,
        *,
        model_path: Path | str | None = None,
        tokenizer_path: Path | str | None = None,
    ) -> None:
        base = Path(model_dir) if model_dir else MODEL_DIR
        self.model_path = _require(Path(model_path) if model_path else base / self.file_name)
        self.tokenizer = load_tokenizer(tokenizer_path or base / TOKENIZER_FILE)
        self.pad_id = _special_ids(self.tokenizer)[2]
        self.session = _session(self.model_path, threads)
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
    """MiniLM cross-encoder: P(premise = evidence passage supports hypothesis = claim)."""

    file_name = SCORER_FILE

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int = 16) -> np.ndarray:
        """Score (premise, hypothesis) pairs; returns float32 probabilities in [0, 1].

        Batches of 16 run as fast as 32 on two cores and halve the attention buffers of the
        longest (256-token) pairs, which set the process's peak memory.
        """
        pairs = list(pairs)
        out = np.zeros(len(pairs), dtype=np.float32)
        if not pairs:
            return out
        rows = encode_pairs(self.tokenizer, pairs, SCORER_MAX_TOKENS)
        order = np.argsort([len(r[0]) for r in rows], kind="stable")
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask = _pad([rows[i][0] for i in idx], self.pad_id)
            types, _ = _pad([rows[i][1] for i in idx], 0)
            logits = self._run(ids, mask, types).astype(np.float32)
            out[idx] = _entail_prob(logits)
        return out


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
