"""The embedded store: people, offices and dated ``(person, office, start, end)`` facts in SQLite.

One file, ``kb.sqlite``, in the knowledge-base folder (WAL journal). Lookups are indexed by
normalised name (whole, surname+first name, first name+surname) and by office key; facts are
indexed by office and start date, so "who held X on D" touches only that office's facts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from copydesk.document import Period
from copydesk.errors import KnowledgeBaseError
from copydesk.lexicon.names import name_parts
from copydesk.lexicon.offices import office_key

DB_NAME = "kb.sqlite"
SCHEMA_VERSION = "1"

DAY, MONTH, YEAR = 11, 10, 9
"""Wikidata's precisions, used for every date in the store."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS names (
    person INTEGER NOT NULL, name TEXT NOT NULL, norm TEXT NOT NULL, first TEXT NOT NULL,
    surname TEXT NOT NULL, PRIMARY KEY (person, norm)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_norm ON names (norm);
CREATE INDEX IF NOT EXISTS names_surname ON names (surname, first);
CREATE INDEX IF NOT EXISTS names_first ON names (first, surname);
CREATE TABLE IF NOT EXISTS offices (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, label TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS office_keys (
    title TEXT NOT NULL, place TEXT NOT NULL, office INTEGER NOT NULL,
    PRIMARY KEY (title, place, office)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS office_keys_office ON office_keys (office);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY, person INTEGER NOT NULL, office INTEGER NOT NULL,
    start_date TEXT, start_precision INTEGER, end_date TEXT, end_precision INTEGER,
    start_min TEXT, end_max TEXT, origin TEXT NOT NULL, provenance TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facts_office ON facts (office, start_min);
CREATE INDEX IF NOT EXISTS facts_person ON facts (person, origin);
CREATE TABLE IF NOT EXISTS learned_evidence (
    fact INTEGER NOT NULL, story TEXT NOT NULL, day TEXT NOT NULL, precision INTEGER NOT NULL,
    quote TEXT NOT NULL, PRIMARY KEY (fact, story, quote)) WITHOUT ROWID;
"""


def period_end(day: dt.date, precision: int) -> dt.date:
    """The last day a date of this precision can mean (2021 at year precision -> 2021-12-31)."""
    if precision <= YEAR:
        return dt.date(day.year, 12, 31)
    if precision == MONTH:
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def format_date(day: dt.date | None, precision: int | None) -> str:
    if day is None:
        return "?"
    if precision is not None and precision <= YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    key: str
    """``Q…`` for people from Wikidata, ``learned:<name>`` for people learned from stories."""
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Office:
    id: int
    key: str
    label: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """``person`` held ``office`` from ``start`` to ``end`` (None: unknown start / still held)."""

    id: int
    person: Person
    office: Office
    start: dt.date | None
    start_precision: int | None
    end: dt.date | None
    end_precision: int | None
    origin: str
    """``wikidata``, ``learned``, or ``factbook`` (the built-in knowledge base)."""
    provenance: str

    @property
    def earliest_start(self) -> dt.date | None:
        return self.start

    @property
    def latest_start(self) -> dt.date | None:
        return None if self.start is None else period_end(self.start, self.start_precision or DAY)

    @property
    def earliest_end(self) -> dt.date | None:
        return self.end

    @property
    def latest_end(self) -> dt.date | None:
        return None if self.end is None else period_end(self.end, self.end_precision or DAY)

    def possibly_during(self, period: Period) -> bool:
        """Whether the term may overlap ``period`` (generous reading of imprecise dates)."""
        starts_in_time = self.start is None or self.start <= period.end
        ends_in_time = self.end is None or self.latest_end >= period.start  # type: ignore[operator]
        return starts_in_time and ends_in_time

    def surely_on(self, day: dt.date) -> bool:
        """Whether the term certainly covers ``day`` (a known start; an open end counts as ongoing)."""
        if self.latest_start is None or self.latest_start > day:
            return False
        return self.end is None or self.end >= day

    def overlap_days(self, period: Period) -> int:
        start = max(self.start or period.start, period.start)
        end = min(self.latest_end or period.end, period.end)
        return max((end - start).days + 1, 0)

    def span_text(self) -> str:
        if self.end is None:
            return (
                f"from {format_date(self.start, self.start_precision)}" if self.start else "(dates unknown)"
            )
        start = format_date(self.start, self.start_precision)
        return f"from {start} to {format_date(self.end, self.end_precision)}"

    def describe(self) -> str:
        """The fact as evidence: "Marco Rubio held United States Secretary of State from 2025-01-21"."""
        return f"{self.person.name} held {self.office.label} {self.span_text()}"

    def as_dict(self) -> dict[str, object]:
        return {
            "person": self.person.name,
            "person_key": self.person.key,
            "office": self.office.label,
            "office_key": self.office.key,
            "start": format_date(self.start, self.start_precision) if self.start else None,
            "end": format_date(self.end, self.end_precision) if self.end else None,
            "origin": self.origin,
            "provenance": self.provenance,
        }


@dataclass(frozen=True, slots=True)
class NameMatch:
    person: Person
    name: str
    """The KB name or alias that matched."""
    score: float


_FACT_COLUMNS = """f.id, f.start_date, f.start_precision, f.end_date, f.end_precision, f.origin, f.provenance,
    p.id, p.key, p.name, p.description, o.id, o.key, o.label, o.description"""
_FACT_FROM = "facts f JOIN people p ON p.id = f.person JOIN offices o ON o.id = f.office"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fact(row: tuple) -> Fact:
    return Fact(
        id=row[0],
        start=_date(row[1]),
        start_precision=row[2],
        end=_date(row[3]),
        end_precision=row[4],
        origin=row[5],
        provenance=row[6],
        person=Person(row[7], row[8], row[9], row[10]),
        office=Office(row[11], row[12], row[13], row[14]),
    )


class KnowledgeBase:
    """Who held which office when, and how people's names are spelled. Open with
    :func:`copydesk.knowledge.open_knowledge_base`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.RLock()

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes; commits at the end, rolls back on error."""
        with self._lock:
            try:
                yield
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    def commit(self) -> None:
        """Commit the writes so far (long imports commit in batches)."""
        with self._lock:
            self._db.commit()

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise KnowledgeBaseError(f"cannot read the knowledge base {self.path}: {exc}") from None

    def query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        """Rows of a read-only query (tables a builder added, such as the built-in ``factbook_facts``)."""
        return self._rows(sql, params)

    # -- people ----------------------------------------------------------------------------------

    def person(self, person_id: int) -> Person | None:
        rows = self._rows("SELECT id, key, name, description FROM people WHERE id = ?", (person_id,))
        return Person(*rows[0]) if rows else None

    def person_by_key(self, key: str) -> Person | None:
        rows = self._rows("SELECT id, key, name, description FROM people WHERE key = ?", (key,))
        return Person(*rows[0]) if rows else None

    def names_of(self, person: Person) -> list[str]:
        """The person's label and aliases as stored."""
        return [
            r[0] for r in self._rows("SELECT name FROM names WHERE person = ? ORDER BY name", (person.id,))
        ]

    def find_people(self, name: str, limit: int = 50) -> list[Person]:
        """People whose name or alias is ``name`` once normalised; a lone surname finds everyone with it.

        Ordered by how many facts the KB holds about them (the better-known first).
        """
        key = name_parts(name)
        if key is None:
            return []
        if " " not in key.norm:
            ids = self._rows(
                "SELECT DISTINCT person FROM names WHERE norm = ? OR surname = ? LIMIT ?",
                (key.norm, key.norm, limit),
            )
        else:
            ids = self._rows("SELECT DISTINCT person FROM names WHERE norm = ? LIMIT ?", (key.norm, limit))
            if not ids:
                ids = self._rows(
                    "SELECT DISTINCT person FROM names WHERE first = ? AND surname = ? LIMIT ?",
                    (key.first, key.surname, limit),
                )
        return self._ranked_people([r[0] for r in ids])

    def _ranked_people(self, ids: list[int]) -> list[Person]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            "SELECT p.id, p.key, p.name, p.description, "
            "(SELECT count(*) FROM facts f WHERE f.person = p.id) AS n "
            f"FROM people p WHERE p.id IN ({marks}) ORDER BY n DESC, p.id",
            ids,
        )
        return [Person(*row[:4]) for row in rows]

    def similar_people(self, name: str, min_score: float = 88.0, limit: int = 5) -> list[NameMatch]:
        """People whose name is close to ``name`` but not equal: candidates share the surname, or the
        first name and the surname's first two letters (both index lookups), then rapidfuzz scores them.
        """
        key = name_parts(name)
        if key is None or " " not in key.norm:
            return []
        prefix = key.surname[:2]
        rows = self._rows(
            "SELECT person, name, norm FROM names WHERE surname = ? LIMIT 2000", (key.surname,)
        ) + self._rows(
            "SELECT person, name, norm FROM names "
            "WHERE first = ? AND surname >= ? AND surname < ? LIMIT 2000",
            (key.first, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
        )
        best: dict[int, tuple[float, str]] = {}
        for person_id, stored, norm in rows:
            if norm == key.norm:
                continue
            score = fuzz.ratio(key.norm, norm)
            if score >= min_score and score > best.get(person_id, (0.0, ""))[0]:
                best[person_id] = (score, stored)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
        people = {p.id: p for p in self._ranked_people([pid for pid, _ in ranked])}
        return [NameMatch(people[pid], stored, score) for pid, (score, stored) in ranked if pid in people]

    # -- offices ---------------------------------------------------------------------------------

    def office_by_key(self, key: str) -> Office | None:
        rows = self._rows("SELECT id, key, label, description FROM offices WHERE key = ?", (key,))
        return Office(*rows[0]) if rows else None

    def offices_for_key(self, key: str, limit: int = 200) -> list[Office]:
        """Offices a key (from :func:`copydesk.lexicon.offices.office_key`) can name, or the office with a
        Wikidata id. With a jurisdiction, offices indexed under it; failing those, the ones indexed
        without any. Without one, every office of that title (``same_office`` semantics)."""
        if key[:1] == "Q" and key[1:].isdigit():
            office = self.office_by_key(key)
            return [office] if office else []
        title, _, place = key.partition("|")
        if place:
            ids = self._rows(
                "SELECT office FROM office_keys WHERE title = ? AND place = ? LIMIT ?", (title, place, limit)
            )
            if not ids:
                # an office indexed without a place, unless another of its keys names another place:
                # "President of Freedonia" is not the president of the United States
                ids = self._rows(
                    "SELECT office FROM office_keys k WHERE title = ? AND place = '' AND NOT EXISTS ("
                    "SELECT 1 FROM office_keys o WHERE o.office = k.office AND o.place NOT IN ('', ?)) "
                    "LIMIT ?",
                    (title, place, limit),
                )
        else:
            ids = self._rows(
                "SELECT DISTINCT office FROM office_keys WHERE title = ? LIMIT ?", (title, limit)
            )
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f"SELECT id, key, label, description FROM offices WHERE id IN ({marks}) ORDER BY id",
            [r[0] for r in ids],
        )
        return [Office(*row) for row in rows]

    def rank_offices(self, key: str, people: Iterable[str] = ()) -> list[Office]:
        """The offices ``key`` may name, most plausible first: an office held by a person the story
        names, then one indexed under exactly this key, then the office with most facts."""
        offices = self.offices_for_key(key)
        if len(offices) <= 1:
            return offices
        named: set[int] = set()
        for name in people:
            named.update(p.id for p in self.find_people(name, limit=10))
        title, _, place = key.partition("|")
        scored = []
        for office in offices:
            holders = {
                r[0] for r in self._rows("SELECT DISTINCT person FROM facts WHERE office = ?", (office.id,))
            }
            exact = bool(
                self._rows(
                    "SELECT 1 FROM office_keys WHERE office = ? AND title = ? AND place = ?",
                    (office.id, title, place),
                )
            )
            count = self._rows("SELECT count(*) FROM facts WHERE office = ?", (office.id,))[0][0]
            scored.append(((bool(holders & named), exact, count), office))
        scored.sort(key=lambda item: item[0], reverse=True)
        return [office for _, office in scored]

    def office_keys_of(self, office: Office) -> list[str]:
        rows = self._rows(
            "SELECT title, place FROM office_keys WHERE office = ? ORDER BY title, place", (office.id,)
        )
        return [f"{t}|{p}" if p else t for t, p in rows]

    # -- facts -----------------------------------------------------------------------------------

    def facts_of(self, person: Person) -> list[Fact]:
        rows = self._rows(
            f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} WHERE f.person = ? "
            "ORDER BY f.start_min IS NULL, f.start_min",
            (person.id,),
        )
        return [_fact(r) for r in rows]

    def facts_for_office(self, office: Office, during: Period | None = None) -> list[Fact]:
        """Facts about ``office``, those that may overlap ``during`` when given, by start date."""
        sql = f"SELECT {_FACT_COLUMNS} FROM {_FACT_FROM} WHERE f.office = ?"
        params: list[object] = [office.id]
        if during is not None:
            sql += " AND (f.start_min IS NULL OR f.start_min <= ?) AND (f.end_max IS NULL OR f.end_max >= ?)"
            params += [during.end.isoformat(), during.start.isoformat()]
        rows = self._rows(sql + " ORDER BY f.start_min IS NULL, f.start_min", params)
        return [_fact(r) for r in rows]

    def holders(self, key: str, on: dt.date | Period, people: Iterable[str] = ()) -> list[Fact]:
        """Facts of the offices ``key`` names (best-ranked office first) that may cover ``on``."""
        period = on if isinstance(on, Period) else Period(on, on)
        found = []
        for office in self.rank_offices(key, people):
            found.extend(self.facts_for_office(office, period))
        return found

    def stats(self) -> dict[str, int]:
        counts = {
            "people": "SELECT count(*) FROM people",
            "names": "SELECT count(*) FROM names",
            "offices": "SELECT count(*) FROM offices",
            "facts": "SELECT count(*) FROM facts",
            "wikidata_facts": "SELECT count(*) FROM facts WHERE origin = 'wikidata'",
            "learned_facts": "SELECT count(*) FROM facts WHERE origin = 'learned'",
            "factbook_facts": "SELECT count(*) FROM facts WHERE origin = 'factbook'",
        }
        return {name: self._rows(sql)[0][0] for name, sql in counts.items()}

    # -- writing ---------------------------------------------------------------------------------

    def put_person(self, key: str, name: str, description: str | None, aliases: Iterable[str] = ()) -> int:
        """Insert or update a person and index their names; returns the person's id."""
        db = self._db
        person_id = db.execute(
            "INSERT INTO people (key, name, description) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE "
            "SET name = excluded.name, description = coalesce(excluded.description, description) "
            "RETURNING id",
            (key, name, description),
        ).fetchone()[0]
        rows = []
        for text in (name, *aliases):
            found = name_parts(text)
            if found is not None:
                rows.append((person_id, text, found.norm, found.first, found.surname))
        db.executemany(
            "INSERT OR IGNORE INTO names (person, name, norm, first, surname) VALUES (?, ?, ?, ?, ?)", rows
        )
        return person_id

    def put_office(
        self, key: str, label: str, description: str | None = None, aliases: Iterable[str] = ()
    ) -> int:
        """Insert or update an office and index it under the keys of its label and aliases."""
        db = self._db
        office_id = db.execute(
            "INSERT INTO offices (key, label, description) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE "
            "SET label = excluded.label, description = coalesce(excluded.description, description) "
            "RETURNING id",
            (key, label, description),
        ).fetchone()[0]
        keys = {k for k in (office_key(text) for text in (label, *aliases)) if k is not None}
        db.executemany(
            "INSERT OR IGNORE INTO office_keys (title, place, office) VALUES (?, ?, ?)",
            [(*k.partition("|")[::2], office_id) for k in keys],
        )
        return office_id

    def ensure_office(self, key: str) -> int:
        """The id of the office ``key``, creating a placeholder labelled by its key if it is new."""
        row = self._db.execute("SELECT id FROM offices WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        return self._db.execute(
            "INSERT INTO offices (key, label) VALUES (?, ?) RETURNING id", (key, key)
        ).fetchone()[0]

    def add_fact(
        self,
        person_id: int,
        office_id: int,
        start: dt.date | None,
        start_precision: int | None,
        end: dt.date | None,
        end_precision: int | None,
        origin: str,
        provenance: str,
    ) -> int:
        return self._db.execute(
            "INSERT INTO facts (person, office, start_date, start_precision, end_date, end_precision, "
            "start_min, "
            "end_max, origin, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                person_id,
                office_id,
                start.isoformat() if start else None,
                start_precision,
                end.isoformat() if end else None,
                end_precision,
                start.isoformat() if start else None,
                period_end(end, end_precision or DAY).isoformat() if end else None,
                origin,
                provenance,
            ),
        ).fetchone()[0]

    def update_fact_span(
        self,
        fact_id: int,
        start: dt.date,
        start_precision: int,
        end: dt.date,
        end_precision: int,
        provenance: str,
    ) -> None:
        self._db.execute(
            "UPDATE facts SET start_date = ?, start_precision = ?, end_date = ?, end_precision = ?, "
            "start_min = ?, "
            "end_max = ?, provenance = ? WHERE id = ?",
            (
                start.isoformat(),
                start_precision,
                end.isoformat(),
                end_precision,
                start.isoformat(),
                period_end(end, end_precision).isoformat(),
                provenance,
                fact_id,
            ),
        )

    def clear_person(self, person_id: int, origin: str) -> None:
        """Forget a person's facts of one origin and their names (before re-importing them)."""
        self._db.execute("DELETE FROM facts WHERE person = ? AND origin = ?", (person_id, origin))
        self._db.execute("DELETE FROM names WHERE person = ?", (person_id,))

    def drop_unused_offices(self) -> int:
        """Delete offices no fact refers to (labels kept while importing in case a person needed them)."""
        unused = "SELECT id FROM offices o WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.office = o.id)"
        self._db.execute(f"DELETE FROM office_keys WHERE office IN ({unused})")
        return self._db.execute(f"DELETE FROM offices WHERE id IN ({unused})").rowcount

    def execute(self, sql: str, params: Iterable[object] = ()) -> sqlite3.Cursor:
        """Raw access for the importers in this package."""
        return self._db.execute(sql, tuple(params))

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None


def open_readonly(database: Path) -> KnowledgeBase:
    """Open a knowledge base file that is never written (the built-in one, inside the package)."""
    if not database.is_file():
        raise KnowledgeBaseError(f"no knowledge base file at {database}")
    try:
        connection = sqlite3.connect(
            f"{database.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise KnowledgeBaseError(f"{database} is not a readable knowledge base ({exc})") from None
    if row is None or row[0] != SCHEMA_VERSION:
        raise KnowledgeBaseError(
            f"{database} has schema {row and row[0]}, this copydesk reads {SCHEMA_VERSION}"
        )
    return KnowledgeBase(database.parent, connection)


def open_store(path: Path, must_exist: bool, create: bool = False) -> KnowledgeBase | None:
    """Open (or with ``create``, make) the knowledge base in folder ``path``."""
    path = Path(path).expanduser()
    folder = path.parent if path.suffix == ".sqlite" else path
    database = path if path.suffix == ".sqlite" else path / DB_NAME
    build_hint = (
        f"build one with `copydesk kb import-wikidata DUMP --kb {folder}` or "
        f"`copydesk kb learn ARCHIVE --kb {folder}`"
    )
    if not database.exists():
        if create:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise KnowledgeBaseError(f"cannot create the knowledge base folder {folder}: {exc}") from None
        elif folder.exists() and not folder.is_dir():
            raise KnowledgeBaseError(f"{folder} is a file, not a knowledge base folder; {build_hint}")
        elif must_exist:
            raise KnowledgeBaseError(f"no knowledge base at {folder}; {build_hint}")
        else:
            return None
    try:
        connection = sqlite3.connect(database, check_same_thread=False)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = OFF")
        version = None
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" in tables:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            version = row[0] if row else None
        if tables and version is None:
            raise KnowledgeBaseError(
                f"{database} is not a copydesk knowledge base; remove it or choose another --kb"
            )
        if version not in (None, SCHEMA_VERSION):
            raise KnowledgeBaseError(
                f"{database} has schema {version}, this copydesk reads {SCHEMA_VERSION}; "
                "rebuild it with `copydesk kb import-wikidata`"
            )
        if version is None:
            if not create:
                raise KnowledgeBaseError(f"{database} is empty; {build_hint}")
            connection.executescript(_SCHEMA)
            connection.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
            connection.commit()
    except sqlite3.DatabaseError as exc:
        raise KnowledgeBaseError(
            f"{database} is not a readable knowledge base ({exc}); remove it and import again"
        ) from None
    return KnowledgeBase(folder, connection)
