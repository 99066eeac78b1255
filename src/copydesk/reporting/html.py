"""The HTML report: one self-contained file with the same view as the web page's result.

The page's stylesheet and view script (``copydesk/web``) are inlined; the report itself travels as
JSON in a ``<script type="application/json">`` element, escaped so no story text can close it, and
the script builds the view with ``textContent`` only. A Content-Security-Policy lets only the
inlined script (by its hash) run, and a ``<noscript>`` table shows the findings without scripts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources

from copydesk.registry import report_formats
from copydesk.reporting import ReportFormat
from copydesk.reporting.terminal import checked_line
from copydesk.schema import Report

_JSON_ESCAPES: dict[str, str | int | None] = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_safe_json(value: object, indent: int | None = None) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.translate(str.maketrans(_JSON_ESCAPES))


@cache
def _asset(name: str) -> str:
    return resources.files("copydesk").joinpath("web", name).read_text(encoding="utf-8")


def render(report: Report) -> str:
    """The report as a standalone HTML page (no external resources)."""
    return _page([report], title=_title(report))


def render_many(reports: Sequence[Report]) -> str:
    """Several reports in one page, one after another."""
    return _page(list(reports), title=f"copydesk report: {len(reports)} stories")


def _title(report: Report) -> str:
    name = report.headline.strip() or report.id or "story"
    return f"copydesk report: {name[:80]}"


def _page(reports: list[Report], title: str) -> str:
    script = _asset("render.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:"
    )
    blocks = []
    for number, report in enumerate(reports, start=1):
        data = script_safe_json(report.model_dump(mode="json", by_alias=True))
        blocks.append(
            f'<section class="result">\n<div id="report-{number}" class="report"></div>\n'
            f'<script type="application/json" data-copydesk-report="report-{number}">{data}</script>\n'
            f"<noscript>{_table(report)}</noscript>\n</section>\n"
        )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_asset('style.css')}\n</style>\n</head>\n<body>\n"
        '<header class="site"><h1>copydesk report</h1>'
        "<p>Hover, click or focus a highlight to see the reason, the evidence and the fix.</p></header>\n"
        f"<main>\n{''.join(blocks)}\n</main>\n<script>{script}</script>\n</body>\n</html>\n"
    )


def _table(report: Report) -> str:
    """The findings as a plain table, for readers without scripts (every cell escaped)."""
    esc = html.escape
    rows = []
    for finding in report.findings:
        evidence = "<br>".join(
            esc(ev.quote) + (f" ({esc(ev.title or ev.source_id or ev.origin)})") for ev in finding.evidence
        )
        fix = esc(finding.fix) if finding.fix is not None else ""
        places = "<br>".join(
            f"{esc(span.field)} {span.start}-{span.end}: {esc(span.text)}"
            + (f" → {esc(span.fix)}" if span.fix is not None and span.fix != span.text else "")
            for span in finding.spans[1:]
        )
        if places:
            fix += f"<br>and {len(finding.spans) - 1} more mention(s):<br>{places}"
        rows.append(
            f"<tr><td>{esc(finding.kind.value)}</td><td>{esc(finding.field)}</td><td>{esc(finding.text)}</td>"
            f"<td>{esc(finding.message)}</td><td>{evidence}</td><td>{finding.confidence:.0%}</td>"
            f"<td>{fix}</td></tr>"
        )
    head = esc(report.headline)
    score = "not checked" if report.score is None else f"{report.score:.2f}"
    return (
        f'<h2>{head}</h2><p class="story-body">{esc(report.body)}</p>'
        f"<p>{esc(checked_line(report))} Score: {esc(score)}.</p>"
        "<table><thead><tr><th>Kind</th><th>Where</th><th>Text</th><th>Reason</th><th>Evidence</th>"
        f"<th>Confidence</th><th>Fix</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


report_formats.register("html")(ReportFormat(render, render_many))
