"""Places that stand for a country: "Washington asked for help" means the United States did.

News names a government by its capital or seat ("Washington", "the Kremlin") as often as by its
country. A story may use one where its source uses the other; that is a rewording, not an error,
so places are compared by the country they stand for. Each entry lists the names of one country:
its usual names first, then the capital and seats that stand for its government.
"""

from __future__ import annotations

import re
from functools import lru_cache

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
"""Entity labels a place name can get ("the Kremlin" is often an organisation)."""

COUNTRY_NAMES: tuple[tuple[str, ...], ...] = (
    ("United States", "U.S.", "US", "USA", "America", "Washington"),
    ("United Kingdom", "Britain", "UK", "U.K.", "London", "Downing Street", "Whitehall"),
    ("Russia", "Moscow", "the Kremlin", "Kremlin"),
    ("China", "Beijing"),
    ("France", "Paris", "the Elysee", "Élysée"),
    ("Germany", "Berlin"),
    ("Japan", "Tokyo"),
    ("Ukraine", "Kyiv", "Kiev"),
    ("Iran", "Tehran"),
    ("Israel", "Jerusalem"),
    ("India", "New Delhi", "Delhi"),
    ("Pakistan", "Islamabad"),
    ("Afghanistan", "Kabul"),
    ("Iraq", "Baghdad"),
    ("Syria", "Damascus"),
    ("Lebanon", "Beirut"),
    ("Jordan", "Amman"),
    ("Egypt", "Cairo"),
    ("Saudi Arabia", "Riyadh"),
    ("Qatar", "Doha"),
    ("United Arab Emirates", "UAE", "Abu Dhabi"),
    ("Turkey", "Türkiye", "Ankara"),
    ("North Korea", "Pyongyang"),
    ("South Korea", "Seoul"),
    ("Taiwan", "Taipei"),
    ("Vietnam", "Hanoi"),
    ("Philippines", "Manila"),
    ("Indonesia", "Jakarta"),
    ("Thailand", "Bangkok"),
    ("Australia", "Canberra"),
    ("Canada", "Ottawa"),
    ("Mexico", "Mexico City"),
    ("Cuba", "Havana"),
    ("Venezuela", "Caracas"),
    ("Colombia", "Bogota", "Bogotá"),
    ("Ecuador", "Quito"),
    ("Peru", "Lima"),
    ("Brazil", "Brasilia", "Brasília"),
    ("Argentina", "Buenos Aires"),
    ("Chile", "Santiago"),
    ("Italy", "Rome"),
    ("Vatican", "Holy See"),
    ("Spain", "Madrid"),
    ("Portugal", "Lisbon"),
    ("Poland", "Warsaw"),
    ("Belarus", "Minsk"),
    ("Hungary", "Budapest"),
    ("Greece", "Athens"),
    ("Sweden", "Stockholm"),
    ("Norway", "Oslo"),
    ("Denmark", "Copenhagen"),
    ("Finland", "Helsinki"),
    ("Ireland", "Dublin"),
    ("Austria", "Vienna"),
    ("Switzerland", "Bern"),
    ("Netherlands", "The Hague"),
    ("Kenya", "Nairobi"),
    ("Nigeria", "Abuja"),
    ("Ethiopia", "Addis Ababa"),
    ("South Africa", "Pretoria"),
    ("European Union", "EU", "Brussels"),
)


def _key(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return name.replace(".", "").casefold()


@lru_cache(maxsize=1)
def _countries() -> dict[str, int]:
    return {_key(name): number for number, names in enumerate(COUNTRY_NAMES) for name in names}


def country_of(place: str) -> int | None:
    """The entry a place name belongs to (a number; equal numbers mean the same country)."""
    return _countries().get(_key(place))


def same_place(a: str, b: str) -> bool:
    """Whether two place names name the same place: equal (case, dots and a leading "the" aside)
    or names of one country ("Washington" and "the United States")."""
    if _key(a) == _key(b):
        return True
    country = country_of(a)
    return country is not None and country == country_of(b)


def name_used_in(place: str, text: str) -> str | None:
    """How ``text`` names the country that ``place`` stands for, when it does not use ``place``
    itself: ``name_used_in("Washington", "asked the United States for help")`` is
    "the United States"."""
    country = country_of(place)
    if country is None or _find(text, place):
        return None
    for name in COUNTRY_NAMES[country]:
        found = _find(text, name)
        if found and _key(name) != _key(place):
            return found
    return None


def _find(text: str, name: str) -> str | None:
    """``name`` as ``text`` writes it, with a "the" before it if there is one; case matters ("US")."""
    match = re.search(rf"(?<![\w.])(?:(?:the|The)\s+)?{re.escape(name)}(?!\w)", text)
    return match.group(0) if match else None
