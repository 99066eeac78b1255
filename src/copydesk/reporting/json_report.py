"""The JSON report: the interchange format of docs/schema.md."""

from __future__ import annotations

from collections.abc import Sequence

from copydesk.registry import report_formats
from copydesk.reporting import ReportFormat
from copydesk.schema import Report


def render(report: Report) -> str:
    return report.to_json(indent=2)


def render_many(reports: Sequence[Report]) -> str:
    """One report per line (JSONL), as batches write them."""
    return "\n".join(report.to_json() for report in reports)


report_formats.register("json")(ReportFormat(render, render_many))
