"""Dates that only the knowledge base can resolve: "the seventh month of the Trump administration",
"during Blinken's tenure", "in Rubio's first year as secretary of state".

A phrase names a person's term (their presidency, their tenure as some office); the KB gives
the term's dates, and an ordinal ("seventh month") picks a stretch of it. When the person held
the office more than once, the term running at the publication date wins, else the last one
that began before it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from copydesk.document import Period
from copydesk.knowledge.store import DAY, Fact, KnowledgeBase
from copydesk.lexicon.offices import TITLE_PATTERN, office_key, same_office

_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "last": -1,
    "final": -1,
}
_ORD = (
    r"(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final"
    r"|\d{1,2}(?:st|nd|rd|th))"
)
_NAME = r"(?P<name>[A-Z][\w.\u2019'-]*(?:\s+[A-Z][\w.\u2019'-]*){0,3}?)"
_POSS = r"(?:'s|\u2019s|'|\u2019)"
_TERM_WORDS = r"(?P<kind>administration|presidency|tenure|term|time|premiership|government|mandate)"
_OFFICE = (
    rf"(?:\s+(?:as|in\s+office\s+as)\s+(?:the\s+)?(?P<office>(?:[A-Z][\w.]*\s+){{0,2}}?"
    rf"(?i:{TITLE_PATTERN.pattern})(?:\s+of\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,2}})?))?\b"
)
_NTH = r"(?:(?P<nth>first|second|third|fourth)\s+)?"

PATTERNS: tuple[re.Pattern[str], ...] = (
    # "the seventh month of the Trump administration", "the first year of Biden's presidency"
    re.compile(
        rf"\b(?:the\s+)?{_ORD}\s+(?P<unit>day|week|month|year)\s+of\s+(?:the\s+)?{_NAME}(?:{_POSS})?\s+"
        rf"{_NTH}{_TERM_WORDS}{_OFFICE}"
    ),
    # "in Rubio's first year as secretary of state", "Trump's second month in office"
    re.compile(rf"\b{_NAME}{_POSS}\s+{_ORD}\s+(?P<unit>day|week|month|year)(?:\s+in\s+office)?{_OFFICE}"),
    # "during Blinken's tenure", "under the Biden administration", "Blinken's time as secretary of state"
    re.compile(rf"\b(?:the\s+)?{_NAME}(?:{_POSS})?\s+{_NTH}{_TERM_WORDS}{_OFFICE}"),
)


@dataclass(frozen=True, slots=True)
class RelativePeriod:
    """A phrase of ``text`` resolved to a period through the term ``fact``."""

    start: int
    end: int
    phrase: str
    person: str
    office: str | None
    period: Period
    fact: Fact
    term: Period


_LEADING = frozenset(
    {
        "during",
        "under",
        "in",
        "throughout",
        "the",
        "early",
        "late",
        "after",
        "before",
        "by",
        "since",
        "until",
        "of",
        "at",
        "on",
        "from",
        "when",
        "as",
        "it",
        "this",
        "that",
    }
)


def _strip_leading(name: str) -> str:
    words = re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", name).split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    return " ".join(words)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ordinal(text: str) -> int:
    return _ORDINALS.get(text.lower()) or int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def person_terms(kb: KnowledgeBase, name: str, office: str | None) -> list[Fact]:
    """The terms of the best-known person called ``name``, of offices matching ``office`` if given.

    A misspelled name ("Antonio Blinken") falls back to the closest name in the KB: the misspelling
    is a finding of its own, and the sentence's dates must still be checked against the person meant.
    """
    people = kb.find_people(name, limit=10) or [match.person for match in kb.similar_people(name)]
    for person in people:
        facts = [f for f in kb.facts_of(person) if f.start is not None]
        if office:
            facts = [f for f in facts if any(same_office(office, k) for k in kb.office_keys_of(f.office))]
        if facts:
            return facts
    return []


def choose_term(facts: list[Fact], published: dt.date | None) -> Fact | None:
    """The term running at ``published``, else the last that began before it, else the last."""
    if not facts:
        return None
    if published is not None:
        running = [f for f in facts if f.possibly_during(Period(published, published))]
        if running:
            return max(running, key=lambda f: f.start)  # type: ignore[arg-type,return-value]
        before = [f for f in facts if f.start <= published]  # type: ignore[operator]
        if before:
            return max(before, key=lambda f: f.start)  # type: ignore[arg-type,return-value]
    return max(facts, key=lambda f: f.start)  # type: ignore[arg-type,return-value]


def _term_period(fact: Fact, published: dt.date | None) -> Period:
    end = fact.latest_end or published or dt.date.today()
    return Period(fact.start, max(end, fact.start))  # type: ignore[arg-type,type-var]


def _stretch(term: Period, fact: Fact, ordinal: int, unit: str) -> Period | None:
    if ordinal < 0:  # "the last year of ...": counted back from a known end
        if fact.end is None:
            return None
        if unit == "year":
            return Period(max(term.start, add_months(term.end, -12) + dt.timedelta(days=1)), term.end)
        if unit == "month":
            return Period(max(term.start, add_months(term.end, -1) + dt.timedelta(days=1)), term.end)
        days = 7 if unit == "week" else 1
        return Period(term.end - dt.timedelta(days=days - 1), term.end)
    if unit in ("year", "month"):
        months = 12 if unit == "year" else 1
        start = add_months(term.start, months * (ordinal - 1))
        end = add_months(term.start, months * ordinal) - dt.timedelta(days=1)
    else:
        days = 7 if unit == "week" else 1
        start = term.start + dt.timedelta(days=days * (ordinal - 1))
        end = start + dt.timedelta(days=days - 1)
    if fact.start_precision != DAY and unit != "year":
        return None  # a month of a term that began "in 2019" cannot be placed
    return Period(start, end)


def find_relative_periods(text: str, kb: KnowledgeBase, published: dt.date | None) -> list[RelativePeriod]:
    """Every phrase of ``text`` that names a stretch of someone's term, resolved with the KB."""
    found: list[RelativePeriod] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            groups = match.groupdict()
            name = _strip_leading(groups["name"])
            if not name:
                continue
            kind = (groups.get("kind") or "").lower()
            office_text = groups.get("office")
            office = office_key(office_text) if office_text else None
            if office is None and kind in ("administration", "presidency"):
                office = "president"
            elif office is None and kind == "premiership":
                office = "prime minister"
            facts = person_terms(kb, name, office)
            nth = groups.get("nth")
            if nth and facts:
                ordered = sorted(facts, key=lambda f: f.start)  # type: ignore[arg-type,return-value]
                fact = ordered[_ordinal(nth) - 1] if _ordinal(nth) <= len(ordered) else None
            else:
                fact = choose_term(facts, published)
            if fact is None:
                continue
            term = _term_period(fact, published)
            period: Period | None = term
            if groups.get("ord"):
                period = _stretch(term, fact, _ordinal(groups["ord"]), groups["unit"].lower())
            if period is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(
                RelativePeriod(match.start(), match.end(), match.group(0), name, office, period, fact, term)
            )
    return sorted(found, key=lambda r: r.start)


def resolve_relative_period(text: str, kb: KnowledgeBase, published: dt.date | None) -> Period | None:
    """The period the first such phrase of ``text`` names, or None when there is none the KB knows."""
    found = find_relative_periods(text, kb, published)
    return found[0].period if found else None
