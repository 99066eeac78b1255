"""Settings and the heavy shared resources (parser, models, knowledge base), loaded once, lazily."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from copydesk import registry
from copydesk.inference import load_encoder, load_scorer
from copydesk.knowledge import KnowledgeBase, KnowledgeLayers, open_layers
from copydesk.language import load_pipeline
from copydesk.protocols import Encoder, Scorer

T = TypeVar("T")
_UNSET: Any = object()


@dataclass(frozen=True)
class Settings:
    """What a pipeline runs with. Every field has a default that works offline."""

    checkers: tuple[str, ...] = tuple(registry.checkers.builtin)
    stages: tuple[str, ...] = tuple(registry.stages.builtin)
    """The stages that may run, in order; the pipeline skips those whose annotations nothing needs."""
    kb: Path | None = None
    """Knowledge base folder; None means $COPYDESK_KB, else the user data directory if it exists.
    It is layered over the built-in base (heads of state and government, World Factbook)."""
    no_kb: bool = False
    """No knowledge base at all, not even the built-in one (``--no-kb``)."""
    threads: int | None = None
    """Threads for model inference and parsing; None means all cores. With 1 the sources are
    parsed in the checking thread rather than beside it (a batch worker owning one core)."""
    passages_per_claim: int = 3
    dense_retrieval: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class Resources:
    """The parser, models and knowledge base shared by every stage and checker of a pipeline.

    Each is loaded on first use, unless given here: tests and embedding applications pass their
    own scorer, encoder or knowledge base (``kb=None`` means none at all).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        scorer: Scorer | None = None,
        encoder: Encoder | None = None,
        kb: KnowledgeLayers | KnowledgeBase | None = _UNSET,
    ) -> None:
        self.settings = settings or Settings()
        self._shared: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._scorer = scorer
        self._encoder = encoder
        self._kb = kb
        self._nlp: Any = None

    def shared(self, name: str, factory: Callable[[], T]) -> T:
        """A per-pipeline object made on first use: what a stage keeps from one story to the next."""
        with self._lock:
            if name not in self._shared:
                self._shared[name] = factory()
            return self._shared[name]

    @property
    def nlp(self) -> Any:
        """spaCy's English pipeline (a ``spacy.Language``)."""
        if self._nlp is None:
            self._nlp = load_pipeline()
        return self._nlp

    @property
    def encoder(self) -> Encoder | None:
        """The sentence encoder, or None when dense retrieval is off."""
        if not self.settings.dense_retrieval:
            return None
        if self._encoder is None:
            self._encoder = load_encoder(self.settings.threads)
        return self._encoder

    @property
    def scorer(self) -> Scorer:
        """The entailment model."""
        if self._scorer is None:
            self._scorer = load_scorer(self.settings.threads)
        return self._scorer

    @property
    def kb(self) -> KnowledgeLayers | KnowledgeBase | None:
        """The knowledge bases: the user's (if configured or installed) over the built-in one; None
        with ``no_kb``. A base given to the constructor is used alone."""
        if self._kb is _UNSET:
            self._kb = None
            if not self.settings.no_kb:
                self._kb = open_layers(self.settings.kb, must_exist=self.settings.kb is not None)
        return self._kb
