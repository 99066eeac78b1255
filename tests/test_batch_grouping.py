"""Stories with the same sources travel to a worker together, each story exactly once."""

from __future__ import annotations

import json

from copydesk.apps.batch.grouping import grouped_by_sources, sources_key
from copydesk.apps.batch.records import Task


def line(number: int, source: str, shape: str = "interchange") -> Task:
    if shape == "benchmark":
        record = {"id": f"t{number}", "text": "A summary.", "source": source}
    else:
        record = {"id": f"t{number}", "body": "A story.", "sources": [{"id": "s1", "text": source}]}
    return Task(f"t{number}", "line", json.dumps(record), number)


def ids(groups: list[list[Task]]) -> list[list[str]]:
    return [[task.id for task in group] for group in groups]


def test_stories_with_the_same_sources_come_together_in_order_of_first_appearance() -> None:
    tasks = [
        line(1, "wire A"),
        line(2, "wire B"),
        line(3, "wire A", "benchmark"),
        line(4, "wire C"),
        line(5, "wire B"),
        line(6, "wire A"),
    ]
    assert ids(list(grouped_by_sources(tasks))) == [["t1", "t3", "t6"], ["t2", "t5"], ["t4"]]


def test_groups_are_cut_at_the_size_limit_and_the_window() -> None:
    same = [line(n, "wire A") for n in range(1, 6)]
    assert ids(list(grouped_by_sources(same, most=2))) == [["t1", "t2"], ["t3", "t4"], ["t5"]]
    spread = [line(1, "wire A"), line(2, "wire B"), line(3, "wire C"), line(4, "wire A")]
    # with two tasks waiting at most, the first "wire A" story has gone before the second comes
    assert ids(list(grouped_by_sources(spread, window=2))) == [["t1"], ["t2"], ["t3"], ["t4"]]


def test_stories_whose_sources_cannot_be_read_here_go_alone() -> None:
    tasks = [
        Task("broken", "line", "{not json", 1),
        Task("file", "file", "/stories/a.txt", 2),
        Task("bad", "invalid", "line 3: not UTF-8 text", 3),
        Task("none", "line", json.dumps({"body": "No sources."}), 4),
        Task("again", "line", json.dumps({"body": "Still none."}), 5),
    ]
    assert ids(list(grouped_by_sources(tasks))) == [["broken"], ["file"], ["bad"], ["none"], ["again"]]
    assert sources_key(tasks[0]) is None and sources_key(tasks[3]) is None


def test_the_order_of_sources_does_not_matter_but_their_text_does() -> None:
    def story(*texts: str) -> Task:
        record = {"body": "x", "sources": [{"text": t} for t in texts]}
        return Task("t", "line", json.dumps(record), 1)

    assert sources_key(story("one", "two")) == sources_key(story("two", "one"))
    assert sources_key(story("one", "two")) != sources_key(story("one", "two!"))
