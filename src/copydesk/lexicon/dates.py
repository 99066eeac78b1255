"""Date expressions normalised to periods, relative to the publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from copydesk.document import Period

_YEAR = re.compile(r"^(?:in\s+|the\s+year\s+)?((?:19|20)\d\d)$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?((?:19|20)\d0)s$", re.IGNORECASE)
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+((?:19|20)\d\d)$")
_RELATIVE_YEAR = {"this year": 0, "last year": -1, "next year": 1}
_WEEKDAY = re.compile(
    r"^(?:on\s+|by\s+|until\s+|till\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:recent|years|decades|months|weeks|days|ago|era|century|season|time)\b", re.IGNORECASE
)


def normalise_date(text: str, reference: dt.date | None, *, future: bool = False) -> Period | None:
    """The period a date expression names, or None when it is vague or cannot be read.

    "2025" is the whole year, "August 2025" the month, "Aug. 29, 2025" the day; "last year" and
    "next week" need the publication date as ``reference``. A bare weekday is the last such day up
    to the publication date ("the council met on Tuesday"), or with ``future`` the next one from it
    ("schools stay closed until Monday").
    """
    cleaned = re.sub(r"\s+", " ", text.strip().rstrip(".,"))
    lowered = cleaned.lower()
    if (match := _WEEKDAY.match(cleaned)) and reference is not None:
        weekday = list(calendar.day_name).index(match.group(1).capitalize())
        if future:
            day = reference + dt.timedelta(days=(weekday - reference.weekday()) % 7)
        else:
            day = reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)
        return Period(day, day)
    if match := _YEAR.match(cleaned):
        year = int(match.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if match := _DECADE.match(cleaned):
        year = int(match.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year + 9, 12, 31))
    if match := _MONTH_YEAR.match(cleaned):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            year = int(match.group(2))
            return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
    if lowered in _RELATIVE_YEAR:
        if reference is None:
            return None
        year = reference.year + _RELATIVE_YEAR[lowered]
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if _VAGUE.search(cleaned) and not re.search(r"\d{4}", cleaned):
        return None
    return _parse_day(cleaned, reference)


@functools.lru_cache(maxsize=4096)
def _parse_day(text: str, reference: dt.date | None) -> Period | None:
    """dateparser's reading of a day, kept: the same dates recur across a story and its sources."""
    import dateparser

    settings = {
        "STRICT_PARSING": False,
        "PREFER_DATES_FROM": "current_period",
        "RETURN_TIME_AS_PERIOD": False,
    }
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(reference, dt.time())
    has_day = bool(re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text)) or reference is not None
    if not has_day:
        return None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd strings; such a date is unreadable
        return None
    if parsed is None:
        return None
    day = parsed.date()
    if re.search(r"\bweek\b", text, re.IGNORECASE):
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=6))
    if reference is None and not re.search(r"(?:19|20)\d\d", text):
        return None
    return Period(day, day)
