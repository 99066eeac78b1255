"""People's names reduced to comparable keys: "Antony J. Blinken Jr." -> "antony blinken"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def name_key(name: str) -> NameKey | None:
    """The comparable key of a name, or None when nothing name-like is left."""
    norm = normalise_name(name)
    if not norm:
        return None
    tokens = norm.split()
    return NameKey(norm, tokens[0], tokens[-1])
