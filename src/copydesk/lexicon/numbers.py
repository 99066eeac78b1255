"""Numbers written in words or digits, read to values so "1.2 million" equals "1,200,000"."""

from __future__ import annotations

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
    """Equal up to the rounding a news story applies ("1.23 million" vs "1,230,456")."""
    if a == b:
        return True
    larger = max(abs(a), abs(b))
    return larger > 0 and abs(a - b) / larger < 0.02
