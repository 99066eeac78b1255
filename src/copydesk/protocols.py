"""The seams of the pipeline, as types: what a stage, a checker and the two models must offer.

Any object with these methods fits; tests pass small fakes through :class:`~copydesk.resources.Resources`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from copydesk.document import Document
    from copydesk.resources import Resources
    from copydesk.schema import Finding


class Stage(Protocol):
    """Annotates the document in place; registered with what it requires and assigns."""

    def __call__(self, doc: Document, resources: Resources, /) -> None: ...


class Checker(Protocol):
    """Reads an annotated document and yields findings. Must not modify the document."""

    def __call__(self, doc: Document, /) -> Iterable[Finding]: ...


class CheckerFactory(Protocol):
    """Builds a checker from the shared resources; returns None when it cannot run (no KB, say)."""

    def __call__(self, resources: Resources, /) -> Checker | None: ...


class Encoder(Protocol):
    """Sentence embeddings for dense retrieval: one L2-normalised row per text."""

    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray: ...


class Scorer(Protocol):
    """Entailment: P(premise supports hypothesis) for each (premise, hypothesis) pair."""

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int = ...) -> np.ndarray: ...
