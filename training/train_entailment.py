"""Train the MiniLM entailment cross-encoder, export it to ONNX, quantise, and measure it.

Run through ``python -m training.build`` (which also exports the embedder) or directly::

    nice -n 10 python -m training.train_entailment --max-pairs 30000 --max-minutes 55

Building the pairs needs spaCy and training needs torch, so the two can run on different
machines: ``--save-pairs FILE`` builds the pairs and stops; ``--pairs FILE --train-only
--device cuda --base-model DIR`` trains on a GPU machine that has only torch and
transformers; ``--resume`` back here exports, quantises and measures the trained model.

``--encoder mpnet --base-model DIR`` starts from all-mpnet-base-v2 (``python -m
training.fetch_mpnet --out DIR``) instead of MiniLM: mean-pooled head, ``--freeze-layers``,
``--checkpoint-every`` / ``--resume-training``, and ONNX files split into external data files
under ``--shard-mb`` (``entailment_mpnet.onnx``, ``tokenizer_mpnet.json``). See docs/models.md.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from training import encoders
from training.common import (
    BASE_MODEL_NAME,
    DEFAULT_DATA,
    DEFAULT_OUT,
    balanced_accuracy,
    base_model_path,
    export_onnx,
    file_record,
    onnx_bytes,
    onnx_files,
    output_module,
    quantize_int8,
    save_base_copy,
    save_sharded,
    save_tokenizer_json,
    set_threads,
    update_manifest,
)
from training.data import (
    Pair,
    benchmark_pairs,
    factcg_pairs,
    falke_pairs,
    load_pairs,
    nli_pairs,
    sample_balanced,
    save_pairs,
    split_dev,
    train_sources,
    wice_pairs,
)
from training.synthetic import SyntheticBuilder, load_spacy

MPNET_FILE = "entailment_mpnet.onnx"
MPNET_TOKENIZER = "tokenizer_mpnet.json"


@dataclass
class TrainConfig:
    data_dir: Path = DEFAULT_DATA
    out_dir: Path = DEFAULT_OUT
    work_dir: Path = Path("/tmp/copydesk_entailment")
    max_pairs: int = 30000
    batch_size: int = 16
    lr: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.06
    max_tokens: int = 256
    max_minutes: float = 55.0
    max_steps: int | None = None
    threads: int = 2
    seed: int = 13
    dev_percent: int = 10
    dev_cap: dict[str, int] = field(default_factory=lambda: {"nli": 600, "synthetic": 800})
    max_quant_loss: float = 0.005
    log_every: int = 20
    quick: bool = False
    resume: bool = False  # skip training; export/measure the model saved in work_dir/hf_model
    init_from: Path | None = None  # continue training a saved model instead of starting from MiniLM
    ship: bool = True  # export, measure and copy into out_dir; False for a pass a later one continues
    reword_share: float = 0.0  # share of synthetic claims reworded (training.synthetic.reword)
    small_edits: bool = False  # also noun-swap and spliced negatives (training.synthetic)
    epochs: int = 1  # passes over the training pairs, reshuffled each time
    synthetic_rounds: int = 1  # synthetic pairs drawn this many times (new sentences, windows, edits)
    drop_origins: tuple[str, ...] = ()  # leave out training pairs whose origin starts with one of these
    device: str = "auto"  # "cpu", "cuda", or "auto" (cuda when there is one)
    base_model: Path | None = None  # a saved copy of all-MiniLM-L6-v2 instead of the package's
    pairs_file: Path | None = None  # read the pairs from this file (data.save_pairs) instead of building
    encoder: str = "minilm"  # "minilm" or "mpnet" (then base_model is the folder training.fetch_mpnet wrote)
    pooling: str = "mean"  # MPNet's head input: "mean" of the token states or the "first" token
    head_lr_mult: float = 1.0  # the new classification head learns at lr * this
    freeze_layers: int = 0  # freeze the embeddings and this many lowest transformer layers
    checkpoint_every: int = 0  # save model + optimiser every N steps into work_dir/checkpoint (0: never)
    resume_training: bool = False  # continue from work_dir/checkpoint (same pairs, same seed)
    factcg: bool = False  # add the CG2C news pairs of training/factcg/cg2c_doc.jsonl
    hard_cases: bool = False  # add the synthetic pairs of training.synthetic's hard_cases
    shard_bytes: int = 94_000_000  # largest ONNX file written (weights go to external data files)


@dataclass(frozen=True)
class Pass:
    """One training run over freshly drawn pairs; a later pass continues the model of the one before."""

    seed: int
    lr: float
    max_pairs: int
    max_minutes: float
    reword_share: float = 0.0


SCHEDULE = (
    Pass(seed=13, lr=5e-5, max_pairs=32000, max_minutes=47.0),
    Pass(seed=31, lr=3e-5, max_pairs=36000, max_minutes=48.0),
)
"""The shipped model: a pass from MiniLM, then a second pass over new synthetic pairs and a new
sample of NLI pairs at a lower rate (dev balanced accuracy 0.8395 -> 0.8491, int8)."""


# --------------------------------------------------------------------------- data
def _balance(pairs: list[Pair], rng: random.Random) -> list[Pair]:
    pos = [p for p in pairs if p.label == 1]
    neg = [p for p in pairs if p.label == 0]
    small, big = (pos, neg) if len(pos) <= len(neg) else (neg, pos)
    rng.shuffle(big)
    return small + big[: len(small)]


def build_pairs(cfg: TrainConfig, log=print, progress=None) -> tuple[list[Pair], list[Pair], dict[str, Any]]:
    """Assemble (train, dev, counts). Dev = held-out source documents of every kind."""
    rng = random.Random(cfg.seed)
    d = cfg.data_dir
    fixed: dict[str, list[Pair]] = {
        "wice": wice_pairs(d),
        "falke": falke_pairs(d),
        "benchmark": benchmark_pairs(d),
    }
    if cfg.factcg:
        fixed["factcg"] = factcg_pairs(d)
        log(f"loaded: factcg={len(fixed['factcg'])}")
    nli = nli_pairs(d)
    sources = train_sources(d)
    log(
        f"loaded: nli={len(nli)} wice={len(fixed['wice'])} falke={len(fixed['falke'])} "
        f"benchmark_rows={len(fixed['benchmark'])} train_sources={len(sources)}"
    )
    n_fixed = sum(len(v) for v in fixed.values())
    rest = max(0, cfg.max_pairs - n_fixed)
    n_syn = int(rest * 0.55)
    n_nli = rest - n_syn

    t = time.time()
    nlp = load_spacy()
    synthetic: list[Pair] = []
    rounds = max(1, cfg.synthetic_rounds)
    for r in range(rounds):
        # each round draws other sentences, windows and edits from the same sources
        builder = SyntheticBuilder(
            nlp,
            seed=cfg.seed + 1000 * r,
            reword_share=cfg.reword_share,
            small_edits=cfg.small_edits,
            hard_cases=cfg.hard_cases,
        )
        # synthetic pairs are made for ~dev_percent more than needed so the dev slice has its own
        synthetic += builder.build(
            sources,
            int(n_syn * (1 + cfg.dev_percent / 100) / rounds) + 50,
            progress=(lambda k, r=r: progress(r * len(sources) + k, rounds * len(sources)))
            if progress
            else None,
        )
    if rounds > 1:
        synthetic = list(dict.fromkeys(synthetic))  # a pair drawn in two rounds is kept once
    spacy_used = "yes" if nlp else "no"
    log(f"synthetic: {len(synthetic)} pairs in {time.time() - t:.0f}s (spaCy={spacy_used})")

    train: list[Pair] = []
    dev: list[Pair] = []
    for pairs in fixed.values():
        tr, dv = split_dev(pairs, cfg.dev_percent)
        train += tr
        dev += dv
    tr, dv = split_dev(synthetic, cfg.dev_percent)
    train += tr[:n_syn]
    dev += dv[: cfg.dev_cap["synthetic"]]
    tr, dv = split_dev(nli, cfg.dev_percent)
    by_kind: dict[str, list[Pair]] = {}
    for p in tr:
        by_kind.setdefault(p.origin, []).append(p)
    per_kind = n_nli // max(1, len(by_kind))
    for kind in sorted(by_kind):
        train += sample_balanced(by_kind[kind], per_kind, rng)
    dev += sample_balanced(dv, cfg.dev_cap["nli"], rng)

    train = _balance(train, rng)
    rng.shuffle(train)
    return train, dev, _counts(train, dev)


def _counts(train: list[Pair], dev: list[Pair]) -> dict[str, Any]:
    return {
        "train_total": len(train),
        "train_by_origin": dict(sorted(Counter(p.origin for p in train).items())),
        "train_labels": dict(Counter(str(p.label) for p in train)),
        "dev_total": len(dev),
        "dev_by_origin": dict(sorted(Counter(p.origin.split("/")[0] for p in dev).items())),
        "dev_labels": dict(Counter(str(p.label) for p in dev)),
    }


def pairs_for(cfg: TrainConfig, log=print, progress=None) -> tuple[list[Pair], list[Pair], dict[str, Any]]:
    """The run's (train, dev, counts): read from ``cfg.pairs_file`` or built, less ``drop_origins``.

    Only training pairs are dropped, so runs that differ in what they leave out are measured
    on the same dev pairs.
    """
    if cfg.pairs_file is not None:
        splits, _ = load_pairs(cfg.pairs_file)
        train, dev = splits.get("train", []), splits.get("dev", [])
        log(f"read {len(train)} training and {len(dev)} dev pairs from {cfg.pairs_file}")
    else:
        train, dev, _ = build_pairs(cfg, log, progress)
    if cfg.drop_origins:
        rng = random.Random(cfg.seed)
        train = _balance([p for p in train if not p.origin.startswith(cfg.drop_origins)], rng)
        rng.shuffle(train)
    return train, dev, _counts(train, dev)


# --------------------------------------------------------------------------- model
def make_model(num_labels: int = 2, init_from: Path | None = None, base: Path | None = None):
    """all-MiniLM-L6-v2 with a classification head; pooler dense re-initialised to identity.

    With ``init_from`` (a folder written by an earlier run's ``save_pretrained``), that model is
    loaded as it is, so a second run continues the first with fresh pairs. ``base`` is a saved
    copy of all-MiniLM-L6-v2 (:func:`training.common.base_model_path`).
    """
    import torch
    from transformers import AutoModelForSequenceClassification

    if init_from is not None:
        return AutoModelForSequenceClassification.from_pretrained(
            str(init_from), local_files_only=True, attn_implementation="eager"
        )
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base_model_path(base)),
        num_labels=num_labels,
        local_files_only=True,
        attn_implementation="eager",
        dtype=torch.float32,  # a base saved in fp16 to travel light still trains in fp32
    )
    pooler = model.bert.pooler.dense
    with torch.no_grad():
        pooler.weight.copy_(torch.eye(pooler.weight.shape[0]))
        pooler.bias.zero_()
    return model


def _batches(lengths: list[int], batch_size: int, rng: random.Random, bucket: int = 50) -> list[list[int]]:
    """Length-bucketed batches: shuffle, sort inside mega-batches, shuffle batch order."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    out = []
    mega = batch_size * bucket
    for s in range(0, len(idx), mega):
        part = sorted(idx[s : s + mega], key=lambda i: lengths[i])
        out += [part[k : k + batch_size] for k in range(0, len(part), batch_size)]
    rng.shuffle(out)
    return out


def _collate(rows, indices, pad: int = 0):
    import torch

    width = max(len(rows[i][0]) for i in indices)
    ids = torch.full((len(indices), width), pad, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for r, i in enumerate(indices):
        a, b = rows[i]
        ids[r, : len(a)] = torch.tensor(a)
        types[r, : len(b)] = torch.tensor(b)
        mask[r, : len(a)] = 1
    return ids, mask, types


def _device(name: str):
    import torch

    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def start_model(cfg: TrainConfig):
    """The model a run starts from: an earlier run's (``init_from``), else MiniLM or MPNet."""
    if cfg.encoder == "mpnet":
        if cfg.init_from is not None:
            return encoders.load_trained(cfg.init_from)
        if cfg.base_model is None:
            raise ValueError(
                "--encoder mpnet needs --base-model DIR "
                "(fetch it with `python -m training.fetch_mpnet --out DIR`)"
            )
        return encoders.make_mpnet_model(cfg.base_model, cfg.pooling)
    return make_model(init_from=cfg.init_from, base=cfg.base_model)


def base_name(cfg: TrainConfig) -> str:
    return encoders.MPNET_NAME if cfg.encoder == "mpnet" else BASE_MODEL_NAME


def _fingerprint(pairs: list[Pair], total: int, cfg: TrainConfig) -> str:
    """What a checkpoint must match to be resumed: the same pairs, batches and schedule."""
    import hashlib

    h = hashlib.blake2b(digest_size=8)
    for p in pairs:
        soft = "" if p.target is None else f"|{p.target}"
        h.update(f"{p.label}|{p.premise}|{p.hypothesis}{soft}\n".encode())
    h.update(f"{total}|{cfg.seed}|{cfg.batch_size}|{cfg.encoder}|{cfg.max_tokens}".encode())
    return h.hexdigest()


def save_checkpoint(work_dir: Path, model, opt, state: dict[str, Any]) -> Path:
    """Model, optimiser and loop state in ``work_dir/checkpoint``, replaced whole (never half-written)."""
    import torch

    final = work_dir / "checkpoint"
    tmp = work_dir / "checkpoint.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    torch.save({"optimizer": opt.state_dict(), **state}, tmp / "trainer_state.pt")
    old = work_dir / "checkpoint.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def soft_cross_entropy(logits, target):
    """Mean cross-entropy of 2-way ``logits`` against the distribution (1 - target, target), where
    ``target`` is each pair's P(supports): with 0/1 targets, the usual cross-entropy."""
    import torch

    log_p = torch.log_softmax(logits, dim=-1)
    return -(target * log_p[:, 1] + (1.0 - target) * log_p[:, 0]).mean()


def train(cfg: TrainConfig, pairs: list[Pair], log=print, progress=None) -> tuple[Any, dict[str, Any]]:
    import torch

    from copydesk.inference import load_tokenizer

    set_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    device = _device(cfg.device)
    cfg.work_dir.mkdir(parents=True, exist_ok=True)
    tok = load_tokenizer(save_tokenizer_json(cfg.work_dir, cfg.base_model))
    if (cfg.encoder == "mpnet") != encoders.is_roberta_style(tok):
        raise ValueError(f"--encoder {cfg.encoder} does not match the tokenizer of {cfg.base_model}")
    encode = encoders.pair_encoder(cfg.encoder)
    pad = encoders.pad_id(tok)
    rows = encode(tok, [(p.premise, p.hypothesis) for p in pairs], cfg.max_tokens)
    # P(supports) each pair trains toward: its label, or a teacher's soft target (training.distil)
    targets = torch.tensor(
        [float(p.label) if p.target is None else p.target for p in pairs], dtype=torch.float32
    ).to(device)
    lengths = [len(r[0]) for r in rows]
    batches = [b for _ in range(max(1, cfg.epochs)) for b in _batches(lengths, cfg.batch_size, rng)]
    if cfg.max_steps:
        batches = batches[: cfg.max_steps]
    total = len(batches)
    fingerprint = _fingerprint(pairs, total, cfg)
    checkpoint = cfg.work_dir / "checkpoint"
    resumed: dict[str, Any] = {}
    if cfg.resume_training:
        if not (checkpoint / "trainer_state.pt").is_file():
            raise FileNotFoundError(f"no checkpoint to resume in {checkpoint}")
        resumed = torch.load(checkpoint / "trainer_state.pt", map_location="cpu", weights_only=False)
        if resumed["fingerprint"] != fingerprint:
            raise ValueError(
                "the checkpoint was made with other pairs or settings (seed, batch size, epochs, "
                "max steps, encoder, max tokens); resume with the same ones"
            )
        model = (
            encoders.load_trained(checkpoint) if cfg.encoder == "mpnet" else make_model(init_from=checkpoint)
        )
        log(f"resuming from {checkpoint} after step {resumed['step']}/{total}")
    else:
        model = start_model(cfg)
    frozen = encoders.freeze_lower_layers(model, cfg.freeze_layers)
    if frozen:
        log(f"froze the embeddings and {cfg.freeze_layers} lowest layers ({frozen:,} parameters)")
    model = model.to(device)
    model.train()
    # on a GPU the matrix work runs in bfloat16; the weights and the optimiser stay fp32
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")
    no_decay = ("bias", "LayerNorm.weight")
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = []
    for head in (False, True) if cfg.head_lr_mult != 1.0 else (None,):
        rate = cfg.lr * (cfg.head_lr_mult if head else 1.0)
        part = [(n, p) for n, p in named if head is None or encoders.is_head(n) == head]
        groups += [
            {
                "params": [p for n, p in part if not any(k in n for k in no_decay)],
                "weight_decay": cfg.weight_decay,
                "base_lr": rate,
            },
            {
                "params": [p for n, p in part if any(k in n for k in no_decay)],
                "weight_decay": 0.0,
                "base_lr": rate,
            },
        ]
    opt = torch.optim.AdamW([g for g in groups if g["params"]], lr=cfg.lr)
    if resumed:
        opt.load_state_dict(resumed["optimizer"])
    warm = max(1, int(total * cfg.warmup))
    budget_s = cfg.max_minutes * 60

    def lr_factor(step_done: int, elapsed: float) -> float:
        """Linear warm-up, then linear decay over whichever runs out first: steps or wall time.

        The machine is shared, so throughput varies; tying the decay to the time budget
        means a run cut short by the budget still ends with a decayed learning rate.
        """
        if step_done < warm:
            return (step_done + 1) / warm
        progress = max((step_done - warm) / max(1, total - warm), elapsed / budget_s)
        return max(0.0, 1.0 - progress)

    done = int(resumed.get("step", 0))
    before = float(resumed.get("elapsed", 0.0))  # seconds trained before this process
    t0 = time.time() - before
    losses: list[Any] = [torch.tensor(x, device=device) for x in resumed.get("losses", [])]
    seen = int(resumed.get("seen", 0))
    stopped_early = False
    step = done
    for step, b in enumerate(batches[done:], done + 1):
        factor = lr_factor(step - 1, time.time() - t0)
        if factor <= 0.0:
            log(f"time budget of {cfg.max_minutes} min reached before step {step}/{total}; stopping")
            stopped_early = True
            step -= 1
            break
        for g in opt.param_groups:
            g["lr"] = g["base_lr"] * factor
        ids, mask, types = (t.to(device, non_blocking=True) for t in _collate(rows, b, pad))
        with autocast:
            out = model(**encoders.model_inputs(cfg.encoder, ids, mask, types))
            loss = soft_cross_entropy(out.logits.float(), targets[b])
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for _, p in named], 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.detach())
        seen += len(b)
        if progress:
            progress(step, total)
        elapsed = time.time() - t0
        if step % cfg.log_every == 0 or step == total:
            per_step = (elapsed - before) / (step - done)
            log(
                f"step {step}/{total} loss {_mean(losses[-cfg.log_every :]):.4f} "
                f"lr {cfg.lr * factor:.2e} {per_step:.2f}s/step "
                f"eta {min((total - step) * per_step, budget_s - elapsed) / 60:.1f}min"
            )
        if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < total:
            state = {
                "step": step,
                "elapsed": elapsed,
                "seen": seen,
                "losses": [float(x) for x in losses[-100:]],
                "fingerprint": fingerprint,
            }
            save_checkpoint(cfg.work_dir, model, opt, state)
            log(f"checkpoint after step {step} in {checkpoint}")
    model.eval().to("cpu")
    minutes = (time.time() - t0) / 60
    stats = {
        "steps": step,
        "planned_steps": total,
        "pairs_seen": seen,
        "batch_size": cfg.batch_size,
        "lr": cfg.lr,
        "train_minutes": round(minutes, 2),
        "seconds_per_step": round((time.time() - t0 - before) / max(1, step - done), 3),
        "final_loss_avg_last_100": round(_mean(losses[-100:]), 4) if losses else None,
        "stopped_early": stopped_early,
        "threads": cfg.threads,
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else str(device),
        "epochs": cfg.epochs,
        "init_from": str(cfg.init_from) if cfg.init_from else base_name(cfg),
    }
    if cfg.encoder != "minilm" or cfg.freeze_layers or cfg.head_lr_mult != 1.0 or done:
        stats.update(
            encoder=cfg.encoder,
            pooling=cfg.pooling if cfg.encoder == "mpnet" else "bert pooler (identity)",
            freeze_layers=cfg.freeze_layers,
            head_lr_mult=cfg.head_lr_mult,
            resumed_at_step=done,
        )
    model.save_pretrained(cfg.work_dir / "hf_model")
    return model, stats


def _mean(losses: list[Any]) -> float:
    import torch

    return float(torch.stack(losses).float().mean()) if losses else float("nan")


# --------------------------------------------------------------------------- export + measure
def export_scorer(
    model, work_dir: Path, encoder: str = "minilm", shard_bytes: int = 94_000_000
) -> dict[str, Path]:
    """fp32 ONNX plus dynamic-int8 variants (per-tensor, per-channel, fp32 embedding tables).

    MPNet's files are larger than ``shard_bytes`` (fp32 ~440 MB, int8 ~110 MB): each is written
    as a graph file plus ONNX external data files of at most ``shard_bytes`` each.
    """
    if encoder == "mpnet":
        return _export_sharded(model, work_dir, shard_bytes)
    fp32 = export_onnx(
        output_module(model, "logits"),
        ["input_ids", "attention_mask", "token_type_ids"],
        "logits",
        work_dir / "entailment_fp32.onnx",
        seq_out=False,
    )
    return {
        "fp32": fp32,
        "int8": quantize_int8(fp32, work_dir / "entailment_int8.onnx", embeddings=True),
        "int8_per_channel": quantize_int8(fp32, work_dir / "entailment_int8_pc.onnx", per_channel=True),
        "int8_fp32_embeddings": quantize_int8(
            fp32, work_dir / "entailment_int8_fp32emb.onnx", embeddings=False
        ),
    }


def _export_sharded(model, work_dir: Path, shard_bytes: int) -> dict[str, Path]:
    whole = export_onnx(
        encoders.logits_module(model, "mpnet"),
        encoders.input_names("mpnet"),
        "logits",
        work_dir / "entailment_whole_fp32.onnx",
        seq_out=False,
    )
    fp32 = work_dir / "entailment_fp32.onnx"
    save_sharded(whole, fp32, shard_bytes)
    out = {"fp32": fp32}
    for name, file, kwargs in (
        ("int8", "entailment_int8.onnx", {"embeddings": True}),
        ("int8_per_channel", "entailment_int8_pc.onnx", {"per_channel": True}),
        ("int8_fp32_embeddings", "entailment_int8_fp32emb.onnx", {"embeddings": False}),
    ):
        path = quantize_int8(whole, work_dir / file, **kwargs)
        save_sharded(path, path, shard_bytes)
        out[name] = path
    whole.unlink()
    return out


def evaluate_pairs(scorer, pairs: list[Pair]) -> tuple[dict[str, Any], np.ndarray]:
    probs = scorer.score([(p.premise, p.hypothesis) for p in pairs])
    y = [p.label for p in pairs]
    pred = (probs >= 0.5).astype(int)
    res: dict[str, Any] = {
        "n": len(pairs),
        "accuracy": round(float((pred == np.asarray(y)).mean()), 4),
        "balanced_accuracy": round(balanced_accuracy(y, pred), 4),
    }
    by: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by.setdefault(p.origin.split("/")[0], []).append(i)
    res["by_origin_balanced_accuracy"] = {
        k: round(balanced_accuracy([y[i] for i in v], [pred[i] for i in v]), 4) for k, v in sorted(by.items())
    }
    return res, probs


def measure_and_ship(cfg: TrainConfig, model, dev: list[Pair], log=print) -> dict[str, Any]:
    """Measure every variant on the dev slice; ship the smallest whose loss <= max_quant_loss."""
    from copydesk.inference import EntailmentScorer

    mpnet = cfg.encoder == "mpnet"
    scorer_class = encoders.OnnxPairScorer if mpnet else EntailmentScorer
    tok_path = save_tokenizer_json(cfg.work_dir, cfg.base_model)
    variants = export_scorer(model, cfg.work_dir, cfg.encoder, cfg.shard_bytes)
    report: dict[str, Any] = {}
    probs = {}
    for name, path in variants.items():
        scorer = scorer_class(model_path=path, tokenizer_path=tok_path, threads=cfg.threads)
        t = time.time()
        res, probs[name] = evaluate_pairs(scorer, dev)
        res["dev_pairs_per_s"] = round(len(dev) / max(1e-9, time.time() - t), 1)
        res["bytes"] = onnx_bytes(path) if mpnet else path.stat().st_size
        if name != "fp32":
            diff = np.abs(probs["fp32"] - probs[name])
            res["prob_abs_diff_vs_fp32"] = {
                "max": round(float(diff.max()), 4),
                "mean": round(float(diff.mean()), 4),
            }
        report[name] = res
        log(f"dev {name}: {json.dumps(res)}")
    previous = cfg.out_dir / "entailment.onnx"
    if previous.exists():
        # the model this run would replace, on the same dev pairs, so the two can be compared
        if mpnet:  # the shipped MiniLM model, with its own tokenizer: the two side by side
            scorer = EntailmentScorer(cfg.out_dir, threads=cfg.threads)
        else:
            scorer = EntailmentScorer(model_path=previous, tokenizer_path=tok_path, threads=cfg.threads)
        report["previously_shipped"], _ = evaluate_pairs(scorer, dev)
        log(f"dev previously shipped: {json.dumps(report['previously_shipped'])}")
    base = report["fp32"]["balanced_accuracy"]
    ok = [n for n in variants if base - report[n]["balanced_accuracy"] <= cfg.max_quant_loss]
    smallest = min(report[n]["bytes"] for n in ok)
    # among the passing files of the smallest size (within 10%), the best dev balanced accuracy
    chosen = max(
        (n for n in ok if report[n]["bytes"] <= 1.1 * smallest),
        key=lambda n: (
            report[n]["balanced_accuracy"],
            -report[n].get("prob_abs_diff_vs_fp32", {}).get("mean", 0),
        ),
    )
    report["shipped"] = chosen
    report["rule"] = (
        f"ship the smallest file whose dev balanced accuracy is within {cfg.max_quant_loss} of fp32 "
        f"(losses: " + ", ".join(f"{n}={base - report[n]['balanced_accuracy']:.4f}" for n in variants) + ")"
    )
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    if mpnet:
        dst = cfg.out_dir / MPNET_FILE
        save_sharded(variants[chosen], dst, cfg.shard_bytes)
        shutil.copyfile(tok_path, cfg.out_dir / MPNET_TOKENIZER)
        log(f"shipped {chosen} -> {dst} (+ {len(onnx_files(dst)) - 1} external data files)")
        return report
    dst = cfg.out_dir / "entailment.onnx"
    shutil.copyfile(variants[chosen], dst)
    shutil.copyfile(tok_path, cfg.out_dir / "tokenizer.json")
    log(f"shipped {chosen} -> {dst}")
    return report


def run(
    cfg: TrainConfig,
    log=print,
    progress=None,
    benchmark_rows_per_file: int = 200,
    data_progress=None,
    earlier_passes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build data, train, export, quantise, measure; write MANIFEST.json's ``entailment`` entry.

    With ``cfg.ship`` off, stop after training (a pass a later one continues) and return the
    pair counts and training statistics; ``earlier_passes`` are such returns, kept in the entry.
    """
    t_all = time.time()
    train_pairs, dev_pairs, counts = pairs_for(cfg, log, data_progress)
    log(f"pairs: {json.dumps(counts)}")
    if cfg.resume and cfg.encoder == "mpnet" and (cfg.work_dir / "hf_model").is_dir():
        model = encoders.load_trained(cfg.work_dir / "hf_model").eval()
        prev = cfg.work_dir / "train_stats.json"
        stats = json.loads(prev.read_text()) if prev.exists() else {"resumed": True}
        log(f"resumed the trained model in {cfg.work_dir / 'hf_model'}")
    elif cfg.resume and (cfg.work_dir / "hf_model").is_dir():
        import torch
        from transformers import AutoModelForSequenceClassification

        model = AutoModelForSequenceClassification.from_pretrained(
            str(cfg.work_dir / "hf_model"),
            dtype=torch.float32,  # a model brought back in fp16 too
        ).eval()
        prev = cfg.work_dir / "train_stats.json"
        stats = json.loads(prev.read_text()) if prev.exists() else {"resumed": True}
        log(f"resumed the trained model in {cfg.work_dir / 'hf_model'}")
    else:
        model, stats = train(cfg, train_pairs, log, progress)
        (cfg.work_dir / "train_stats.json").write_text(json.dumps(stats, indent=1))
    if not cfg.ship:
        return {"data": counts, "training": stats}
    report = measure_and_ship(cfg, model, dev_pairs, log)
    if cfg.encoder == "mpnet":
        return _mpnet_record(cfg, report, counts, stats, benchmark_rows_per_file, t_all, log)
    bench: dict[str, Any] = {}
    if benchmark_rows_per_file:
        from copydesk.inference import EntailmentScorer
        from training.evaluate import minicheck_benchmarks

        scorer = EntailmentScorer(cfg.out_dir, threads=cfg.threads)
        bench = minicheck_benchmarks(scorer, cfg.data_dir, benchmark_rows_per_file, log=log)
    record = {
        "model": "entailment cross-encoder (P(evidence supports claim))",
        "base_model": BASE_MODEL_NAME,
        "head": "BertForSequenceClassification, 2 labels, pooler dense re-initialised to identity",
        "inputs": (
            "input_ids, attention_mask, token_type_ids: [CLS] premise [SEP] hypothesis [SEP], "
            "<=256 tokens, premise truncated first"
        ),
        "output": "logits (batch, 2); P(entail) = softmax[:, 1]",
        **file_record(cfg.out_dir / "entailment.onnx"),
        "quantisation": report.pop("shipped"),
        "quantisation_rule": report.pop("rule"),
        "data": counts,
        "training": stats,
        "earlier_passes": earlier_passes or [],
        "dev": report,
        "benchmarks_test_side_minicheck": bench,
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
        "total_minutes": round((time.time() - t_all) / 60, 2),
    }
    update_manifest(cfg.out_dir, "entailment", record)
    return record


def _mpnet_record(
    cfg: TrainConfig,
    report: dict[str, Any],
    counts: dict[str, Any],
    stats: dict[str, Any],
    benchmark_rows_per_file: int,
    t_all: float,
    log=print,
) -> dict[str, Any]:
    """MANIFEST.json's ``entailment_mpnet`` entry (the MiniLM entry is left as it is)."""
    dst = cfg.out_dir / MPNET_FILE
    scorer = encoders.OnnxPairScorer(dst, cfg.out_dir / MPNET_TOKENIZER, threads=cfg.threads)
    bench: dict[str, Any] = {}
    if benchmark_rows_per_file:
        from training.evaluate import minicheck_benchmarks

        bench = minicheck_benchmarks(scorer, cfg.data_dir, benchmark_rows_per_file, log=log)
    record = {
        "model": "entailment cross-encoder (P(evidence supports claim)), MPNet-base",
        "base_model": encoders.MPNET_NAME,
        "head": f"MPNetForSequenceClassification head (dense, tanh, 2 logits) on the {cfg.pooling} "
        + ("of the token states over the attention mask" if cfg.pooling == "mean" else "token <s>"),
        "inputs": (
            "input_ids, attention_mask: <s> premise </s></s> hypothesis </s>, <=256 tokens, premise "
            f"truncated first, padding id <pad> = 1; tokenizer {MPNET_TOKENIZER}"
        ),
        "output": "logits (batch, 2); P(entail) = softmax[:, 1]",
        **file_record(dst),
        "external_data": [file_record(p) for p in onnx_files(dst)[1:]],
        "bytes_total": onnx_bytes(dst),
        "probe": encoders.probe_record(scorer),
        "quantisation": report.pop("shipped"),
        "quantisation_rule": report.pop("rule"),
        "data": counts,
        "training": stats,
        "dev": report,
        "benchmarks_test_side_minicheck": bench,
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
        "total_minutes": round((time.time() - t_all) / 60, 2),
    }
    update_manifest(cfg.out_dir, "entailment_mpnet", record)
    return record


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--work", type=Path, default=Path("/tmp/copydesk_entailment"))
    ap.add_argument("--max-pairs", type=int, default=30000)
    ap.add_argument("--max-minutes", type=float, default=55.0)
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bench-rows", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=20, help="log the loss every N steps")
    ap.add_argument(
        "--lr", type=float, default=None, help="peak learning rate (default 5e-5 for MiniLM, 3e-5 for MPNet)"
    )
    ap.add_argument("--seed", type=int, default=13, help="seeds sampling, synthetic pairs and shuffling")
    ap.add_argument(
        "--reword-share",
        type=float,
        default=0.0,
        help="share of synthetic claims reworded without changing a fact (surname, number and date forms)",
    )
    ap.add_argument(
        "--small-edits",
        action="store_true",
        help="add negatives made by swapping a noun and by splicing two sentences (copy-and-cut errors)",
    )
    ap.add_argument(
        "--init-from",
        type=Path,
        default=None,
        help="continue training the model saved in this folder (an earlier run's WORK/hf_model)",
    )
    ap.add_argument("--epochs", type=int, default=1, help="passes over the training pairs")
    ap.add_argument(
        "--synthetic-rounds",
        type=int,
        default=1,
        help="draw synthetic pairs this many times from the sources (more sentences and edits per source)",
    )
    ap.add_argument(
        "--drop-origin",
        action="append",
        default=[],
        metavar="PREFIX",
        help="leave out training pairs whose origin starts with PREFIX (e.g. synthetic/splice); repeatable",
    )
    ap.add_argument("--device", default="auto", help="cpu, cuda, or auto (cuda when there is one)")
    ap.add_argument(
        "--base-model",
        type=Path,
        default=None,
        help="a saved copy of all-MiniLM-L6-v2 (model and tokenizer) instead of the package's; "
        "with --encoder mpnet, the all-mpnet-base-v2 folder (required)",
    )
    ap.add_argument(
        "--save-base",
        type=Path,
        default=None,
        help="write a copy of the base model (fp16) for --base-model on another machine, stop",
    )
    ap.add_argument("--pairs", type=Path, default=None, help="read the pairs from a file --save-pairs wrote")
    ap.add_argument(
        "--save-pairs", type=Path, default=None, help="build the pairs, write them to FILE (.jsonl.xz), stop"
    )
    ap.add_argument(
        "--train-only",
        action="store_true",
        help="train and save WORK/hf_model, then stop (export and measure it later with --resume)",
    )
    ap.add_argument("--resume", action="store_true", help="re-export/measure the model saved in --work")
    ap.add_argument(
        "--encoder",
        choices=encoders.ENCODERS,
        default="minilm",
        help="start from all-MiniLM-L6-v2 (default) or all-mpnet-base-v2 (needs --base-model DIR, "
        "the folder `python -m training.fetch_mpnet --out DIR` wrote)",
    )
    ap.add_argument(
        "--pooling",
        choices=encoders.POOLINGS,
        default="mean",
        help="MPNet only: the head reads the mean of the token states (default) or the first token",
    )
    ap.add_argument(
        "--head-lr-mult",
        type=float,
        default=None,
        help="the new classification head learns at lr times this (default 1 for MiniLM, 5 for MPNet)",
    )
    ap.add_argument(
        "--freeze-layers",
        type=int,
        default=0,
        help="freeze the embeddings and this many lowest transformer layers (default 0: train all)",
    )
    ap.add_argument(
        "--checkpoint-every",
        type=int,
        default=0,
        metavar="STEPS",
        help="save model and optimiser into WORK/checkpoint every STEPS steps (default 0: never)",
    )
    ap.add_argument(
        "--resume-training",
        action="store_true",
        help="continue an interrupted run from WORK/checkpoint (same pairs and settings)",
    )
    ap.add_argument(
        "--factcg", action="store_true", help="add the CG2C news pairs (training/factcg/cg2c_doc.jsonl)"
    )
    ap.add_argument(
        "--hard-cases",
        action="store_true",
        help="add synthetic pairs aimed at what MiniLM misses: one-word edits (number, name, date, place, "
        "negation, modal, a dropped 'wait to'), numbers and roles swapped inside a sentence, fused "
        "adjacent sentences (right and wrong), reworded positives",
    )
    ap.add_argument(
        "--shard-mb",
        type=float,
        default=94.0,
        help="largest ONNX file written, in MB (MPNet's weights go to external data files)",
    )
    a = ap.parse_args(argv)
    mpnet = a.encoder == "mpnet"
    cfg = TrainConfig(
        a.data,
        a.out,
        a.work,
        a.max_pairs,
        a.batch_size,
        max_minutes=a.max_minutes,
        max_steps=a.max_steps,
        threads=a.threads,
        resume=a.resume,
        lr=a.lr if a.lr is not None else (3e-5 if mpnet else 5e-5),
        seed=a.seed,
        init_from=a.init_from,
        reword_share=a.reword_share,
        small_edits=a.small_edits,
        epochs=a.epochs,
        synthetic_rounds=a.synthetic_rounds,
        drop_origins=tuple(a.drop_origin),
        device=a.device,
        base_model=a.base_model,
        pairs_file=a.pairs,
        ship=not a.train_only,
        encoder=a.encoder,
        pooling=a.pooling,
        head_lr_mult=a.head_lr_mult if a.head_lr_mult is not None else (5.0 if mpnet else 1.0),
        freeze_layers=a.freeze_layers,
        checkpoint_every=a.checkpoint_every,
        resume_training=a.resume_training,
        factcg=a.factcg,
        hard_cases=a.hard_cases,
        shard_bytes=int(a.shard_mb * 1_000_000),
        log_every=a.log_every,
    )
    if a.save_base:
        print(f"base model written to {save_base_copy(a.save_base)}")
        return
    if a.save_pairs:
        train_pairs, dev_pairs, counts = build_pairs(cfg)
        save_pairs(a.save_pairs, {"train": train_pairs, "dev": dev_pairs}, counts)
        print(json.dumps(counts, indent=1))
        return
    rec = run(cfg, benchmark_rows_per_file=a.bench_rows)
    if a.train_only:
        print(json.dumps(rec, indent=1))
        return
    print(json.dumps({k: rec[k] for k in ("quantisation", "training", "dev")}, indent=1))
    if mpnet and a.out == DEFAULT_OUT:
        print(f"note: {MPNET_FILE} and its data files are in {a.out}; the run time does not load them yet")


if __name__ == "__main__":
    main()
