"""The corrected story: every fix of error severity applied at every place its finding holds.

A report already says what to change: each finding lists its places (``Finding.spans``), each with
its replacement. :func:`apply_fixes` makes those changes in the headline and the body; deleting a
leaked machine sentence also takes the space that joined it to its neighbours. Where two changes
overlap, the wider one wins (a deleted sentence takes the names in it along); two findings asking
the same change at the same place make one change. Warnings ("check it by hand") change nothing.

:func:`fix` checks a story and returns the corrected text, the changes and the report; the
``copydesk fix`` command, ``copydesk.fix(...)`` and ``POST /api/fix`` all go through it.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, Field

from copydesk.pipeline import check as check_story
from copydesk.schema import SCHEMA_VERSION, Report, Severity, StoryIn, TextField


class Change(BaseModel):
    """One replacement made in the story: ``old`` at ``field[start:end]`` (offsets of the original
    text) became ``new``."""

    field: TextField
    start: int
    end: int
    old: str
    new: str
    kind: str = Field(..., description="The kind of the finding the change fixes.")
    finding: int = Field(..., description="Index into the report's findings.")


class FixResult(BaseModel):
    """The corrected story, what changed, and the report it came from."""

    schema_: str = Field(SCHEMA_VERSION, alias="schema", serialization_alias="schema")
    headline: str
    body: str
    changes: list[Change] = Field(default_factory=list)
    report: Report

    model_config = {"populate_by_name": True}

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def text(self) -> str:
        """The corrected story as text: the headline on the first line, then the body."""
        return story_text(self.headline, self.body)

    def original_text(self) -> str:
        return story_text(self.report.headline, self.report.body)

    def diff(self, name: str = "story") -> str:
        """A unified diff of the corrected story against the original."""
        lines = difflib.unified_diff(
            self.original_text().splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=f"{name} (original)",
            tofile=f"{name} (fixed)",
        )
        return "".join(lines)


def story_text(headline: str, body: str) -> str:
    """The headline on the first line, a blank line, then the body (as ``.txt`` stories are read)."""
    parts = [part for part in (headline.strip(), body.strip("\n")) if part]
    return "\n\n".join(parts) + "\n"


def planned_changes(report: Report) -> list[Change]:
    """The changes the report's error findings ask for, one per place, none overlapping another."""
    texts = {"headline": report.headline, "body": report.body}
    wanted: list[Change] = []
    for index, found in enumerate(report.findings):
        if found.severity != Severity.ERROR or found.fix is None:
            continue
        for span in found.spans:
            text = texts.get(span.field, "")
            if span.fix is None or not (0 <= span.start <= span.end <= len(text)):
                continue
            old = text[span.start : span.end]
            if span.text and old != span.text:
                continue  # the report is about another text than this one
            if span.fix == old:
                continue
            wanted.append(
                Change(
                    field=span.field,
                    start=span.start,
                    end=span.end,
                    old=old,
                    new=span.fix,
                    kind=found.kind.value,
                    finding=index,
                )
            )
    # the wider change first; a change inside or across one already taken is left out
    wanted.sort(key=lambda c: (c.field, -(c.end - c.start), c.start))
    taken: list[Change] = []
    for change in wanted:
        if any(t.field == change.field and t.start < change.end and change.start < t.end for t in taken):
            continue
        if any(
            t.field == change.field and t.start == change.start == t.end == change.end for t in taken
        ):  # pragma: no cover - empty spans are not findings
            continue
        taken.append(change)
    return sorted(taken, key=lambda c: (c.field != "headline", c.start))


def apply_changes(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (all of one field, not overlapping) made, last first."""
    for change in sorted(changes, key=lambda c: c.start, reverse=True):
        start, end = change.start, change.end
        if change.new == "":
            start, end = _with_joining_space(text, start, end)
        text = text[:start] + change.new + text[end:]
    return text


def _with_joining_space(text: str, start: int, end: int) -> tuple[int, int]:
    """A deleted sentence takes one side's spaces with it, so no double space or blank start remains."""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after > end and (start == 0 or text[start - 1] in " \t\n"):
        return start, after
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return before, end


def apply_fixes(report: Report) -> FixResult:
    """The story of ``report`` with every error finding's fix applied at every place."""
    changes = planned_changes(report)
    headline = apply_changes(report.headline, [c for c in changes if c.field == "headline"])
    body = apply_changes(report.body, [c for c in changes if c.field == "body"])
    return FixResult(headline=headline, body=body, changes=changes, report=report)


def fix(story: StoryIn | dict[str, Any], settings: Any = None, pipeline: Any = None) -> FixResult:
    """Check ``story`` (a :class:`StoryIn` or a dict in the interchange format) and return it corrected.

    >>> result = copydesk.fix({"headline": "...", "body": "...", "sources": [...]})
    >>> print(result.text); result.changes

    Give ``pipeline`` to reuse one (models load once), or ``settings`` for a new one.
    """
    report = check_story(story, settings) if pipeline is None else pipeline.check(story)
    return apply_fixes(report)
