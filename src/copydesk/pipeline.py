"""The pipeline: read -> segment -> mentions -> retrieve -> support -> verify -> decide -> report.

The stages and checkers are parts of :mod:`copydesk.registry`, each declaring the annotations of
the document it requires and assigns. A pipeline is planned when it is built: it runs the stages
that the checkers and the decision need, in the order of ``Settings.stages``, and refuses to be
built when a part needs an annotation that no stage before it provides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from copydesk import registry
from copydesk.document import Document
from copydesk.errors import CopydeskError
from copydesk.findings import (
    knowledge_base_out,
    spread_over_entities,
    with_what_was_checked,
    without_generic_duplicates,
)
from copydesk.protocols import Checker, CheckerFactory, Stage
from copydesk.reading.records import story_from_record
from copydesk.registry import Part
from copydesk.resources import Resources, Settings
from copydesk.schema import Report, StoryIn
from copydesk.stages.decide import decide, load_combiner

log = logging.getLogger(__name__)

DECISION_REQUIRES = frozenset({"claims", "mentions", "entities"})
"""What the decide stage and the report read, whichever checkers run."""


class PipelineError(CopydeskError):
    """A pipeline whose parts cannot run in the order given."""


def plan_stages(
    stages: list[Part[Stage]], checkers: list[Part[CheckerFactory]], needs: Iterable[str] = ()
) -> list[Part[Stage]]:
    """The stages to run, in order: those whose annotations the checkers, ``needs`` or a later
    stage need. Raises :class:`PipelineError` naming a part whose needs no earlier stage provides."""
    wanted = set(needs).union(*(checker.requires for checker in checkers))
    kept: list[Part[Stage]] = []
    for stage in reversed(stages):
        if stage.assigns & wanted:
            kept.insert(0, stage)
            wanted |= stage.requires
    provided: set[str] = set()
    for stage in kept:
        _require(f"stage {stage.name!r}", stage.requires, provided, stages)
        provided |= stage.assigns
    for checker in checkers:
        _require(f"checker {checker.name!r}", checker.requires, provided, stages)
    _require("the decision", set(needs), provided, stages)
    return kept


def _require(who: str, requires: Iterable[str], provided: set[str], stages: list[Part[Stage]]) -> None:
    missing = sorted(set(requires) - provided)
    if not missing:
        return
    providers = [
        name
        for name in registry.stages.available()
        if name not in {stage.name for stage in stages} and registry.stages.get(name).assigns & set(missing)
    ]
    hint = f"; add the stage {', '.join(repr(p) for p in providers)}" if providers else ""
    raise PipelineError(f"{who} needs {', '.join(missing)}, which no stage before it provides{hint}")


class Pipeline:
    """Checks stories. Build one and reuse it: models load once, on first use."""

    def __init__(self, settings: Settings | None = None, resources: Resources | None = None) -> None:
        self.resources = resources or Resources(settings)
        self.settings = self.resources.settings
        self.checker_parts = [registry.checkers.get(name) for name in self.settings.checkers]
        self.stage_parts = [registry.stages.get(name) for name in self.settings.stages]
        self.plan = plan_stages(self.stage_parts, self.checker_parts, DECISION_REQUIRES)
        self._checkers: list[tuple[str, Checker]] | None = None

    @property
    def checkers(self) -> list[tuple[str, Checker]]:
        """The checkers, built on first use; a factory that declines to run (no KB, say) is left out."""
        if self._checkers is None:
            built = ((part.name, part.value(self.resources)) for part in self.checker_parts)
            self._checkers = [(name, checker) for name, checker in built if checker is not None]
        return self._checkers

    def warm_up(self) -> None:
        """Load every model now rather than on the first story (servers call this at start)."""
        self.check(StoryIn(headline="Warm-up", body="The council met on Monday in Springfield."))

    def annotate(self, story: StoryIn, needs: Iterable[str] = ()) -> Document:
        """Run the stages before verification (and those that provide ``needs``, say "support");
        useful to inspect claims and mentions."""
        plan = (
            plan_stages(self.stage_parts, self.checker_parts, DECISION_REQUIRES | set(needs))
            if needs
            else self.plan
        )
        doc = Document.from_story(story)
        for stage in plan:
            stage.value(doc, self.resources)
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
        doc.findings = without_generic_duplicates(spread_over_entities(doc, doc.findings))
        return doc

    def check(self, story: StoryIn | dict[str, Any]) -> Report:
        """Check one story and return its report."""
        return self.report(self.verify(story))

    def report(self, doc: Document) -> Report:
        """The report of a verified document: the decision with this pipeline's combiner."""
        kb = self.resources.shared("kb_described", lambda: knowledge_base_out(self.resources.kb))
        combiner = load_combiner(self.resources.combiner_path)
        return with_what_was_checked(decide(doc, combiner=combiner), doc, kb)

    def pipe(self, stories: Iterable[StoryIn | dict[str, Any]]) -> Iterator[Report]:
        """Check a stream of stories, yielding reports in order."""
        for story in stories:
            yield self.check(story)


def as_story(story: StoryIn | dict[str, Any]) -> StoryIn:
    """Validate a story given as a dict (a story record); raise InputError naming the field."""
    return story if isinstance(story, StoryIn) else story_from_record(story, where="story")


_default: Pipeline | None = None


def check(story: StoryIn | dict[str, Any], settings: Settings | None = None) -> Report:
    """Check one story with a shared default pipeline (or a new one for custom settings)."""
    global _default
    if settings is not None:
        return Pipeline(settings).check(story)
    if _default is None:
        _default = Pipeline()
    return _default.check(story)
