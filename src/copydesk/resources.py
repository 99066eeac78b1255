"""Settings and the heavy shared resources (parser, models, knowledge base), loaded once, lazily."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from copydesk import models, registry
from copydesk.inference import DEFAULT_BUDGET_S, ModelMode, build_scorer, load_encoder, require_model_files
from copydesk.knowledge import KnowledgeBase, KnowledgeLayers, open_layers
from copydesk.language import load_pipeline
from copydesk.protocols import Encoder, Scorer

T = TypeVar("T")
_UNSET: Any = object()
log = logging.getLogger(__name__)
_warned_combiners: set[str] = set()


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
    model: ModelMode = "fast"
    """The entailment judge (``--model``): ``fast`` MiniLM on every pair; ``accurate`` MPNet on
    every pair (5-8x the time per pair); ``auto`` MiniLM on every pair, then MPNet on the
    weakest and uncertain claims within ``model_budget_s`` seconds per story. The last two need
    ``entailment_mpnet.onnx``, which is not shipped yet (see docs/models.md)."""
    model_budget_s: float = DEFAULT_BUDGET_S
    """Seconds of MPNet per story in ``auto`` mode."""
    extra: dict[str, Any] = field(default_factory=dict)


class Resources:
    """The parser, models and knowledge base shared by every stage and checker of a pipeline.

    Each is loaded on first use, unless given here: tests and embedding applications pass their
    own scorer, encoder or knowledge base (``kb=None`` means none at all). Without a scorer, a
    ``model`` mode whose file is not installed raises
    :class:`~copydesk.errors.ModelMissingError` here, naming the file and how to build it.
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
        if scorer is None:
            require_model_files(self.settings.model)
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
        """The entailment model of the ``model`` mode (:func:`copydesk.inference.build_scorer`)."""
        if self._scorer is None:
            self._scorer = build_scorer(
                self.settings.model, self.settings.threads, self.settings.model_budget_s
            )
        return self._scorer

    def scorer_counts(self) -> dict[str, Any] | None:
        """What ``auto`` mode's cascade did so far (pairs and claims sent to MPNet, seconds of each
        model); None in the other modes or before the scorer is loaded."""
        counts = getattr(self._scorer, "counts", None)
        return counts.as_dict() if counts is not None else None

    @property
    def combiner_path(self) -> Path:
        """The decision combiner fitted for the ``model`` mode (it holds the entailment thresholds
        too). A mode with none fitted uses the fast mode's, with one warning per process."""
        mode = self.settings.model
        path = models.combiner_file(mode)
        if mode == "fast" or path.is_file():
            return path
        if mode not in _warned_combiners:
            _warned_combiners.add(mode)
            log.warning(
                "no combiner is fitted for --model %s (%s); using the fast mode's, fitted on MiniLM's "
                "scores. Fit one with `python -m training.train_combiner --model %s`.",
                mode,
                path,
                mode,
            )
        return models.combiner_file("fast")

    @property
    def kb(self) -> KnowledgeLayers | KnowledgeBase | None:
        """The knowledge bases: the user's (if configured or installed) over the built-in one; None
        with ``no_kb``. A base given to the constructor is used alone."""
        if self._kb is _UNSET:
            self._kb = None
            if not self.settings.no_kb:
                self._kb = open_layers(self.settings.kb, must_exist=self.settings.kb is not None)
        return self._kb
