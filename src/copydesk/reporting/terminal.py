"""The terminal report: the story with each finding highlighted, then one panel per finding."""

from __future__ import annotations

import io
import os
import shutil
import sys

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from copydesk.registry import report_formats
from copydesk.reporting import ReportFormat
from copydesk.schema import Finding, FindingSpan, Report, Severity

KIND_STYLES = {
    "wrong_person_for_office": "bold white on red",
    "wrong_title": "bold white on dark_orange3",
    "wrong_person": "bold white on red3",
    "misspelled_name": "bold black on yellow",
    "wrong_date": "bold white on magenta",
    "wrong_number": "bold white on purple",
    "wrong_place": "bold white on blue",
    "misquoted": "bold black on cyan",
    "contradicted": "bold white on red",
    "unsupported": "black on grey70",
    "headline_contradicts_body": "bold white on dark_red",
    "machine_text": "bold white on grey23",
}


def render(report: Report, width: int | None = None, color: bool | None = None) -> str:
    """The report as terminal text; colours when stdout is a terminal and NO_COLOR is unset."""
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = width or shutil.get_terminal_size((100, 24)).columns
    console = Console(width=width, record=True, force_terminal=color, no_color=not color, file=io.StringIO())
    console.print(renderable(report))
    return console.export_text(styles=color)


def renderable(report: Report) -> Group:
    numbered = list(enumerate(report.findings, start=1))
    parts: list = []
    title = f"copydesk report{f' — {report.id}' if report.id else ''}"
    if report.published:
        title += f" (published {report.published.isoformat()})"
    parts.append(Rule(title))
    places = [(n, f, s) for n, f in numbered for s in f.spans]
    if report.headline:
        parts.append(
            _highlighted(report.headline, [(n, f, s) for n, f, s in places if s.field == "headline"], "bold")
        )
    parts.append(_highlighted(report.body, [(n, f, s) for n, f, s in places if s.field == "body"], ""))
    parts.append(Rule())
    parts.append(Text(checked_line(report)))
    for number, found in numbered:
        parts.append(_panel(number, found))
    errors = sum(f.severity == Severity.ERROR for f in report.findings)
    warnings = len(report.findings) - errors
    verdict = (
        "[yellow]Nothing found, but nothing was checked.[/yellow]"
        if not report.findings and report.score is None and not report.error
        else "[green]No problems found.[/green]"
        if not report.findings
        else (f"[red]{errors} error(s)[/red], [yellow]{warnings} warning(s)[/yellow]")
    )
    score = (
        "Score: not checked (nothing to check the story against)."
        if report.score is None
        else f"Score (probability the story is fully supported): {report.score:.2f}"
    )
    parts.append(Text.from_markup(f"{verdict}  {escape(score)}"))
    return Group(*parts)


def checked_line(report: Report) -> str:
    """What the story was checked against, and what could not be checked, in one or two sentences."""
    checked = report.checked
    if checked is None:
        return f"Checked against {len(report.sources)} source(s)."
    against = []
    if checked.sources:
        against.append(f"{checked.sources} source{'s' if checked.sources != 1 else ''}")
    if checked.knowledge_base is not None:
        kb = checked.knowledge_base
        against.append(
            f"the knowledge base {kb.name}" + (f" (up to {kb.up_to.isoformat()})" if kb.up_to else "")
        )
    line = (
        "Checked against " + " and ".join(against) + "."
        if against
        else "Not checked: no sources and no knowledge base, so nothing here is confirmed or refuted."
    )
    if checked.unchecked_claims and against:
        count = len(checked.unchecked_claims)
        line += f" {count} claim{'s' if count != 1 else ''} could not be checked at all:"
        for index in checked.unchecked_claims[:5]:
            if 0 <= index < len(report.claims):
                line += f" “{report.claims[index].text}”"
        if count > 5:
            line += f" and {count - 5} more"
        line += "."
    return line


def _highlighted(text: str, findings: list[tuple[int, Finding, FindingSpan]], base: str) -> Text:
    """The text with each place of each finding styled and the finding's number in brackets after it."""
    markers: dict[int, str] = {}
    for number, _, place in findings:
        if f"[{number}]" not in markers.get(place.end, ""):
            markers[place.end] = markers.get(place.end, "") + f"[{number}]"

    def shifted(offset: int) -> int:
        return offset + sum(len(m) for position, m in markers.items() if position < offset)

    pieces, last = [], 0
    for position in sorted(markers):
        pieces.append(text[last:position] + markers[position])
        last = position
    pieces.append(text[last:])
    rendered = Text("".join(pieces), style=base)
    for _, found, place in findings:
        rendered.stylize(
            KIND_STYLES.get(found.kind.value, "reverse"), shifted(place.start), shifted(place.end)
        )
    for position, marker in markers.items():
        at = shifted(position)
        rendered.stylize("bold", at, at + len(marker))
    return rendered


def _panel(number: int, found: Finding) -> Panel:
    body = Text()
    body.append(found.message + "\n")
    for evidence in found.evidence:
        where = evidence.title or evidence.source_id or evidence.origin.replace("_", " ")
        body.append(f"Evidence ({where}): ", style="bold")
        body.append(f"“{evidence.quote}”\n", style="italic")
        if evidence.provenance:
            body.append(f"  provenance: {evidence.provenance}\n", style="dim")
    if found.fix is not None:
        body.append("Fix: ", style="bold green")
        body.append(
            f"“{found.text}” → “{found.fix}”\n" if found.fix else f"delete “{found.text}”\n", style="green"
        )
    others = found.spans[1:]
    if others:
        body.append(f"And {len(others)} more mention{'s' if len(others) != 1 else ''}:\n", style="bold")
        for place in others:
            body.append(f"  {place.field} {place.start}-{place.end}: “{place.text}”")
            if place.fix is not None and place.fix != place.text:
                body.append(f" → “{place.fix}”" if place.fix else " → delete", style="green")
            body.append("\n")
    body.append(
        f"confidence {found.confidence:.2f} · {found.severity.value} · checker {found.checker}", style="dim"
    )
    label = Text(
        f" {number} {found.kind.value.replace('_', ' ')} ", style=KIND_STYLES.get(found.kind.value, "")
    )
    label.append(f"  {found.field} {found.start}-{found.end}: “{found.text}”", style="")
    return Panel(
        body,
        title=label,
        title_align="left",
        border_style="red" if found.severity == Severity.ERROR else "yellow",
    )


report_formats.register("terminal")(ReportFormat(render))
