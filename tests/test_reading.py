"""Reading stories and sources: every format, and every bad input failing with one clear line."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import typer
from click.testing import CliRunner

from copydesk.errors import InputError
from copydesk.reading import read_source_bytes, read_sources, read_story, read_story_text

FIXTURES = Path(__file__).parent / "fixtures" / "reading"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- stories: formats ----------------------------------------------------------------------------


def test_text_story_headline_body_and_dateline() -> None:
    text = (FIXTURES / "story.txt").read_text(encoding="utf-8")
    story = read_story(FIXTURES / "story.txt")
    assert story.headline == "Kelso harbour bridge reopens after six months of repairs"
    assert story.published == dt.date(2024, 3, 5)
    assert story.body.startswith("The swing bridge over Kelso harbour")
    assert "Published" not in story.body
    # The body is the user's own text, unchanged: offsets point at the user's characters.
    assert story.body in text
    assert story.body.endswith("first estimated.")


def test_text_story_keeps_windows_line_endings(tmp_path: Path) -> None:
    raw = "Bridge reopens\r\n\r\nThe bridge reopened on Monday.\r\nMayor Ines Varga cut the ribbon.\r\n"
    story = read_story(write(tmp_path / "crlf.txt", raw))
    assert story.headline == "Bridge reopens"
    assert story.body == "The bridge reopened on Monday.\r\nMayor Ines Varga cut the ribbon."
    start = story.body.index("Mayor")
    assert raw[raw.index(story.body) + start :].startswith("Mayor Ines Varga")


def test_published_argument_overrides_and_fills(tmp_path: Path) -> None:
    assert read_story(FIXTURES / "story.txt", published=dt.date(2024, 3, 6)).published == dt.date(2024, 3, 6)
    undated = write(tmp_path / "undated.txt", "Bridge reopens\n\nThe bridge reopened on Monday.\n")
    assert read_story(undated).published is None
    assert read_story(undated, published=dt.date(2024, 3, 5)).published == dt.date(2024, 3, 5)


def test_a_sentence_mentioning_a_date_is_not_a_dateline(tmp_path: Path) -> None:
    path = write(tmp_path / "s.txt", "Bridge reopens\n\nThe bridge reopened on 4 March 2024 after repairs.\n")
    story = read_story(path)
    assert story.published is None
    assert story.body.startswith("The bridge reopened on 4 March 2024")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published 29 August 2025", dt.date(2025, 8, 29)),
        ("*Published: August 29, 2025*", dt.date(2025, 8, 29)),
        ("Posted on Friday, 29th August 2025", dt.date(2025, 8, 29)),
        ("Updated: Fri, Aug. 29, 2025 at 10:30 CET", dt.date(2025, 8, 29)),
        ("2025-08-29T08:15:00Z", dt.date(2025, 8, 29)),
        ("August 29, 2025", dt.date(2025, 8, 29)),
        ("Published by the Kelso Courier", None),
        ("The 2025 budget was published on 29 August 2025.", None),
        ("Published 29 August", None),  # no year: not taken
    ],
)
def test_datelines(line: str, date: dt.date | None) -> None:
    story = read_story_text("story.txt", f"Bridge reopens\n{line}\nThe bridge reopened.\n".encode())
    assert story.published == date
    assert story.body.startswith("The bridge") == (date is not None)


def test_markdown_story_keeps_markdown_and_reads_front_matter() -> None:
    story = read_story(FIXTURES / "story.md")
    assert story.headline == "Kelso *harbour bridge* reopens"
    assert story.published == dt.date(2024, 3, 5)
    assert story.body.startswith("The swing bridge over **Kelso harbour** reopened")
    assert "[town council](https://example.org/council)" in story.body
    assert "## Cost" in story.body
    assert "# Kelso" not in story.body and "author:" not in story.body
    assert story.body in (FIXTURES / "story.md").read_text(encoding="utf-8")


def test_markdown_dateline_gives_the_date_and_leaves_the_body() -> None:
    story = read_story(FIXTURES / "story_dateline.md")
    assert story.headline == "Library in Ostrava extends opening hours"
    assert story.published == dt.date(2025, 8, 29)
    assert story.body.startswith("The municipal library in Ostrava")


def test_markdown_text_above_the_heading_stays_in_the_body(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.markdown", "Embargoed until noon.\n\n# Bridge reopens\n\nThe bridge reopened.\n"
    )
    story = read_story(path)
    assert story.headline == "Bridge reopens"
    assert story.body == "Embargoed until noon.\n\n\nThe bridge reopened."


def test_markdown_heading_inside_a_code_fence_is_not_the_headline(tmp_path: Path) -> None:
    path = write(tmp_path / "s.md", "```\n# not a title\n```\n\n# Real title\n\nBody text.\n")
    assert read_story(path).headline == "Real title"


def test_html_story_through_trafilatura() -> None:
    story = read_story(FIXTURES / "story.html")
    assert story.headline == "Kelso harbour bridge reopens"
    assert story.published == dt.date(2024, 3, 5)
    assert story.body.startswith("The swing bridge over Kelso harbour")
    assert 'divers & welders who rebuilt the pier. "It was worth the wait," she said.' in story.body
    assert "first estimated in the autumn" in story.body
    for boilerplate in ("tracking", "alert", "Home", "Subscribe", "color: black"):
        assert boilerplate not in story.body


def test_html_declaring_another_charset_is_decoded_with_it(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9 reopens</title></head><body>'
        "<article><h1>Caf\xe9 reopens</h1><p>The caf\xe9 on the harbour reopened on Monday after a "
        "month of repairs to its roof, the owner said.</p></article></body></html>"
    ).encode("cp1252")
    story = read_story(write(tmp_path / "s.html", html))
    assert story.headline == "Café reopens"
    assert "The café on the harbour" in story.body


def test_json_story_with_sources() -> None:
    story = read_story(FIXTURES / "story.json")
    assert story.id == "kelso-bridge"
    assert story.headline == "Kelso harbour bridge reopens"
    assert story.published == dt.date(2024, 3, 5)
    assert [source.id for source in story.sources] == ["council", "s2"]
    assert story.sources[0].published == dt.date(2024, 3, 1)
    assert story.sources[1].text == "Repairs to the Kelso swing bridge are nearly finished."


def test_json_story_published_argument_overrides(tmp_path: Path) -> None:
    assert read_story(FIXTURES / "story.json", dt.date(2024, 3, 4)).published == dt.date(2024, 3, 4)


def test_jsonl_story_with_one_line() -> None:
    story = read_story(FIXTURES / "story.jsonl")
    assert story.headline == "Ostrava library extends hours"
    assert story.published == dt.date(2025, 8, 29)


@pytest.mark.parametrize(
    ("content", "headline", "body_start"),
    [
        ('{"headline": "Bridge reopens", "body": "It reopened."}', "Bridge reopens", "It reopened."),
        (
            "<html><body><h1>Bridge reopens</h1><p>It reopened on Monday.</p></body></html>",
            "Bridge reopens",
            "It reopened on Monday.",
        ),
        ("# Bridge reopens\n\nIt reopened, *finally*.\n", "Bridge reopens", "It reopened, *finally*."),
        ("Bridge reopens\nIt reopened.\n", "Bridge reopens", "It reopened."),
        (
            "{curly} is how the desk writes it\nIt reopened.\n",
            "{curly} is how the desk writes it",
            "It reopened.",
        ),
    ],
    ids=["json", "html", "markdown", "text", "text-with-brace"],
)
def test_unknown_extension_is_sniffed(tmp_path: Path, content: str, headline: str, body_start: str) -> None:
    story = read_story(write(tmp_path / "story.draft", content))
    assert story.headline == headline
    assert story.body.startswith(body_start)


def test_stdin_story(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"# Bridge reopens\n\nPublished: 2024-03-05\n\nIt reopened on Monday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    story = read_story("-")
    assert (story.headline, story.body, story.published) == (
        "Bridge reopens",
        "It reopened on Monday.",
        dt.date(2024, 3, 5),
    )


def test_uploaded_bytes_with_byte_order_marks() -> None:
    story = read_story_text("upload.txt", "\ufeffBridge reopens\nIt reopened.".encode())
    assert story.headline == "Bridge reopens"
    story = read_story_text("upload.txt", "Brücke offen\nSie ist wieder offen.".encode("utf-16"))
    assert (story.headline, story.body) == ("Brücke offen", "Sie ist wieder offen.")


# --- sources ---------------------------------------------------------------------------------------


def test_source_folder_recursive_sorted_without_hidden_files() -> None:
    sources = read_sources([FIXTURES / "sources"])
    assert [source.id for source in sources] == ["briefing", "council", "council-2", "courier"]
    texts = " ".join(source.text for source in sources)
    assert "must not be read" not in texts
    by_id = {source.id: source for source in sources}
    assert by_id["briefing"].title == "Mayor's briefing notes"
    assert by_id["council"].title == "Council notice: harbour bridge"
    assert "Repairs cost 4.2 million euros." in by_id["council"].text
    assert by_id["courier"].title == "Bridge repairs near the end"
    assert by_id["courier"].published == dt.date(2024, 2, 20)
    assert "Divers finished rebuilding" in by_id["courier"].text


def test_jsonl_search_results() -> None:
    sources = read_sources([FIXTURES / "results.jsonl"])
    assert [source.id for source in sources] == ["r1", "results-3"]  # explicit id, else stem and line
    assert sources[0].text == "The swing bridge reopens on Monday after repairs."  # from `snippet`
    assert sources[0].url == "https://example.org/a"
    assert sources[1].published == dt.date(2024, 2, 20)


def test_json_array_of_results_and_ids_unique_across_files(tmp_path: Path) -> None:
    other = write(tmp_path / "r1.txt", "Extra\nAn extra source whose stem clashes with an id.\n")
    sources = read_sources([FIXTURES / "results.json", FIXTURES / "results.jsonl", other])
    assert [source.id for source in sources] == ["7", "results-2", "r1", "results-3", "r1-2"]
    assert sources[1].text == "Pavel Hruby said longer hours were the most requested change."


def test_uploaded_source_bytes() -> None:
    sources = read_source_bytes("notes.md", b"# Notes\n\nThe pier was rebuilt by divers.\n")
    assert [(source.id, source.title) for source in sources] == [("notes", "Notes")]
    assert "rebuilt by divers" in sources[0].text


def test_sources_from_a_story_json_file() -> None:
    assert [source.id for source in read_sources([FIXTURES / "story.json"])] == ["council", "story-2"]


def test_folder_skips_unreadable_files_but_reads_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path / "photo.png", PNG)
    write(tmp_path / "notes.txt", "Notes\nThe pier was rebuilt.\n")
    sources = read_sources([tmp_path])
    assert [source.id for source in sources] == ["notes"]
    assert "photo.png" in caplog.text and "binary" in caplog.text


# --- bad stories -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  \n"], ids=["zero-bytes", "whitespace"])
def test_empty_story(tmp_path: Path, content: bytes) -> None:
    message = error_of(read_story, write(tmp_path / "empty.txt", content))
    assert "empty.txt" in message and "empty" in message.split(":", 1)[1]


@pytest.mark.parametrize("name", ["empty.md", "empty.html", "empty.json"])
def test_story_with_nothing_but_markup_is_empty(tmp_path: Path, name: str) -> None:
    content = {
        "empty.md": "---\ndate: 2024-03-05\n---\n",
        "empty.html": "<html><body></body></html>",
        "empty.json": '{"headline": "", "body": "  "}',
    }[name]
    assert "empty" in error_of(read_story, write(tmp_path / name, content))


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (PNG, "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00story.txt", "ZIP"),
        (b"Headline\nbody\x00\x00\x00more", "NUL"),
        (bytes(range(1, 9)) * 200, "control characters"),
    ],
    ids=["png", "zip", "nul", "control"],
)
def test_binary_story(tmp_path: Path, content: bytes, what: str) -> None:
    message = error_of(read_story, write(tmp_path / "story.txt", content))
    assert "story.txt" in message and "binary" in message and what in message


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    data = "Café reopens\nThe café reopened.\n".encode("latin-1")
    message = error_of(read_story, write(tmp_path / "latin.txt", data))
    assert "latin.txt" in message
    assert f"not valid UTF-8 at byte {data.index(0xE9)} (line 1)" in message
    assert "re-save it as UTF-8" in message


def test_30_mb_story_fails_fast_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    tracemalloc.start()
    started = time.perf_counter()
    message = error_of(read_story, big)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (
        "big.txt" in message
        and "too large" in message
        and "(30 MB, over the 10 MB limit for a story)" in message
    )
    assert elapsed < 1.0
    assert peak < 1024 * 1024


def test_size_limit_applies_to_stdin_and_uploads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Headline\n" + b"word " * 1000)))
    assert "too large" in error_of(read_story, "-", max_bytes=1000)
    assert "too large" in error_of(
        read_story_text, "upload.txt", b"Headline\n" + b"word " * 1000, max_bytes=1000
    )


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.json", '{\n  "headline": "Bridge reopens",\n  "body": "It reopened."\n  "x": 1\n}'
    )
    message = error_of(read_story, path)
    assert "story.json" in message and "malformed JSON at line 4, column 3" in message


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('{"headline": "Bridge reopens"}', "`body` is missing"),
        ('{"headline": "Bridge reopens", "body": 42}', "`body`"),
        ('{"body": "It reopened.", "published": "not a day at all"}', "`published`"),
        (
            '{"body": "It reopened.", "sources": [{"text": "x", "published": "whenever"}]}',
            "`sources.0.published`",
        ),
        ('{"body": "It reopened.", "sources": "all of them"}', "`sources`"),
        ('["Bridge reopens", "It reopened."]', "a list, not a story object"),
    ],
    ids=["missing-body", "body-number", "bad-date", "bad-source-date", "sources-string", "list"],
)
def test_json_of_the_wrong_shape_names_the_field(tmp_path: Path, content: str, field: str) -> None:
    message = error_of(read_story, write(tmp_path / "story.json", content))
    assert "story.json" in message and field in message


# --- story records: one reader, one wording ------------------------------------------------------


RECORD_PROBLEMS = [
    ({"headline": "Bridge reopens"}, "field `body` is missing"),
    ({"body": "It reopened.", "published": "not a day at all"}, "field `published` is wrong: not a date"),
    ({"body": 42, "published": "whenever"}, "field `body` is wrong: Input should be a valid string (and 1"),
]


@pytest.mark.parametrize(("record", "problem"), RECORD_PROBLEMS, ids=["missing", "bad-date", "two"])
def test_every_reader_of_story_records_words_a_problem_the_same(
    tmp_path: Path, record: dict, problem: str
) -> None:
    from copydesk.apps.batch.records import story_from_record as batch_reader
    from copydesk.pipeline import as_story
    from copydesk.reading import story_from_record

    assert batch_reader is story_from_record  # the batch has no reader of its own
    line = tmp_path / "story.jsonl"
    line.write_text(json.dumps(record) + "\n")
    messages = [
        error_of(read_story, write(tmp_path / "story.json", json.dumps(record))),
        error_of(read_story, line),
        error_of(story_from_record, record, 7),
        error_of(as_story, record),  # Pipeline.check(dict)
    ]
    wheres = [f"{tmp_path / 'story.json'}", f"{tmp_path / 'story.jsonl'}: line 1", "line 7", "story"]
    for message, where in zip(messages, wheres, strict=True):
        assert message.startswith(f"{where}: {problem}"), message
    assert (
        len({message.removeprefix(f"{where}: ") for message, where in zip(messages, wheres, strict=True)})
        == 1
    )


def test_a_benchmark_record_reads_the_same_in_check_and_batch(tmp_path: Path) -> None:
    from copydesk.reading import story_from_record

    record = {"id": "b1", "dataset": "x", "source": "Source text.", "text": " Claim text.", "label": 0}
    from_file = read_story(write(tmp_path / "b1.json", json.dumps(record)))
    from_line = story_from_record(record, 3)
    assert from_file == from_line
    assert (from_file.id, from_file.body, [s.text for s in from_file.sources]) == (
        "b1",
        " Claim text.",
        ["Source text."],
    )
    # a line without an id is named by its line number; a file keeps no id of its own
    assert story_from_record({"body": "B"}, 17).id == "line-17"
    assert read_story(write(tmp_path / "plain.json", '{"body": "B"}')).id is None


def test_a_record_that_is_not_an_object_is_named_as_such() -> None:
    from copydesk.reading import story_from_record

    assert error_of(story_from_record, ["a", "list"], 4).startswith("line 4: the JSON is a list, not a story")


def test_jsonl_story_with_several_lines_points_to_batch(tmp_path: Path) -> None:
    path = write(tmp_path / "stories.jsonl", '{"body": "One."}\n{"body": "Two."}\n')
    assert "holds 2 stories" in error_of(read_story, path)


def test_missing_story_file(tmp_path: Path) -> None:
    message = error_of(read_story, tmp_path / "nowhere.md")
    assert "nowhere.md" in message and "no such file" in message


def test_folder_given_as_story(tmp_path: Path) -> None:
    message = error_of(read_story, tmp_path)
    assert str(tmp_path) in message and "is a folder" in message and "--sources" in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_story_file(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Headline\nBody.\n")
    path.chmod(0)
    try:
        assert "permission denied" in error_of(read_story, path)
    finally:
        path.chmod(0o600)


def test_html_without_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "blank.html",
        "<html><head><script>var a = 1;</script></head><body><div></div></body></html>",
    )
    assert "no article text" in error_of(read_story, path)


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 200_000 + "deep" + "</div>" * 200_000,
        "<p><b><i>" * 50_000 + "deep",
        "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
        "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>"
        "<!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'><!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>]>"
        "<html><body><h1>Title</h1><p>&f;&f;&f;&f;&f;&f;&f;&f;</p></body></html>",
        "<html><body>"
        + "<script>while(true){}</script>" * 10_000
        + "<p>Bridge reopens on Monday.</p></body></html>",
    ],
    ids=["nested-divs", "unclosed-nesting", "entity-bomb", "scripts"],
)
def test_hostile_html_finishes_quickly(tmp_path: Path, html: str) -> None:
    path = write(tmp_path / "hostile.html", html)
    started = time.perf_counter()
    try:
        story = read_story(path)
    except InputError as exc:
        assert "hostile.html" in str(exc)
    else:
        assert len(story.body) < 100_000  # entities were not expanded into millions of characters
        assert "while(true)" not in story.body
    assert time.perf_counter() - started < 10


def test_page_with_many_elements_is_read_quickly_without_boilerplate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paragraphs = "".join(
        f"<p>Paragraph {number}: divers checked pier <b>{number}</b> of the <i>harbour</i> bridge.</p>"
        for number in range(15_000)
    )
    html = (
        "<html><head><title>Inspection log | Courier</title>"
        '<meta property="article:published_time" content="2024-02-20"></head><body>'
        "<nav>Home News Sport</nav><article><h1>Inspection log</h1>"
        f"{paragraphs}</article><footer>Subscribe now</footer><script>track()</script></body></html>"
    )
    started = time.perf_counter()
    story = read_story(write(tmp_path / "log.html", html))
    assert time.perf_counter() - started < 10
    assert "large page" in caplog.text
    assert story.headline == "Inspection log" and story.published == dt.date(2024, 2, 20)
    lines = story.body.split("\n")
    assert lines[0] == "Paragraph 0: divers checked pier 0 of the harbour bridge."
    assert len(lines) == 15_000
    assert "Home News" not in story.body and "Subscribe" not in story.body and "track()" not in story.body


@pytest.mark.parametrize(
    "content",
    [
        b"<h1>Bridge reopens</h1><p>It reopened on Monday.</p>",
        b'<?xml version="1.0" encoding="utf-8"?><html><body><h1>Bridge reopens</h1>'
        b"<p>It reopened on Monday.</p></body></html>",
    ],
    ids=["fragment", "xml-declaration"],
)
def test_html_fragments_and_xhtml(content: bytes) -> None:
    for name in ("upload.html", "upload"):
        story = read_story_text(name, content)
        assert (story.headline, story.body) == ("Bridge reopens", "It reopened on Monday.")


# --- bad sources -----------------------------------------------------------------------------------


def test_empty_source_folder(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    write(tmp_path / "sources" / ".hidden.txt", "hidden")
    message = error_of(read_sources, [tmp_path / "sources"])
    assert "sources" in message and "no readable source file" in message and "empty" in message


def test_source_folder_with_only_unreadable_files(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    write(folder / "photo.png", PNG)
    write(folder / "latin.txt", "caf\xe9".encode("latin-1"))
    message = error_of(read_sources, [folder])
    assert "no readable source file" in message and "latin.txt: not valid UTF-8" in message
    assert "and 1 more" in message


def test_source_file_problems_are_errors_when_named(tmp_path: Path) -> None:
    assert "no such file" in error_of(read_sources, [tmp_path / "missing.txt"])
    assert "binary" in error_of(read_sources, [write(tmp_path / "photo.png", PNG)])
    assert "empty" in error_of(read_sources, [write(tmp_path / "blank.txt", " \n")])
    assert "not valid UTF-8 at byte 3" in error_of(read_sources, [write(tmp_path / "l.txt", b"caf\xe9")])


def test_source_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    message = error_of(read_sources, [big])
    assert "big.txt" in message and "too large" in message and "source" in message


def test_jsonl_bad_line_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path / "results.jsonl", '{"title": "A", "snippet": "fine"}\n\n{"title": "B", "snippet": \n'
    )
    message = error_of(read_sources, [path])
    assert "results.jsonl" in message and "line 3" in message and "not valid JSON" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"title": "A", "snippet": "fine"}\n{"title": "B", "url": "https://example.org"}\n',
            "line 2: the source has no `text` or `snippet`",
        ),
        ('{"title": "A", "snippet": "fine"}\n["B", "text"]\n', "line 2: a list where a source object"),
        ('{"title": "A", "snippet": "fine", "published": "someday"}\n', "line 1: field `published`"),
    ],
    ids=["no-text", "not-object", "bad-date"],
)
def test_jsonl_results_of_the_wrong_shape(tmp_path: Path, content: str, expected: str) -> None:
    assert expected in error_of(read_sources, [write(tmp_path / "results.jsonl", content)])


def test_json_results_item_named(tmp_path: Path) -> None:
    path = write(tmp_path / "results.json", '[{"text": "fine"}, {"title": "no text"}]')
    assert "results.json: item 2" in error_of(read_sources, [path])


# --- through the command line ----------------------------------------------------------------------

BAD_INPUTS = {
    "binary": ("photo.png", PNG, "binary"),
    "invalid-utf8": ("latin.txt", "Café\nThe café reopened.".encode("latin-1"), "not valid UTF-8 at byte 3"),
    "malformed-json": ("story.json", b'{"headline": "A",\n "body": }', "malformed JSON at line 2"),
    "empty": ("empty.md", b"  \n\n", "empty"),
}


def make_bad_input(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """Command-line arguments for one bad input, and the words its error must contain."""
    if case == "30mb":
        with (tmp_path / "big.txt").open("wb") as handle:
            handle.truncate(30 * 1024 * 1024)
        return [str(tmp_path / "big.txt")], "too large"
    if case == "empty-source-folder":
        (tmp_path / "sources").mkdir()
        story = write(tmp_path / "story.txt", "Bridge reopens\nThe bridge reopened on Monday.\n")
        return [str(story), "--sources", str(tmp_path / "sources")], "no readable source file"
    name, content, expected = BAD_INPUTS[case]
    return [str(write(tmp_path / name, content))], expected


CASES = [*BAD_INPUTS, "30mb", "empty-source-folder"]


@pytest.mark.parametrize("case", CASES)
def test_cli_runner_reports_bad_input_in_one_line(tmp_path: Path, case: str) -> None:
    from copydesk.apps.cli import app

    arguments, expected = make_bad_input(tmp_path, case)
    # get_group keeps `check` a sub-command even before the other sub-commands are registered.
    result = CliRunner().invoke(typer.main.get_group(app), ["check", *arguments])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and expected in lines[0]
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("case", CASES)
def test_cli_subprocess_reports_bad_input_in_one_line(tmp_path: Path, case: str) -> None:
    arguments, expected = make_bad_input(tmp_path, case)
    environment = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "copydesk.apps.cli", "check", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode == 2, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and expected in lines[0], completed.stderr
    assert completed.stdout == ""
