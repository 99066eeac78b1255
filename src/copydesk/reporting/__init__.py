"""Report formats, one module each, registered in :data:`copydesk.registry.report_formats`.

A format renders one report, and may render several into one document (HTML, JSON); plug-ins add
formats through the ``copydesk.report_formats`` entry point group::

    report_formats.register("markdown")(ReportFormat(render=my_render))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from copydesk.registry import report_formats
from copydesk.schema import Report


@dataclass(frozen=True)
class ReportFormat:
    render: Callable[[Report], str]
    render_many: Callable[[Sequence[Report]], str] | None = None
    """Several reports in one document; without it, the single renderings one after another."""


def report_format(name: str) -> ReportFormat:
    """The format registered as ``name``; raises CopydeskError naming the available ones."""
    return report_formats.get(name).value


def render(report: Report, name: str) -> str:
    """Render one report in the named format."""
    return report_format(name).render(report)


def render_many(reports: Sequence[Report], name: str) -> str:
    """Render several reports; formats that can hold several in one document do so."""
    chosen = report_format(name)
    if chosen.render_many is not None:
        return chosen.render_many(reports)
    return "\n".join(chosen.render(report) for report in reports)
