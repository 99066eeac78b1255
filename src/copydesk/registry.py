"""One extension mechanism for the three kinds of parts: stages, checkers and report formats.

A part is registered under a name, with what it needs from the document (``requires``) and what
it adds to it (``assigns``), the way spaCy components declare theirs::

    from copydesk.registry import checkers

    @checkers.register("my_check", requires=["mentions"])
    def make_my_check(resources: Resources) -> Checker | None: ...

Built-in parts live in copydesk's own modules, listed in each registry's ``builtin`` table and
imported when first asked for. Plug-ins go through the same registries: a package names the
module (or object) that registers its parts in the entry point group of the registry
(``copydesk.stages``, ``copydesk.checkers``, ``copydesk.report_formats``). The pipeline checks
the declared needs when it is built (:mod:`copydesk.pipeline`).

The names a part may require or assign are the annotations of :class:`~copydesk.document.Document`
listed in :data:`ANNOTATIONS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from copydesk.errors import CopydeskError

T = TypeVar("T")

ANNOTATIONS: dict[str, str] = {
    "sentences": "each text's sentences and parse (Text.sentences, Text.doc)",
    "claims": "the story's atomic claims (Document.claims)",
    "mentions": "people, offices, places, dates, numbers and quotes named, and who holds which office "
    "(Text.mentions, Text.roles)",
    "entities": "the story's mentions grouped by the person or organisation they name (Document.entities)",
    "evidence": "the source passages retrieved for each claim (Document.evidence)",
    "support": "how strongly the best passage entails each claim (Document.support)",
    "findings": "what the checkers found (Document.findings)",
}
"""What a stage can add to a document, and so what a part can require."""


@dataclass(frozen=True)
class Part(Generic[T]):
    """One registered stage, checker factory or report format."""

    name: str
    value: T
    requires: frozenset[str]
    assigns: frozenset[str]


class Registry(Generic[T]):
    """The parts of one kind, by name: built-ins first, in their order, then plug-ins."""

    def __init__(self, kind: str, group: str, builtin: dict[str, str]) -> None:
        self.kind = kind
        self.group = group
        self.builtin = builtin
        """Built-in part names and the modules that register them, in the order they run."""
        self._parts: dict[str, Part[T]] = {}

    def register(
        self, name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
    ) -> Callable[[T], T]:
        """Register ``value`` under ``name``; use as a decorator."""
        declared = {"requires": frozenset(requires), "assigns": frozenset(assigns)}
        unknown = sorted(set().union(*declared.values()) - ANNOTATIONS.keys())
        if unknown:
            known = ", ".join(ANNOTATIONS)
            raise CopydeskError(
                f"{self.kind} {name!r} declares unknown annotations {unknown} (known: {known})"
            )

        def decorator(value: T) -> T:
            self._parts[name] = Part(name, value, **declared)
            return value

        return decorator

    def available(self) -> list[str]:
        """Every name that can be asked for: built-ins, then plug-ins."""
        plugins = [ep.name for ep in entry_points(group=self.group) if ep.name not in self.builtin]
        return [*self.builtin, *plugins]

    def get(self, name: str) -> Part[T]:
        """The part registered as ``name``, importing its module on first use."""
        if name not in self._parts:
            if name in self.builtin:
                importlib.import_module(self.builtin[name])
            else:
                for ep in entry_points(group=self.group, name=name):
                    loaded = ep.load()
                    if name not in self._parts:  # the entry point names the part itself
                        self.register(
                            name,
                            requires=getattr(loaded, "requires", ()),
                            assigns=getattr(loaded, "assigns", ()),
                        )(loaded)
        if name not in self._parts:
            raise CopydeskError(f"unknown {self.kind} {name!r}; available: {', '.join(self.available())}")
        return self._parts[name]


stages: Registry = Registry(
    "stage",
    "copydesk.stages",
    {
        "segment": "copydesk.stages.segment",
        "mentions": "copydesk.stages.mentions",
        "entities": "copydesk.stages.entities",
        "retrieve": "copydesk.stages.retrieve",
        "support": "copydesk.stages.support",
    },
)
"""Stages: functions ``stage(doc, resources) -> None`` that annotate the document."""

checkers: Registry = Registry(
    "checker",
    "copydesk.checkers",
    {
        "machine_text": "copydesk.checkers.machine_text",
        "office": "copydesk.checkers.office",
        "names": "copydesk.checkers.names",
        "circumstances": "copydesk.checkers.circumstances",
        "quotes": "copydesk.checkers.quotes",
        "headline": "copydesk.checkers.headline",
        "knowledge": "copydesk.checkers.knowledge",
        "alignment": "copydesk.checkers.alignment",
        "entailment": "copydesk.checkers.entailment",
    },
)
"""Checker factories: ``make(resources) -> checker | None``; a checker reads a document and yields
findings. The order is the order they run in: earlier ones are the more specific."""

report_formats: Registry = Registry(
    "report format",
    "copydesk.report_formats",
    {
        "terminal": "copydesk.reporting.terminal",
        "json": "copydesk.reporting.json_report",
        "html": "copydesk.reporting.html",
        "claimreview": "copydesk.reporting.claimreview",
    },
)
"""Report formats: :class:`~copydesk.reporting.ReportFormat` objects."""
