"""The prefilter of the machine-text patterns: which words a text must hold for a regex to match.

The literals every match must contain are read from each regex (like RE2's prefilter), so a
pattern's regex only runs on texts that hold its words. A gate is an OR over the pattern's
alternatives of an AND over sets of needles; one needle of each set must occur. A needle whose
words the regex bounds (`\\bsorry\\b`, `\\s+given\\s+`) is looked up in the set of the text's
words; one that may be part of a word ("apologi" of `apologi[sz]e`) is searched as a substring.

The regex is read by the small parser below (public ``re`` API only, no ``re._parser``). It builds
the same tree as Python's own parser for the syntax the library uses; a construct it does not read
(inline flags, back-references, conditionals) means no gate for that pattern: only speed is lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["APOSTROPHES", "WORD", "Choice", "Gate", "Needle", "gate", "passes"]

# Curly apostrophes are scanned as straight ones (same length, so offsets hold): patterns say "I'm".
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
WORD = re.compile(r"\w+")
_GATE_SETS = 3


@dataclass(frozen=True, slots=True)
class Needle:
    text: str
    words: tuple[str, ...]  # words of ``text`` the regex bounds on both sides


@dataclass(frozen=True, slots=True)
class Choice:
    """One of these needles must occur: single words, word groups, substrings (fastest first)."""

    singles: frozenset[str]
    groups: tuple[tuple[str, ...], ...]
    substrings: tuple[str, ...]

    @classmethod
    def of(cls, needles: frozenset[Needle]) -> Choice:
        return cls(
            frozenset(n.words[0] for n in needles if len(n.words) == 1),
            tuple(n.words for n in needles if len(n.words) > 1),
            tuple(n.text for n in needles if not n.words),
        )

    def occurs(self, text: str, words: set[str], seen: dict[str, bool]) -> bool:
        if not self.singles.isdisjoint(words):
            return True
        if any(all(w in words for w in group) for group in self.groups):
            return True
        for needle in self.substrings:
            if needle not in seen:
                seen[needle] = needle in text
            if seen[needle]:
                return True
        return False


Gate = tuple[tuple[Choice, ...], ...]


def gate(sources: list[str], ignore_case: bool) -> Gate:
    """The gate of a pattern whose regex is the alternation of ``sources``; ``()`` means none."""
    alternatives = []
    for source in sources:
        try:
            required = _Reader(ignore_case).required(parse(source), False, False)
        except _Unsupported:
            return ()
        if not required:
            return ()
        required.sort(key=_selectivity, reverse=True)  # rarest first; three rule most texts out
        if not ignore_case:  # the word set is lowered: look for the exact case instead
            required = [frozenset(Needle(n.text, ()) for n in choice) for choice in required]
        alternatives.append(tuple(Choice.of(choice) for choice in required[:_GATE_SETS]))
    return tuple(alternatives)


def passes(gate: Gate, text: str, words: set[str], seen: dict[str, bool]) -> bool:
    """Whether ``text`` (its words: ``words``) may match; ``seen`` caches substring look-ups."""
    for alternative in gate:
        for choice in alternative:
            if not choice.occurs(text, words, seen):
                break
        else:
            return True
    return not gate


# --- reading a regex ------------------------------------------------------------------------------
# A parsed regex is a list of (op, value) items, as in Python's parser: ("literal", code),
# ("in", [class items]), ("at", "boundary"), ("branch", (None, [seq, ...])),
# ("subpattern", (group, seq)), ("max_repeat", (min, max, seq)), ("assert", (direction, seq)) ...


class _Unsupported(Exception):
    """A construct the reader does not handle; the pattern gets no gate."""


_SPECIAL = set(".\\[{()*+?^$|")
_REPEAT = set("*+?{")
_MAX_REPEAT = 4294967295
_CATEGORIES = {
    "d": "digit",
    "D": "not_digit",
    "s": "space",
    "S": "not_space",
    "w": "word",
    "W": "not_word",
}
_AT = {"A": "beginning_string", "Z": "end_string", "b": "boundary", "B": "non_boundary"}
_ESCAPES = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
# Only these compare equal when a branch's common prefix is taken out (as in Python's parser,
# where the other values hold sub-patterns that compare by identity).
_VALUE_OPS = frozenset({"literal", "not_literal", "in", "any", "at"})
_REPEATS = frozenset({"max_repeat", "min_repeat", "possessive_repeat"})


class _Source:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def peek(self) -> str | None:
        return self.text[self.at] if self.at < len(self.text) else None

    def get(self) -> str | None:
        char = self.peek()
        if char is not None:
            self.at += 1
        return char

    def match(self, char: str) -> bool:
        if self.peek() == char:
            self.at += 1
            return True
        return False

    def hex(self, digits: int) -> int:
        piece = self.text[self.at : self.at + digits]
        if len(piece) != digits or not all(c in "0123456789abcdefABCDEF" for c in piece):
            raise _Unsupported(f"bad escape at {self.at}")
        self.at += digits
        return int(piece, 16)


def parse(source: str) -> list[Any]:
    """The parse tree of ``source``; raises ``_Unsupported`` on syntax the reader does not know."""
    text = _Source(source)
    tree = _parse_sub(text, [0])
    if text.peek() is not None:
        raise _Unsupported("unbalanced parenthesis")
    return tree


def _parse_sub(source: _Source, groups: list[int]) -> list[Any]:
    items = [_parse(source, groups)]
    while source.match("|"):
        items.append(_parse(source, groups))
    if len(items) == 1:
        return items[0]
    out: list[Any] = []
    while all(items) and items[0][0][0] in _VALUE_OPS and all(item[0] == items[0][0] for item in items):
        out.append(items[0][0])
        for item in items:
            del item[0]
    chars: list[Any] = []
    for item in items:
        if len(item) != 1:
            break
        op, value = item[0]
        if op == "literal":
            chars.append(item[0])
        elif op == "in" and value[0][0] != "negate":
            chars.extend(value)
        else:
            break
    else:
        out.append(("in", _unique(chars)))
        return out
    out.append(("branch", (None, items)))
    return out


def _parse(source: _Source, groups: list[int]) -> list[Any]:
    seq: list[Any] = []
    while True:
        char = source.peek()
        if char is None or char in "|)":
            break
        source.get()
        if char == "\\":
            seq.append(_escape(source))
        elif char not in _SPECIAL:
            seq.append(("literal", ord(char)))
        elif char == "[":
            seq.append(_class(source))
        elif char in _REPEAT:
            _repeat(source, char, seq)
        elif char == ".":
            seq.append(("any", None))
        elif char == "(":
            item = _group(source, groups)
            if item is not None:
                seq.append(item)
        elif char == "^":
            seq.append(("at", "beginning"))
        elif char == "$":
            seq.append(("at", "end"))
    # non-capturing groups are spliced into the sequence that holds them
    out: list[Any] = []
    for op, value in seq:
        if op == "subpattern" and value[0] is None:
            out.extend(value[1])
        else:
            out.append((op, value))
    return out


def _repeat(source: _Source, char: str, seq: list[Any]) -> None:
    if char == "?":
        low, high = 0, 1
    elif char == "*":
        low, high = 0, _MAX_REPEAT
    elif char == "+":
        low, high = 1, _MAX_REPEAT
    else:
        here = source.at
        match = re.compile(r"(\d*)(?:(,)(\d*))?\}").match(source.text, here)
        if source.peek() == "}" or match is None:
            seq.append(("literal", ord("{")))
            return
        source.at = match.end()
        low = int(match.group(1) or 0)
        high = int(match.group(3) or _MAX_REPEAT) if match.group(2) else low
    if not seq or seq[-1][0] == "at" or seq[-1][0] in _REPEATS:
        raise _Unsupported("nothing to repeat")
    op, value = seq[-1]
    item = value[1] if op == "subpattern" and value[0] is None else [seq[-1]]
    kind = "min_repeat" if source.match("?") else "possessive_repeat" if source.match("+") else "max_repeat"
    seq[-1] = (kind, (low, high, item))


def _group(source: _Source, groups: list[int]) -> tuple[str, Any] | None:
    capture = True
    if source.match("?"):
        char = source.get()
        if char == ":":
            capture = False
        elif char == "#":
            while source.get() not in (")", None):
                pass
            return None
        elif char in ("=", "!", "<"):
            direction = 1
            if char == "<":
                char = source.get()
                if char not in ("=", "!"):
                    raise _Unsupported("unknown extension")
                direction = -1
            body = _parse_sub(source, groups)
            _close(source)
            return ("assert" if char == "=" else "assert_not", (direction, body))
        elif char == "P" and source.match("<"):
            end = source.text.find(">", source.at)
            if end < 0:
                raise _Unsupported("unterminated group name")
            source.at = end + 1
        elif char == ">":
            body = _parse_sub(source, groups)
            _close(source)
            return ("atomic_group", body)
        else:
            raise _Unsupported(f"(?{char} is not read")  # flags, back-references, conditionals
    group = None
    if capture:
        groups[0] += 1
        group = groups[0]
    body = _parse_sub(source, groups)
    _close(source)
    return ("subpattern", (group, body))


def _close(source: _Source) -> None:
    if not source.match(")"):
        raise _Unsupported("missing )")


def _escape(source: _Source) -> tuple[str, Any]:
    char = source.get()
    if char is None:
        raise _Unsupported("bad escape at the end")
    if char in _AT:
        return ("at", _AT[char])
    if char in _CATEGORIES:
        return ("in", [("category", _CATEGORIES[char])])
    return ("literal", _escaped_code(source, char))


def _class_escape(source: _Source) -> tuple[str, Any]:
    char = source.get()
    if char is None:
        raise _Unsupported("bad escape at the end")
    if char == "b":
        return ("literal", 8)
    if char in _CATEGORIES:
        return ("category", _CATEGORIES[char])
    return ("literal", _escaped_code(source, char))


def _escaped_code(source: _Source, char: str) -> int:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char == "x":
        return source.hex(2)
    if char == "u":
        return source.hex(4)
    if char == "U":
        return source.hex(8)
    if char == "N" and source.match("{"):
        end = source.text.find("}", source.at)
        if end < 0:
            raise _Unsupported("unterminated \\N{...}")
        name, source.at = source.text[source.at : end], end + 1
        try:
            return ord(unicodedata.lookup(name))
        except KeyError:
            raise _Unsupported(f"unknown character name {name!r}") from None
    if char.isdigit() or (char.isascii() and char.isalpha()):
        raise _Unsupported(f"\\{char} is not read")  # octal escapes and back-references
    return ord(char)


def _class(source: _Source) -> tuple[str, Any]:
    items: list[Any] = []
    negate = source.match("^")
    while True:
        char = source.get()
        if char is None:
            raise _Unsupported("unterminated character set")
        if char == "]" and items:
            break
        first = _class_escape(source) if char == "\\" else ("literal", ord(char))
        if source.match("-"):
            that = source.get()
            if that is None:
                raise _Unsupported("unterminated character set")
            if that == "]":
                items.extend([first, ("literal", ord("-"))])
                break
            second = _class_escape(source) if that == "\\" else ("literal", ord(that))
            if first[0] != "literal" or second[0] != "literal":
                raise _Unsupported("bad character range")
            items.append(("range", (first[1], second[1])))
        else:
            items.append(first)
    items = _unique(items)
    if len(items) == 1 and items[0][0] == "literal":
        return ("not_literal", items[0][1]) if negate else items[0]
    return ("in", [("negate", None), *items] if negate else items)


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# --- the needles of a parsed regex ----------------------------------------------------------------


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Reader:
    """Reads the needles of a parsed regex; ``before``/``after``: a non-word character (or the
    text's edge) surely precedes/follows the sequence."""

    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case

    def char(self, code: int) -> str:
        char = chr(code).translate(APOSTROPHES)
        return char.lower() if self.ignore_case else char

    def required(self, seq: list[Any], before: bool, after: bool) -> list[frozenset[Needle]]:
        found: list[frozenset[Needle]] = []
        run: list[str] = []
        run_bounded = False
        prev_nonword = before
        for i, (op, value) in enumerate(seq):
            if op in _REPEATS and value[0] >= 2 and len(value[2]) == 1 and value[2][0][0] == "literal":
                # `X{2,}`: the literal, repeated as often as it must be, is a needle of its own
                follows = self.nonword_at(seq, i, after)
                if run:
                    found.append(frozenset([_needle("".join(run), run_bounded, follows)]))
                    run.clear()
                found.append(frozenset([Needle(self.char(value[2][0][1]) * value[0], ())]))
                prev_nonword = False
                continue
            if op == "literal":
                char = self.char(value)
                if not run:
                    run_bounded = prev_nonword
                run.append(char)
                prev_nonword = not _is_word_char(char)
                continue
            if op == "at" and value in ("boundary", "beginning", "beginning_string"):
                # at a boundary after a word character, or before one: split the run there
                if run and _is_word_char(run[-1]):
                    found.append(frozenset([_needle("".join(run), run_bounded, True)]))
                    run.clear()
                prev_nonword = True
                continue
            if op in ("at", "assert", "assert_not"):
                continue
            follows = self.nonword_at(seq, i, after)
            if run:
                found.append(frozenset([_needle("".join(run), run_bounded, follows)]))
                run.clear()
            if op == "branch":
                rest = self.nonword_at(seq, i + 1, after)
                choices = [_best(self.required(branch, prev_nonword, rest)) for branch in value[1]]
                if all(choices):
                    found.append(frozenset().union(*choices))
            elif op == "subpattern":
                found.extend(self.required(value[1], prev_nonword, self.nonword_at(seq, i + 1, after)))
            elif op in _REPEATS and value[0] >= 1:
                found.extend(self.required(value[2], prev_nonword, False))
            # after a class or a repeat of one (`\s+`) that holds no word character
            prev_nonword = (op == "in" or op in _REPEATS) and (follows and (op == "in" or len(value[2]) == 1))
        if run:
            found.append(frozenset([_needle("".join(run), run_bounded, after)]))
        return [choice for choice in found if all(n.text for n in choice)]

    def nonword_at(self, seq: list[Any], i: int, after: bool) -> bool:
        """Whether the character at item ``i`` of ``seq`` is surely not a word character."""
        if i >= len(seq):
            return after
        op, value = seq[i]
        if op == "literal":
            return not _is_word_char(chr(value))
        if op == "in":
            return _nonword_class(value)
        if op in _REPEATS:
            return value[0] >= 1 and self.nonword_at(value[2], 0, False)
        if op == "at":
            return value in ("boundary", "end", "end_string")
        if op in ("assert", "assert_not"):
            return self.nonword_at(seq, i + 1, after)
        if op == "branch":
            rest = self.nonword_at(seq, i + 1, after)
            return all(self.nonword_at(branch, 0, rest) for branch in value[1])
        if op == "subpattern":
            return self.nonword_at(value[1], 0, self.nonword_at(seq, i + 1, after))
        return False


def _nonword_class(items: list[Any]) -> bool:
    for op, value in items:
        if op == "literal" and not _is_word_char(chr(value)):
            continue
        if op == "category" and value in ("space", "not_word"):
            continue
        return False
    return bool(items)


def _needle(text: str, start_bounded: bool, end_bounded: bool) -> Needle:
    words = []
    for match in WORD.finditer(text):
        left = match.start() > 0 or start_bounded
        right = match.end() < len(text) or end_bounded
        if left and right:
            words.append(match.group(0))
    return Needle(text, tuple(words))


def _best(required: list[frozenset[Needle]]) -> frozenset[Needle]:
    """The most selective set of a branch."""
    if not required:
        return frozenset()
    return max(required, key=_selectivity)


def _selectivity(choice: frozenset[Needle]) -> tuple[int, int]:
    """Higher for sets less likely to occur in ordinary prose: long, rare words, few of them."""
    return (min(_strength(n) for n in choice), -len(choice))


def _strength(needle: Needle) -> int:
    rare = [len(word) for word in needle.words if word not in _COMMON]
    return max(rare) if rare else (len(needle.text) - 2 if not needle.words else 0)


_COMMON = frozenset(
    "a an the i m s t re ve ll d am is are was were be been to of in on at by for from with as and or but "
    "not no it its this that these those my me we you your he she they his her their have has had do does "
    "did can could will would should may might must there here said says".split()
)
