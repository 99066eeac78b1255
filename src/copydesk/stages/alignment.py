"""Word-by-word alignment of a story sentence with the source sentence it follows.

A machine-written story often copies a source sentence and changes one word of it: a number,
a name, a place, a negation. Bag-of-words overlap cannot see which word; an alignment can. Both
texts are cut into tokens that keep their character offsets, each token gets a *key* under which
equal meanings compare equal (a lemma-like stem for words, the value for numbers, "not" for
"n't"), and the two key sequences are aligned with Levenshtein opcodes (``rapidfuzz``). The
opcodes' ``replace``, ``insert`` and ``delete`` pieces are the edits between the two sentences;
:func:`differences` lists them with the story's and the source's words, and the checkers decide
which edits change the meaning.

The module is a helper shared by the ``alignment`` checker (near copies), the ``entailment``
checker (which words of a flagged claim its evidence does not back) and the ``support`` stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from copydesk.lexicon.numbers import parse_number
from copydesk.overlap import STOPWORDS

_TOKEN = re.compile(
    r"\d+(?:[,.]\d+)*"  # 1,200 / 3.5
    r"|[A-Za-z]+(?=n['’]t\b)"  # "ca" of "can't", "did" of "didn't"
    r"|n['’]t\b"
    r"|[A-Za-z]+(?:['’][A-Za-z]+)*"
    r"|[%$£€]"
)
_PLAIN_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "m", "bn", "k"}
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "dozen",
}
_CONTRACTION_HEADS = {"ca": "can", "wo": "will", "sha": "shall"}
_IRREGULAR = {
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "being": "be",
    "am": "be",
    "has": "have",
    "had": "have",
    "having": "have",
    "does": "do",
    "did": "do",
    "done": "do",
    "said": "say",
    "says": "say",
    "told": "tell",
    "went": "go",
    "gone": "go",
    "won": "win",
    "lost": "lose",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "left": "leave",
    "held": "hold",
    "met": "meet",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "found": "find",
    "began": "begin",
    "begun": "begin",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "an": "a",
    "n't": "not",
    "n’t": "not",
    "never": "not",
}
NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "without"})
MODALS = frozenset({"may", "might", "could", "would", "should", "must", "can", "will", "shall", "ought"})


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its characters, the key it is compared by, and its number value if any."""

    start: int
    end: int
    text: str
    key: str
    value: float | None = None

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def content(self) -> bool:
        """Whether the word carries meaning (not a stop word), numbers included."""
        return self.is_number or (self.key not in STOPWORDS and len(self.key) > 2)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A crude lemma: "rescued" and "rescues" meet "rescue", "cities" meets "city"."""
    word = _IRREGULAR.get(word, word)
    if len(word) <= 4 or word in _IRREGULAR.values():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # "rescue" and "rescu(ed)" meet
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    return word


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of ``text`` with their keys; offsets are shifted by ``offset``.

    A number and the scale word after it ("1.2 million", "three thousand") are one token, whose
    value is the whole amount, so "1.2 million" and "1,200,000" have the same key.
    """
    raw = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        start, end, word = raw[i]
        lowered = word.lower()
        if lowered[0].isdigit() or lowered in _NUMBER_WORDS:
            j = i + 1
            while j < len(raw) and (raw[j][2].lower() in _SCALE_WORDS or raw[j][2].lower() in _NUMBER_WORDS):
                j += 1
            end = raw[j - 1][1]
            piece = text[start:end]
            value = float(piece.replace(",", "")) if _PLAIN_NUMBER.fullmatch(piece) else parse_number(piece)
            if value is not None:
                out.append(Token(start + offset, end + offset, text[start:end], _number_key(value), value))
                i = j
                continue
        lowered = lowered.replace("’", "'")
        if lowered.endswith("'s"):
            lowered = lowered[:-2]
        lowered = (
            _CONTRACTION_HEADS.get(lowered, lowered)
            if i + 1 < len(raw) and _is_nt(raw[i + 1][2])
            else lowered
        )
        out.append(Token(start + offset, end + offset, word, stem(lowered)))
        i += 1
    return out


def _is_nt(word: str) -> bool:
    return word.lower().replace("’", "'") == "n't"


def _number_key(value: float) -> str:
    return f"#{value:g}"


@dataclass(frozen=True, slots=True)
class Edit:
    """One difference between a story sentence and its source: ``mine`` became ``theirs``.

    ``op`` is ``replace`` (words swapped), ``added`` (words only the story has) or ``dropped``
    (source words the story left out; ``mine`` is then empty and ``at`` is the story offset where
    they would go). ``inside`` says whether equal words flank the edit on both sides: an edit in
    the middle of a copied stretch, not a clause added or cut at either end.
    """

    op: str
    mine: tuple[Token, ...]
    theirs: tuple[Token, ...]
    at: int
    inside: bool


@dataclass(frozen=True, slots=True)
class Alignment:
    """How closely a story sentence follows a stretch of source, and where they differ."""

    mine: list[Token]
    theirs: list[Token]
    edits: list[Edit]
    matched: int
    """Content words of the story sentence aligned with an equal source word."""
    content: int
    """Content words of the story sentence."""
    copied: dict[int, Token]
    """Story word start -> the equal source word it is aligned with."""

    @property
    def coverage(self) -> float:
        return self.matched / self.content if self.content else 0.0


_OPS = {"replace": "replace", "delete": "added", "insert": "dropped"}


def align(mine: list[Token], theirs: list[Token]) -> Alignment:
    """Align two token sequences by their keys (Levenshtein opcodes over whole tokens)."""
    opcodes = Levenshtein.opcodes([t.key for t in mine], [t.key for t in theirs])
    blocks = list(opcodes)
    edits = []
    matched = 0
    copied: dict[int, Token] = {}
    for number, block in enumerate(blocks):
        if block.tag == "equal":
            matched += sum(1 for t in mine[block.src_start : block.src_end] if t.content)
            for offset in range(block.src_end - block.src_start):
                copied[mine[block.src_start + offset].start] = theirs[block.dest_start + offset]
            continue
        before = number > 0 and blocks[number - 1].tag == "equal"
        after = number + 1 < len(blocks) and blocks[number + 1].tag == "equal"
        at = mine[block.src_start].start if block.src_start < len(mine) else (mine[-1].end if mine else 0)
        edits.append(
            Edit(
                _OPS[block.tag],
                tuple(mine[block.src_start : block.src_end]),
                tuple(theirs[block.dest_start : block.dest_end]),
                at,
                before and after,
            )
        )
    content = sum(1 for t in mine if t.content)
    return Alignment(mine, theirs, edits, matched, content, copied)


def unbacked(mine: list[Token], evidence: str) -> list[Token]:
    """The content words of ``mine`` that the evidence does not contain (by key), in order.

    This is the bag-of-keys side used to place a finding on the words a claim adds; the
    ordered alignment (:func:`align`) is what tells a swapped word from a moved one.
    """
    keys = keys_of(evidence)
    return [t for t in mine if t.content and t.key not in keys]


@lru_cache(maxsize=64)
def keys_of(text: str) -> frozenset[str]:
    """The keys of a text's words (cached: the same sources are asked about for every claim)."""
    return frozenset(t.key for t in tokens(text))
