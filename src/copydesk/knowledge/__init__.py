"""The time-aware knowledge base: who held which office when, and how people's names are spelled.

    >>> from copydesk.knowledge import open_knowledge_base
    >>> kb = open_knowledge_base(Path("~/.local/share/copydesk/kb"), must_exist=True)
    >>> [f.person.name for f in kb.holders("secretary of state|united states", dt.date(2025, 8, 29))]
    ['Marco Rubio']

Filled by ``copydesk kb import-wikidata`` (:mod:`copydesk.knowledge_build.wikidata`) and
``copydesk kb learn`` (:mod:`copydesk.knowledge_build.learn`); read by the ``knowledge`` checker
and by :func:`.periods.resolve_relative_period`.
"""

from __future__ import annotations

from pathlib import Path

from copydesk.knowledge.store import Fact, KnowledgeBase, NameMatch, Office, Person, open_store


def open_knowledge_base(path: Path, must_exist: bool, create: bool = False) -> KnowledgeBase | None:
    """Open the knowledge base in folder ``path``.

    Returns None when nothing is there and ``must_exist`` is False; raises
    :class:`~copydesk.errors.KnowledgeBaseError` naming the fix when it is required but missing,
    or when what is there is not a readable knowledge base. ``create`` makes an empty one.
    """
    return open_store(path, must_exist=must_exist, create=create)


__all__ = ["Fact", "KnowledgeBase", "NameMatch", "Office", "Person", "open_knowledge_base"]
