"""``copydesk kb``: build and inspect the knowledge base."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from copydesk.apps.common import KbOption, console, fail, handle_errors

kb_app = typer.Typer(
    name="kb",
    help="The time-aware knowledge base: import Wikidata, learn from an archive, look up offices and people.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _kb_dir(kb: Path | None) -> Path:
    from copydesk.knowledge.layers import default_kb_dir

    return kb or default_kb_dir()


def _open(kb: Path | None, create: bool = False) -> Any:
    from copydesk.knowledge import open_knowledge_base

    return open_knowledge_base(_kb_dir(kb), must_exist=True, create=create)


def _read_layers(kb: Path | None) -> list[tuple[str, Any]]:
    """(name, base) for every knowledge base a check would read: the user's (required with --kb),
    then the built-in one."""
    from copydesk.knowledge import open_layers

    layers = open_layers(kb, must_exist=kb is not None)
    if layers is None:  # pragma: no cover - the built-in base always exists
        fail("no knowledge base")
    named = []
    if layers.user is not None:
        named.append((str(_kb_dir(kb)), layers.user))
    if layers.builtin is not None:
        horizon = layers.horizon.isoformat() if layers.horizon else "?"
        named.append((f"built-in (World Factbook, to {horizon})", layers.builtin))
    return named


def _emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@contextlib.contextmanager
def _writing(kb: Path | None) -> Iterator[Any]:
    """The knowledge base opened (created if need be) for writing, closed after, errors named."""
    store = _open(kb, create=True)
    try:
        yield store
    except sqlite3.Error as exc:
        fail(f"cannot write to the knowledge base {_kb_dir(kb)}: {exc}")
    finally:
        store.close()


@kb_app.command("import-wikidata")
@handle_errors
def import_wikidata_command(
    dump: Annotated[Path, typer.Argument(help="Wikidata JSON dump: .json, .json.gz or .json.bz2.")],
    kb: KbOption = None,
    all_people: Annotated[
        bool,
        typer.Option("--all-people", help="Also keep humans without a position held (for name spelling)."),
    ] = False,
    single_pass: Annotated[
        bool,
        typer.Option(
            "--single-pass", help="Never re-read the dump for office labels missing after the first pass."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Stream a Wikidata dump into the knowledge base: people with "position held" and their offices.

    Example: [bold]copydesk kb import-wikidata latest-all.json.gz --kb ~/kb[/bold]
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from copydesk.knowledge_build.wikidata import import_wikidata

    if not dump.is_file():
        fail(f"{dump}: no such file")
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with (
        _writing(kb) as store,
        Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress,
    ):
        task = progress.add_task("reading", total=dump.stat().st_size)

        def report(done: int, total: int, phase: str) -> None:
            progress.update(task, completed=done, total=total, description=phase)

        stats = import_wikidata(store, dump, progress=report, all_people=all_people, single_pass=single_pass)
    if as_json:
        _emit_json(stats.as_dict())
        return
    console.print(
        f"Imported {stats.people:,} people, {stats.facts:,} facts and {stats.offices_labelled:,} "
        f"office labels from {stats.entities:,} entities in {stats.seconds:.1f}s "
        f"({stats.entities_per_second:,.0f} entities/s).",
        soft_wrap=True,
    )
    if stats.second_pass:
        console.print("A second pass read office labels the first pass had not seen.", soft_wrap=True)
    if stats.malformed:
        lines = ", ".join(map(str, stats.malformed_lines))
        console.print(
            f"[yellow]Skipped {stats.malformed:,} malformed line(s)[/yellow] (first: {lines}).",
            soft_wrap=True,
        )
    if stats.people_without_english_label:
        console.print(
            f"Skipped {stats.people_without_english_label:,} people without an English label.", soft_wrap=True
        )
    if stats.offices_unlabelled:
        console.print(
            f"{stats.offices_unlabelled:,} offices have no English label; they show by their Wikidata id.",
            soft_wrap=True,
        )


@kb_app.command("learn")
@handle_errors
def learn_command(
    archive: Annotated[
        Path, typer.Argument(help="JSONL or JSON of dated stories (interchange format), or a folder.")
    ],
    kb: KbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Learn who held which office when from a trusted archive of dated stories.

    Example: [bold]copydesk kb learn archive.jsonl --kb ~/kb[/bold]
    """
    from copydesk.knowledge_build.learn import learn_archive
    from copydesk.pipeline import Pipeline
    from copydesk.resources import Settings

    if not archive.exists():
        fail(f"{archive}: no such file or folder")
    with (
        _writing(kb) as store,
        console.status("Learning from the archive...", spinner="dots") if console.is_terminal else _Quiet(),
    ):
        annotate = Pipeline(Settings(checkers=(), dense_retrieval=False, no_kb=True)).annotate
        stats = learn_archive(store, archive, annotate)
    if as_json:
        _emit_json(stats.as_dict())
        return
    console.print(
        f"Read {stats.stories:,} dated stories: {stats.observations:,} observations, "
        f"{stats.new_facts:,} new facts.",
        soft_wrap=True,
    )
    if stats.undated:
        console.print(f"Skipped {stats.undated:,} stories without a publication date.", soft_wrap=True)
    if stats.invalid:
        console.print(
            f"[yellow]Skipped {stats.invalid:,} invalid record(s)[/yellow]:", markup=True, soft_wrap=True
        )
        for problem in stats.problems:
            console.print(f"  {problem}", markup=False, soft_wrap=True)


@kb_app.command("build-builtin")
@handle_errors
def build_builtin_command(
    leaders: Annotated[
        Path, typer.Argument(help="leaders.jsonl: heads of state and government (World Factbook).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write (default: the package's built-in base).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Build the built-in knowledge base from the World Factbook's heads of state and government.

    Example: [bold]copydesk kb build-builtin ../shared/data/kb/leaders.jsonl[/bold]
    """
    from copydesk.knowledge.layers import BUILTIN_DIR
    from copydesk.knowledge_build.factbook import build_builtin

    report = build_builtin(leaders, out or BUILTIN_DIR)
    if as_json:
        _emit_json(report.as_dict())
        return
    console.print(
        f"{report.records:,} records: {report.people:,} people, {report.offices:,} offices, "
        f"{report.facts:,} facts up to {report.horizon}; "
        f"{report.bytes / 1024:,.0f} KiB in {out or BUILTIN_DIR}.",
        soft_wrap=True,
    )
    for line in [*report.corrected, *report.gaps_closed]:
        console.print(f"  {line}", markup=False, soft_wrap=True)


@kb_app.command("who")
@handle_errors
def who_command(
    office: Annotated[
        str, typer.Argument(help='An office, e.g. "U.S. Secretary of State", or a Wikidata id.')
    ],
    on: Annotated[str | None, typer.Option("--on", help="Date (YYYY-MM-DD); default today.")] = None,
    kb: KbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who held an office on a date.

    Example: [bold]copydesk kb who "Secretary of State" --on 2025-08-29[/bold]
    """
    from copydesk.lexicon.offices import office_key
    from copydesk.schema import parse_published

    try:
        day: dt.date = parse_published(on) if on else dt.date.today()
    except ValueError as exc:
        fail(f"--on: {exc}")
    key = office.strip() if office.strip()[:1] == "Q" and office.strip()[1:].isdigit() else office_key(office)
    if key is None:
        fail(f'{office!r} does not name an office copydesk knows (e.g. "Secretary of State", "President")')
    facts = []
    for _, store in _read_layers(kb):
        facts = store.holders(key, day)
        if facts:  # the first base that knows a holder answers, as in the checks
            break
    if as_json:
        _emit_json(
            {
                "office": office,
                "key": key,
                "on": day.isoformat(),
                "holders": [f.as_dict() | {"certain": f.surely_on(day)} for f in facts],
            }
        )
        return
    if not facts:
        console.print(
            f"The knowledge base knows no holder of {office!r} on {day.isoformat()}.",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    _fact_table(f"{office} on {day.isoformat()}", facts, show_office=True)


@kb_app.command("person")
@handle_errors
def person_command(
    name: Annotated[str, typer.Argument(help='A name, e.g. "Marco Rubio".')],
    kb: KbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What the knowledge base knows about a person: names, offices and terms.

    Example: [bold]copydesk kb person "Antony Blinken"[/bold]
    """
    records: list[dict[str, Any]] = []
    suggestions: list[Any] = []
    for _, store in _read_layers(kb):
        people = store.find_people(name, limit=10)
        suggestions += [] if people else store.similar_people(name)
        records += [{"person": p, "names": store.names_of(p), "facts": store.facts_of(p)} for p in people]
    if as_json:
        _emit_json(
            {
                "query": name,
                "people": [
                    {
                        "key": r["person"].key,
                        "name": r["person"].name,
                        "description": r["person"].description,
                        "names": r["names"],
                        "facts": [f.as_dict() for f in r["facts"]],
                    }
                    for r in records
                ],
                "did_you_mean": [m.name for m in suggestions],
            }
        )
        return
    if not records:
        hint = f" Did you mean {', '.join(sorted({m.name for m in suggestions}))}?" if suggestions else ""
        console.print(f"Nobody called {name!r} in the knowledge base.{hint}", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    for record in records:
        person = record["person"]
        title = f"{person.name} ({person.key})" + (f" — {person.description}" if person.description else "")
        _fact_table(
            title,
            record["facts"],
            show_office=True,
            show_person=False,
            caption="Also known as: " + ", ".join(n for n in record["names"] if n != person.name)
            if len(record["names"]) > 1
            else None,
        )


@kb_app.command("stats")
@handle_errors
def stats_command(kb: KbOption = None, as_json: JsonOption = False) -> None:
    """How many people, names, offices and facts each knowledge base holds (yours, then the built-in one)."""
    layers = [(title, store.stats(), store.meta("horizon")) for title, store in _read_layers(kb)]
    if as_json:
        _emit_json(
            {title: counts | ({"horizon": horizon} if horizon else {}) for title, counts, horizon in layers}
        )
        return
    from rich.table import Table

    for title, counts, _ in layers:
        table = Table(title=title)
        table.add_column("what")
        table.add_column("count", justify="right")
        for what, count in counts.items():
            table.add_row(what.replace("_", " "), f"{count:,}")
        _stdout().print(table)


def _stdout() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _fact_table(
    title: str,
    facts: list[Any],
    show_office: bool = True,
    show_person: bool = True,
    caption: str | None = None,
) -> None:
    from rich.table import Table
    from rich.text import Text

    from copydesk.knowledge.store import format_date

    table = Table(title=Text(title), caption=Text(caption) if caption else None)
    if show_person:
        table.add_column("holder")
    if show_office:
        table.add_column("office")
    for column in ("from", "to", "source"):
        table.add_column(column)
    for fact in facts:
        row = [Text(fact.person.name)] if show_person else []
        if show_office:
            row.append(Text(fact.office.label))
        row += [
            Text(format_date(fact.start, fact.start_precision)),
            Text(format_date(fact.end, fact.end_precision) if fact.end else "—"),
            Text(fact.provenance),
        ]
        table.add_row(*row)
    _stdout().print(table)


class _Quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
