"""Comparing people's names: the same person, a misspelling, or somebody else."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def name_key(name: str) -> str:
    """Casefolded, accent-free, without initials, suffixes and punctuation."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z]+", plain.lower()) if len(w) > 1 and w not in _SUFFIXES]
    return " ".join(words)


def same_person(a: str, b: str) -> bool:
    """True when two names can denote the same person ("Rubio" and "Marco Rubio")."""
    key_a, key_b = name_key(a), name_key(b)
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
    key = name_key(name)
    words = key.split()
    if not words or any(name_key(c) == key for c in candidates):
        return None
    best, best_score = None, 0.0
    for candidate in candidates:
        other = name_key(candidate)
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
