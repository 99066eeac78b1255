"""Where the headline, the date and the body sit in plain text and Markdown.

Every function returns character positions into the text it was given, so the body handed on is
always a slice of what the user wrote and findings point at the user's own characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character
    end: int  # offset just past the content, before the line break
    next: int  # offset of the next line
    text: str  # the content, without the line break


_BREAK = re.compile(r"\r\n|\r|\n")


def lines(text: str, start: int = 0) -> Iterator[Line]:
    """The lines of ``text`` from ``start`` (any of \\n, \\r\\n, \\r ends a line), with their offsets."""
    position = start
    while position < len(text):
        brk = _BREAK.search(text, position)
        if brk is None:
            yield Line(position, len(text), len(text), text[position:])
            return
        yield Line(position, brk.start(), brk.end(), text[position : brk.start()])
        position = brk.end()


def first_content(text: str, start: int = 0) -> Line | None:
    """The first line at or after ``start`` holding something other than whitespace."""
    return next((line for line in lines(text, start) if line.text.strip()), None)


def skip_blank(text: str, start: int) -> int:
    """Offset of the first non-blank line at or after ``start`` (or the end of the text)."""
    line = first_content(text, start)
    return line.start if line else len(text)


# --- datelines ---------------------------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_BARE_DATE = re.compile(
    rf"^{_WEEKDAY}(?:{_YEAR}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR})"
    rf"(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?$",
    re.I,
)
_LABELLED = re.compile(
    r"^(?:first\s+)?(?:published|posted|updated|last\s+updated|date|dated)(?:\s+on)?\s*[:\-–—]?\s*(?P<date>.+)$",
    re.I,
)
# Emphasis, quote and list markers a dateline may be wrapped in: "*Published: 29 August 2025*".
_WRAPPING = " \t*_>-|"


def dateline(text: str) -> dt.date | None:
    """The date of a line such as "Published: 2025-08-29", "Posted on 29 August 2025" or "Aug. 29, 2025".

    Only a whole line that is nothing but a date (optionally labelled) counts; a sentence that
    mentions a date does not.
    """
    line = text.strip(_WRAPPING)
    if not line or len(line) > 80:
        return None
    labelled = _LABELLED.match(line)
    candidate = labelled.group("date").strip(_WRAPPING) if labelled else line
    if not _BARE_DATE.match(candidate):
        return None
    return english_date(candidate)


def english_date(text: str) -> dt.date | None:
    """An ISO date or date-time, or an English date such as "Aug. 29, 2025"; None when it is neither."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        pass
    import dateparser

    # English only: dateparser trying every language takes seconds on text that is no date at all.
    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed is not None else None


def take_dateline(text: str, start: int) -> tuple[dt.date | None, int]:
    """A dateline as the first non-blank line at ``start``: its date and where the text after it begins."""
    line = first_content(text, start)
    if line is None:
        return None, start
    found = dateline(line.text)
    if found is None:
        return None, start
    return found, skip_blank(text, line.next)


# --- Markdown ----------------------------------------------------------------------------------

_NL = r"(?:\r\n|\r|\n)"
_FRONT_MATTER = re.compile(rf"\A---[ \t]*{_NL}(.*?){_NL}(?:---|\.\.\.)[ \t]*(?:{_NL}|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class FrontMatter:
    end: int  # offset just past the closing --- line
    fields: dict[str, str]


def front_matter(text: str) -> FrontMatter | None:
    """YAML-style front matter at the very top (``---`` ... ``---``): its simple ``key: value`` pairs."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    fields: dict[str, str] = {}
    for line in lines(match.group(1)):
        pair = _FRONT_KEY.match(line.text)
        if pair:
            fields[pair.group(1).lower()] = pair.group(2).strip().strip("\"'")
    return FrontMatter(match.end(), fields)


def front_matter_date(fields: dict[str, str]) -> dt.date | None:
    for key in ("date", "published", "pubdate", "publishdate", "published_at"):
        parsed = english_date(fields[key]) if fields.get(key) else None
        if parsed is not None:
            return parsed
    return None


@dataclass(frozen=True)
class Heading:
    text: str  # the heading's words, without the # marks
    start: int  # first character of the heading line(s)
    next: int  # first character after them


def first_heading(text: str, start: int = 0) -> Heading | None:
    """The first ATX heading (``# Title``) outside code fences, or a setext title (``Title`` over ``===``)."""
    in_fence = False
    previous: Line | None = None
    for line in lines(text, start):
        if _FENCE.match(line.text):
            in_fence = not in_fence
        elif not in_fence:
            atx = _ATX.match(line.text)
            if atx and atx.group(1).strip():
                return Heading(atx.group(1).strip(), line.start, line.next)
            if previous is not None and previous.text.strip() and _SETEXT.match(line.text):
                return Heading(previous.text.strip(), previous.start, line.next)
        previous = line
    return None


def looks_like_markdown(text: str) -> bool:
    """Front matter or a ``#`` heading as the first line: enough to read unnamed input as Markdown."""
    if _FRONT_MATTER.match(text):
        return True
    line = first_content(text)
    return bool(line and _ATX.match(line.text))
