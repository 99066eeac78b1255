"""The time-aware knowledge base: who held which office when, and how people's names are spelled.

    >>> from copydesk.knowledge import open_knowledge_base
    >>> kb = open_knowledge_base(Path("~/.local/share/copydesk/kb"), must_exist=True)
    >>> [f.person.name for f in kb.holders("secretary of state|united states", dt.date(2025, 8, 29))]
    ['Marco Rubio']

The built-in base (heads of state and government, World Factbook 2021-2026) ships in
``knowledge/builtin/`` and sits under the user's: :func:`open_layers`, :mod:`.layers`.

Filled by ``copydesk kb import-wikidata`` (:mod:`copydesk.knowledge_build.wikidata`) and
``copydesk kb learn`` (:mod:`copydesk.knowledge_build.learn`); read by the ``knowledge`` checker
and by :func:`.periods.resolve_relative_period`.
"""

from __future__ import annotations

from pathlib import Path

from copydesk.knowledge.layers import KnowledgeLayers, open_builtin, open_layers
from copydesk.knowledge.store import Fact, KnowledgeBase, NameMatch, Office, Person, open_store


def open_knowledge_base(path: Path, must_exist: bool, create: bool = False) -> KnowledgeBase | None:
    """Open the knowledge base in folder ``path``.

    Returns None when nothing is there and ``must_exist`` is False; raises
    :class:`~copydesk.errors.KnowledgeBaseError` naming the fix when it is required but missing,
    or when what is there is not a readable knowledge base. ``create`` makes an empty one.
    """
    return open_store(path, must_exist=must_exist, create=create)


__all__ = [
    "Fact",
    "KnowledgeBase",
    "KnowledgeLayers",
    "NameMatch",
    "Office",
    "Person",
    "open_builtin",
    "open_knowledge_base",
    "open_layers",
]
