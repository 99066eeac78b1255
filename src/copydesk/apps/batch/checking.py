"""Checking one task: the work a batch worker (process, in-process loop or Ray actor) does.

A story that cannot be read or checked becomes an :class:`ErrorRecord` line instead of a report,
so one bad story never stops a batch.
"""

from __future__ import annotations

import json
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from copydesk.apps.batch.records import Task, story_from_record
from copydesk.errors import CopydeskError
from copydesk.resources import Settings
from copydesk.schema import SCHEMA_VERSION, StoryIn

Status = Literal["consistent", "inconsistent", "failed"]

MAX_ERROR_CHARS = 500


class ErrorRecord(BaseModel):
    """The output line of a story that failed: its id and the reason, no verdict."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(SCHEMA_VERSION, alias="schema", serialization_alias="schema")
    id: str
    consistent: None = None
    score: None = None
    error: str = Field(..., description="Why the story could not be checked, in one line.")

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class Outcome(NamedTuple):
    """What a worker sends back: the story id, how it went, and the output line (no newline)."""

    id: str
    status: Status
    line: str


class SetupError(CopydeskError):
    """The pipeline could not be built in a worker (a model or the knowledge base is missing)."""


class StoryChecker:
    """Holds one pipeline (models loaded once) and turns tasks into output lines."""

    def __init__(self, settings: Settings) -> None:
        from copydesk.pipeline import Pipeline

        try:
            self.pipeline = Pipeline(settings)
            self.pipeline.warm_up()
        except CopydeskError as exc:
            raise SetupError(str(exc)) from None
        except Exception as exc:
            raise SetupError(f"the pipeline could not start: {_describe(exc)}") from exc

    def __call__(self, task: Task, data: bytes | None = None) -> Outcome:
        """Check one task; ``data``, when given, is the content of a file task's file."""
        try:
            story = self._load(task, data)
        except Exception as exc:
            return _failed(task.id, _describe(exc))
        try:
            report = self.pipeline.check(story)
        except Exception as exc:
            return _failed(task.id, f"checking failed: {_describe(exc)}")
        return Outcome(task.id, "consistent" if report.consistent else "inconsistent", report.to_json())

    def _load(self, task: Task, data: bytes | None) -> StoryIn:
        if task.kind == "invalid":
            raise CopydeskError(task.payload)
        if task.kind == "file":
            from copydesk.reading import read_story, read_story_text

            story = read_story(task.payload) if data is None else read_story_text(task.payload, data)
            return story.model_copy(update={"id": task.id})
        try:
            record = json.loads(task.payload)
        except ValueError as exc:
            raise CopydeskError(f"line {task.number}: not valid JSON ({exc})") from None
        return story_from_record(record, task.number)


def _failed(task_id: str, reason: str) -> Outcome:
    return Outcome(task_id, "failed", ErrorRecord(id=task_id, error=reason).to_json())


def _describe(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, CopydeskError) else f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"
