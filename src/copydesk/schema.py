"""The interchange format (schema ``copydesk/2``): what goes in and what comes out.

These pydantic models are the one definition shared by the CLI, the batch runner and the HTTP
service; docs/schema.md documents them field by field.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from copydesk.errors import CopydeskError

SCHEMA_VERSION = "copydesk/2"
"""``copydesk/2`` added ``Finding.spans``, ``Report.checked`` and a ``score`` of null (docs/schema.md)."""

TextField = Literal["headline", "body"]


class SourceIn(BaseModel):
    """One piece of material the story was written from (search result, wire copy, release)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(None, description="Identifier shown in evidence; defaults to s1, s2, ...")
    title: str = ""
    text: str = Field("", description="Full text of the source (or its snippet).")
    url: str | None = None
    published: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _snippet_is_text(cls, data: object) -> object:
        # Search-result JSONL carries `snippet` where full sources carry `text`.
        if isinstance(data, dict) and not data.get("text") and data.get("snippet"):
            data = {**data, "text": data["snippet"]}
        return data

    @field_validator("published", mode="before")
    @classmethod
    def _lenient_date(cls, value: object) -> object:
        return parse_published(value)


class StoryIn(BaseModel):
    """A story to check: headline, body, publication date and its sources."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    headline: str = ""
    body: str = Field(..., description="The story text (plain text; offsets in the report index it).")
    published: dt.date | None = Field(None, description="Publication date, ISO 8601.")
    sources: list[SourceIn] = Field(default_factory=list)

    @field_validator("published", mode="before")
    @classmethod
    def _lenient_date(cls, value: object) -> object:
        return parse_published(value)

    @model_validator(mode="after")
    def _not_empty(self) -> StoryIn:
        if not (self.body.strip() or self.headline.strip()):
            raise ValueError("the story is empty: give a headline or a body")
        for number, source in enumerate(self.sources, start=1):
            if source.id is None:
                source.id = f"s{number}"
        return self


class FindingKind(StrEnum):
    """What is wrong. docs/schema.md explains each kind with an example."""

    WRONG_PERSON_FOR_OFFICE = "wrong_person_for_office"
    WRONG_TITLE = "wrong_title"
    WRONG_PERSON = "wrong_person"
    MISSPELLED_NAME = "misspelled_name"
    WRONG_DATE = "wrong_date"
    WRONG_NUMBER = "wrong_number"
    WRONG_PLACE = "wrong_place"
    MISQUOTED = "misquoted"
    CONTRADICTED = "contradicted"
    UNSUPPORTED = "unsupported"
    HEADLINE_CONTRADICTS_BODY = "headline_contradicts_body"
    MACHINE_TEXT = "machine_text"


class Verdict(StrEnum):
    """How a claim (or a finding's span) stands against the evidence."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    UNSUPPORTED = "unsupported"
    NOT_CHECKED = "not_checked"


class Severity(StrEnum):
    ERROR = "error"  # the text is wrong; the story is not consistent
    WARNING = "warning"  # nothing backs the text; an editor should check it by hand


class Evidence(BaseModel):
    """Why a finding was made: a quote from a source, a knowledge-base fact, or the story itself."""

    origin: Literal["source", "knowledge_base", "story", "pattern"]
    quote: str = Field(..., description="The passage, fact or pattern shown to the editor.")
    source_id: str | None = None
    title: str | None = None
    url: str | None = None
    start: int | None = Field(None, description="Offset of the quote in the source text.")
    end: int | None = None
    provenance: str | None = Field(None, description="Where a knowledge-base fact came from.")


class FindingSpan(BaseModel):
    """One place in the story a finding is about: a finding about a person holds at every mention."""

    field: TextField
    start: int
    end: int
    text: str = Field("", description="The characters text[start:end] of the field.")
    fix: str | None = Field(
        None, description="Replacement for this span; null where the span is shown but left as it is."
    )


class Finding(BaseModel):
    """One problem in the story, anchored to the exact characters.

    ``field``/``start``/``end``/``text``/``fix`` name the first place; ``spans`` lists every place,
    that one first, each with its own replacement ("Mike Pompeo" -> "Marco Rubio", then "Pompeo" ->
    "Rubio"). Where a producer gives no spans, the first place is the only one.
    """

    field: TextField
    start: int
    end: int
    text: str
    kind: FindingKind
    verdict: Verdict
    severity: Severity
    confidence: float = Field(..., ge=0.0, le=1.0)
    message: str = Field(..., description="What is wrong, in one sentence for the editor.")
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str | None = Field(None, description="Replacement for text[start:end], when known.")
    checker: str = Field(..., description="Name of the checker that made the finding.")
    claim: int | None = Field(None, description="Index into `claims` of the claim concerned.")
    spans: list[FindingSpan] = Field(
        default_factory=list, description="Every place the finding holds, the first place first."
    )

    @model_validator(mode="after")
    def _first_place_is_a_span(self) -> Finding:
        if not self.spans or (self.spans[0].field, self.spans[0].start, self.spans[0].end) != (
            self.field,
            self.start,
            self.end,
        ):
            first = FindingSpan(
                field=self.field, start=self.start, end=self.end, text=self.text, fix=self.fix
            )
            self.spans = [
                first,
                *(s for s in self.spans if (s.field, s.start, s.end) != (self.field, self.start, self.end)),
            ]
        return self


class ClaimOut(BaseModel):
    """An atomic factual claim read from the story."""

    field: TextField
    start: int
    end: int
    text: str = Field(..., description="The claim as a standalone statement.")
    verdict: Verdict
    support: float | None = Field(None, description="Entailment probability from the best evidence.")


class KnowledgeBaseOut(BaseModel):
    """The knowledge base a story was checked against."""

    name: str = Field(..., description="What it was built from (a Wikidata dump, say), or its folder.")
    up_to: dt.date | None = Field(None, description="The latest date it knows of, when it says.")


class CheckedAgainst(BaseModel):
    """What the story was checked against, and what could not be checked at all."""

    sources: int = Field(0, description="How many sources with text the story came with.")
    knowledge_base: KnowledgeBaseOut | None = None
    unchecked_claims: list[int] = Field(
        default_factory=list, description="Indexes into `claims` of claims nothing could check."
    )

    @property
    def anything(self) -> bool:
        return bool(self.sources or self.knowledge_base)


class Report(BaseModel):
    """copydesk's answer for one story."""

    schema_: str = Field(SCHEMA_VERSION, alias="schema", serialization_alias="schema")
    id: str | None = None
    headline: str = ""
    body: str = ""
    published: dt.date | None = None
    consistent: bool = Field(..., description="True when no finding of error severity was made.")
    score: float | None = Field(
        ...,
        ge=0.0,
        le=1.0,
        description="Probability the story is fully supported; null when there was nothing to check "
        "it against (no source, no knowledge base).",
    )
    claims: list[ClaimOut] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    sources: list[SourceIn] = Field(default_factory=list)
    checked: CheckedAgainst | None = Field(None, description="What the story was checked against.")
    error: str | None = Field(None, description="Set on batch error records instead of findings.")

    model_config = ConfigDict(populate_by_name=True)

    def to_json(self, **kwargs: object) -> str:
        return self.model_dump_json(by_alias=True, **kwargs)  # type: ignore[arg-type]


def parse_published(value: object) -> Any:
    """Accept ISO dates, ISO datetimes and empty strings for publication dates; anything else is
    returned for pydantic to reject with its own message."""
    if value in ("", None):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            import dateparser

            parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
            if parsed is None:
                raise ValueError(f"not a date: {value!r}; use YYYY-MM-DD") from None
            return parsed.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


MAX_ERROR_CHARS = 500


class StoryFailure(BaseModel):
    """A story that could not be checked: no verdict and no score, only why (docs/schema.md).

    The one shape of a failure, in batch output lines, in the HTTP API's ``/api/batch`` answer and
    in Python (``copydesk.apps.batch.check_stories``): ``consistent`` and ``score`` are null, never a
    verdict or a probability for a story that was not checked.
    """

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(SCHEMA_VERSION, alias="schema", serialization_alias="schema")
    id: str | None = None
    consistent: None = None
    score: None = None
    error: str = Field(
        ..., description="Why the story could not be checked: one line, at most 500 characters."
    )

    @field_validator("error")
    @classmethod
    def _one_line(cls, value: str) -> str:
        text = " ".join(value.split())
        return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "\u2026"

    @classmethod
    def from_exception(
        cls, story_id: str | None, exc: BaseException, *, checking: bool = True
    ) -> StoryFailure:
        """The failure for ``exc``: copydesk's own message, else the exception's type and message.

        ``checking``: the story was read and its check failed (``checking failed: ...``); False for
        a story that could not be read (the message names the input already).
        """
        text = str(exc) if isinstance(exc, CopydeskError) else f"{type(exc).__name__}: {exc}"
        return cls(id=story_id, error=f"checking failed: {text}" if checking else text)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)
