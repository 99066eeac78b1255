"""The two base encoders a cross-encoder can start from: MiniLM-L6 (BERT) and MPNet-base.

MiniLM keeps the route of :mod:`training.train_entailment` as it was: ``[CLS] premise [SEP]
hypothesis [SEP]`` with token-type ids (:func:`copydesk.inference.encode_pairs_bert`), BERT
pooler re-initialised to the identity. MPNet (all-mpnet-base-v2, fetched by
:mod:`training.fetch_mpnet`) differs in what this module handles:

* input: ``<s> premise </s></s> hypothesis </s>``, no token-type ids, padding id ``<pad>`` = 1
  (MPNet derives position ids from the non-padding tokens). Its vocabulary also holds ``[CLS]``
  and ``[SEP]`` as ordinary tokens, so a BERT-style encoder would run without error and feed the
  model inputs it never saw: the encoder is chosen by the ``<s>`` token, not by ``[CLS]``.
* head: MPNet's classification head reads the first token, which all-mpnet-base-v2 never
  trained as a summary (it was trained with mean pooling). ``pooling="mean"`` (default) feeds
  the same head the mean of the token states over the attention mask instead; the choice is
  stored in the saved config (``copydesk_pooling``) and :func:`load_trained` honours it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from copydesk import inference

ENCODERS = ("minilm", "mpnet")
POOLINGS = ("mean", "first")
MPNET_NAME = "sentence-transformers/all-mpnet-base-v2"
POOLING_KEY = "copydesk_pooling"


# --------------------------------------------------------------------------- tokens
# The input formats are the run time's (copydesk.inference), chosen there by the tokenizer; the
# names stay importable from here for the training code.
EncodedPairs = inference.EncodedPairs
is_roberta_style = inference.is_roberta_style
pad_id = inference.pad_id
encode_pairs_roberta = inference.encode_pairs_roberta


def pair_encoder(encoder: str) -> Callable[[Any, Sequence[tuple[str, str]], int], EncodedPairs]:
    """The function that turns (premise, hypothesis) pairs into model inputs for ``encoder``."""
    return inference.encode_pairs_roberta if encoder == "mpnet" else inference.encode_pairs_bert


def input_names(encoder: str) -> list[str]:
    """ONNX input names: MPNet takes no token-type ids."""
    if encoder == "mpnet":
        return ["input_ids", "attention_mask"]
    return ["input_ids", "attention_mask", "token_type_ids"]


def model_inputs(encoder: str, ids, mask, types) -> dict[str, Any]:
    """Keyword arguments of the model's forward for one batch."""
    if encoder == "mpnet":
        return {"input_ids": ids, "attention_mask": mask}
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


# --------------------------------------------------------------------------- models
@functools.cache
def _mean_pool_class():
    import torch
    from transformers import MPNetForSequenceClassification
    from transformers.modeling_outputs import SequenceClassifierOutput

    class MeanPoolMPNetForSequenceClassification(MPNetForSequenceClassification):
        """MPNet's classification head on the mask-weighted mean of the token states."""

        def forward(self, input_ids=None, attention_mask=None, labels=None, **kwargs):
            kwargs.pop("token_type_ids", None)
            kwargs.pop("return_dict", None)
            if attention_mask is None:
                attention_mask = torch.ones_like(input_ids)
            hidden = self.mpnet(input_ids, attention_mask=attention_mask, return_dict=True, **kwargs)[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            logits = self.classifier(pooled.unsqueeze(1))  # the head reads position 0
            loss = None
            if labels is not None:
                loss = torch.nn.functional.cross_entropy(logits.view(-1, self.num_labels), labels.view(-1))
            return SequenceClassifierOutput(loss=loss, logits=logits)

    return MeanPoolMPNetForSequenceClassification


def make_mpnet_model(base: Path, pooling: str = "mean", num_labels: int = 2):
    """all-mpnet-base-v2 (a folder from :mod:`training.fetch_mpnet`) with a new 2-label head."""
    import torch
    from transformers import MPNetForSequenceClassification

    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    if not (Path(base) / "config.json").is_file():
        raise FileNotFoundError(
            f"{base} holds no MPNet model (config.json missing); fetch it with "
            "`python -m training.fetch_mpnet --out DIR` and pass --base-model DIR"
        )
    cls = _mean_pool_class() if pooling == "mean" else MPNetForSequenceClassification
    model = cls.from_pretrained(str(base), num_labels=num_labels, local_files_only=True, dtype=torch.float32)
    setattr(model.config, POOLING_KEY, pooling)
    return model


def load_trained(path: Path):
    """A model saved by a training run (either encoder), with the pooling it was trained with."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    config = AutoConfig.from_pretrained(str(path), local_files_only=True)
    if getattr(config, POOLING_KEY, None) == "mean":
        cls = _mean_pool_class()
        return cls.from_pretrained(str(path), local_files_only=True, dtype=torch.float32)
    return AutoModelForSequenceClassification.from_pretrained(
        str(path), local_files_only=True, dtype=torch.float32
    )


def freeze_lower_layers(model, layers: int) -> int:
    """Freeze the embeddings and the lowest ``layers`` transformer layers; returns frozen parameters."""
    if layers <= 0:
        return 0
    base = model.base_model
    stack = base.encoder.layer
    if layers > len(stack):
        raise ValueError(f"cannot freeze {layers} layers of a {len(stack)}-layer model")
    frozen = 0
    for module in [base.embeddings, *stack[:layers]]:
        for param in module.parameters():
            param.requires_grad_(False)
            frozen += param.numel()
    return frozen


def is_head(name: str) -> bool:
    """Parameters of the new classification head (trained with ``head_lr_mult``)."""
    return name.startswith("classifier")


def logits_module(model, encoder: str):
    """A module ``(input_ids, attention_mask[, token_type_ids]) -> logits`` for ONNX export."""
    import torch

    from training.common import output_module

    if encoder != "mpnet":
        return output_module(model, "logits")

    class Logits(torch.nn.Module):
        def __init__(self, wrapped) -> None:
            super().__init__()
            self.wrapped = wrapped

        def forward(self, input_ids, attention_mask):
            return self.wrapped(input_ids=input_ids, attention_mask=attention_mask).logits

    return Logits(model).eval()


# --------------------------------------------------------------------------- run time
class OnnxPairScorer(inference.EntailmentScorer):
    """P(premise supports hypothesis) from an exported file, for either encoder: copydesk's own
    scorer (:class:`copydesk.inference.EntailmentScorer`: same session options, same pair
    encoding chosen by the tokenizer, same softmax), given a file and its tokenizer."""

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int | None = None) -> None:
        super().__init__(threads=threads, model_path=model_path, tokenizer_path=tokenizer_path)


PROBE_PAIRS = (
    ("The council voted 7-2 on Tuesday to close the library.", "The council voted to close the library."),
    ("The council voted 7-2 on Tuesday to close the library.", "The council voted to keep the library open."),
    ("A storm hit the coast on Monday, cutting power to 3,000 homes.", "The storm cut power to 3,000 homes."),
)
"""Known pairs whose scores a shipped file records (MANIFEST.json), so that a test can check the
run time loads the file and scores them as the training run did."""


def probe_record(scorer) -> list[dict[str, Any]]:
    """``PROBE_PAIRS`` with the probability ``scorer`` gives each (scored together, in order)."""
    probs = scorer.score(list(PROBE_PAIRS))
    return [
        {"premise": p, "hypothesis": h, "p_entail": round(float(x), 6)}
        for (p, h), x in zip(PROBE_PAIRS, probs, strict=True)
    ]
