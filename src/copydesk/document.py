"""The object that flows through the pipeline.

Like spaCy's ``Doc``: every stage annotates the same :class:`Document` with character-offset
spans and never reaches back to an earlier stage. Offsets always index the text the user gave.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import MISSING, dataclass, field
from typing import Any

from copydesk.schema import Finding, SourceIn, StoryIn

PLAIN_SENTENCE = re.compile(r"\S.*?(?:(?<!\b[A-Z])[.!?]+(?=\s|$)|$)", re.DOTALL)
"""A sentence without a parser: up to ., ! or ? before a space, not after a lone initial."""


@dataclass(slots=True)
class Span:
    """Characters ``text[start:end]`` of one text: ``headline``, ``body`` or a source id."""

    field: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """A person, organisation, place, office, date, number or quotation named in a text.

    ``label`` uses spaCy's entity labels plus ``OFFICE`` and ``QUOTE``. ``entity`` is the
    canonical form the text resolves it to (the full name for "Pompeo" or "he"); ``value`` is the
    normalised value (a :class:`Period` for dates, a float for numbers).
    """

    span: Span
    label: str
    entity: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time a date expression refers to (a day, a month, a year, a term)."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(slots=True)
class Role:
    """A person bound to an office in the text: "Marco Rubio, the Secretary of State".

    ``tense`` is ``current`` for a title presented as held at the time talked about,
    ``former`` for "former"/"ex-" and ``then`` for "then-Secretary of State".
    """

    person: Mention
    office: Mention
    tense: str = "current"
    when: Period | None = None


@dataclass(slots=True)
class Claim:
    """An atomic factual statement read from a sentence of the headline or the body.

    ``span`` covers the characters of the story the claim rests on; ``text`` is the claim as a
    standalone statement (an apposition "X, the Y," becomes "X is the Y"). ``attribute`` is the
    span of what an apposition says of its subject ("the Y"), where a finding about it belongs.
    """

    span: Span
    text: str
    sentence: int
    kind: str = "statement"  # statement | apposition | coordination | headline
    checkable: bool = True
    when: Period | None = None
    attribute: Span | None = None


@dataclass(slots=True)
class Passage:
    """A window of sentences of one source, retrieved as evidence for a claim."""

    source_id: str
    start: int
    end: int
    text: str
    score: float = 0.0


@dataclass(slots=True)
class Entity:
    """One person (or organisation) of the story with every mention of it, headline included.

    ``name`` is the fullest name the story (or its sources) gives; ``mentions`` are in reading
    order, headline first, and ``forms`` says for each how it names the entity: ``name`` (the full
    name), ``surname``, ``possessive`` ("Pompeo's"), ``title`` (bound to an office: "Secretary
    Pompeo") or ``pronoun``. ``gender`` is ``male``, ``female`` or None when nothing tells it.
    """

    name: str
    label: str = "PERSON"
    gender: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)

    def add(self, mention: Mention, form: str) -> None:
        self.mentions.append(mention)
        self.forms.append(form)

    def holds(self, span: Span) -> bool:
        """Whether ``span`` is one of this entity's mentions."""
        return any(
            m.span.field == span.field and m.span.start == span.start and m.span.end == span.end
            for m in self.mentions
        )


@dataclass(slots=True)
class Text:
    """One text of the story (headline, body) or one source, with its annotations."""

    name: str
    text: str
    doc: Any = None  # the spaCy Doc
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    source: SourceIn | None = None

    def span(self, start: int, end: int) -> Span:
        return Span(self.name, start, end, self.text[start:end])

    def sentence_spans(self) -> list[Span]:
        """The parsed sentences; before parsing (or for a text no stage parsed), a plain split at
        sentence-ending punctuation."""
        if self.sentences:
            return self.sentences
        return [self.span(m.start(), m.end()) for m in PLAIN_SENTENCE.finditer(self.text)]

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence that holds character ``offset``, or None (between sentences)."""
        return next((s for s in self.sentence_spans() if s.start <= offset < s.end), None)

    def mentions_in(self, start: int, end: int, *labels: str) -> list[Mention]:
        return [
            m
            for m in self.mentions
            if m.span.start >= start and m.span.end <= end and (not labels or m.label in labels)
        ]


@dataclass
class Document:
    """A story being checked: the input, the annotations of every stage, and the findings."""

    story: StoryIn
    headline: Text
    body: Text
    sources: list[Text] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    evidence: dict[int, list[Passage]] = field(default_factory=dict)
    retrieved: dict[int, list[Passage]] = field(default_factory=dict)
    """``evidence`` in the order retrieval found it, kept when the support stage puts the most
    supporting passage first, so that judging a claim again asks about the same passages."""
    support: dict[int, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    """The story's people, each with all its mentions (see ``copydesk.stages.entities``)."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A document pickled by an earlier copydesk (a training cache) gains the fields added
        since, empty."""
        for name, spec in self.__dataclass_fields__.items():
            if name not in state and spec.default_factory is not MISSING:
                state[name] = spec.default_factory()
        self.__dict__.update(state)

    @classmethod
    def from_story(cls, story: StoryIn) -> Document:
        return cls(
            story=story,
            headline=Text("headline", story.headline),
            body=Text("body", story.body),
            sources=[Text(s.id or f"s{i}", s.text, source=s) for i, s in enumerate(story.sources, 1)],
        )

    @property
    def published(self) -> dt.date | None:
        return self.story.published

    @property
    def texts(self) -> list[Text]:
        """The story's own texts, headline first."""
        return [t for t in (self.headline, self.body) if t.text]

    def text(self, name: str) -> Text:
        for candidate in (self.headline, self.body, *self.sources):
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def source(self, source_id: str) -> Text:
        return next(s for s in self.sources if s.name == source_id)
