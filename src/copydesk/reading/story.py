"""A story out of text, Markdown, HTML or JSON: headline, body and publication date.

For text and Markdown the body is a slice of what the user wrote (nothing inside it is changed),
so every offset in a report points at the user's own characters. For HTML the body is the text
trafilatura extracted, which the report carries as ``body``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import PurePath
from typing import Any, Literal

from copydesk.errors import InputError
from copydesk.reading import jsonio, layout
from copydesk.reading.html import extract_article, split_headline
from copydesk.reading.records import story_from_record
from copydesk.schema import StoryIn

Format = Literal["text", "markdown", "html", "json", "jsonl"]

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

_LOOKS_LIKE_HTML = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|p|h1|meta|title)\b",
    re.I | re.S,
)

STORY_ADVICE = "give the story text alone (.txt, .md, .html or .json)"


def format_of(name: str) -> Format | None:
    """The format a file name's extension announces, or None to sniff the content."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def sniff(text: str) -> Format:
    """The format of unnamed input: JSON object, JSONL, HTML, Markdown, or else plain text."""
    head = text.lstrip()
    if head.startswith("{"):
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            first = layout.first_content(text)
            try:
                if first is not None and isinstance(json.loads(first.text), dict):
                    return "jsonl"
            except (json.JSONDecodeError, RecursionError):
                pass
        else:
            if isinstance(value, dict):
                return "json"
    if _LOOKS_LIKE_HTML.match(text[:4096]):
        return "html"
    if layout.looks_like_markdown(text):
        return "markdown"
    return "text"


def parse_story(name: str, text: str, fmt: Format, published: dt.date | None) -> StoryIn:
    """The story in ``text`` (already decoded and known not to be blank)."""
    if fmt == "json":
        return _from_object(jsonio.load(name, text), published, where=name)
    if fmt == "jsonl":
        return _from_jsonl(name, text, published)
    if fmt == "html":
        headline, body, date = split_headline(extract_article(name, text))
    elif fmt == "markdown":
        headline, body, date = _markdown(text)
    else:
        headline, body, date = _plain(text)
    if not (headline.strip() or body.strip()):
        raise InputError(f"{name}: the story is empty; write a headline and a body")
    return StoryIn(headline=headline, body=body, published=published or date)


def _plain(text: str, start: int = 0) -> tuple[str, str, dt.date | None]:
    """First non-blank line is the headline, the rest the body; a dateline above or below gives the date."""
    date, start = layout.take_dateline(text, start)
    first = layout.first_content(text, start)
    if first is None:
        return "", "", date
    body_start = layout.skip_blank(text, first.next)
    if date is None:
        date, body_start = layout.take_dateline(text, body_start)
    return first.text.strip(), text[body_start:].rstrip(), date


def _markdown(text: str) -> tuple[str, str, dt.date | None]:
    """The first heading is the headline; the body is everything else, Markdown syntax and all."""
    front = layout.front_matter(text)
    start = front.end if front else 0
    date = layout.front_matter_date(front.fields) if front else None
    heading = layout.first_heading(text, start)
    if heading is None:
        title = front.fields.get("title", "") if front else ""
        if not title:
            headline, body, found = _plain(text, start)
            return headline, body, date or found
        body_start = layout.skip_blank(text, start)
    elif text[start : heading.start].strip():
        # Text above the heading stays in the body; only the heading line itself is removed.
        before = text[layout.skip_blank(text, start) : heading.start]
        return heading.text, (before + text[heading.next :]).rstrip(), date
    else:
        title = heading.text
        body_start = layout.skip_blank(text, heading.next)
    if date is None:
        date, body_start = layout.take_dateline(text, body_start)
    return title, text[body_start:].rstrip(), date


def _from_jsonl(name: str, text: str, published: dt.date | None) -> StoryIn:
    found = list(jsonio.records(name, text))
    if not found:
        raise InputError(f"{name}: the story is empty; write a headline and a body")
    if len(found) > 1:
        raise InputError(
            f"{name}: holds {len(found)} stories (one per line); check one story at a time, "
            "or several with `copydesk batch`"
        )
    number, value = found[0]
    return _from_object(value, published, where=f"{name}: line {number}")


def _from_object(value: Any, published: dt.date | None, where: str) -> StoryIn:
    story = story_from_record(value, where=where)
    if published is not None:
        story = story.model_copy(update={"published": published})
    return story
