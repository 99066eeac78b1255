"""Comparing people's names: the same person, a misspelling, or somebody else.

One normaliser serves the checkers and the knowledge base: "Antony J. Blinken Jr." -> "antony blinken".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "kbe", "obe", "mbe", "qc", "kc"}
)
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev", "hon"}
)
_NOT_NAME = re.compile(r"[^\w\s'-]+")
_APOSTROPHES = re.compile(r"['\u2019`]")


@dataclass(frozen=True, slots=True)
class NameKey:
    """A normalised name: the whole (``norm``), its first token and its surname (last token)."""

    norm: str
    first: str
    surname: str


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name: str) -> str:
    """Casefold, strip accents, drop honorifics, middle initials and suffixes ("Jr.", "III").

    Hyphens become spaces so "Ocasio-Cortez" and "Ocasio Cortez" agree; apostrophes go
    ("O'Rourke" -> "orourke").
    """
    text = strip_accents(name).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _NOT_NAME.sub(" ", text).replace("-", " ").replace("_", " ")
    tokens = text.split()
    while tokens and tokens[0] in _HONORIFICS:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    if len(tokens) > 2:
        # A middle initial ("J") says nothing a reader would check; the first one may be the name.
        tokens = [tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1]]
    return " ".join(tokens)


def name_parts(name: str) -> NameKey | None:
    """The comparable key of a name, or None when nothing name-like is left."""
    norm = normalise_name(name)
    if not norm:
        return None
    tokens = norm.split()
    return NameKey(norm, tokens[0], tokens[-1])


def same_person(a: str, b: str) -> bool:
    """True when two names can denote the same person ("Rubio" and "Marco Rubio")."""
    key_a, key_b = normalise_name(a), normalise_name(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    words_a, words_b = key_a.split(), key_b.split()
    if len(words_a) == 1 or len(words_b) == 1:
        return words_a[-1] == words_b[-1] or (
            words_a[0] == words_b[0] and min(len(words_a), len(words_b)) == 1
        )
    if words_a[-1] != words_b[-1]:
        return False
    # "Tomas Reyes" and "Midfielder Tomas Reyes", "Marco Rubio" and "Marco Antonio Rubio"
    shorter, longer = sorted((words_a, words_b), key=len)
    return shorter[0] in longer or shorter[0][0] == longer[0][0]


def misspelling_of(name: str, candidates: list[str], threshold: float = 85.0) -> str | None:
    """The candidate ``name`` looks like a misspelling of, or None.

    A misspelling is close (rapidfuzz ratio ≥ ``threshold``) but not the same, and shares the first
    or the last word exactly, so "Antonio Blinken" -> "Antony Blinken" while "Jon Smith" is not
    taken for "Jan Smit".
    """
    key = normalise_name(name)
    words = key.split()
    if not words or any(normalise_name(c) == key for c in candidates):
        return None
    best, best_score = None, 0.0
    for candidate in candidates:
        other = normalise_name(candidate)
        other_words = other.split()
        if not other_words or len(other_words) != len(words):
            continue
        shares_word = words[0] == other_words[0] or words[-1] == other_words[-1]
        if len(words) == 1:
            shares_word = len(words[0]) >= 5 and words[0][:2] == other_words[0][:2]
        score = fuzz.ratio(key, other)
        if shares_word and score >= threshold and score > best_score:
            best, best_score = candidate, score
    return best
