"""Deterministic train/test split of benchmark data by source document.

Training code may only use benchmark sources (and rows built from them) whose
source falls on the ``"train"`` side; copydesk's evaluation reports on the
``"test"`` side. The split depends only on the source text, so every row that
shares a source document lands on the same side, whatever file it comes from.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Split = Literal["train", "test"]
TrainHalf = Literal["teach", "choose"]

_SALT = b"copydesk-split-v1"


def normalise_source(source_text: str) -> str:
    """Collapse all whitespace runs to one space and strip the ends."""
    return " ".join(source_text.split())


def source_hash(source_text: str) -> int:
    """A stable 64-bit integer hash of the whitespace-normalised source text."""
    digest = hashlib.blake2b(normalise_source(source_text).encode("utf-8"), digest_size=8, key=_SALT).digest()
    return int.from_bytes(digest, "big")


def split_of(source_text: str) -> Split:
    """Return ``"train"`` or ``"test"`` for a source document (about 50% each).

    The decision is a keyed blake2b hash of the whitespace-normalised text, so it
    is deterministic across runs, machines and Python versions, and insensitive
    to line breaks or repeated spaces in the source.
    """
    return "test" if source_hash(source_text) % 2 == 0 else "train"


def train_half(hash_value: int) -> TrainHalf:
    """Which half of the train side a source (given by its :func:`source_hash`) belongs to.

    A second bit of the same hash splits the train side again, by source document: a judge may
    learn from the claims of the ``"teach"`` half (``training.distil --stories``) while the
    ``"choose"`` half stays unseen by it, to fit the combiner and to choose between judges
    (``training.train_combiner --half choose``) before anything is measured on the test side.
    """
    return "teach" if (hash_value >> 1) % 2 == 0 else "choose"
