"""Every extension point for checkers, in one file.

A checker is a callable that reads an annotated :class:`~copydesk.document.Document` and yields
:class:`~copydesk.schema.Finding` objects. It is made by a factory registered under a name:

    @register("my_check")
    def make_my_check(resources: Resources) -> Checker:
        def check(doc: Document) -> Iterable[Finding]: ...
        return check

Third-party packages add checkers through the ``copydesk.checkers`` entry point group, whose
entries point at such factories. The pipeline runs the checkers named in ``Settings.checkers``
(by default :data:`BUILTIN`), in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from copydesk.errors import CopydeskError

if TYPE_CHECKING:
    from copydesk.document import Document
    from copydesk.resources import Resources
    from copydesk.schema import Finding

Checker = Callable[["Document"], Iterable["Finding"]]
"""Reads an annotated document and yields findings. Must not modify the document."""

CheckerFactory = Callable[["Resources"], Checker | None]
"""Builds a checker from the shared resources; returns None when it cannot run (no KB, say)."""

ENTRY_POINT_GROUP = "copydesk.checkers"

BUILTIN: dict[str, str] = {
    "machine_text": "copydesk.checkers.machine_text",
    "office": "copydesk.checkers.office",
    "names": "copydesk.checkers.names",
    "circumstances": "copydesk.checkers.circumstances",
    "quotes": "copydesk.checkers.quotes",
    "headline": "copydesk.checkers.headline",
    "knowledge": "copydesk.checkers.knowledge",
    "entailment": "copydesk.checkers.entailment",
}
"""Built-in checker names and the modules that register them, in the order they run."""

_factories: dict[str, CheckerFactory] = {}


def register(name: str) -> Callable[[CheckerFactory], CheckerFactory]:
    """Register a checker factory under ``name``."""

    def decorator(factory: CheckerFactory) -> CheckerFactory:
        _factories[name] = factory
        return factory

    return decorator


def available() -> list[str]:
    """Names of every checker that can be enabled: built-in ones, then plug-ins."""
    return [*BUILTIN, *(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in BUILTIN)]


def factory(name: str) -> CheckerFactory:
    """The factory registered as ``name``, importing its module on first use."""
    if name not in _factories:
        if name in BUILTIN:
            importlib.import_module(BUILTIN[name])
        else:
            for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
                _factories[name] = ep.load()
    if name not in _factories:
        raise CopydeskError(f"unknown checker {name!r}; available: {', '.join(available())}")
    return _factories[name]


def build(names: Iterable[str], resources: Resources) -> list[tuple[str, Checker]]:
    """Instantiate the named checkers, skipping those whose factory declines to run."""
    built = []
    for name in names:
        checker = factory(name)(resources)
        if checker is not None:
            built.append((name, checker))
    return built
