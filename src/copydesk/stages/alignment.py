"""Word-by-word alignment of a story sentence with the source sentence it follows.

A machine-written story often copies a source sentence and changes one word of it: a number,
a name, a place, a negation. Bag-of-words overlap cannot see which word; an alignment can. Both
texts are cut into tokens that keep their character offsets, each token gets a *key* under which
equal meanings compare equal (a lemma-like stem for words, the value for numbers, "not" for
"n't"), and the two key sequences are aligned with Levenshtein opcodes (``rapidfuzz``), numbers
by the place they stand in rather than by value (so two swapped numbers are two edits). The
opcodes' ``replace``, ``insert`` and ``delete`` pieces are the edits between the two sentences;
:func:`differences` lists them with the story's and the source's words, and the checkers decide
which edits change the meaning.

The module is a helper shared by the ``alignment`` checker (near copies), the ``entailment``
checker (which words of a flagged claim its evidence does not back) and the ``support`` stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
_NUMBER_PARTS = _SCALE_WORDS | _NUMBER_WORDS
"""Words that continue a number: "1.2 million", "twenty two"."""
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
_NUMBER_SHAPE = "#"


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its characters, the key it is compared by, and its number value if any."""

    start: int
    end: int
    text: str
    key: str
    value: float | None = None
    content: bool = field(init=False)
    """Whether the word carries meaning (not a stop word), numbers included."""
    shape: str = field(init=False)
    """What the word is aligned by: its key, or the same mark for every number (see :func:`align`)."""

    def __post_init__(self) -> None:
        # set once here: alignments read both for every word of every candidate source sentence
        number = self.value is not None
        object.__setattr__(self, "content", number or (self.key not in STOPWORDS and len(self.key) > 2))
        object.__setattr__(self, "shape", _NUMBER_SHAPE if number else self.key)

    @property
    def is_number(self) -> bool:
        return self.value is not None


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A crude lemma: "rescued" and "rescues" meet "rescue", "cities" meets "city". A word that
    would meet a function word keeps its form ("willing" is not "will", "canning" not "can")."""
    lemma = _stem(word)
    return word if lemma in STOPWORDS and word not in STOPWORDS and word not in _IRREGULAR else lemma


def _stem(word: str) -> str:
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
    return list(_tokens(text, offset))


TOKEN_CACHE = 2048
"""Texts whose tokens are kept (a few KB each). The same source sentences are read many times
in one check (each story sentence's candidates, the support stage growing passages, the entity
stage's clause matches) and again when a story is re-checked or another story cites the source."""


def _tokenise(text: str, offset: int) -> tuple[Token, ...]:
    raw = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    lows = [word.lower().replace("’", "'") for _, _, word in raw]
    out: list[Token] = []
    i, count = 0, len(raw)
    while i < count:
        start, end, word = raw[i]
        lowered = lows[i]
        if lowered[0].isdigit() or lowered in _NUMBER_WORDS:
            j = i + 1
            while j < count and lows[j] in _NUMBER_PARTS:
                j += 1
            end = raw[j - 1][1]
            piece = text[start:end]
            value = float(piece.replace(",", "")) if _PLAIN_NUMBER.fullmatch(piece) else parse_number(piece)
            if value is not None:
                out.append(Token(start + offset, end + offset, piece, _number_key(value), value))
                i = j
                continue
        if lowered.endswith("'s"):
            lowered = lowered[:-2]
        if i + 1 < count and lows[i + 1] == "n't":
            lowered = _CONTRACTION_HEADS.get(lowered, lowered)
        out.append(Token(start + offset, end + offset, word, stem(lowered)))
        i += 1
    return tuple(out)


_tokens = lru_cache(maxsize=TOKEN_CACHE)(_tokenise)


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
    facing: int = 0
    """Numbers of the story sentence aligned with a source number of another value."""

    @property
    def coverage(self) -> float:
        """Share of the content words copied, a number counted where it stands for one of the
        source's: a sentence copied with its numbers changed is still a copy (of wrong numbers)."""
        return (self.matched + self.facing) / self.content if self.content else 0.0


_OPS = {"replace": "replace", "delete": "added", "insert": "dropped"}


def align(mine: list[Token], theirs: list[Token]) -> Alignment:
    """Align two token sequences by their keys (Levenshtein opcodes over whole tokens).

    Numbers are aligned by where they stand, not by their value: every number has the same key
    for the alignment, and a number facing one of another value is then a swapped word. Aligned
    by value, "Blues led 20-23" against "Blues led 23-20" pairs the two 20s and reads a 23 added
    and a 23 dropped; aligned by place, it reads 20 for 23 and 23 for 20, each bound to what it
    counts, which is what an editor sees.
    """
    opcodes = Levenshtein.opcodes([t.shape for t in mine], [t.shape for t in theirs])
    blocks = _numbers_apart(
        [(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end) for o in opcodes], mine, theirs
    )
    edits = []
    matched = facing = 0
    copied: dict[int, Token] = {}
    for number, (tag, mine_start, mine_end, their_start, their_end) in enumerate(blocks):
        if tag == "equal":
            matched += sum(1 for t in mine[mine_start:mine_end] if t.content)
            for offset in range(mine_end - mine_start):
                copied[mine[mine_start + offset].start] = theirs[their_start + offset]
            continue
        if tag == "replace" and mine_end - mine_start == 1 and mine[mine_start].is_number:
            facing += theirs[their_start].is_number and their_end - their_start == 1
        before = number > 0 and blocks[number - 1][0] == "equal"
        after = number + 1 < len(blocks) and blocks[number + 1][0] == "equal"
        at = mine[mine_start].start if mine_start < len(mine) else (mine[-1].end if mine else 0)
        edits.append(
            Edit(
                _OPS[tag],
                tuple(mine[mine_start:mine_end]),
                tuple(theirs[their_start:their_end]),
                at,
                before and after,
            )
        )
    content = sum(1 for t in mine if t.content)
    return Alignment(mine, theirs, edits, matched, content, copied, facing)


_Block = tuple[str, int, int, int, int]


def _numbers_apart(blocks: list[_Block], mine: list[Token], theirs: list[Token]) -> list[_Block]:
    """The opcodes with each number facing a number of another value cut out of its equal block
    as a one-word ``replace`` of its own (two swapped numbers are two changed words)."""
    out: list[_Block] = []
    for tag, mine_start, mine_end, their_start, their_end in blocks:
        if tag != "equal":
            out.append((tag, mine_start, mine_end, their_start, their_end))
            continue
        run = 0  # where the current run of equal words began, from the block's start
        for offset in range(mine_end - mine_start):
            # the shapes are equal here, so only numbers can differ
            mine_word = mine[mine_start + offset]
            if mine_word.value is None or mine_word.key == theirs[their_start + offset].key:
                continue
            if offset > run:
                out.append(
                    ("equal", mine_start + run, mine_start + offset, their_start + run, their_start + offset)
                )
            out.append(
                (
                    "replace",
                    mine_start + offset,
                    mine_start + offset + 1,
                    their_start + offset,
                    their_start + offset + 1,
                )
            )
            run = offset + 1
        if mine_end - mine_start > run:
            out.append(("equal", mine_start + run, mine_end, their_start + run, their_end))
    return out


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
    return frozenset(t.key for t in _tokenise(text, 0))  # whole sources: not worth a second copy
