"""copydesk: a fact checker for machine-written news that runs offline.

>>> import copydesk
>>> report = copydesk.check({"headline": "...", "body": "...", "published": "2025-08-29",
...                          "sources": [{"title": "...", "text": "..."}]})
>>> report.consistent, [f.kind for f in report.findings]

The names below are imported on first use (PEP 562), so ``import copydesk.inference`` does
not load the pipeline (spaCy, pydantic): the training scripts use it on machines that have
only torch, tokenizers and onnxruntime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "CopydeskError": "copydesk.errors",
    "InputError": "copydesk.errors",
    "KnowledgeBaseError": "copydesk.errors",
    "ModelMissingError": "copydesk.errors",
    "Pipeline": "copydesk.pipeline",
    "check": "copydesk.pipeline",
    "fix": "copydesk.fixing",
    "FixResult": "copydesk.fixing",
    "Settings": "copydesk.resources",
    "SCHEMA_VERSION": "copydesk.schema",
    "ClaimOut": "copydesk.schema",
    "Evidence": "copydesk.schema",
    "Finding": "copydesk.schema",
    "FindingKind": "copydesk.schema",
    "Report": "copydesk.schema",
    "Severity": "copydesk.schema",
    "SourceIn": "copydesk.schema",
    "StoryIn": "copydesk.schema",
    "StoryFailure": "copydesk.schema",
    "Verdict": "copydesk.schema",
}

__all__ = [
    "SCHEMA_VERSION",
    "ClaimOut",
    "CopydeskError",
    "Evidence",
    "Finding",
    "FindingKind",
    "FixResult",
    "InputError",
    "KnowledgeBaseError",
    "ModelMissingError",
    "Pipeline",
    "Report",
    "Settings",
    "Severity",
    "SourceIn",
    "StoryFailure",
    "StoryIn",
    "Verdict",
    "check",
    "fix",
]

if TYPE_CHECKING:
    from copydesk.errors import CopydeskError, InputError, KnowledgeBaseError, ModelMissingError
    from copydesk.fixing import FixResult, fix
    from copydesk.pipeline import Pipeline, check
    from copydesk.resources import Settings
    from copydesk.schema import (
        SCHEMA_VERSION,
        ClaimOut,
        Evidence,
        Finding,
        FindingKind,
        Report,
        Severity,
        SourceIn,
        StoryFailure,
        StoryIn,
        Verdict,
    )


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'copydesk' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
