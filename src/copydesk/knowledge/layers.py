"""Knowledge bases in layers: the user's (``--kb``, ``COPYDESK_KB`` or the user data folder) over the
built-in one that ships with copydesk (heads of state and government from the World Factbook,
2021 to its last edition; built by :mod:`copydesk.knowledge_build.factbook`).

The checks ask the layers in order, the user's first, and take the first one that knows the
office at the date in question: where the user's base knows it, it wins; where it does not, the
built-in base answers. The built-in base knows nothing after its *horizon* (its last edition).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache
from pathlib import Path

from copydesk.knowledge.store import DAY, DB_NAME, MONTH, Fact, KnowledgeBase, open_readonly, open_store

BUILTIN_DIR = Path(__file__).parent / "builtin"
"""Where the built-in knowledge base lives inside the package."""


@lru_cache(maxsize=1)
def open_builtin() -> KnowledgeBase:
    """The built-in knowledge base, opened read-only once per process (it is never written)."""
    return open_readonly(BUILTIN_DIR / DB_NAME)


class KnowledgeLayers:
    """The knowledge bases a check consults, most trusted first."""

    def __init__(self, user: KnowledgeBase | None, builtin: KnowledgeBase | None) -> None:
        self.user = user
        self.builtin = builtin
        self.layers: list[KnowledgeBase] = [kb for kb in (user, builtin) if kb is not None]
        self.horizon: dt.date | None = None
        self._editions: list[dt.date] = []
        if builtin is not None:
            horizon = builtin.meta("horizon")
            self.horizon = dt.date.fromisoformat(horizon) if horizon else None
            self._editions = [dt.date.fromisoformat(d) for d in json.loads(builtin.meta("editions") or "[]")]

    def is_builtin(self, kb: KnowledgeBase) -> bool:
        return kb is self.builtin

    def close(self) -> None:
        """Close the user's base (the built-in one is shared by the whole process)."""
        if self.user is not None:
            self.user.close()

    def edition(self, fact: Fact, on: dt.date | None) -> dt.date | None:
        """The Factbook edition that shows ``fact`` nearest before ``on`` (the last one that listed it
        when ``on`` is later, the first when earlier)."""
        row = self._factbook_row(fact)
        if row is None:
            return None
        first, last = dt.date.fromisoformat(row[1]), dt.date.fromisoformat(row[2])
        day = min(max(on or last, first), last)
        before = [d for d in self._editions if first <= d <= day]
        return before[-1] if before else first

    def quote(self, fact: Fact, on: dt.date | None) -> str:
        """A fact as evidence. Built-in facts cite their edition: "World Factbook, edition of
        2025-06-12: Prime Minister Mark Carney, since 14 March 2025"."""
        row = self._factbook_row(fact) if fact.origin == "factbook" else None
        if row is None:
            return fact.describe()
        edition = self.edition(fact, on)
        title, source = row[0], self.builtin.meta("source") if self.builtin else "World Factbook"
        text = f"{source}, edition of {edition.isoformat() if edition else '?'}: {title} {fact.person.name}"
        if fact.start is not None:
            text += f", since {spoken_date(fact.start, fact.start_precision)}"
        if fact.end is not None and (on is None or fact.latest_end < on):  # type: ignore[operator]
            text += f", until {spoken_date(fact.end, fact.end_precision)}"
        return text

    def _factbook_row(self, fact: Fact) -> tuple | None:
        if self.builtin is None or fact.origin != "factbook":
            return None
        rows = self.builtin.query(
            "SELECT title, first_seen, last_seen FROM factbook_facts WHERE fact = ?", (fact.id,)
        )
        return rows[0] if rows else None


def spoken_date(day: dt.date, precision: int | None) -> str:
    """14 March 2025, March 2023, or 2011, by precision."""
    if precision == DAY or precision is None:
        return f"{day.day} {day:%B} {day.year}"
    if precision == MONTH:
        return f"{day:%B} {day.year}"
    return str(day.year)


def default_kb_dir() -> Path:
    """Where the knowledge base lives unless ``--kb`` or ``COPYDESK_KB`` says otherwise."""
    if os.environ.get("COPYDESK_KB"):
        return Path(os.environ["COPYDESK_KB"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "copydesk" / "kb"


def open_layers(path: Path | None, must_exist: bool, builtin: bool = True) -> KnowledgeLayers | None:
    """The user's knowledge base in folder ``path`` (or the default folder) over the built-in one.

    ``must_exist``: the user's base is required (``--kb`` was given). ``builtin``: add the built-in
    base under it. Returns None when there is neither.
    """
    user = open_store(path or default_kb_dir(), must_exist=must_exist)
    base = open_builtin() if builtin else None
    if user is None and base is None:
        return None
    return KnowledgeLayers(user, base)
