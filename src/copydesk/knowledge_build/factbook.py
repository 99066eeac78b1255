"""Build the built-in knowledge base from the World Factbook's heads of state and government.

Input: ``leaders.jsonl`` (one tenure per line: country, office, title, name, since, until, first and
last snapshot seen; see ``data/kb/README.md`` of the shared data). Output: a knowledge base in
copydesk's own format (:mod:`copydesk.knowledge.store`), small enough to ship inside the package:

    copydesk kb build-builtin ../shared/data/kb/leaders.jsonl     # writes the package's copy

What it does to the records:

- applies :data:`CORRECTIONS` (errors of the source, each with its reason) and derives the end of a
  tenure that ended at a vacancy snapshot from its successor's start (:func:`close_gaps`);
- folds each title to the office stories name ("Interim Prime Minister" and "Taoiseach" are the
  prime minister; a president listed as both head of state and of government is one office);
- makes one person per normalised name, with the aliases stories use (:func:`aliases`);
- keeps, per fact, the title as the Factbook wrote it and the first and last editions that listed
  it, so evidence can cite "World Factbook, edition of 2025-06-12: Prime Minister Mark Carney".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copydesk.errors import KnowledgeBaseError
from copydesk.knowledge.store import DAY, DB_NAME, MONTH, YEAR, KnowledgeBase, open_store
from copydesk.lexicon.countries import Country, countries
from copydesk.lexicon.names import name_parts, strip_accents
from copydesk.lexicon.offices import office_key

ORIGIN = "factbook"
SOURCE = "World Factbook"
KINDS = ("head of state", "head of government", "representative of head of state")
REQUIRED = ("country", "country_code", "office", "title", "name", "since", "until", "first_seen", "last_seen")

# (country code, office, name, field) -> (value the file has, value to use, reason). Matched on
# the name as the file writes it and on the value it has; ``"drop"`` as the field removes the record.
CORRECTIONS: dict[tuple[str, str, str, str], tuple[Any, Any, str]] = {
    ("ro", "head of government", "Ilie Bolojan", "since"): (
        "2005-06-23",
        "2025-06-23",
        "the Factbook wrote 23 June 2005 for 2025",
    ),
    ("gr", "head of state", "Konstantinos Tasoulas", "since"): (
        "2020-03-13",
        "2025-03-13",
        "the Factbook kept his predecessor's date, 13 March 2020; a later edition has 2025",
    ),
    ("mg", "head of government", "Gombojavyn Zandanshatar", "since"): (
        "2021-01-27",
        "2025-06-13",
        "the Factbook kept his predecessor's date, 27 January 2021; a later edition has 13 June 2025",
    ),
    ("cg", "head of government", "Anatole Collinet Makosso", "drop"): (
        None,
        None,
        "the Republic of the Congo's prime minister, listed under the DRC in 2022-23",
    ),
    ("cg", "head of government", "Jean-Michel Sama Lukonde Kyenge", "drop"): (
        None,
        None,
        "the same tenure as 'Jean-Michel Sama Lukonde' (2021-02-15 to 2024-04-01), cut in two by the "
        "record above",
    ),
    ("ic", "head of government", "Halla Tomasdottir", "drop"): (
        None,
        None,
        "Iceland's president, listed as head of government for ten weeks in 2024",
    ),
    ("mk", "head of government", "Gordana Siljanovska-Davkova", "drop"): (
        None,
        None,
        "North Macedonia's president, listed as head of government",
    ),
    ("mk", "head of government", "Talat Xhaferi", "until"): (
        "2024-05-12",
        "2024-06-23",
        "caretaker until Mickoski took office (the record in between is the president's)",
    ),
    ("ir", "head of government", "Mohammad Mokher", "name"): (
        "Mohammad Mokher",
        "Mohammad Mokhber",
        "misspelled in the Factbook",
    ),
    ("ir", "head of government", "Mohammad Mokher", "since"): (
        None,
        "2024-05-20",
        "acting president after Raisi's death on 19 May 2024; the Factbook gives no date",
    ),
    ("ir", "head of government", "Ebrahim Raisi", "until"): (
        "2024-05-23",
        "2024-05-19",
        "died on 19 May 2024; the file has the first snapshot without him",
    ),
    ("sy", "head of state", "Ahmad al-Shara'", "since"): (
        None,
        "2025-01-29",
        "named president on 29 January 2025; the Factbook gives no date",
    ),
    ("sy", "head of state", "Bashar al-Asad", "until"): (
        "2024-12-12",
        "2024-12-08",
        "fled on 8 December 2024; the file has the first snapshot without him",
    ),
    ("af", "head of state", "Ashraf Ghani", "until"): (
        "2021-08-26",
        "2021-08-15",
        "fled on 15 August 2021; the file has the first snapshot without him",
    ),
    ("af", "head of government", "Ashraf Ghani", "until"): (
        "2021-08-26",
        "2021-08-15",
        "fled on 15 August 2021; the file has the first snapshot without him",
    ),
    ("vm", "head of state", "Vo Thi Anh Xuan", "since"): (
        None,
        "2023-01-18",
        "acting president after Nguyen Xuan Phuc resigned; the Factbook gives no date",
    ),
    ("vm", "head of state", "Nguyen Xuan Phuc", "until"): (
        "2023-01-19",
        "2023-01-18",
        "resigned in January 2023; the file has the first snapshot without him",
    ),
    ("ks", "head of state", "Yoon Suk Yeol", "until"): (
        "2025-04-10",
        "2025-04-04",
        "removed from office by the Constitutional Court on 4 April 2025",
    ),
    ("ks", "head of government", "Yoon Suk Yeol", "until"): (
        "2025-04-10",
        "2025-04-04",
        "removed from office by the Constitutional Court on 4 April 2025",
    ),
    ("mg", "head of government", "Ukhnaa Khurelsukh", "name"): (
        "Ukhnaa Khurelsukh",
        "Ukhnaagiin Khurelsukh",
        "one person under two spellings (prime minister, then president)",
    ),
}

# name as the file writes it -> (name to use, keep the written one as an alias, reason)
NAME_FIXES: dict[str, tuple[str, bool, str]] = {
    "Moetai Brotherson Edouard Fritch": ("Moetai Brotherson", False, "two names run together"),
    "Peter Pelligrini": ("Peter Pellegrini", False, "misspelled in the Factbook in 2021"),
    "Michael Martin": ("Micheál Martin", True, "one person under two spellings"),
    "Binyamin Netanyahu": (
        "Benjamin Netanyahu",
        True,
        "one person under two spellings; news writes Benjamin",
    ),
    "Benyamin Netanyahu": (
        "Benjamin Netanyahu",
        True,
        "one person under two spellings; news writes Benjamin",
    ),
    "Thongloun Sisoulit": ("Thongloun Sisoulith", True, "one person under two spellings"),
    "Shahbaz Sharif": ("Shehbaz Sharif", True, "one person under two spellings"),
    "Nicolae-Ionel Ciuca": ("Nicolae Ciuca", True, "one person under two spellings"),
}

_PREFIXES = re.compile(
    r"^(?:acting|interim|caretaker|transitional|transition|overall|gnu interim|cnsp|ag\.?)\s+", re.IGNORECASE
)
# Titles stories use, in the order they are preferred for each kind of office: the Factbook's
# "Sultan and Prime Minister" is the sultan as head of state and the prime minister as head of government.
_TITLE_WORDS: tuple[tuple[str, str], ...] = (
    (r"prime minister|president of the government|taoiseach", "prime minister"),
    (r"chancellor", "chancellor"),
    (r"premier", "premier"),
    (r"chief minister", "chief minister"),
    (r"chief executive", "chief executive"),
    (r"governor[- ]general", "governor general"),
    (r"lieutenant[- ]governor", "lieutenant governor"),
    (r"governor", "governor"),
    (r"president", "president"),
    (r"king|queen", "king"),
    (r"emperor", "emperor"),
    (r"amir|emir", "emir"),
    (r"sultan", "sultan"),
    (r"grand duke", "grand duke"),
    (r"co-prince", "co-prince"),
    (r"pope", "pope"),
    (r"supreme leader", "supreme leader"),
    (r"captain regent", "captain regent"),
)
_PREFERRED = {
    "head of state": (
        "president", "king", "emperor", "emir", "sultan", "grand duke", "co-prince", "pope",
        "supreme leader", "captain regent", "prime minister",
    ),
    "head of government": (
        "prime minister", "chancellor", "premier", "chief minister", "chief executive", "president",
        "governor", "emir", "sultan", "king",
    ),
    "representative of head of state": ("governor general", "lieutenant governor", "governor"),
}  # fmt: skip
# Titles that also name the other sex's holder of the office ("Queen of Canada" is the monarch too).
_ALSO = {"king": ("queen",)}
_NICKNAMES = {
    "joseph": ("Joe",),
    "elizabeth": ("Liz",),
    "robert": ("Bob",),
    "william": ("Bill",),
    "alexander": ("Alex",),
    "anthony": ("Tony",),
    "muhammad": ("Mohammed", "Mohammad", "Mohamed"),
    "mohammed": ("Muhammad", "Mohammad", "Mohamed"),
    "mohammad": ("Muhammad", "Mohammed", "Mohamed"),
    "mohamed": ("Muhammad", "Mohammed", "Mohammad"),
}


@dataclass
class Tenure:
    """One record of the file, after corrections."""

    line: int
    code: str
    kind: str
    title: str
    name: str
    written: str
    since: str | None
    until: str | None
    until_basis: str | None
    extra: list[str]
    first_seen: dt.date
    last_seen: dt.date


@dataclass
class BuildReport:
    records: int = 0
    dropped: int = 0
    corrected: list[str] = field(default_factory=list)
    gaps_closed: list[str] = field(default_factory=list)
    people: int = 0
    offices: int = 0
    facts: int = 0
    horizon: str = ""
    bytes: int = 0

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def parse_date(text: str | None, where: str) -> tuple[dt.date | None, int | None]:
    """An ISO date of day, month or year precision: ("2023-03" -> 2023-03-01, MONTH)."""
    if text is None:
        return None, None
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1), YEAR
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date(int(text[:4]), int(text[5:]), 1), MONTH
        return dt.date.fromisoformat(text), DAY
    except ValueError:
        raise KnowledgeBaseError(f"{where}: {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def read_tenures(path: Path, report: BuildReport) -> list[Tenure]:
    """The records of ``path``, checked and corrected."""
    if not path.is_file():
        raise KnowledgeBaseError(f"{path}: no such file")
    known = countries()
    tenures = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KnowledgeBaseError(f"{where}: not JSON ({exc.msg})") from None
            missing = [k for k in REQUIRED if k not in record]
            if missing:
                raise KnowledgeBaseError(f"{where}: missing {', '.join(missing)}")
            if record["office"] not in KINDS:
                raise KnowledgeBaseError(f"{where}: office {record['office']!r} is not one of {KINDS}")
            if record["country_code"] not in known:
                raise KnowledgeBaseError(
                    f"{where}: country code {record['country_code']!r} ({record['country']}) is not in "
                    "copydesk.lexicon.countries; add it there"
                )
            report.records += 1
            key = (record["country_code"], record["office"], record["name"])
            if (*key, "drop") in CORRECTIONS:
                report.dropped += 1
                report.corrected.append(
                    f"{record['country']}, {record['name']}: dropped ({CORRECTIONS[(*key, 'drop')][2]})"
                )
                continue
            corrected = set()
            for name in ("since", "until", "name"):  # the name last: the keys use the name as written
                old, value, reason = CORRECTIONS.get((*key, name), (None, None, None))
                if reason is not None and record[name] == old:
                    report.corrected.append(
                        f"{record['country']}, {record['name']}: {name} {old} -> {value} ({reason})"
                    )
                    record[name] = value
                    corrected.add(name)
            extra: list[str] = []
            if record["name"] in NAME_FIXES:
                fixed, keep, reason = NAME_FIXES[record["name"]]
                report.corrected.append(f"{record['country']}, {record['name']}: name -> {fixed} ({reason})")
                extra = [record["name"]] if keep else []
                record["name"] = fixed
                words = fixed.split()
                record["name_as_written"] = " ".join([*words[:-1], words[-1].upper()])
            for name in ("since", "until", "first_seen", "last_seen"):
                parse_date(record[name][:10] if name.endswith("seen") else record[name], f"{where} {name}")
            if not str(record["name"]).strip():
                raise KnowledgeBaseError(f"{where}: empty name")
            tenures.append(
                Tenure(
                    line=number,
                    code=record["country_code"],
                    kind=record["office"],
                    title=(record["title"] or "").strip(),
                    name=record["name"].strip(),
                    written=(record.get("name_as_written") or record["name"]).strip(),
                    since=record["since"],
                    until=record["until"],
                    until_basis=None if "until" in corrected else record.get("until_basis"),
                    extra=extra,
                    first_seen=dt.date.fromisoformat(record["first_seen"][:10]),
                    last_seen=dt.date.fromisoformat(record["last_seen"][:10]),
                )
            )
    return tenures


MAX_GAP_DAYS = 45
"""How long after the snapshot that first lacked a holder the successor may start for the holder
to be taken as in office until then (a longer gap is a real vacancy, or an error of the source)."""


def close_gaps(offices: list[_Office], report: BuildReport) -> None:
    """A tenure whose end is only "the first snapshot without them" ends when the next holder of the
    office started, when the file knows that day: Ishiba, shown as vacant from 2025-10-07, was prime
    minister until Takaichi took office on 2025-10-21; Sakellaropoulou, listed until 2025-05-15,
    handed over on 2025-03-13."""
    for office in offices:
        group = sorted(office.facts, key=lambda t: (t.first_seen, t.since or ""))
        for tenure, following in itertools.pairwise(group):
            if (
                tenure.until_basis != "first_absent_snapshot"
                or following.since is None
                or tenure.since is None
            ):
                continue
            start, precision = parse_date(following.since, "since")
            end, _ = parse_date(tenure.until, "until")
            if precision != DAY or following.since <= tenure.since or following.since == tenure.until:
                continue
            if end is not None and start is not None and (start - end).days > MAX_GAP_DAYS:
                continue
            report.gaps_closed.append(
                f"{tenure.name} ({tenure.code}, {office.title}): until {tenure.until} -> {following.since}"
            )
            tenure.until = following.since


def office_title(title: str, kind: str) -> str:
    """The title stories use for the office of a record ("Interim Prime Minister" -> "prime minister")."""
    stripped = title.lower()
    while _PREFIXES.match(stripped):
        stripped = _PREFIXES.sub("", stripped, count=1)
    found = [canonical for words, canonical in _TITLE_WORDS if re.search(rf"\b(?:{words})\b", stripped)]
    for canonical in _PREFERRED[kind]:
        if canonical in found:
            return canonical
    return stripped or kind


def display_title(title: str) -> str:
    return " ".join(w if w in ("of", "the", "and", "o") else w[:1].upper() + w[1:] for w in title.split())


def aliases(name: str, written: str) -> list[str]:
    """The names stories use for a person the Factbook writes as ``written`` (surname in capitals):
    given name + surname, each given name + surname, a surname of several words or written first
    alone, and short forms ("Joseph R. BIDEN Jr." -> "Joseph Biden", "Joe Biden")."""
    tokens, written_tokens = name.split(), written.split()
    if len(tokens) != len(written_tokens) or len(tokens) < 2:
        return []
    caps = [
        i
        for i, w in enumerate(written_tokens)
        if len(re.sub(r"[^A-Za-z]", "", strip_accents(w))) > 1
        and strip_accents(w).upper() == strip_accents(w)
        and not re.fullmatch(r"[IVX]+", w)
    ]
    if not caps:
        return []
    surname = " ".join(tokens[i] for i in caps)
    given = [t for i, t in enumerate(tokens) if i not in caps and not re.fullmatch(r"[A-Z]\.|Jr\.?|Sr\.?", t)]
    found: list[str] = []
    if caps[0] == 0:  # surname first ("HAN Duck-soo", "XI Jinping"): the name as written is the usual form
        found.append(surname)
    else:
        for given_name in given[: caps[0]]:
            found.append(f"{given_name} {surname}")
            for short in _NICKNAMES.get(strip_accents(given_name).lower(), ()):
                found.append(f"{short} {surname}")
        if len(caps) > 1:  # "Pedro SANCHEZ PEREZ-CASTEJON": also the first surname, as news writes it
            found.append(surname)
            found.append(f"{given[0]} {tokens[caps[0]]}")
    if caps[-1] < len(tokens) - 1 and caps[0] > 0:  # "Haytham bin Tariq ..." style: the part in capitals
        found.append(" ".join(tokens[: caps[-1] + 1]))
    first = strip_accents(tokens[0]).lower()
    for variant in _NICKNAMES.get(first, ()):
        if first.startswith("m"):  # a transliteration of the whole name
            found.append(" ".join([variant, *tokens[1:]]))
    plain = strip_accents(name)
    if plain != name:
        found.append(plain)
    return [a for a in dict.fromkeys(found) if a != name]


@dataclass
class _Office:
    code: str
    kind: str
    title: str
    facts: list[Tenure] = field(default_factory=list)

    def people(self) -> set[str]:
        return {_person_key(t.name) for t in self.facts}


def _person_key(name: str) -> str:
    parts = name_parts(name)
    return f"factbook:{parts.norm if parts else name.lower()}"


def group_offices(tenures: list[Tenure]) -> list[_Office]:
    """Tenures grouped by office: one per country and title; a head of state and of government with
    the same title and the same holders (the U.S. president) are one office, and so is one whose
    holders all hold the other too (South Korea's acting presidents who were prime ministers)."""
    grouped: dict[tuple[str, str, str], _Office] = {}
    for tenure in tenures:
        title = office_title(tenure.title, tenure.kind)
        grouped.setdefault(
            (tenure.code, tenure.kind, title), _Office(tenure.code, tenure.kind, title)
        ).facts.append(tenure)
    offices = sorted(grouped.values(), key=lambda o: (o.code, KINDS.index(o.kind), o.title))
    merged: list[_Office] = []
    for office in offices:
        twin = next(
            (
                m
                for m in merged
                if m.code == office.code
                and m.title == office.title
                and (office.people() <= m.people() or m.people() <= office.people())
            ),
            None,
        )
        if twin is None:
            merged.append(office)
        else:
            twin.facts.extend(office.facts)
    return merged


def _merge_terms(facts: list[Tenure]) -> list[Tenure]:
    """One term per stretch of a person's tenure (the same term seen as head of state and of government)."""
    by_person: dict[str, list[Tenure]] = defaultdict(list)
    for tenure in facts:
        by_person[_person_key(tenure.name)].append(tenure)
    kept = []
    for terms in by_person.values():
        terms.sort(key=lambda t: (t.since or "", t.first_seen))
        current: list[Tenure] = []
        for term in terms:
            if current and _overlaps(current[-1], term):
                last = current[-1]
                last.since = min(filter(None, (last.since, term.since)), default=None)
                last.until = None if None in (last.until, term.until) else max(last.until, term.until)  # type: ignore[type-var]
                last.first_seen = min(last.first_seen, term.first_seen)
                last.last_seen = max(last.last_seen, term.last_seen)
            else:
                current.append(term)
        kept.extend(current)
    return sorted(kept, key=lambda t: (t.since or "", t.first_seen, t.name))


def _overlaps(a: Tenure, b: Tenure) -> bool:
    a_start, b_start = a.since or "0000", b.since or "0000"
    a_end, b_end = a.until or "9999", b.until or "9999"
    return a_start <= b_end and b_start <= a_end


def build_factbook(kb: KnowledgeBase, path: Path) -> BuildReport:
    """Fill the empty knowledge base ``kb`` from the Factbook records in ``path``."""
    report = BuildReport()
    tenures = read_tenures(path, report)
    if not tenures:
        raise KnowledgeBaseError(f"{path}: no records")
    table = countries()
    horizon = max(t.last_seen for t in tenures)
    editions = sorted({t.first_seen for t in tenures} | {t.last_seen for t in tenures})
    people: dict[str, tuple[str, set[str], set[str]]] = {}
    offices = group_offices(tenures)
    close_gaps(offices, report)
    with kb.transaction():
        kb.execute(
            "CREATE TABLE IF NOT EXISTS factbook_facts (fact INTEGER PRIMARY KEY, title TEXT NOT NULL, "
            "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, country TEXT NOT NULL)"
        )
        taken_keys: set[str] = set()
        for office in offices:
            country = table[office.code]
            office_id = _put_office(kb, office, country, taken_keys)
            for tenure in _merge_terms(office.facts):
                key = _person_key(tenure.name)
                entry = people.setdefault(key, (tenure.name, set(), set()))
                entry[1].update(aliases(tenure.name, tenure.written), tenure.extra)
                entry[2].add(f"{display_title(office.title)} of {country.label}")
                person_id = kb.put_person(key, entry[0], None, sorted(entry[1]))
                start, start_precision = parse_date(tenure.since, "since")
                end, end_precision = parse_date(tenure.until, "until")
                provenance = (
                    f"{SOURCE}, editions {tenure.first_seen.isoformat()} to {tenure.last_seen.isoformat()}"
                )
                fact_id = kb.add_fact(
                    person_id, office_id, start, start_precision, end, end_precision, ORIGIN, provenance
                )
                kb.execute(
                    "INSERT INTO factbook_facts (fact, title, first_seen, last_seen, country) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (fact_id, tenure.title or display_title(office.title), tenure.first_seen.isoformat(),
                     tenure.last_seen.isoformat(), country.key),
                )  # fmt: skip
        for key, (name, names, held) in people.items():
            kb.put_person(key, name, "; ".join(sorted(held)), sorted(names))
        kb.set_meta("origin", ORIGIN)
        kb.set_meta("source", SOURCE)
        kb.set_meta("horizon", horizon.isoformat())
        kb.set_meta("editions", json.dumps([d.isoformat() for d in editions]))
        kb.set_meta("built_from", hashlib.sha256(path.read_bytes()).hexdigest())
    counts = kb.stats()
    report.people, report.offices, report.facts = counts["people"], counts["offices"], counts["facts"]
    report.horizon = horizon.isoformat()
    return report


def _put_office(kb: KnowledgeBase, office: _Office, country: Country, taken: set[str]) -> int:
    """The office with the keys stories use ("prime minister|canada"); a second office of the same
    title in one country (a territory's council president beside France's) gets none."""
    title = display_title(office.title)
    label = f"{title} of {country.label}"
    kind = office.kind if office.kind != "representative of head of state" else "representative"
    office_id = kb.put_office(
        f"factbook:{office.code}:{kind}:{office.title}", label, f"{office.kind} of {country.label}"
    )
    kb.execute("DELETE FROM office_keys WHERE office = ?", (office_id,))
    # the keys stories' titles are read as ("Chief Executive of Hong Kong" -> "ceo|hong kong"); a
    # title copydesk does not read as an office ("Taliban Leader") gets none
    written = [
        office_key(f"{display_title(t)} of {country.label}")
        for t in (office.title, *_ALSO.get(office.title, ()))
    ]
    keys = [k for k in written if k is not None and k.partition("|")[2] == country.key]
    for key in keys:
        if key in taken:
            continue
        taken.add(key)
        title_part, _, place = key.partition("|")
        kb.execute(
            "INSERT OR IGNORE INTO office_keys (title, place, office) VALUES (?, ?, ?)",
            (title_part, place, office_id),
        )
    return office_id


def build_builtin(source: Path, folder: Path) -> BuildReport:
    """Build the knowledge base in ``folder`` (replacing one there) from ``source`` and compact it."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DB_NAME
    for leftover in (database, folder / f"{DB_NAME}-wal", folder / f"{DB_NAME}-shm"):
        leftover.unlink(missing_ok=True)
    store = open_store(folder, must_exist=False, create=True)
    assert store is not None
    try:
        report = build_factbook(store, path=source)
        store.execute("PRAGMA journal_mode = DELETE")
        store.execute("VACUUM")
    finally:
        store.close()
    report.bytes = database.stat().st_size
    return report
