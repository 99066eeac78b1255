"""Machine text: leftovers of the writing machine in the story ("as an AI language model",
"not detailed in the available search results", "[insert date]", "Certainly! Here's ...").

The patterns live in a curated, tested data file (``copydesk/patterns/machine_text.toml``);
docs/machine-text.md explains how to add one. Matches entirely inside quotation marks are
journalism (a story about chatbots quoting one), not leakage, except for categories whose text is
wrong wherever it stands (control tokens, unfilled template slots).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copydesk.checkers import Checker, register
from copydesk.document import Span
from copydesk.errors import CopydeskError
from copydesk.findings import finding
from copydesk.schema import Evidence, FindingKind, Severity

if TYPE_CHECKING:
    from copydesk.document import Document, Text
    from copydesk.resources import Resources

CHECKER = "machine_text"
FIX_POLICIES = ("delete_sentence", "delete_match", "none")
CATEGORIES = (
    "disclaimer",
    "knowledge_cutoff",
    "refusal",
    "apology",
    "source_leak",
    "placeholder",
    "chat_wrapper",
    "formatting",
    "meta_note",
    "token_leak",
)
DEFAULT_CONFIDENCE = 0.95

# Curly apostrophes are scanned as straight ones (same length, so offsets hold): patterns say "I'm".
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

# Quoted passages: straight and curly double quotes, curly single quotes, and straight single
# quotes that open after a space. A quote left open runs to the end of its paragraph (newspaper
# style for a quotation continuing in the next paragraph).
_QUOTED = re.compile(
    r'"[^"\n]*(?:"|(?=\n)|\Z)'
    r"|“[^“”]{0,3000}?(?:”|(?=\n)|\Z)"
    r"|‘(?:[^‘’\n]|’(?=[A-Za-z]))*’(?![A-Za-z])"
    r"|(?<![\w'])'(?:[^'\n.!?]|'(?=\w)){1,200}'(?!\w)"
)
# "the phrase as an AI language model", "replies such as ...": the text is mentioned, not used.
_MENTIONED = re.compile(
    r"\b(?:phrases?|words|wording|expressions?|disclaimers?|boilerplate|caveats?|such as|"
    r"(?:said|wrote|replied|answered|responded|read|reads|says|writes|replies|answers)\s*:)"
    r"\s*[,:]?\s*[\"“‘']?\s*$",
    re.IGNORECASE,
)
_MENTION_WINDOW = 40

# Fallback sentence bounds, used when the segment stage has not filled ``Text.sentences``.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n+")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Jr|Sr|No|Vol|Inc|Corp|Ltd|Co|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|e\.g|i\.e|a\.m|p\.m))\.$"
)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One curated pattern of the library."""

    id: str
    category: str
    regex: re.Pattern[str]
    message: str
    severity: Severity
    confidence: float
    fix: str
    in_quotes: bool
    description: str
    gate: Gate = ()
    ignore_case: bool = True
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """A pattern matched ``text[start:end]``."""

    pattern: Pattern
    start: int
    end: int


@dataclass(slots=True)
class _Group:
    """Overlapping hits merged into one finding."""

    start: int
    end: int
    hits: list[Hit] = field(default_factory=list)


def default_library_path() -> Path:
    return Path(str(importlib_resources.files("copydesk") / "patterns" / "machine_text.toml"))


def load_library(path: Path | str | None = None) -> list[Pattern]:
    """Read and compile a pattern library; raise CopydeskError naming the faulty pattern."""
    path = Path(path) if path is not None else default_library_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CopydeskError(f"cannot read the machine-text patterns {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CopydeskError(f"the machine-text patterns {path} are not valid TOML: {exc}") from None
    categories = data.get("categories", {})
    patterns: list[Pattern] = []
    seen: set[str] = set()
    for number, entry in enumerate(data.get("pattern", []), start=1):
        pattern = _compile(entry, categories, f"{path.name}, pattern {number}")
        if pattern.id in seen:
            raise CopydeskError(f"{path.name}: pattern id {pattern.id!r} is used twice; ids must be unique")
        seen.add(pattern.id)
        patterns.append(pattern)
    if not patterns:
        raise CopydeskError(f"{path.name} holds no [[pattern]] entries")
    return patterns


def _compile(entry: dict[str, Any], categories: dict[str, Any], where: str) -> Pattern:
    def fail(problem: str) -> CopydeskError:
        return CopydeskError(f"{where} ({entry.get('id', 'no id')}): {problem}")

    for key in ("id", "category", "message"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"`{key}` is missing; give it as a string")
    category = entry["category"]
    if category not in CATEGORIES or category not in categories:
        raise fail(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}")
    defaults = categories[category]
    if "regex" in entry:
        sources = entry["regex"] if isinstance(entry["regex"], list) else [entry["regex"]]
    elif "phrases" in entry:
        sources = [_phrase_regex(phrase) for phrase in _strings(entry, "phrases", fail)]
    else:
        raise fail("give `regex` or `phrases`")
    if not sources or not all(isinstance(source, str) and source for source in sources):
        raise fail("`regex` must be a non-empty string or a list of them")
    flags = 0 if entry.get("case_sensitive", False) else re.IGNORECASE
    try:
        combined = "|".join(f"(?:{source})" for source in sources)
        # Case-insensitive patterns run in lower case on the lowered text: Python's IGNORECASE
        # makes long alternations several times slower.
        regex = re.compile(_lower_case(combined) if flags else combined)
    except re.error as exc:
        raise fail(f"bad regular expression: {exc}") from None
    fix = entry.get("fix", defaults.get("fix", "none"))
    if fix not in FIX_POLICIES:
        raise fail(f"unknown fix {fix!r}; use one of {', '.join(FIX_POLICIES)}")
    try:
        severity = Severity(entry.get("severity", "error"))
    except ValueError:
        raise fail("severity must be 'error' or 'warning'") from None
    confidence = entry.get("confidence", DEFAULT_CONFIDENCE)
    if not isinstance(confidence, int | float) or not 0.0 < confidence <= 1.0:
        raise fail("confidence must be a number in (0, 1]")
    examples, counter = _strings(entry, "examples", fail), _strings(entry, "counter_examples", fail)
    if not examples or not counter:
        raise fail("give at least one `examples` and one `counter_examples` string")
    return Pattern(
        id=entry["id"],
        category=category,
        regex=regex,
        message=entry["message"],
        severity=severity,
        confidence=float(confidence),
        fix=fix,
        in_quotes=bool(entry.get("in_quotes", defaults.get("in_quotes", False))),
        description=defaults.get("description", category),
        gate=_gate(sources, flags),
        ignore_case=bool(flags),
        examples=tuple(examples),
        counter_examples=tuple(counter),
    )


def _strings(entry: dict[str, Any], key: str, fail: Any) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(f"`{key}` must be a list of strings")
    return value


def _lower_case(source: str) -> str:
    """``source`` with its letters in lower case, escapes (``\\S``, ``\\A``, ``\\W``) left alone."""
    out = []
    escaped = False
    for char in source:
        out.append(char if escaped else char.lower())
        escaped = char == "\\" and not escaped
    return "".join(out)


def lower_text(text: str) -> str:
    """``text`` in lower case, character for character, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def _phrase_regex(phrase: str) -> str:
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    start = r"\b" if re.match(r"\w", phrase) else ""
    end = r"\b" if re.search(r"\w$", phrase) else ""
    return f"{start}{body}{end}"


# The prefilter: the literals a match must contain, read from each regex's parse tree (like RE2's
# prefilter), so a pattern's regex only runs on texts that hold its words. A gate is an OR over the
# pattern's alternatives of an AND over sets of needles, one needle of each set must occur. A needle
# whose words the regex bounds (`\bsorry\b`, `\s+given\s+`) is looked up in the set of the
# text's words; one that may be part of a word ("apologi" of `apologi[sz]e`) is searched as a
# substring. An alternative whose literals cannot be read, or a Python without this parser, means
# no gate: only speed is lost.


@dataclass(frozen=True, slots=True)
class Needle:
    text: str
    words: tuple[str, ...]  # words of ``text`` the regex bounds on both sides


@dataclass(frozen=True, slots=True)
class _Choice:
    """One of these needles must occur: single words, word groups, substrings (fastest first)."""

    singles: frozenset[str]
    groups: tuple[tuple[str, ...], ...]
    substrings: tuple[str, ...]

    @classmethod
    def of(cls, needles: frozenset[Needle]) -> _Choice:
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


Gate = tuple[tuple[_Choice, ...], ...]
_GATE_SETS = 3
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_WORD = re.compile(r"\w+")


def _gate(sources: list[str], flags: int) -> Gate:
    try:
        from re import _constants as sre  # private modules, hence the fallback
        from re import _parser as parser
    except ImportError:
        return ()
    alternatives = []
    for source in sources:
        try:
            required = _Reader(sre, bool(flags & re.IGNORECASE)).required(
                list(parser.parse(source, flags)), False, False
            )
        except Exception:  # an unexpected parse tree only costs speed
            return ()
        if not required:
            return ()
        required.sort(key=_selectivity, reverse=True)  # rarest first; three rule most texts out
        if not flags & re.IGNORECASE:  # the word set is lowered: look for the exact case instead
            required = [frozenset(Needle(n.text, ()) for n in choice) for choice in required]
        alternatives.append(tuple(_Choice.of(choice) for choice in required[:_GATE_SETS]))
    return tuple(alternatives)


def _selectivity(choice: frozenset[Needle]) -> tuple[int, int]:
    """Higher for sets less likely to occur in ordinary prose: long, rare words, few of them."""
    return (min(_strength(n) for n in choice), -len(choice))


def _strength(needle: Needle) -> int:
    rare = [len(word) for word in needle.words if word not in _COMMON]
    return max(rare) if rare else (len(needle.text) - 2 if not needle.words else 0)


_COMMON_WORDS = (
    "a an the i m s t re ve ll d am is are was were be been to of in on at by for from with as and or but "
    "not no it its this that these those my me we you your he she they his her their have has had do does "
    "did can could will would should may might must there here said says"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Reader:
    """Reads the needles of a parsed regex; ``before``/``after``: a non-word character (or the
    text's edge) surely precedes/follows the sequence."""

    def __init__(self, sre: Any, ignore_case: bool) -> None:
        self.sre = sre
        self.ignore_case = ignore_case

    def char(self, code: int) -> str:
        char = chr(code).translate(_APOSTROPHES)
        return char.lower() if self.ignore_case else char

    def required(self, seq: list[Any], before: bool, after: bool) -> list[frozenset[Needle]]:
        sre = self.sre
        found: list[frozenset[Needle]] = []
        run: list[str] = []
        run_bounded = False
        prev_nonword = before
        repeats = tuple(getattr(sre, name) for name in _REPEATS)
        for i, (op, value) in enumerate(seq):
            if op in repeats and value[0] >= 2 and len(value[2]) == 1 and value[2][0][0] is sre.LITERAL:
                # `X{2,}`: the literal, repeated as often as it must be, is a needle of its own
                follows = self.nonword_at(seq, i, after)
                if run:
                    found.append(frozenset([_needle("".join(run), run_bounded, follows)]))
                    run.clear()
                found.append(frozenset([Needle(self.char(value[2][0][1]) * value[0], ())]))
                prev_nonword = False
                continue
            if op is sre.LITERAL:
                char = self.char(value)
                if not run:
                    run_bounded = prev_nonword
                run.append(char)
                prev_nonword = not _is_word_char(char)
                continue
            if op is sre.AT and value in (sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                # at a boundary after a word character, or before one: split the run there
                if run and _is_word_char(run[-1]):
                    found.append(frozenset([_needle("".join(run), run_bounded, True)]))
                    run.clear()
                prev_nonword = True
                continue
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            follows = self.nonword_at(seq, i, after)
            if run:
                found.append(frozenset([_needle("".join(run), run_bounded, follows)]))
                run.clear()
            if op is sre.BRANCH:
                rest = self.nonword_at(seq, i + 1, after)
                choices = [_best(self.required(list(b), prev_nonword, rest)) for b in value[1]]
                if all(choices):
                    found.append(frozenset().union(*choices))
            elif op is sre.SUBPATTERN:
                found.extend(self.required(list(value[-1]), prev_nonword, self.nonword_at(seq, i + 1, after)))
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[0] >= 1:
                found.extend(self.required(list(value[2]), prev_nonword, False))
            # after a class or a repeat of one (`\s+`) that holds no word character
            prev_nonword = op in (sre.IN, sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and (
                follows and (op is sre.IN or len(value[2]) == 1)
            )
        if run:
            found.append(frozenset([_needle("".join(run), run_bounded, after)]))
        return [choice for choice in found if all(n.text for n in choice)]

    def nonword_at(self, seq: list[Any], i: int, after: bool) -> bool:
        """Whether the character at element ``i`` of ``seq`` is surely not a word character."""
        sre = self.sre
        if i >= len(seq):
            return after
        op, value = seq[i]
        if op is sre.LITERAL:
            return not _is_word_char(chr(value))
        if op is sre.IN:
            return self.nonword_class(value)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return value[0] >= 1 and self.nonword_at(list(value[2]), 0, False)
        if op is sre.AT:
            return value in (sre.AT_BOUNDARY, sre.AT_END, sre.AT_END_STRING)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return self.nonword_at(seq, i + 1, after)
        if op is sre.BRANCH:
            rest = self.nonword_at(seq, i + 1, after)
            return all(self.nonword_at(list(b), 0, rest) for b in value[1])
        if op is sre.SUBPATTERN:
            return self.nonword_at(list(value[-1]), 0, self.nonword_at(seq, i + 1, after))
        return False

    def nonword_class(self, items: list[Any]) -> bool:
        sre = self.sre
        for op, value in items:
            if op is sre.LITERAL and not _is_word_char(chr(value)):
                continue
            if op is sre.CATEGORY and value in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD):
                continue
            return False
        return bool(items)


def _needle(text: str, start_bounded: bool, end_bounded: bool) -> Needle:
    words = []
    for match in _WORD.finditer(text):
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


def _passes(gate: Gate, text: str, words: set[str], seen: dict[str, bool]) -> bool:
    for alternative in gate:
        for choice in alternative:
            if not choice.occurs(text, words, seen):
                break
        else:
            return True
    return not gate


class Matcher:
    """Finds the hits of a pattern library in a text, minus quoted and mentioned phrases."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = list(patterns)

    def hits(self, text: str) -> list[Hit]:
        scanned = text.translate(_APOSTROPHES)
        lowered = lower_text(scanned)
        words = set(_WORD.findall(lowered))
        seen_lowered: dict[str, bool] = {}
        seen_exact: dict[str, bool] = {}
        quotes: list[tuple[int, int]] | None = None
        found = []
        for pattern in self.patterns:
            if pattern.ignore_case:
                passes = _passes(pattern.gate, lowered, words, seen_lowered)
            else:
                passes = _passes(pattern.gate, scanned, words, seen_exact)
            if not passes:
                continue
            for match in pattern.regex.finditer(lowered if pattern.ignore_case else scanned):
                start, end = match.span()
                if end == start:
                    continue
                if not pattern.in_quotes:
                    if quotes is None:
                        quotes = [m.span() for m in _QUOTED.finditer(text)]
                    if _inside(quotes, start, end) or _mentioned(scanned, start):
                        continue
                found.append(Hit(pattern, start, end))
        found.sort(key=lambda hit: (hit.start, -hit.end))
        return found


def _inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in regions)


def _mentioned(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_MENTIONED.search(text, max(line_start, start - _MENTION_WINDOW), start))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` by punctuation and line breaks (a fallback for the segmenter)."""
    bounds = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group(0)[0] != "\n" and _ABBREVIATION.search(text, max(start, end - 8), match.start() + 1):
            continue
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    spans = []
    for a, b in bounds:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((a + lead, a + lead + len(stripped)))
    return spans


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    covering = [(a, b) for a, b in sentences if a < end and start < b]
    if not covering:
        return start, end
    return min(start, covering[0][0]), max(end, covering[-1][1])


class MachineTextChecker:
    """The checker: reports every leak as a machine-text finding on the headline or body."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.matcher = Matcher(patterns)

    def __call__(self, doc: Document) -> Iterator:
        for text in doc.texts:
            yield from self.check_text(text)

    def check_text(self, text: Text) -> Iterator:
        hits = self.matcher.hits(text.text)
        if not hits:
            return
        sentences = [(s.start, s.end) for s in text.sentences] or sentence_bounds(text.text)
        groups: list[_Group] = []
        for hit in hits:
            if hit.pattern.fix == "delete_sentence":
                start, end = _sentence_of(sentences, hit.start, hit.end)
            elif hit.pattern.fix == "delete_match":
                start, end = _with_space_before(text.text, hit.start, hit.end)
            else:
                start, end = hit.start, hit.end
            for group in groups:
                if start < group.end and group.start < end:
                    group.start, group.end = min(start, group.start), max(end, group.end)
                    group.hits.append(hit)
                    break
            else:
                groups.append(_Group(start, end, [hit]))
        for group in _merge(groups):
            yield _finding(text, group)


def _with_space_before(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the space before a mid-line match ("Washington [1].") so deleting it leaves clean text."""
    ends_clause = end == len(text) or not _is_word_char(text[end])
    if start > 0 and text[start - 1] in " \t" and not text[end - 1].isspace() and ends_clause:
        return start - 1, end
    return start, end


def _merge(groups: list[_Group]) -> list[_Group]:
    """Merge groups that came to overlap after growing."""
    merged: list[_Group] = []
    for group in sorted(groups, key=lambda g: g.start):
        if merged and group.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, group.end)
            merged[-1].hits.extend(group.hits)
        else:
            merged.append(group)
    return merged


def _finding(text: Text, group: _Group) -> Any:
    best = max(group.hits, key=lambda hit: (hit.pattern.severity == Severity.ERROR, hit.pattern.confidence))
    patterns = list({hit.pattern.id: hit.pattern for hit in group.hits}.values())
    deletes = all(p.fix != "none" for p in patterns)
    severity = Severity.ERROR if any(p.severity == Severity.ERROR for p in patterns) else Severity.WARNING
    return finding(
        Span(text.name, group.start, group.end, text.text[group.start : group.end]),
        FindingKind.MACHINE_TEXT,
        best.pattern.message,
        checker=CHECKER,
        confidence=max(p.confidence for p in patterns),
        evidence=[_evidence(p) for p in patterns],
        fix="" if deletes else None,
        severity=severity,
    )


def _evidence(pattern: Pattern) -> Evidence:
    return Evidence(origin="pattern", quote=f"{pattern.id} [{pattern.category}]: {pattern.description}")


@register(CHECKER)
def make_machine_text(resources: Resources) -> Checker:
    """Build the checker; ``Settings.extra["machine_text_patterns"]`` may name another library file."""
    path = resources.settings.extra.get("machine_text_patterns")
    return MachineTextChecker(load_library(path))


def scan(text: str, patterns: Iterable[Pattern] | None = None) -> list[Hit]:
    """The raw hits of the library (default: the built-in one) in ``text``; for tests and tools."""
    return Matcher(list(patterns) if patterns is not None else _builtin()).hits(text)


_BUILTIN: list[Pattern] | None = None


def _builtin() -> list[Pattern]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = load_library()
    return _BUILTIN
