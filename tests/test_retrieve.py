from __future__ import annotations

import numpy as np

from copydesk.retrieve import EmbeddingCache


class CountingEncoder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts])


def test_cache_returns_every_text_even_when_one_call_overflows_it() -> None:
    cache = EmbeddingCache(size=3)
    encoder = CountingEncoder()
    texts = [f"sentence {i}" for i in range(5)]
    vectors = cache.embed(encoder, texts)
    assert vectors.shape == (5, 2)


def test_cached_texts_are_not_embedded_again() -> None:
    cache = EmbeddingCache(size=10)
    encoder = CountingEncoder()
    cache.embed(encoder, ["a b", "c d"])
    cache.embed(encoder, ["a b", "e f"])
    assert encoder.calls == [["a b", "c d"], ["e f"]]
