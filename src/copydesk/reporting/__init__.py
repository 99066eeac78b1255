"""Report formats. Each format is a function ``render(report) -> str`` in its own module."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from copydesk.schema import Report

FORMATS: dict[str, str] = {
    "terminal": "copydesk.reporting.terminal:render",
    "json": "copydesk.reporting.json_report:render",
    "html": "copydesk.reporting.html:render",
    "claimreview": "copydesk.reporting.claimreview:render",
}
"""Format name -> ``module:function`` rendering one report, or several (``render_many``)."""


def renderer(name: str) -> Callable[[Report], str]:
    module, _, function = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), function)


def render(report: Report, name: str) -> str:
    """Render one report in the named format."""
    return renderer(name)(report)


def render_many(reports: Sequence[Report], name: str) -> str:
    """Render several reports; formats that can hold several in one document do so."""
    module, _, _ = FORMATS[name].partition(":")
    loaded = importlib.import_module(module)
    if hasattr(loaded, "render_many"):
        return loaded.render_many(reports)
    return "\n".join(render(report, name) for report in reports)
