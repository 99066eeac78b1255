"""The pipeline: read -> segment -> mentions -> retrieve -> support -> verify -> decide -> report.

Each stage is a function ``stage(doc, resources)`` that annotates the :class:`Document`; the list
:data:`STAGES` is the pipeline you can read. Checkers run in the verify stage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from copydesk import checkers as checker_registry
from copydesk.document import Document
from copydesk.errors import InputError
from copydesk.resources import Resources, Settings
from copydesk.schema import Finding, FindingKind, Report, StoryIn
from copydesk.stages.decide import decide
from copydesk.stages.mentions import annotate_mentions
from copydesk.stages.retrieve import retrieve_evidence
from copydesk.stages.segment import segment
from copydesk.stages.support import score_support

log = logging.getLogger(__name__)

Stage = Callable[[Document, Resources], None]

STAGES: list[tuple[str, Stage]] = [
    ("segment", segment),
    ("mentions", annotate_mentions),
    ("retrieve", retrieve_evidence),
    ("support", score_support),
]


class Pipeline:
    """Checks stories. Build one and reuse it: models load once, on first use."""

    def __init__(self, settings: Settings | None = None, resources: Resources | None = None) -> None:
        self.resources = resources or Resources(settings)
        self.settings = self.resources.settings
        self._checkers: list[tuple[str, Any]] | None = None

    @property
    def checkers(self) -> list[tuple[str, Any]]:
        if self._checkers is None:
            self._checkers = checker_registry.build(self.settings.checkers, self.resources)
        return self._checkers

    def warm_up(self) -> None:
        """Load every model now rather than on the first story (servers call this at start)."""
        self.check(StoryIn(headline="Warm-up", body="The council met on Monday in Springfield."))

    def annotate(self, story: StoryIn) -> Document:
        """Run the stages before verification; useful to inspect claims and mentions."""
        doc = Document.from_story(story)
        for _, stage in STAGES:
            stage(doc, self.resources)
        return doc

    def verify(self, story: StoryIn | dict[str, Any]) -> Document:
        """Run every stage and checker: the document the decide stage reads (training reads it too)."""
        doc = self.annotate(as_story(story))
        seen: set[tuple[str, int, int, str]] = set()
        for name, checker in self.checkers:
            for found in checker(doc):
                found.checker = name
                # one finding per span and kind: earlier checkers in the list are the more specific
                key = (found.field, found.start, found.end, found.kind)
                if key not in seen:
                    seen.add(key)
                    doc.findings.append(found)
        doc.findings = without_generic_duplicates(doc.findings)
        return doc

    def check(self, story: StoryIn | dict[str, Any]) -> Report:
        """Check one story and return its report."""
        return decide(self.verify(story))

    def pipe(self, stories: Iterable[StoryIn | dict[str, Any]]) -> Iterator[Report]:
        """Check a stream of stories, yielding reports in order."""
        for story in stories:
            yield self.check(story)


GENERIC_KINDS = frozenset({FindingKind.CONTRADICTED, FindingKind.UNSUPPORTED})


def without_generic_duplicates(findings: list[Finding]) -> list[Finding]:
    """Drop "contradicted"/"unsupported" on a claim that already has a specific finding inside it:
    "wrong date" on "Wednesday" says more than "contradicted" on the whole sentence."""
    specific = [f for f in findings if f.kind not in GENERIC_KINDS]
    return [
        f
        for f in findings
        if f.kind not in GENERIC_KINDS
        or not any(s.field == f.field and f.start <= s.start and s.end <= f.end for s in specific)
    ]


def as_story(story: StoryIn | dict[str, Any]) -> StoryIn:
    """Validate a story given as a dict (interchange format); raise InputError naming the field."""
    if isinstance(story, StoryIn):
        return story
    try:
        return StoryIn.model_validate(story)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "story"
        problems.append(f"{where}: {error['msg']}")
    return "invalid story: " + "; ".join(problems)


_default: Pipeline | None = None


def check(story: StoryIn | dict[str, Any], settings: Settings | None = None) -> Report:
    """Check one story with a shared default pipeline (or a new one for custom settings)."""
    global _default
    if settings is not None:
        return Pipeline(settings).check(story)
    if _default is None:
        _default = Pipeline()
    return _default.check(story)
