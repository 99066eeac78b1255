"""Sources out of files, folders and search results (JSON / JSONL)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path, PurePath
from typing import Any

from copydesk.errors import InputError
from copydesk.reading import jsonio, layout
from copydesk.reading.html import extract_article
from copydesk.reading.story import Format, format_of, sniff
from copydesk.schema import SourceIn

log = logging.getLogger("copydesk.reading")

SOURCE_ADVICE = "split it into smaller files"
_TITLE_MAX = 200  # a first line longer than this is a paragraph, not a title
_TEXT_KEYS = ("text", "snippet", "body", "content")


def folder_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, recursively, sorted, without hidden files or folders."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=_raise):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def _raise(exc: OSError) -> None:
    raise exc


def parse_sources(name: str, text: str) -> list[SourceIn]:
    """The sources in one decoded, non-blank file: a document, or JSON / JSONL search results."""
    fmt: Format = format_of(name) or sniff(text)
    stem = PurePath(name).stem or "source"
    if fmt == "jsonl":
        found = [
            _from_record(value, f"{name}: line {number}", default_id=f"{stem}-{number}")
            for number, value in jsonio.records(name, text)
        ]
        return [source for source in found if source is not None]
    if fmt == "json":
        return _from_json(name, jsonio.load(name, text), stem)
    if fmt == "html":
        article = extract_article(name, text)
        return [SourceIn(id=stem, title=article.title, text=article.text, published=article.published)]
    if fmt == "markdown":
        return [_markdown_source(text, stem)]
    return [_plain_source(text, stem)]


def _plain_source(text: str, stem: str) -> SourceIn:
    first = layout.first_content(text)
    title = first.text.strip() if first is not None and len(first.text.strip()) <= _TITLE_MAX else ""
    date = None
    if first is not None:
        date, _ = layout.take_dateline(text, first.next)
    return SourceIn(id=stem, title=title, text=text.strip(), published=date)


def _markdown_source(text: str, stem: str) -> SourceIn:
    front = layout.front_matter(text)
    start = front.end if front else 0
    heading = layout.first_heading(text, start)
    title = heading.text if heading else (front.fields.get("title", "") if front else "")
    date: dt.date | None = layout.front_matter_date(front.fields) if front else None
    if date is None and heading is not None:
        date, _ = layout.take_dateline(text, heading.next)
    return SourceIn(id=stem, title=title, text=text[start:].strip(), published=date)


def _from_json(name: str, value: Any, stem: str) -> list[SourceIn]:
    if isinstance(value, dict) and isinstance(value.get("sources", value.get("results")), list):
        value = value.get("sources", value.get("results"))  # a story with its sources, or a results page
    if isinstance(value, dict):
        found = [_from_record(value, name, default_id=stem)]
    elif isinstance(value, list):
        found = [
            _from_record(item, f"{name}: item {number}", default_id=f"{stem}-{number}")
            for number, item in enumerate(value, start=1)
        ]
    else:
        raise InputError(
            f"{name}: the JSON is {jsonio.kind_of(value)}; give a source object, a list of them, "
            "or JSONL with one per line"
        )
    return [source for source in found if source is not None]


def _from_record(value: Any, where: str, default_id: str) -> SourceIn | None:
    """One search result or source object; None (with a warning) when it holds no words at all."""
    if not isinstance(value, dict):
        raise InputError(
            f"{where}: {jsonio.kind_of(value)} where a source object was expected; give objects with "
            "`title`, `url`, `text` or `snippet` and `published`"
        )
    if not any(key in value for key in _TEXT_KEYS):
        raise InputError(f"{where}: the source has no `text` or `snippet` field; add one")
    record = dict(value)
    if not record.get("text"):
        record["text"] = next((record[key] for key in _TEXT_KEYS if isinstance(record.get(key), str)), "")
    record["id"] = str(record["id"]) if record.get("id") not in (None, "") else default_id
    source = jsonio.validate(SourceIn, record, where)
    if not (source.text.strip() or source.title.strip()):
        log.warning("%s: skipped a source with empty text and no title", where)
        return None
    return source


def unique_ids(sources: list[SourceIn]) -> list[SourceIn]:
    """The same sources, their ids made unique by numbering repeats ("report", "report-2", ...)."""
    seen: set[str] = set()
    result = []
    for source in sources:
        base = source.id or "source"
        candidate, number = base, 1
        while candidate in seen:
            number += 1
            candidate = f"{base}-{number}"
        seen.add(candidate)
        result.append(source if candidate == source.id else source.model_copy(update={"id": candidate}))
    return result
