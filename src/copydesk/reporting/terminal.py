"""The terminal report: the story with each finding highlighted, then one panel per finding."""

from __future__ import annotations

import os
import shutil
import sys

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from copydesk.schema import Finding, Report, Severity

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
    console = Console(width=width, record=True, force_terminal=color, no_color=not color, file=_Null())
    console.print(renderable(report))
    return console.export_text(styles=color)


def renderable(report: Report) -> Group:
    numbered = list(enumerate(report.findings, start=1))
    parts: list = []
    title = f"copydesk report{f' — {report.id}' if report.id else ''}"
    if report.published:
        title += f" (published {report.published.isoformat()})"
    parts.append(Rule(title))
    if report.headline:
        parts.append(
            _highlighted(report.headline, [(n, f) for n, f in numbered if f.field == "headline"], "bold")
        )
    parts.append(_highlighted(report.body, [(n, f) for n, f in numbered if f.field == "body"], ""))
    parts.append(Rule())
    for number, found in numbered:
        parts.append(_panel(number, found))
    errors = sum(f.severity == Severity.ERROR for f in report.findings)
    warnings = len(report.findings) - errors
    verdict = (
        "[green]No problems found.[/green]"
        if not report.findings
        else (f"[red]{errors} error(s)[/red], [yellow]{warnings} warning(s)[/yellow]")
    )
    parts.append(
        Text.from_markup(f"{verdict}  Score (probability the story is fully supported): {report.score:.2f}")
    )
    return Group(*parts)


def _highlighted(text: str, findings: list[tuple[int, Finding]], base: str) -> Text:
    """The text with each finding's characters styled and its number in brackets after it."""
    markers: dict[int, str] = {}
    for number, found in findings:
        markers[found.end] = markers.get(found.end, "") + f"[{number}]"

    def shifted(offset: int) -> int:
        return offset + sum(len(m) for position, m in markers.items() if position < offset)

    pieces, last = [], 0
    for position in sorted(markers):
        pieces.append(text[last:position] + markers[position])
        last = position
    pieces.append(text[last:])
    rendered = Text("".join(pieces), style=base)
    for _, found in findings:
        rendered.stylize(
            KIND_STYLES.get(found.kind.value, "reverse"), shifted(found.start), shifted(found.end)
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


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
