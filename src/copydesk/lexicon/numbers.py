"""Numbers written in words or digits, read to values so "1.2 million" equals "1,200,000"."""

from __future__ import annotations

import math
import re

_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
    "a hundred": 100,
    "half": 0.5,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "k": 1e3,
}
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")


def parse_number(text: str) -> float | None:
    """The value of a number expression ("$1.2 billion", "1,200", "forty-two", "7%"), or None."""
    lowered = text.lower().replace("-", " ").strip()
    scale = 1.0
    for word, factor in _SCALES.items():
        if re.search(rf"(?<=[\d\s]){re.escape(word)}\b", lowered):
            scale = factor
            break
    match = _NUMBER.search(lowered)
    if match:
        return float(match.group(1).replace(",", "")) * scale
    total = 0.0
    found = False
    for word in lowered.split():
        if word in _WORDS:
            total += _WORDS[word]
            found = True
    if found:
        return total * scale
    return None


def same_number(a: float, b: float) -> bool:
    """Equal up to the rounding a news story applies ("1.23 million" vs "1,230,456").

    One value must be the other rounded to its own significant digits: "52,000" can stand for
    52,300, but 2025 cannot stand for 2021, however close the two are in proportion.
    """
    if a == b:
        return True
    larger = max(abs(a), abs(b))
    if larger == 0 or abs(a - b) / larger >= 0.02:
        return False
    return _rounds_to(a, b) or _rounds_to(b, a)


def significant_digits(value: float) -> int:
    """How many significant digits a value is written with (52,000 has two, 2025 four)."""
    digits = f"{abs(value):.12g}".split("e")[0].replace(".", "").lstrip("0").rstrip("0")
    return max(len(digits), 1)


def _rounds_to(precise: float, rounded: float) -> bool:
    """Whether ``rounded`` is ``precise`` rounded to ``rounded``'s significant digits."""
    digits = significant_digits(rounded)
    return float(f"{precise:.{digits}g}") == rounded


APPROXIMATORS = (
    "about",
    "around",
    "roughly",
    "approximately",
    "nearly",
    "almost",
    "some",
    "over",
    "more than",
    "less than",
    "fewer than",
    "under",
    "up to",
    "at least",
    "close to",
    "an estimated",
    "estimated",
)
_APPROXIMATE = re.compile(rf"\b(?:{'|'.join(re.escape(a) for a in APPROXIMATORS)})\s*$", re.IGNORECASE)
APPROXIMATE_TOLERANCE = 0.1
"""How far an approximate amount ("about 40", "nearly half") may sit from the exact one."""
_RANGE = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(?:-|–|to|and)\s*(\d+(?:,\d{3})*(?:\.\d+)?)", re.IGNORECASE
)


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_RANGE_WORD = re.compile(r"\d\s*(?:-|–|to\b|and\b)", re.IGNORECASE)


def looks_like_year(text: str) -> bool:
    """Whether a number is written as a year is ("2014"; "2,014" and "1.2014" are not)."""
    return bool(_YEAR.fullmatch(text.strip()))


_LOWER_BOUNDS = ("more than", "over", "at least")
_UPPER_BOUNDS = ("less than", "fewer than", "under", "up to")
_BOUND = re.compile(
    rf"\b(?:(?P<lower>{'|'.join(_LOWER_BOUNDS)})|(?P<upper>{'|'.join(_UPPER_BOUNDS)}))\s*$", re.IGNORECASE
)


def bound_of(before: str) -> str | None:
    """ "lower" when the words just before an amount make it a floor ("more than 100"), "upper"
    when they make it a ceiling ("under 50"), else None."""
    match = _BOUND.search(before)
    if match is None:
        return None
    return "lower" if match.group("lower") else "upper"


def holds_as_bound(stated: float, actual: float, bound: str | None) -> bool:
    """Whether a floor or ceiling an editor would let stand for ``actual``: it holds, and it is no
    looser than ``actual`` rounded to one significant digit ("more than 100" for 116, not for
    450; "under 200" for 116, not "up to 1,000")."""
    if bound == "lower":
        return _one_digit(actual, down=True) <= stated <= actual
    if bound == "upper":
        return actual <= stated <= _one_digit(actual, down=False)
    return False


def _one_digit(value: float, down: bool) -> float:
    """``value`` rounded down (or up) to its first significant digit: 116 -> 100 (or 200)."""
    if value <= 0:
        return value
    scale = 10 ** math.floor(math.log10(value))
    return (math.floor if down else math.ceil)(value / scale) * scale


_GROUPED = re.compile(r"\d{1,3}(?:,\s*\d{3})*")
_THOUSANDS_TAIL = re.compile(r",\s+\d{3}(?!\d)")
_DECIMAL_TAIL = re.compile(r"\.\s+\d+")
_LOOK_BACK = 24
"""Characters before a number searched for a split-off head ("1, 250, " before "000")."""
_SPLIT_HEAD = re.compile(r"(?:\b\d{1,3}(?:,\s*\d{3})*(?P<comma>,)\s+|\b\d{1,3}\.\s+)$")
_GROUP_OF_THREE = re.compile(r"\d{3}(?!\d)")


def whole_amount(raw: str, start: int, end: int) -> tuple[int, int]:
    """A number's span grown over the digit groups a stray space split off it: tokenised news
    corpora write 3,800 as "3, 800" and 2.4 as "2. 4", which read as two numbers. Only a group
    of three digits after a comma, or decimals, following at most three digits (or digit
    groups) are joined: "in 2013. 4 people" and "in 2014, 300 people" stay two numbers, and so do
    the day and the year of "May 2, 2025"."""
    while _GROUPED.fullmatch(raw, start, end):
        match = _THOUSANDS_TAIL.match(raw, end) or _DECIMAL_TAIL.match(raw, end)
        if match is None:
            break
        end = match.end()
    while match := _SPLIT_HEAD.search(raw, max(0, start - _LOOK_BACK), start):
        if match.group("comma") and not _GROUP_OF_THREE.match(raw, start):
            break  # after a comma only a group of three digits is a split-off part of the amount
        start = match.start()
    return start, end


def amount_value(text: str) -> float | None:
    """:func:`parse_number` of an amount after closing the spaces inside its digit groups."""
    return parse_number(re.sub(r"(?<=\d)([,.])\s+(?=\d)", r"\1", text))


def is_approximate(before: str) -> bool:
    """Whether the words just before an amount make it approximate ("about", "nearly", "over")."""
    return bool(_APPROXIMATE.search(before))


def number_range(text: str) -> tuple[float, float] | None:
    """The bounds of a range ("30 to 40", "between 30 and 40", "30-40 million"), or None."""
    if not _RANGE_WORD.search(text):
        return None
    match = _RANGE.search(text)
    if not match:
        return None
    low, high = (float(group.replace(",", "")) for group in match.groups())
    scale = (parse_number(text) or low) / low if low else 1.0
    return min(low, high) * scale, max(low, high) * scale


def near(a: float, b: float) -> bool:
    """Within the tolerance of an approximation, counting a share as a fraction or in percent."""
    tolerance = APPROXIMATE_TOLERANCE
    return (
        abs(a - b) <= tolerance * max(abs(a), abs(b))
        or (_share(a) and abs(a - b / 100) <= tolerance * max(abs(a), abs(b / 100)))
        or (_share(b) and abs(a / 100 - b) <= tolerance * max(abs(a / 100), abs(b)))
    )


def _share(value: float) -> bool:
    """Whether a value can be a share written as a fraction ("half", "a third"): below one. Both
    sides in percent ("1%" and "99%") are never read as fraction and percent."""
    return 0 < value < 1


def agrees(
    mine: float,
    theirs: float,
    mine_text: str = "",
    theirs_text: str = "",
    approximate: bool = False,
    *,
    mine_bound: str | None = None,
    theirs_bound: str | None = None,
) -> bool:
    """Whether a story's amount can be the source's, as an editor would read it.

    The same value written otherwise ("1.2 million", "1,200,000"; "half" and "50%"), an
    approximation near it ("about 40" for 41; ``approximate`` says either side was hedged), a
    floor or ceiling on either side that holds (``mine_bound``/``theirs_bound``, from
    :func:`bound_of`: "more than 100" for 116), or a range on either side holding the other's
    value ("30 to 40" for 35).
    """
    if holds_as_bound(mine, theirs, mine_bound) or holds_as_bound(theirs, mine, theirs_bound):
        return True
    if looks_like_year(mine_text) and looks_like_year(theirs_text):
        return mine == theirs  # a year is never rounded: 2010 does not stand for 2011
    if (
        same_number(mine, theirs)
        or (_share(mine) and same_number(mine, theirs / 100))
        or (_share(theirs) and same_number(mine / 100, theirs))
    ):
        return True
    if approximate and near(mine, theirs):
        return True
    for text, value in ((mine_text, theirs), (theirs_text, mine)):
        bounds = number_range(text) if text else None
        if bounds and bounds[0] <= value <= bounds[1]:
            return True
    return False
