"""Shipped model files (ONNX graphs, tokenizer, MANIFEST.json); rebuilt by ``python -m training.build``."""

from __future__ import annotations

import json
from pathlib import Path

MODEL_DIR = Path(__file__).parent
COMBINER_FILE = MODEL_DIR / "combiner.json"
"""The story-level combiner, and the entailment thresholds learned with it (``--model fast``)."""


def combiner_file(mode: str = "fast", model_dir: Path | None = None) -> Path:
    """The combiner fitted for a ``--model`` mode: ``combiner.json`` for ``fast`` (MiniLM's
    supports), ``combiner_auto.json`` / ``combiner_accurate.json`` for the modes whose supports
    come from MPNet, whose scores the fast mode's thresholds were not learned on."""
    base = model_dir or MODEL_DIR
    return base / ("combiner.json" if mode == "fast" else f"combiner_{mode}.json")


def entailment_thresholds(path: Path = COMBINER_FILE) -> dict[str, float]:
    """The learned ``contradicted_below`` and ``unsupported_below`` lines of the entailment checker;
    empty when no combiner file is installed (the checker then uses its defaults)."""
    if not path.is_file():
        return {}
    try:
        section = json.loads(path.read_text(encoding="utf-8")).get("entailment", {})
        return {key: float(value) for key, value in section.items()}
    except (ValueError, AttributeError, TypeError):
        return {}  # an unreadable combiner file is reported by the decide stage, which needs it
