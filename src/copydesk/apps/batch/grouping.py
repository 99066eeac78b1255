"""Stories that share their sources are handed to one worker, one after the other.

Each worker keeps the parses of the sources it has read (``copydesk.stages.segment.SourceParses``), so a
story whose sources were parsed before skips that work. Platforms often write several stories from
one wire report, and the benchmarks hold several summaries of one article; spread over the
workers at random, each worker would parse such a source again. Grouping looks only a bounded
window ahead, so memory stays flat, and keeps groups small, so that a kill costs little work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

from copydesk.apps.batch.records import Task

WINDOW = 64
"""Tasks held back at most while looking for others with the same sources."""

MOST_PER_GROUP = 4
"""A group is checked as one unit of work; its reports come back together."""


def grouped_by_sources(
    tasks: Iterable[Task], window: int = WINDOW, most: int = MOST_PER_GROUP
) -> Iterator[list[Task]]:
    """Every task once, in groups of up to ``most`` that have the same sources.

    A group is let go when it is full or when ``window`` tasks are waiting (then the group whose
    first task came earliest goes first). A task whose sources cannot be read here (a story file,
    a broken line: the worker reports those) is a group of its own.
    """
    waiting: dict[object, list[Task]] = {}
    held = 0
    for task in tasks:
        key = sources_key(task) or object()
        group = waiting.setdefault(key, [])
        group.append(task)
        held += 1
        if len(group) >= most:
            held -= len(waiting.pop(key))
            yield group
        while held >= window:
            oldest = waiting.pop(next(iter(waiting)))
            held -= len(oldest)
            yield oldest
    yield from waiting.values()


def sources_key(task: Task) -> str | None:
    """A digest of the texts of a JSONL story's sources (in either record shape), or None."""
    if task.kind != "line":
        return None
    try:
        record = json.loads(task.payload)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    sources = record.get("sources")
    if isinstance(sources, list):
        found = [s.get("text") or s.get("snippet") for s in sources if isinstance(s, dict)]
    else:
        found = [record.get("source")]
    texts = sorted(t for t in found if isinstance(t, str) and t.strip())
    if not texts:
        return None
    return hashlib.blake2b("\0".join(texts).encode("utf-8", "replace"), digest_size=16).hexdigest()
