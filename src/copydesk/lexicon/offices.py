"""Offices and titles: recognising them in text and reducing them to a comparable key.

``office_key("U.S. Secretary of State")`` and ``office_key("secretary of state of the United
States")`` both give ``"secretary of state|united states"``: the title, then the jurisdiction
when the text names one. The knowledge base indexes offices by the same keys.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from copydesk.lexicon.countries import NOT_A_COUNTRY_BEFORE, country_after_of, country_before, forms_to_keys

# Titles that name an office on their own. Longer titles are matched first.
TITLES: tuple[str, ...] = (
    "secretary of state",
    "secretary of defense",
    "secretary of the treasury",
    "secretary of homeland security",
    "secretary of commerce",
    "secretary of energy",
    "secretary of labor",
    "secretary of agriculture",
    "secretary of the interior",
    "secretary of education",
    "secretary of transportation",
    "secretary of health and human services",
    "secretary of veterans affairs",
    "secretary-general",
    "secretary general",
    "attorney general",
    "foreign secretary",
    "home secretary",
    "defence secretary",
    "defense secretary",
    "chancellor of the exchequer",
    "national security adviser",
    "national security advisor",
    "white house press secretary",
    "press secretary",
    "chief of staff",
    "vice president",
    "president",
    "prime minister",
    "deputy prime minister",
    "foreign minister",
    "finance minister",
    "defence minister",
    "defense minister",
    "interior minister",
    "health minister",
    "minister",
    "chancellor",
    "premier",
    "senator",
    "senate majority leader",
    "senate minority leader",
    "majority leader",
    "minority leader",
    "speaker of the house",
    "speaker",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "lieutenant governor",
    "mayor",
    "ambassador",
    "king",
    "queen",
    "pope",
    "chief justice",
    "justice",
    "chief executive officer",
    "chief executive",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "commissioner",
    "first lady",
    "president-elect",
    "vice president-elect",
    "special envoy",
    "envoy",
    "trade representative",
    "surgeon general",
    "fed chair",
    "federal reserve chair",
    "councillor",
    "councilor",
    "councilman",
    "councilwoman",
    "council member",
    "work and pensions secretary",
    # heads of state and government as the built-in knowledge base has them
    "emir",
    "amir",
    "sultan",
    "emperor",
    "grand duke",
    "taoiseach",
    "supreme leader",
    "governor general",
    "governor-general",
    "captain regent",
    "chief minister",
)

_JURISDICTIONS = {
    "u.s.": "united states",
    "us": "united states",
    "u.s": "united states",
    "american": "united states",
    "united states": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "british": "united kingdom",
    "britain": "united kingdom",
    "united kingdom": "united kingdom",
    **{form: key for form, key in forms_to_keys().items() if form not in ("us", "u.s.", "u.s")},
}
_LONGEST_JURISDICTION = max(len(j.split()) for j in _JURISDICTIONS)
_TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))

# Cabinet posts named after their department, as British and Commonwealth papers write them:
# "Environment Secretary", "Work and Pensions Secretary", "Health Minister". Case-sensitive, so
# "the environment secretary" in running text and "The Minister" at a sentence start do not count.
_DEPARTMENT_TITLE_RE = (
    r"(?-i:(?!(?:The|A|An|Our|His|Her|Their|Its|This|That|Every|No)\b)"
    r"[A-Z][a-z]+ (?:Secretary|Minister)(?! of State))"  # "Sammarinese Secretary of State" is a country's
)

_SHORT_TITLE_RE = r"(?-i:PM)"
"""Abbreviations that count in capitals only ("the Canadian PM", not "5 pm")."""

TITLE_PATTERN = re.compile(rf"\b(?:{_TITLE_RE}|{_DEPARTMENT_TITLE_RE}|{_SHORT_TITLE_RE})\b", re.IGNORECASE)
_LISTED_TITLE = re.compile(rf"\b(?:{_TITLE_RE})\b", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?([A-Z][\w.\- ]+)$")
_MODIFIERS = re.compile(
    r"\b(?:(?i:former|then|acting|interim|caretaker|incoming|outgoing|ex|current|sitting)"
    r"|(?i:new)(?!\s+[A-Z][a-z]))\b[- ]*"
)
"""Words that say when, not which office; "New" before a capitalised word is a place ("New Mexico")."""


def jurisdiction_key(text: str) -> str:
    """A place or demonym reduced to a comparable key ("U.S." and "American" -> "united states")."""
    lowered = " ".join(text.strip().lower().removeprefix("the ").split())
    return _JURISDICTIONS.get(lowered, lowered)


def _place_before(before: str) -> str | None:
    """The country a title is qualified by, written just before it ("the Canadian "), if any."""
    tokens = before.split()
    for size in range(min(_LONGEST_JURISDICTION, len(tokens)), 0, -1):
        written = " ".join(tokens[-size:])
        if written.lower() in _JURISDICTIONS:
            if len(tokens) > size and tokens[-size - 1].lower() in NOT_A_COUNTRY_BEFORE:
                return None  # "New Mexico Governor" is not Mexico's
            return written
    return None


def _place_after(after: str) -> str | None:
    """The place of "of Canada" or "of the United Kingdom" after a title; a known country at the
    start wins over what follows it ("of Canada Mark Carney" -> "Canada")."""
    suffix = _SUFFIX.search(after)
    if not suffix:
        return None
    words = suffix.group(1).split()
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        if candidate.lower() in _JURISDICTIONS:
            return candidate
    return suffix.group(1)


def office_key(text: str) -> str | None:
    """The comparable key of an office named in ``text``, or None when it names none.

    Modifiers that say *when* ("former", "then-", "acting") are dropped: they belong to the
    role's tense, not to the office.
    """
    cleaned = re.sub(r"(?:'s|\u2019s)$", "", _MODIFIERS.sub("", text).strip(" ,.")).strip()
    match = TITLE_PATTERN.search(cleaned)
    if not match:
        return None
    title = match.group(0).lower()
    title = {
        "secretary general": "secretary-general",
        "national security advisor": "national security adviser",
        "chief executive officer": "ceo",
        "chief executive": "ceo",
        "defence secretary": "defense secretary",
        "chairwoman": "chair",
        "chairman": "chair",
        "congressman": "representative",
        "congresswoman": "representative",
        "defence minister": "defense minister",
        "councilor": "councillor",
        "councilman": "councillor",
        "councilwoman": "councillor",
        "council member": "councillor",
        "pm": "prime minister",
        "taoiseach": "prime minister",
        "amir": "emir",
        "governor-general": "governor general",
    }.get(title, title)
    before = cleaned[: match.start()]
    after = cleaned[match.end() :]
    place = None
    written_before = _place_before(before)
    if written_before:
        place = jurisdiction_key(written_before)
    elif before.strip() and before.strip()[-1:] != "-":
        possessive = re.search(
            r"([A-Z][\w.\-]*(?:\s+(?:(?:and|of|the|da)\s+)*(?:d')?[A-Z][\w.\-]*)*)(?:'s|\u2019s)\s*$",
            before.strip(),
        )
        if possessive:
            words = possessive.group(1).split()
            known = [
                " ".join(words[i:])
                for i in range(len(words))
                if " ".join(words[i:]).lower() in _JURISDICTIONS
            ]
            place = jurisdiction_key(known[0] if known else possessive.group(1))
    written_after = _place_after(after)
    if written_after:
        place = jurisdiction_key(written_after)
    return f"{title}|{place}" if place else title


def title_in_style_of(label: str, written: str) -> str:
    """The title of office ``label`` written the way the story wrote another title.

    ``title_in_style_of("United States Secretary of State", "U.S. Senator")`` is "U.S. Secretary
    of State": the fix keeps the story's form of the country (or its absence) and the title
    only, not the knowledge base's full label. "German President" -> "German Chancellor",
    "President of Germany" -> "Chancellor of Germany", "Germany's president" -> "Germany's chancellor".
    """
    # a title of the list before the department form, which reads "States Secretary" in
    # "United States Secretary of State"
    match = _LISTED_TITLE.search(label) or TITLE_PATTERN.search(label)
    if not match:
        return label
    title = match.group(0)
    own = TITLE_PATTERN.search(written)
    if own is not None and own.group(0).islower():
        title = title.lower()
    elif title.islower():
        title = title.title()
    if own is None:
        return title
    before, after = written[: own.start()], written[own.end() :]
    place = _place_before(before)
    if place:
        return f"{place} {title}"
    possessive = re.search(r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*(?:'s|\u2019s))\s*$", before)
    if possessive:
        return f"{possessive.group(1)} {title}"
    suffix = _SUFFIX.search(after)
    if suffix:
        return f"{title}{after[: suffix.end()]}"
    return title


def same_office(a: str, b: str) -> bool:
    """Whether two office keys can name the same office (a missing jurisdiction matches any)."""
    title_a, _, place_a = a.partition("|")
    title_b, _, place_b = b.partition("|")
    return title_a == title_b and (not place_a or not place_b or place_a == place_b)


# Offices nobody holds together with another of them: a president is not also prime minister, a
# senator is not also a governor or a cabinet secretary. Other pairs can be held at once (a deputy
# prime minister who is foreign secretary, a chair who is chief executive).
_ONE_AT_A_TIME = {
    "president",
    "vice president",
    "president-elect",
    "vice president-elect",
    "prime minister",
    "chancellor",
    "premier",
    "king",
    "queen",
    "pope",
    "governor",
    "lieutenant governor",
    "mayor",
    "senator",
    "representative",
    "speaker of the house",
    "chief justice",
    "justice",
    "attorney general",
    "first lady",
}


def incompatible_offices(a: str, b: str) -> bool:
    """Whether one person cannot hold the offices with keys ``a`` and ``b`` at the same time."""
    title_a, title_b = a.partition("|")[0], b.partition("|")[0]
    if same_office(a, b):
        return False

    def exclusive(title: str) -> bool:
        return title in _ONE_AT_A_TIME or title.startswith("secretary of ")

    return exclusive(title_a) and exclusive(title_b)


# What kind of office each title names, to tell a second title one person may hold alongside the
# sources' (a chair who is also chief executive) from one they cannot (a finance minister called
# chief executive, a home secretary called governor). A title may name offices of several kinds
# ("director" of a company or of an agency); a title with no kind here is one nothing is known of.
_SECTORS: dict[str, frozenset[str]] = {
    title: frozenset(sectors.split())
    for title, sectors in {
        "president": "state organisation",
        "vice president": "state organisation",
        "president-elect": "state",
        "vice president-elect": "state",
        "prime minister": "state",
        "deputy prime minister": "state cabinet",
        "chancellor": "state cabinet",
        "premier": "state local",
        "chief minister": "local",
        "first minister": "local",
        "king": "state",
        "queen": "state",
        "emperor": "state",
        "emir": "state",
        "sultan": "state",
        "grand duke": "state",
        "supreme leader": "state",
        "governor general": "state",
        "captain regent": "state",
        "pope": "church",
        "first lady": "spouse",
        "minister": "cabinet",
        "attorney general": "cabinet",
        "chancellor of the exchequer": "cabinet",
        "national security adviser": "cabinet",
        "white house press secretary": "cabinet",
        "press secretary": "cabinet",
        "chief of staff": "cabinet",
        "trade representative": "cabinet",
        "surgeon general": "agency",
        "senator": "legislature",
        "representative": "legislature",
        "speaker": "legislature",
        "speaker of the house": "legislature",
        "majority leader": "legislature",
        "minority leader": "legislature",
        "senate majority leader": "legislature",
        "senate minority leader": "legislature",
        "governor": "local agency",
        "lieutenant governor": "local",
        "mayor": "local",
        "councillor": "local",
        "ambassador": "diplomacy",
        "envoy": "diplomacy",
        "special envoy": "diplomacy",
        "secretary-general": "international",
        "chief justice": "court",
        "justice": "court",
        "ceo": "organisation",
        "chair": "organisation legislature",
        "director": "organisation agency",
        "commissioner": "agency",
        "fed chair": "agency",
        "federal reserve chair": "agency",
    }.items()
}
_HEADS_OF_ORGANISATION = frozenset({"chair", "ceo", "president"})
_CO_HELD_SECTORS = frozenset({"organisation", "legislature", "local", "diplomacy"})
"""Kinds of office whose titles one person often holds together: president and chief executive of a
company, mayor and councillor, ambassador and special envoy."""
_GENERIC = frozenset({"minister", "director", "chair", "envoy", "commissioner", "justice", "chancellor"})
"""Titles that a more specific one narrows ("minister" of "Foreign Minister", "chancellor" of
"chancellor of the exchequer", "justice" of "chief justice")."""
_ANOTHER_OFFICE_BEFORE = frozenset({"vice", "deputy", "lieutenant", "assistant", "under", "prime"})
"""Words that make a title another office: "vice president" is not a kind of president."""
_PORTFOLIO = re.compile(
    r"(?:secretary|minister|chancellor) (?:of|for) (?:the )?(?P<of>.+)|(?P<before>.+) (?:secretary|minister)"
)
_SAME_PORTFOLIO = {
    "home": "interior",
    "defence": "defense",
    "treasury": "finance",
    "exchequer": "finance",
    "foreign affairs": "foreign",
}
"""Departments named two ways: the Home Secretary is an interior minister, the Chancellor of the
Exchequer a finance minister."""


_COUNTRY_KEYS = frozenset(_JURISDICTIONS.values())


def _portfolio(title: str) -> str | None:
    """The department a cabinet title names: "foreign" of "Foreign Secretary", "Foreign Minister"
    and "Minister of Foreign Affairs"."""
    match = _PORTFOLIO.fullmatch(title)
    if match is None:
        return None
    department = match.group("of") or match.group("before")
    return _SAME_PORTFOLIO.get(department, department)


def _narrows(title: str, generic: str) -> bool:
    """Whether ``title`` is a kind of ``generic``: "foreign minister" of "minister", "special envoy"
    of "envoy", not "vice president" of "president"."""
    if generic in _GENERIC and _head(title) == generic:
        return True
    words, ending = title.split(), generic.split()
    return (
        len(words) > len(ending)
        and words[-len(ending) :] == ending
        and words[-len(ending) - 1] not in _ANOTHER_OFFICE_BEFORE
    )


def _sectors(key: str) -> frozenset[str]:
    """The kinds of office a title names (:data:`_SECTORS`); a department's secretary or minister
    is of the cabinet."""
    title, _, place = key.partition("|")
    if title.startswith("secretary of ") or title.endswith((" secretary", " minister")):
        found = _SECTORS.get(title, frozenset({"cabinet"}))
    else:
        found = _SECTORS.get(title, frozenset())
    if place and place in _COUNTRY_KEYS:
        found = found - {"organisation"}  # "the Yemeni president" is no company's
    return found


def _head(title: str) -> str:
    """The noun a title is built on: "minister" of "foreign minister", "secretary" of "secretary of
    state"."""
    return title.split(" of ")[0].split()[-1]


def compatible_titles(a: str, b: str) -> bool | None:
    """Whether one person can hold the offices with keys ``a`` and ``b`` at the same time: True when
    they can (the same office, a title and a narrower one, two offices often held together), False
    when they cannot (a finance minister is no chief executive, a prime minister no home secretary),
    None when nothing is known of one of them."""
    if same_office(a, b):
        return True
    title_a, title_b = a.partition("|")[0], b.partition("|")[0]
    if _narrows(title_a, title_b) or _narrows(title_b, title_a):
        return True
    if _portfolio(title_a) is not None and _portfolio(title_a) == _portfolio(title_b):
        return True  # "Foreign Secretary" and "foreign minister" are one office
    if incompatible_offices(a, b):
        return False
    sectors_a, sectors_b = _sectors(a), _sectors(b)
    if not sectors_a or not sectors_b:
        return None
    for deputy, other_sectors in ((title_a, sectors_b), (title_b, sectors_a)):
        if deputy == "deputy prime minister" and "cabinet" in other_sectors:
            return True  # a deputy prime minister usually holds a department too
    for second, other in ((title_a, title_b), (title_b, title_a)):
        if second.split()[0] in ("vice", "deputy") and other in _HEADS_OF_ORGANISATION:
            return False  # a company's vice president does not also chair it
    if sectors_a & sectors_b & _CO_HELD_SECTORS:
        return True
    # a parliament's members are its ministers: "Senator Penny Wong, the Foreign Minister"
    return any(
        legislator in _LEGISLATORS and _head(other) == "minister" and other != "prime minister"
        for legislator, other in ((title_a, title_b), (title_b, title_a))
    )


_LEGISLATORS = frozenset(
    {
        "senator",
        "representative",
        "majority leader",
        "minority leader",
        "senate majority leader",
        "senate minority leader",
    }
)


_NAME_WORD = r"(?:(?:al|el)-)?[A-Z][\w.'\u2019\-]*"
_PARTICLE = r"(?:bin|bint|ibn|al|el|da|de|do|dos|das|del|della|di|du|la|le|van|von|der|den|ter|y|ould|wa)"
NAME_PATTERN = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,7}}"
"""A run of capitalised words that may be a person's name ("Muhammad bin Salman", "Luiz Inácio Lula
da Silva"); what it is, only a knowledge base can say."""


class TitleInText(NamedTuple):
    """A title qualified by a country in a text: "Canada's prime minister", "the President of
    France", or "Prime Minister Mark Carney of Canada" (the name between: ``name``)."""

    start: int
    end: int
    key: str
    name: tuple[int, int] | None = None


@lru_cache(maxsize=1)
def _named() -> re.Pattern[str]:
    """A name after a title, before " of <country>" (compiled on first use: only the knowledge
    checker needs it)."""
    return re.compile(rf"\s+(?P<name>{NAME_PATTERN})(?=\s+of\s)")


def titles_with_country(text: str) -> list[TitleInText]:
    """Every title of ``text`` that a country qualifies, with its office key ("prime minister|canada"),
    in whichever case it is written."""
    found = []
    for match in TITLE_PATTERN.finditer(text):
        base = office_key(match.group(0))
        if base is None or "|" in base:
            continue
        start, end = match.span()
        after = country_after_of(text, end)
        before = country_before(text, start) if after is None else None
        if after is not None:
            found.append(TitleInText(start, after[0], f"{base}|{after[1]}"))
        elif before is not None:
            found.append(TitleInText(before[0], end, f"{base}|{before[1]}"))
        elif match.group(0)[:1].isupper() and (named := _named().match(text, end)) is not None:
            country = country_after_of(text, named.end())
            if country is not None:
                found.append(TitleInText(start, end, f"{base}|{country[1]}", named.span("name")))
    return found
