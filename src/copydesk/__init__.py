"""copydesk: a fact checker for machine-written news that runs offline.

>>> import copydesk
>>> report = copydesk.check({"headline": "...", "body": "...", "published": "2025-08-29",
...                          "sources": [{"title": "...", "text": "..."}]})
>>> report.consistent, [f.kind for f in report.findings]
"""

from copydesk.errors import CopydeskError, InputError, KnowledgeBaseError, ModelMissingError
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
    StoryIn,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "ClaimOut",
    "CopydeskError",
    "Evidence",
    "Finding",
    "FindingKind",
    "InputError",
    "KnowledgeBaseError",
    "ModelMissingError",
    "Pipeline",
    "Report",
    "Settings",
    "Severity",
    "SourceIn",
    "StoryIn",
    "Verdict",
    "check",
]
