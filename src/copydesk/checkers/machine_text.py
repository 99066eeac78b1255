"""Machine text: leftovers of the writing machine in the story ("as an AI language model",
"not detailed in the available search results", "[insert date]", "Certainly! Here's ...").

The patterns live in a curated, tested data file (``copydesk/patterns/machine_text.toml``);
docs/machine-text.md explains how to add one. Matches entirely inside quotation marks are
journalism (a story about chatbots quoting one), not leakage, except for categories whose text is
wrong wherever it stands (control tokens, unfilled template slots).

Beside the patterns, a learned sentence classifier (``copydesk/patterns/classifier.py``) reads
every body sentence no pattern flagged and reports the ones that read like the writing machine
talking about its own work, in phrasings the library does not spell out.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from copydesk.checkers import Checker, register
from copydesk.document import Span
from copydesk.errors import CopydeskError, ModelMissingError
from copydesk.findings import finding
from copydesk.patterns.classifier import SentenceClassifier, load_classifier
from copydesk.patterns.prefilter import APOSTROPHES, WORD, Gate, gate
from copydesk.patterns.prefilter import passes as gate_passes
from copydesk.schema import Evidence, FindingKind, Severity

if TYPE_CHECKING:
    from copydesk.document import Document, Text
    from copydesk.protocols import Encoder
    from copydesk.resources import Resources

log = logging.getLogger(__name__)

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
CLASSIFIER_MESSAGE = (
    "This sentence reads like the writing machine talking about its own work (its material, its "
    "limits, the person who asked for the text), not news; check it and delete it."
)
LEAD_IN_MESSAGE = (
    "The writing machine's words about its material ('The passage states that ...', 'According to "
    "the provided sources, ...') open a sentence of content; delete them and check the rest."
)
LEAD_IN_REWRITE_MESSAGE = (
    "The writing machine reports what 'the passage' it was given describes; rewrite the sentence "
    "as news, without these words, and check what it says."
)
_LEAD_IN_MESSAGES = frozenset({LEAD_IN_MESSAGE, LEAD_IN_REWRITE_MESSAGE})
# Categories whose sentence-level span stops at a colon that follows the hit (a preamble).
_PREAMBLE_CATEGORIES = frozenset({"chat_wrapper", "meta_note"})
#: a learned finding never claims the confidence of a curated pattern
CLASSIFIER_MAX_CONFIDENCE = 0.9

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
    lead_in: bool = False
    """The group marks only the meta words that open a sentence of content ("The passage states
    that ..."); see :func:`_lead_in`."""


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
        gate=gate(sources, bool(flags)),
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


class Matcher:
    """Finds the hits of a pattern library in a text, minus quoted and mentioned phrases."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = list(patterns)

    def hits(self, text: str) -> list[Hit]:
        scanned = text.translate(APOSTROPHES)
        lowered = lower_text(scanned)
        words = set(WORD.findall(lowered))
        seen_lowered: dict[str, bool] = {}
        seen_exact: dict[str, bool] = {}
        quotes: list[tuple[int, int]] | None = None
        found = []
        for pattern in self.patterns:
            if pattern.ignore_case:
                passes = gate_passes(pattern.gate, lowered, words, seen_lowered)
            else:
                passes = gate_passes(pattern.gate, scanned, words, seen_exact)
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


def split_lines(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences cut at line breaks: a sentence never runs from one line into the next (the
    segmenter may join "Here is a summary:" to the paragraph below it)."""
    out = []
    for a, b in sentences:
        for match in re.finditer(r"[^\n]+", text[a:b]):
            piece = match.group(0)
            stripped = piece.strip()
            if stripped:
                lead = a + match.start() + len(piece) - len(piece.lstrip())
                out.append((lead, lead + len(stripped)))
    return out


def _sentences_around(
    sentences: list[tuple[int, int]], start: int, end: int, text: str = "", preamble: bool = False
) -> tuple[int, int]:
    """The sentences ``start:end`` lies in. A ``preamble`` (a chat opener, an echoed instruction)
    stops at the first colon after it: what follows the colon is the text it introduces."""
    covering = [(a, b) for a, b in sentences if a < end and start < b]
    if not covering:
        return start, end
    first, last = min(start, covering[0][0]), max(end, covering[-1][1])
    if preamble and text:
        colon = _COLON.search(text, end, last)
        if colon:
            last = colon.start() + 1
    return first, last


# A colon that introduces text: followed by a space or a line break, or ending the text.
_COLON = re.compile(r":(?=\s|$)")

# Meta words that open a sentence whose rest is content: a leading phrase up to its comma
# ("According to the passage, ...", "In the provided sources, ...") or "the passage" as subject of a
# reporting verb ("The passage states that ...", "The passage describes ..."). The pattern hit
# must lie inside them.
_LEAD_PHRASE = re.compile(
    r"(?:(?:note|nb|overall|however|additionally|also|furthermore|moreover|in summary|in short)\s*[:,]?\s+)?"
    r"(?:according to|based (?:solely |only |entirely |mainly )?on|in|from|per|as per|within|"
    r"as (?:stated|described|mentioned|noted|shown|outlined|reported|explained) in|judging (?:by|from)|"
    r"going by|drawing on)\b[^,.;:!?\n]{1,100},\s*",
    re.IGNORECASE,
)
_LEAD_SUBJECT = re.compile(
    r"(?:(?:note|nb|overall|however|additionally|also|furthermore|moreover|in summary|in short)\s*[:,]?\s+)?"
    r"(?:the|this)\s+(?:passage|excerpt|snippet|input text|source text|article|text|context|"
    r"(?:provided|given|supplied)\s+(?:passage|excerpt|snippet|text|article|context|sources?|"
    r"information|documents?))"
    r"(?:\s+(?:provided|given|above|below|supplied))?\s+"
    r"(?:also\s+|further\s+|briefly\s+|then\s+|additionally\s+|later\s+|primarily\s+|mainly\s+)?"
    r"(?:states|mentions|notes|says|explains|indicates|reports|highlights|adds|suggests|claims|"
    r"describes|discusses|reveals|shows|details|outlines|recounts|focuses on|covers|provides|"
    r"presents|emphasizes|emphasises|concludes)"
    r"(?:\s+that\b)?\s+",
    re.IGNORECASE,
)
# What remains must be content: at least three words, not itself talk about the material.
_CONTENT = re.compile(r"\S+\s+\S+\s+\S+")


def _lead_in(
    text: str, sentence: tuple[int, int], hit: Hit, matcher: Matcher
) -> tuple[int, int, bool] | None:
    """(start, end, deletable) of the meta words opening ``sentence`` that hold ``hit``, when the
    rest of the sentence is content (no pattern of ``matcher`` but formatting hits it);
    ``deletable`` when deleting them leaves a sentence (they end in a comma or "that")."""
    a, b = sentence
    piece = text[a:b].translate(APOSTROPHES)
    for regex in (_LEAD_PHRASE, _LEAD_SUBJECT):
        match = regex.match(piece)
        if not match or not (a <= hit.start and hit.end <= a + match.end()):
            continue
        rest = piece[match.end() :]
        if not _CONTENT.match(rest) or any(h.pattern.category != "formatting" for h in matcher.hits(rest)):
            return None
        tail = match.group(0).rstrip().lower()
        return a, a + match.end(), tail.endswith((",", " that"))
    return None


class MachineTextChecker:
    """The checker: reports every leak as a machine-text finding on the headline or body."""

    def __init__(
        self,
        patterns: Sequence[Pattern],
        classifier: SentenceClassifier | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        """Without ``classifier`` and ``encoder``, only the patterns run."""
        self.matcher = Matcher(patterns)
        self.classifier = classifier
        self.encoder = encoder

    def __call__(self, doc: Document) -> Iterator:
        for text in doc.texts:
            yield from self.check_text(text)

    def check_text(self, text: Text) -> Iterator:
        sentences = [(s.start, s.end) for s in text.sentences] or sentence_bounds(text.text)
        found = [_finding(text, group) for group in self.pattern_groups(text, sentences)]
        # Headlines are titles, not prose: the classifier learned on sentences of articles.
        if self.classifier is not None and self.encoder is not None and text.name == "body":
            found += self.classified(text, sentences, found)
        yield from sorted(found, key=lambda f: (f.start, f.end))

    def classified(self, text: Text, sentences: list[tuple[int, int]], found: list[Any]) -> list[Any]:
        """Findings on the sentences no pattern flagged that the classifier takes for meta-text, and
        on the rest of a sentence whose opening meta words alone a pattern marked ("From the search
        results, I could not tell who won.")."""
        assert self.classifier is not None and self.encoder is not None
        free = []
        for a, b in sentences:
            touching = [f for f in found if f.start < b and a < f.end]
            if not touching:
                free.append((a, b))
            elif len(touching) == 1 and touching[0].message in _LEAD_IN_MESSAGES and touching[0].end < b:
                rest = touching[0].end
                rest += len(text.text[rest:b]) - len(text.text[rest:b].lstrip())
                free.append((rest, b))
        if not free:
            return []
        logits = self.classifier.logits([text.text[a:b] for a, b in free], self.encoder)
        out = []
        for (start, end), logit in zip(free, logits, strict=True):
            if logit >= self.classifier.threshold_logit:
                score = 1.0 / (1.0 + np.exp(-min(float(logit), 60.0)))
                out.append(
                    finding(
                        text.span(start, end),
                        FindingKind.MACHINE_TEXT,
                        CLASSIFIER_MESSAGE,
                        checker=CHECKER,
                        confidence=min(float(score), CLASSIFIER_MAX_CONFIDENCE),
                        evidence=[
                            Evidence(
                                origin="pattern",
                                quote=f"machine-text classifier: P(meta-text) = {float(score):.3f}",
                            )
                        ],
                        fix="",
                        severity=Severity.WARNING,
                    )
                )
        return out

    def pattern_groups(self, text: Text, sentences: list[tuple[int, int]]) -> list[_Group]:
        hits = self.matcher.hits(text.text)
        if not hits:
            return []
        lines = split_lines(text.text, sentences)
        groups: list[_Group] = []
        for hit in hits:
            lead_in = False
            if hit.pattern.fix == "delete_sentence":
                preamble = hit.pattern.category in _PREAMBLE_CATEGORIES
                start, end = _sentences_around(lines, hit.start, hit.end, text.text, preamble)
                found = (
                    _lead_in(text.text, (start, end), hit, self.matcher)
                    if hit.pattern.category == "source_leak"
                    else None
                )
                if found:
                    start, end, lead_in = found[0], found[1], True
            elif hit.pattern.fix == "delete_match":
                start, end = _with_space_before(text.text, hit.start, hit.end)
            else:
                start, end = hit.start, hit.end
            for group in groups:
                if start < group.end and group.start < end:
                    group.start, group.end = min(start, group.start), max(end, group.end)
                    group.hits.append(hit)
                    group.lead_in = group.lead_in and lead_in
                    break
            else:
                groups.append(_Group(start, end, [hit], lead_in))
        return _merge(groups)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


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
            merged[-1].lead_in = merged[-1].lead_in and group.lead_in
        else:
            merged.append(group)
    return merged


def _finding(text: Text, group: _Group) -> Any:
    best = max(group.hits, key=lambda hit: (hit.pattern.severity == Severity.ERROR, hit.pattern.confidence))
    patterns = list({hit.pattern.id: hit.pattern for hit in group.hits}.values())
    deletes = all(p.fix != "none" for p in patterns)
    severity = Severity.ERROR if any(p.severity == Severity.ERROR for p in patterns) else Severity.WARNING
    start, end = group.start, group.end
    fix: str | None = "" if deletes else None
    message = best.pattern.message
    if group.lead_in:
        start, end, fix = _lead_in_fix(text.text, start, end)
        message = LEAD_IN_MESSAGE if fix is not None else LEAD_IN_REWRITE_MESSAGE
    return finding(
        Span(text.name, start, end, text.text[start:end]),
        FindingKind.MACHINE_TEXT,
        message,
        checker=CHECKER,
        confidence=max(p.confidence for p in patterns),
        evidence=[_evidence(p) for p in patterns],
        fix=fix,
        severity=severity,
    )


def _lead_in_fix(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """The span and fix of a lead-in group: deleted when what follows stands as a sentence (its
    first word, when lower case, joins the span whole and comes back capitalised, so the mark ends
    at a word's end); else marked only."""
    lead = text[start:end].rstrip()
    if not lead.lower().endswith((",", " that")):
        return start, start + len(lead), None
    if end < len(text) and text[end].islower():
        word = _FIRST_WORD.match(text, end)
        assert word is not None  # a lower-case letter starts a word
        return start, word.end(), word.group(0)[0].upper() + word.group(0)[1:]
    return start, end, ""


_FIRST_WORD = re.compile(r"\w+")


def _evidence(pattern: Pattern) -> Evidence:
    return Evidence(origin="pattern", quote=f"{pattern.id} [{pattern.category}]: {pattern.description}")


@register(CHECKER, requires=["sentences"])
def make_machine_text(resources: Resources) -> Checker:
    """Build the checker; ``Settings.extra["machine_text_patterns"]`` may name another library file,
    and ``Settings.extra["machine_text_classifier"] = False`` turns the classifier off."""
    path = resources.settings.extra.get("machine_text_patterns")
    classifier = None
    if resources.settings.extra.get("machine_text_classifier", True):
        try:
            classifier = load_classifier()
        except ModelMissingError as exc:
            log.warning("machine-text classifier off: %s", exc)
    return MachineTextChecker(load_library(path), classifier, _LazyEncoder(resources) if classifier else None)


class _LazyEncoder:
    """The pipeline's sentence encoder, loaded when a sentence first reaches the classifier's
    second step (most stories have none). Without an encoder (dense retrieval off, model missing)
    it gives NaN vectors, which the classifier scores 0."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        try:
            encoder = self.resources.encoder
        except ModelMissingError:
            encoder = None
        if encoder is None:
            return np.full((len(texts), 384), np.nan, dtype=np.float32)
        return encoder.encode(texts, batch_size)


def scan(text: str, patterns: Iterable[Pattern] | None = None) -> list[Hit]:
    """The raw hits of the library (default: the built-in one) in ``text``; for tests and tools."""
    return Matcher(list(patterns) if patterns is not None else _builtin()).hits(text)


_BUILTIN: list[Pattern] | None = None


def _builtin() -> list[Pattern]:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = load_library()
    return _BUILTIN
