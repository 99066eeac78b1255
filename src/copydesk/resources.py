"""Settings and the heavy shared resources (parser, models, knowledge base), loaded once, lazily."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from copydesk.checkers import BUILTIN

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """What a pipeline runs with. Every field has a default that works offline."""

    checkers: tuple[str, ...] = tuple(BUILTIN)
    kb: Path | None = None
    """Knowledge base folder; None means $COPYDESK_KB, else the user data directory if it exists."""
    threads: int | None = None
    """Threads for model inference and parsing; None means all cores. With 1 the sources are
    parsed in the checking thread rather than beside it (a batch worker owning one core)."""
    passages_per_claim: int = 3
    dense_retrieval: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def default_kb_dir() -> Path:
    """Where the knowledge base lives unless ``--kb`` or ``COPYDESK_KB`` says otherwise."""
    if os.environ.get("COPYDESK_KB"):
        return Path(os.environ["COPYDESK_KB"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "copydesk" / "kb"


class Resources:
    """The parser, models and knowledge base shared by every stage and checker of a pipeline."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._shared: dict[str, Any] = {}
        self._lock = threading.Lock()

    def shared(self, name: str, factory: Callable[[], T]) -> T:
        """A per-pipeline object made on first use: what a stage keeps from one story to the next."""
        with self._lock:
            if name not in self._shared:
                self._shared[name] = factory()
            return self._shared[name]

    @cached_property
    def nlp(self) -> Any:
        from copydesk.language import load_pipeline

        return load_pipeline()

    @cached_property
    def encoder(self) -> Any:
        """The sentence encoder, or None when dense retrieval is off."""
        if not self.settings.dense_retrieval:
            return None
        from copydesk.inference import load_encoder

        return load_encoder(self.settings.threads)

    @cached_property
    def scorer(self) -> Any:
        from copydesk.inference import load_scorer

        return load_scorer(self.settings.threads)

    @cached_property
    def kb(self) -> Any:
        """The knowledge base, or None when none is configured or installed."""
        from copydesk.knowledge import open_knowledge_base

        path = self.settings.kb or default_kb_dir()
        return open_knowledge_base(path, must_exist=self.settings.kb is not None)
