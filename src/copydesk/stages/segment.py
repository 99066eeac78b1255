"""Segment: parse the story's texts and the sources; read sentences and atomic claims.

The headline and body get spaCy's full parse (the claims need dependencies). Sources only need
entities and sentences, so they skip the tagger and parser: that is most of the parsing time.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copydesk.document import Claim, Document, Text
from copydesk.registry import stages
from copydesk.resources import Resources

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as Sentence
    from spacy.tokens import Token

_MAX_CHUNK = 20_000  # characters per spaCy call for long sources: keeps memory flat

_MODALS = {"might", "could", "may", "would", "should", "must", "ought"}
_OPINION = re.compile(
    r"^\s*(?:I|we)\s+(?:think|believe|feel|expect|hope)\b|\b(?:in my (?:view|opinion)|arguably|perhaps|"
    r"probably|possibly|it remains to be seen|time will tell)\b",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"\s*(?:\d{1,2}[.)]|[-*\u2022])$")
"""A list item's number or bullet that the sentence splitter left at the end of the line before."""
_PLACE_OR_TIME = {"GPE", "LOC", "FAC", "DATE", "TIME"}
_SPECULATIVE_REPORTING = {"expect", "predict", "hope", "speculate", "forecast", "fear", "warn", "suggest"}


@stages.register("segment", assigns=["sentences", "claims"])
def segment(doc: Document, resources: Resources) -> None:
    """Parse every text and split the headline and body into sentences and claims."""
    nlp = resources.nlp
    own = doc.texts
    # The sources' entity pass runs in a second thread while the story is parsed: spaCy's matrix
    # products release the GIL, so on two cores this takes a fifth off the stage. With one thread
    # (a batch worker given one core) it runs after the story instead.
    parses = resources.shared("source_parses", SourceParses)
    sources_parsed = None
    if resources.settings.threads != 1:
        sources_parsed = resources.shared("source_parser", _source_threads).submit(
            parse_sources, doc.sources, nlp, parses
        )
    context = " ".join([doc.body.text, *(s.text for s in doc.sources)])
    inputs = [sentence_case(t.text, context) if t.name == "headline" else t.text for t in own]
    for text, parsed in zip(own, nlp.pipe(inputs), strict=True):
        text.doc = parsed
        text.sentences = [
            text.span(*_without_outer_space(text.text, s.start_char, s.end_char))
            for s in parsed.sents
            if s.text.strip()
        ]
    if sources_parsed is None:
        parse_sources(doc.sources, nlp, parses)
    else:
        sources_parsed.result()
    for text in own:
        for index, sentence in enumerate(text.doc.sents):
            if sentence.text.strip():
                doc.claims.extend(claims_of(text, sentence, index))


def _without_outer_space(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace: spaCy leaves the blank line after a
    paragraph's last sentence inside that sentence, and it belongs to no sentence."""
    words = text[start:end]
    return start + len(words) - len(words.lstrip()), end - (len(words) - len(words.rstrip()))


def _source_threads() -> ThreadPoolExecutor:
    # as many as cores, so that concurrent checks (the HTTP service) do not queue behind one thread
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="copydesk-sources")


def sentence_case(headline: str, body: str) -> str:
    """A Title Case headline in sentence case, for parsing: "Senator Rubio Scheduled for Trips"
    becomes "Senator Rubio scheduled for trips" (a word keeps its capital when the body writes it
    so, or it is an acronym). The length is unchanged, so offsets stay valid.
    """
    words = list(re.finditer(r"[A-Za-z][\w'’.-]*", headline))
    long_words = [w.group(0) for w in words if len(w.group(0)) >= 4]
    # Title Case capitalises every word that carries meaning; one lower-case long word means the
    # capitals that remain are names, and must be kept for the entity recogniser.
    if len(words) < 3 or not long_words or any(w[0].islower() for w in long_words):
        return headline
    chars = list(headline)
    for number, word in enumerate(words):
        token = word.group(0)
        if number == 0 or token.isupper() or re.search(rf"\b{re.escape(token)}\b", body):
            continue
        chars[word.start()] = token[0].lower()
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class SourceParse:
    """What :func:`parse_sources` reads from one source text: its parsed chunks (with their
    offsets) and its sentences as character ranges. It depends on the text alone."""

    chunks: tuple[tuple[int, SpacyDoc], ...]
    sentences: tuple[tuple[int, int], ...]


class SourceParses:
    """The parses of recently seen source texts, kept up to ``max_chars`` characters of source.

    Stories are often checked against the same sources: a platform writes several stories from
    one wire report, an editor re-checks a draft after each change, a benchmark holds several
    summaries of one article. The parse of a source depends on its text alone, so a repeated
    source is not parsed again. Least recently used parses go first. Safe to share between threads.

    The default bound keeps about 30 MB of parses (a few hundred news articles).
    """

    def __init__(self, max_chars: int = 500_000) -> None:
        self.max_chars = max_chars
        self._parses: OrderedDict[str, SourceParse] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> SourceParse | None:
        with self._lock:
            parse = self._parses.get(text)
            if parse is not None:
                self._parses.move_to_end(text)
            return parse

    def put(self, text: str, parse: SourceParse) -> None:
        if len(text) > self.max_chars:
            return
        with self._lock:
            if text in self._parses:
                return
            self._parses[text] = parse
            self._chars += len(text)
            while self._chars > self.max_chars:
                oldest, _ = self._parses.popitem(last=False)
                self._chars -= len(oldest)

    def __len__(self) -> int:
        return len(self._parses)


def parse_sources(sources: list[Text], nlp: Language, parses: SourceParses | None = None) -> None:
    """Entities and sentences of each source (no tagger or parser: they are not needed here).

    Sources found in ``parses`` are not parsed again; the others are parsed and added to it.
    """
    known: dict[str, SourceParse] = {}
    for source in sources:
        cached = parses.get(source.text) if parses is not None else None
        if cached is not None:
            known[source.text] = cached
    unknown = list({source.text: None for source in sources if source.text not in known})
    for text, parsed in zip(unknown, _parse_texts(unknown, nlp), strict=True):
        known[text] = parsed
        if parses is not None:
            parses.put(text, parsed)
    for source in sources:
        parse = known[source.text]
        source.doc = list(parse.chunks)
        source.sentences = [source.span(start, end) for start, end in parse.sentences]


def _parse_texts(texts: list[str], nlp: Language) -> list[SourceParse]:
    from spacy.pipeline import Sentencizer

    sentencizer = Sentencizer()
    pieces = [(number, start, chunk) for number, text in enumerate(texts) for start, chunk in _chunks(text)]
    needed = entity_pipes(nlp)
    disabled = [name for name in nlp.pipe_names if name not in needed]
    # disable per call: select_pipes would switch the parser off for every thread sharing nlp
    parsed = list(nlp.pipe([chunk for _, _, chunk in pieces], batch_size=16, disable=disabled))
    chunks: list[list[tuple[int, SpacyDoc]]] = [[] for _ in texts]
    sentences: list[list[tuple[int, int]]] = [[] for _ in texts]
    for (number, offset, _), chunk_doc in zip(pieces, parsed, strict=True):
        chunk_doc = sentencizer(chunk_doc)
        for token in chunk_doc[:-1]:
            if token.is_space and "\n\n" in token.text:
                chunk_doc[token.i + 1].is_sent_start = True  # a title or paragraph ends at a blank line
        chunks[number].append((offset, chunk_doc))
        for sentence in chunk_doc.sents:
            if sentence.text.strip():
                start, end = offset + sentence.start_char, offset + sentence.end_char
                sentences[number].append(_without_outer_space(texts[number], start, end))
    return [SourceParse(tuple(c), tuple(s)) for c, s in zip(chunks, sentences, strict=True)]


def entity_pipes(nlp: Language) -> set[str]:
    """The components entity recognition needs: ``ner`` and any shared embedding it listens to.

    In the small English pipeline the recogniser has an embedding layer of its own and the shared
    ``tok2vec`` serves only the tagger and parser, so running it for sources is wasted time (a
    third of the source pass).
    """
    needed = {"ner"}
    for name, component in nlp.pipeline:
        if "ner" in getattr(component, "listening_components", ()):
            needed.add(name)
    return needed


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Split a long text at paragraph breaks into pieces of at most ``_MAX_CHUNK`` characters."""
    start = 0
    while start < len(text):
        end = min(start + _MAX_CHUNK, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(". ", start, end) + 1
            end = cut if cut > start else end
        yield start, text[start:end]
        start = end


def claims_of(text: Text, sentence: Sentence, index: int) -> list[Claim]:
    """The atomic claims of one parsed sentence.

    "X, the Y and the first Z, will meet W" gives "X is the Y", "X is the first Z" and
    "X will meet W"; "X did A and did B" gives "X did A" and "X did B".
    """
    span = text.span(sentence.start_char, sentence.end_char)
    checkable = is_checkable(sentence)
    kind = "headline" if text.name == "headline" else "statement"
    claims: list[Claim] = []
    removed: list[tuple[int, int]] = []
    for token in sentence:
        head = token.head
        if head.i == token.i or not (head.ent_type_ in ("PERSON", "ORG", "GPE") or head.pos_ == "PROPN"):
            continue
        subject = _entity_text(token.head)
        subject_start = _entity_start(token.head)
        if token.dep_ == "appos":
            if token.ent_type_ in _PLACE_OR_TIME:
                continue  # "Boston, Lincolnshire" and "Tuesday, March 12" say where or when, not who
            if _after_colon(token):
                continue  # "joined Torquay United: Anderson, ... and Keating" lists, it does not rename
            members = [token, *_conjuncts(token)]
            stray = _stray_modifiers(token)
            for member in members:
                phrase = _phrase_without_conjuncts(member)
                if not phrase:
                    continue  # an apposition of punctuation alone ("Here is a summary:\n\n")
                if member is members[-1]:
                    phrase += stray
                # the span runs from the subject so that the claim's mentions include the person
                claims.append(
                    Claim(
                        text.span(subject_start, phrase[-1].idx + len(phrase[-1])),
                        f"{subject} is {_span_text(phrase)}.",
                        index,
                        "apposition",
                        checkable,
                        attribute=text.span(phrase[0].idx, phrase[-1].idx + len(phrase[-1])),
                    )
                )
            removed.append(_with_commas(sentence, [*token.subtree, *stray]))
        elif token.dep_ == "relcl" and _non_restrictive(token):
            # "Tomas Reyes, who joined Rovers in July, captained ..." -> "Tomas Reyes joined Rovers in July."
            tokens = [t for t in token.subtree if not (t.tag_ in ("WP", "WDT") and t.head.i == token.i)]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            if not tokens:
                continue
            claims.append(
                Claim(
                    text.span(subject_start, tokens[-1].idx + len(tokens[-1])),
                    f"{subject} {_span_text(tokens)}.",
                    index,
                    "apposition",
                    checkable,
                )
            )
            removed.append(_with_commas(sentence, list(token.subtree)))
    main = _without(sentence, removed)
    root = sentence.root
    verbs = [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if verbs and not any(c.dep_ in ("nsubj", "nsubjpass") for v in verbs for c in v.children):
        subject_token = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject_token is not None:
            first_end = min(t.i for t in verbs)
            cc = [c for c in root.children if c.dep_ == "cc" and c.i < first_end]
            boundary = cc[0].i if cc else first_end
            head_tokens = [t for t in sentence if t.i < boundary]
            claims.append(
                Claim(span, _clean(_tokens_text(head_tokens, removed)) + ".", index, kind, checkable)
            )
            subject_text = _tokens_text(list(subject_token.subtree), removed)
            auxiliaries = " ".join(c.text for c in root.children if c.dep_ in ("aux", "neg") and c.i < root.i)
            for verb in verbs:
                tokens = [t for t in verb.subtree if t.dep_ != "cc" or t.head.i != verb.i]
                has_aux = any(c.dep_ == "aux" for c in verb.children)
                lead = f"{subject_text} {auxiliaries}" if auxiliaries and not has_aux else subject_text
                claims.append(
                    Claim(
                        text.span(tokens[0].idx, tokens[-1].idx + len(tokens[-1])),
                        f"{lead} {_span_text(tokens).rstrip('.')}.",
                        index,
                        "coordination",
                        checkable,
                    )
                )
            return claims
    claims.insert(0, Claim(span, main, index, kind, checkable))
    return claims


def is_checkable(sentence: Sentence) -> bool:
    """False for questions, opinions and speculation, which are not claims to check."""
    text = _LIST_MARKER.sub("", sentence.text.strip())
    if text.endswith(("?", ":")) or _OPINION.search(text):
        return False  # a question, an opinion, or a lead-in whose facts follow ("The key points are:")
    root = sentence.root
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in root.children):
        return False
    return root.lemma_.lower() not in _SPECULATIVE_REPORTING and root.lower_ not in _SPECULATIVE_REPORTING


def _non_restrictive(relcl: Token) -> bool:
    """A relative clause set off by a comma and opened by "who" or "which" adds a claim of its own."""
    first = next(iter(relcl.subtree))
    before = relcl.doc[first.i - 1] if first.i > 0 else None
    return first.lower_ in ("who", "which") and before is not None and before.text == ","


def _with_commas(sentence: Sentence, tokens: list[Token]) -> tuple[int, int]:
    """Character range of ``tokens`` (a subtree) with the commas that set them off."""
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    doc = first.doc
    start, end = first.idx, last.idx + len(last)
    if first.i > sentence.start and doc[first.i - 1].text == ",":
        start = doc[first.i - 1].idx
        if last.i + 1 < sentence.end and doc[last.i + 1].text == ",":
            end = doc[last.i + 1].idx + 1
    return start, end


def _stray_modifiers(apposition: Token) -> list[Token]:
    """Words inside an apposition's commas that the parser hung on the person instead.

    In "Mike Pompeo, the top diplomat and the first Latino to hold the position, will travel" the
    parser may attach "to hold the position" to "Pompeo"; it belongs to "the first Latino".
    """
    subtree = list(apposition.subtree)
    doc = apposition.doc
    if subtree[0].i == 0 or doc[subtree[0].i - 1].text != ",":
        return []
    end = subtree[-1].i
    closing = next((c for c in apposition.head.children if c.text == "," and c.i > end), None)
    if closing is None:
        return []
    stray = [t for c in apposition.head.children if end < c.i < closing.i for t in c.subtree]
    if not all(end < t.i < closing.i for t in stray):
        return []
    return sorted(stray, key=lambda t: t.i)


def _entity_text(token: Token) -> str:
    if token.ent_type_:
        doc = token.doc
        for ent in doc.ents:
            if ent.start <= token.i < ent.end:
                return re.sub(r"(?:'s|’s)$", "", ent.text)
    return token.text


def _entity_start(token: Token) -> int:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.start_char
    return token.idx


def _after_colon(apposition: Token) -> bool:
    """Whether an apposition follows a colon: what comes after one elaborates (a list of who joined
    a club), it is not another name of the same thing."""
    first = min(apposition.subtree, key=lambda t: t.i)
    between = apposition.doc[apposition.head.i + 1 : first.i]  # "Torquay United (the Gulls): ..."
    return any(t.is_punct and ":" in t.text for t in between)


def _conjuncts(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ == "conj"]


def _phrase_without_conjuncts(token: Token) -> list[Token]:
    """The words of an apposition without its conjuncts, and without its own appositions and
    relative clauses set off by commas (claims of their own)."""
    skip: set[int] = set()
    for child in token.children:
        if (
            child.dep_ in ("conj", "cc")
            or (child.dep_ == "punct" and child.text == ",")
            or child.dep_ == "appos"
            or (child.dep_ == "relcl" and _non_restrictive(child))
        ):
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in token.subtree if t.i not in skip]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _span_text(tokens: list[Token]) -> str:
    """The words as written, with a space where words in between were left out ("Keating, a
    striker" without its apposition is "Keating", not "Keatinga")."""
    pieces = []
    for number, token in enumerate(tokens):
        gap = number + 1 < len(tokens) and tokens[number + 1].i != token.i + 1
        pieces.append(token.text + " " if gap and not token.whitespace_ else token.text_with_ws)
    return "".join(pieces).strip()


def _tokens_text(tokens: list[Token], removed: list[tuple[int, int]]) -> str:
    return _span_text([t for t in tokens if not any(start <= t.idx < end for start, end in removed)])


def _without(sentence: Sentence, removed: list[tuple[int, int]]) -> str:
    return _clean(_tokens_text(list(sentence), removed))


def _clean(text: str) -> str:
    text = re.sub(r"\s*\(\s*\)", "", text)  # brackets whose words were claims of their own
    text = re.sub(r"\s*,\s*,", ",", text)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,")
