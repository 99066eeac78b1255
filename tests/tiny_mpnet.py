"""A tiny random MPNet for tests: a word-level tokenizer with MPNet's special tokens and a
2-layer, 32-wide config (no 400 MB download). Needs torch and transformers (the train extra)."""

from __future__ import annotations

import re
from typing import Any


def tiny_tokenizer(texts: list[str]) -> Any:
    """A WordPiece tokenizer whose vocabulary is MPNet's special tokens and the words of ``texts``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    words = sorted({w for t in texts for w in re.findall(r"\w+|[^\w\s]", t.lower())})
    vocab = {tok: i for i, tok in enumerate(["<s>", "<pad>", "</s>", "<unk>", "<mask>", *words])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def tiny_config(vocab_size: int, **extra: Any) -> Any:
    """An MPNet config of two layers, 32 wide, with MPNet's special token ids."""
    from transformers import MPNetConfig

    return MPNetConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        **extra,
    )
