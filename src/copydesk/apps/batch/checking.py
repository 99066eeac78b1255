"""Checking one task: the work a batch worker (process, in-process loop or Ray actor) does.

A story that cannot be read or checked becomes a :class:`copydesk.schema.StoryFailure` line (an
error record: ``score: null`` and ``error``) instead of a report, so one bad story never stops a
batch. :func:`check_stories` gives Python code the same: a report or a failure per story.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal, NamedTuple

from copydesk.apps.batch.records import Task, story_from_record
from copydesk.errors import CopydeskError
from copydesk.pipeline import Pipeline
from copydesk.reading import read_story, read_story_text
from copydesk.resources import Settings
from copydesk.schema import Report, StoryFailure, StoryIn

Status = Literal["consistent", "inconsistent", "failed"]


class Outcome(NamedTuple):
    """What a worker sends back: the story id, how it went, and the output line (no newline)."""

    id: str
    status: Status
    line: str


class SetupError(CopydeskError):
    """The pipeline could not be built in a worker (a model or the knowledge base is missing)."""


class StoryChecker:
    """Holds one pipeline (models loaded once) and turns tasks into reports or failures."""

    def __init__(self, settings: Settings | None = None, pipeline: Pipeline | None = None) -> None:
        if pipeline is not None:
            self.pipeline = pipeline
            return
        try:
            self.pipeline = Pipeline(settings)
            self.pipeline.warm_up()
        except CopydeskError as exc:
            raise SetupError(str(exc)) from None
        except Exception as exc:
            raise SetupError(f"the pipeline could not start: {type(exc).__name__}: {exc}") from exc

    def __call__(self, task: Task, data: bytes | None = None) -> Outcome:
        """Check one task as an output line; ``data``, when given, is the content of a file task's file."""
        result = self.result(task, data)
        if isinstance(result, StoryFailure):
            return Outcome(task.id, "failed", result.to_json())
        return Outcome(task.id, "consistent" if result.consistent else "inconsistent", result.to_json())

    def result(self, task: Task, data: bytes | None = None) -> Report | StoryFailure:
        """The report of one task, or why it could not be read or checked."""
        try:
            story = self._load(task, data)
        except Exception as exc:
            return StoryFailure.from_exception(task.id, exc, checking=False)
        return self.check(story, task.id)

    def check(self, story: StoryIn, story_id: str | None) -> Report | StoryFailure:
        """The report of a story that was read, or why its check failed."""
        try:
            return self.pipeline.check(story)
        except Exception as exc:
            return StoryFailure.from_exception(story_id, exc)

    def _load(self, task: Task, data: bytes | None) -> StoryIn:
        if task.kind == "invalid":
            raise CopydeskError(task.payload)
        if task.kind == "file":
            story = read_story(task.payload) if data is None else read_story_text(task.payload, data)
            return story.model_copy(update={"id": task.id})
        try:
            record = json.loads(task.payload)
        except ValueError as exc:
            raise CopydeskError(f"line {task.number}: not valid JSON ({exc})") from None
        return story_from_record(record, task.number)


def check_stories(
    stories: Iterable[StoryIn | dict[str, Any]], pipeline: Pipeline | None = None
) -> Iterator[Report | StoryFailure]:
    """Check stories one after the other: a report for each, or a :class:`StoryFailure` for one
    that could not be read or checked (``score`` None, ``error`` why), as ``copydesk batch`` does.

    Stories given as dicts are story records (interchange or benchmark shape), read by
    ``copydesk.reading.story_from_record``. One result per story, in order. ``pipeline``: one to
    share (default: a new one, built and warmed up here).
    """
    checker = StoryChecker(pipeline=pipeline)
    for number, story in enumerate(stories, start=1):
        if isinstance(story, StoryIn):
            yield checker.check(story, story.id)
            continue
        try:
            read = story_from_record(story, where=f"story {number}")
        except Exception as exc:
            story_id = story.get("id") if isinstance(story, dict) else None
            yield StoryFailure.from_exception(
                None if story_id is None else str(story_id), exc, checking=False
            )
            continue
        yield checker.check(read, read.id)
