"""Importing a Wikidata JSON dump: people with "position held" (P39) and the offices they held.

The dump is a ``[`` line, one entity per line (ending with ``,``), and a ``]`` line; plain,
gzip or bzip2. It is streamed line by line, so memory stays bounded whatever its size.

**One pass, plus a second only if needed.** A person's P39 statements name offices by id, and
an office's entity may come before or after its holders in the dump. While reading, we store
every person and, for offices, the English labels of (a) entities already referenced by a
person read earlier and (b) entities that look like offices (instance or subclass of
"position"/"public office", or carrying "officeholder"/"organization directed by the office").
Offices referenced but not labelled by the end of the first pass are looked for in a second
pass that parses only the lines whose id is missing and stops as soon as all are found. In the
real dump (b) catches almost every office, so the second pass is usually short or skipped;
``single_pass=True`` skips it (those offices keep their id as label and cannot be found by
name). Memory held: the set of referenced office ids (hundreds of thousands at most).
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from copydesk.errors import InputError
from copydesk.knowledge.store import DAY, MONTH, YEAR, KnowledgeBase

HUMAN = "Q5"
POSITION_HELD, START_TIME, END_TIME = "P39", "P580", "P582"
INSTANCE_OF, SUBCLASS_OF = "P31", "P279"
_OFFICE_CLASSES = frozenset(
    {
        "Q4164871",
        "Q294414",
        "Q30461",
        "Q2285706",
        "Q48352",
        "Q83307",
        "Q486839",
        "Q4175034",
        "Q599151",
        "Q19953632",
        "Q114962596",
    }
)
"""position, public office, president, head of government, head of state, minister, member of
parliament, legislator, official, former position, historical position."""
_OFFICE_PROPERTIES = ("P1308", "P2389")  # officeholder, organization directed by the office or position
_OFFICE_SIGNALS = tuple(f'"{s}"'.encode() for s in (*_OFFICE_CLASSES, *_OFFICE_PROPERTIES))
_ENGLISH = ("en", "en-gb", "en-us", "en-ca", "mul")
_ID = re.compile(rb'"id"\s*:\s*"(Q\d+)"')
_TIME = re.compile(r"^([+-])(\d{1,16})-(\d\d)-(\d\d)T")
BATCH = 5000
SUFFIXES = (".json", ".json.gz", ".json.bz2")

Progress = Callable[[int, int, str], None]
"""Called with (bytes read, total bytes, phase) as the dump is read."""


@dataclass
class ImportStats:
    lines: int = 0
    entities: int = 0
    people: int = 0
    facts: int = 0
    offices_labelled: int = 0
    offices_unlabelled: int = 0
    malformed: int = 0
    malformed_lines: list[int] = field(default_factory=list)
    people_without_english_label: int = 0
    second_pass: bool = False
    seconds: float = 0.0

    @property
    def entities_per_second(self) -> float:
        return self.entities / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "entities": self.entities,
            "people": self.people,
            "facts": self.facts,
            "offices_labelled": self.offices_labelled,
            "offices_unlabelled": self.offices_unlabelled,
            "malformed": self.malformed,
            "malformed_lines": self.malformed_lines,
            "people_without_english_label": self.people_without_english_label,
            "second_pass": self.second_pass,
            "seconds": round(self.seconds, 2),
            "entities_per_second": round(self.entities_per_second, 1),
        }


def open_dump(path: Path) -> tuple[BinaryIO, BinaryIO]:
    """(raw file, decompressed stream) for a dump; the raw file's position measures progress."""
    name = path.name.lower()
    if not name.endswith(SUFFIXES):
        raise InputError(f"{path}: not a Wikidata JSON dump name; expected {', '.join(SUFFIXES)}")
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if name.endswith(".gz"):
        return raw, gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return raw, bz2.BZ2File(raw)  # type: ignore[return-value]
    return raw, raw


def _lines(path: Path, progress: Progress | None, phase: str) -> Iterator[tuple[int, bytes]]:
    raw, stream = open_dump(path)
    total = path.stat().st_size
    try:
        for number, line in enumerate(stream, start=1):
            if progress is not None and number % 2000 == 0:
                progress(raw.tell(), total, phase)
            yield number, line
    except (OSError, EOFError) as exc:
        raise InputError(
            f"{path}: cannot decompress ({exc}); is the file complete and named for its format?"
        ) from None
    finally:
        if progress is not None:
            progress(total, total, phase)
        stream.close()
        raw.close()


def _entity(line: bytes) -> dict[str, Any] | None:
    """The entity on a dump line; None for the brackets and blank lines; raises ValueError if malformed."""
    text = line.strip()
    if text.endswith(b","):
        text = text[:-1]
    if not text or text in (b"[", b"]"):
        return None
    entity = json.loads(text)
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
        raise ValueError("not an entity")
    return entity


def english(entity: dict[str, Any], part: str) -> str | None:
    values = entity.get(part) or {}
    for language in _ENGLISH:
        value = values.get(language)
        if isinstance(value, dict) and value.get("value"):
            return str(value["value"])
    return None


def english_aliases(entity: dict[str, Any]) -> list[str]:
    aliases = entity.get("aliases") or {}
    found: list[str] = []
    for language in _ENGLISH:
        for alias in aliases.get(language) or ():
            if isinstance(alias, dict) and alias.get("value") and alias["value"] not in found:
                found.append(str(alias["value"]))
    return found


def _item_values(entity: dict[str, Any], prop: str) -> list[str]:
    values = []
    for claim in (entity.get("claims") or {}).get(prop) or ():
        item = _item_id(claim.get("mainsnak") or {})
        if item and claim.get("rank") != "deprecated":
            values.append(item)
    return values


def _item_id(snak: dict[str, Any]) -> str | None:
    if snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            return value["id"]
        if isinstance(value.get("numeric-id"), int):
            return f"Q{value['numeric-id']}"
    return None


def parse_time(snak: dict[str, Any]) -> tuple[dt.date, int] | None:
    """A Wikidata time value ("+2025-01-21T00:00:00Z", precision 11) as (date, precision).

    Precisions coarser than a year, dates before year 1 and impossible dates give None.
    """
    if snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    match = _TIME.match(value["time"])
    precision = value.get("precision", DAY)
    if not match or match.group(1) == "-" or not isinstance(precision, int) or precision < YEAR:
        return None
    year, month, day = int(match.group(2)), int(match.group(3)), int(match.group(4))
    precision = min(precision, DAY)
    if not 1 <= year <= 9999:
        return None
    try:
        if precision == YEAR or month == 0:
            return dt.date(year, 1, 1), YEAR
        if precision == MONTH or day == 0:
            return dt.date(year, month, 1), MONTH
        return dt.date(year, month, day), DAY
    except ValueError:
        return None


def positions(
    entity: dict[str, Any],
) -> list[tuple[str, tuple[dt.date, int] | None, tuple[dt.date, int] | None]]:
    """(office id, start, end) of every non-deprecated P39 statement."""
    found = []
    for claim in (entity.get("claims") or {}).get(POSITION_HELD) or ():
        if not isinstance(claim, dict) or claim.get("rank") == "deprecated":
            continue
        office = _item_id(claim.get("mainsnak") or {})
        if office is None:
            continue
        qualifiers = claim.get("qualifiers") or {}
        start = next((t for s in qualifiers.get(START_TIME) or () if (t := parse_time(s))), None)
        end = next((t for s in qualifiers.get(END_TIME) or () if (t := parse_time(s))), None)
        found.append((office, start, end))
    return found


def is_person(entity: dict[str, Any], all_people: bool) -> bool:
    kinds = _item_values(entity, INSTANCE_OF)
    if kinds:
        return HUMAN in kinds and (all_people or bool((entity.get("claims") or {}).get(POSITION_HELD)))
    return bool((entity.get("claims") or {}).get(POSITION_HELD))


def looks_like_office(entity: dict[str, Any]) -> bool:
    claims = entity.get("claims") or {}
    if any(claims.get(p) for p in _OFFICE_PROPERTIES):
        return True
    return bool(
        _OFFICE_CLASSES.intersection(_item_values(entity, INSTANCE_OF) + _item_values(entity, SUBCLASS_OF))
    )


def import_wikidata(
    kb: KnowledgeBase,
    path: Path,
    *,
    progress: Progress | None = None,
    all_people: bool = False,
    single_pass: bool = False,
) -> ImportStats:
    """Stream the dump at ``path`` into ``kb``. Malformed lines are counted and skipped."""
    stats = ImportStats()
    began = time.perf_counter()
    referenced: set[int] = set()
    replacing = bool(kb.execute("SELECT 1 FROM people WHERE key GLOB 'Q[0-9]*' LIMIT 1").fetchone())
    office_ids: dict[str, int] = {}
    pending = 0
    with kb.transaction():
        for number, line in _lines(path, progress, "reading"):
            stats.lines += 1
            # Most of the dump is neither a person nor an office: decide from the raw bytes first.
            found = _ID.search(line, 0, 200)
            wanted = (
                b'"P39"' in line
                or (all_people and b'"Q5"' in line)
                or (found is not None and int(found.group(1)[1:]) in referenced)
                or any(signal in line for signal in _OFFICE_SIGNALS)
            )
            if not wanted and found is not None:
                stats.entities += 1
                continue
            try:
                entity = _entity(line)
            except ValueError:
                stats.malformed += 1
                if len(stats.malformed_lines) < 10:
                    stats.malformed_lines.append(number)
                continue
            if entity is None:
                continue
            stats.entities += 1
            entity_id = entity["id"]
            if entity.get("type", "item") != "item" or not entity_id.startswith("Q"):
                continue
            if is_person(entity, all_people):
                _store_person(kb, entity, stats, referenced, office_ids, replacing)
            elif int(entity_id[1:]) in referenced or looks_like_office(entity):
                _store_office(kb, entity)
            pending += 1
            if pending >= BATCH:
                kb.commit()
                pending = 0
    missing = _unlabelled(kb)
    if missing and not single_pass:
        stats.second_pass = True
        _second_pass(kb, path, missing, progress)
    with kb.transaction():
        kb.drop_unused_offices()
        kb.set_meta("wikidata_dump", str(path))
        kb.set_meta("wikidata_imported", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    stats.offices_unlabelled = len(_unlabelled(kb))
    stats.offices_labelled = kb.execute(
        "SELECT count(*) FROM offices WHERE key GLOB 'Q[0-9]*' AND label != key"
    ).fetchone()[0]
    stats.seconds = time.perf_counter() - began
    if stats.entities == 0 and stats.malformed:
        raise InputError(
            f"{path}: none of its {stats.lines} lines is a Wikidata entity; is it a Wikidata JSON dump?"
        )
    return stats


def _store_person(
    kb: KnowledgeBase,
    entity: dict[str, Any],
    stats: ImportStats,
    referenced: set[int],
    office_ids: dict[str, int],
    replacing: bool,
) -> None:
    label = english(entity, "labels")
    if label is None:
        # No English name: nothing a story could be matched against.
        stats.people_without_english_label += 1
        return
    qid = entity["id"]
    held = positions(entity)
    if replacing:
        existing = kb.person_by_key(qid)
        if existing is not None:
            kb.clear_person(existing.id, "wikidata")
    person_id = kb.put_person(qid, label, english(entity, "descriptions"), english_aliases(entity))
    stats.people += 1
    for office, start, end in held:
        office_id = office_ids.get(office)
        if office_id is None:
            office_id = kb.ensure_office(office)
            if len(office_ids) < 200_000:
                office_ids[office] = office_id
        referenced.add(int(office[1:]))
        start_date, start_precision = start or (None, None)
        end_date, end_precision = end or (None, None)
        kb.add_fact(
            person_id,
            office_id,
            start_date,
            start_precision,
            end_date,
            end_precision,
            origin="wikidata",
            provenance=f"wikidata {qid}",
        )
        stats.facts += 1


def _store_office(kb: KnowledgeBase, entity: dict[str, Any]) -> None:
    label = english(entity, "labels")
    if label is not None:
        kb.put_office(entity["id"], label, english(entity, "descriptions"), english_aliases(entity))


def _unlabelled(kb: KnowledgeBase) -> set[str]:
    return {r[0] for r in kb.execute("SELECT key FROM offices WHERE key GLOB 'Q[0-9]*' AND label = key")}


def _second_pass(kb: KnowledgeBase, path: Path, missing: set[str], progress: Progress | None) -> None:
    wanted = {int(q[1:]) for q in missing}
    with kb.transaction():
        for _, line in _lines(path, progress, "offices"):
            found = _ID.search(line, 0, 200)
            if found is None or int(found.group(1)[1:]) not in wanted:
                continue
            try:
                entity = _entity(line)
            except ValueError:
                continue
            if entity is not None:
                _store_office(kb, entity)
                wanted.discard(int(entity["id"][1:]))
                if not wanted:
                    break
