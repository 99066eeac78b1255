"""Importing Wikidata-format dumps (plain, gzip, bzip2) and looking the result up."""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copydesk.apps.kb import kb_app
from copydesk.errors import InputError
from copydesk.knowledge import open_knowledge_base
from copydesk.knowledge_build.wikidata import import_wikidata

DUMP = Path(__file__).parent / "fixtures" / "kb" / "dump.json"
runner = CliRunner()


def _dump_as(suffix: str, folder: Path) -> Path:
    target = folder / f"dump{suffix}"
    opener = {".json": open, ".json.gz": gzip.open, ".json.bz2": bz2.open}[suffix]
    with DUMP.open("rb") as source, opener(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_import_every_compression(tmp_path: Path, suffix: str) -> None:
    kb = open_knowledge_base(tmp_path / "kb", must_exist=False, create=True)
    stats = import_wikidata(kb, _dump_as(suffix, tmp_path))
    assert (stats.people, stats.malformed, stats.people_without_english_label) == (9, 1, 1)
    assert stats.malformed_lines == [9]
    holders = kb.holders("secretary of state|united states", dt.date(2025, 8, 29))
    assert [f.person.name for f in holders] == ["Marco Rubio"]
    assert holders[0].end is None  # open-ended term: still held
    assert holders[0].provenance == "wikidata Q2003"


def test_what_is_kept_and_skipped(tmp_path: Path) -> None:
    kb = open_knowledge_base(tmp_path, must_exist=False, create=True)
    stats = import_wikidata(kb, DUMP)
    assert not kb.find_people("Jean Dupont")  # French label only
    assert not kb.find_people("Captain Placeholder")  # instance of a fictional human
    assert kb.find_people("Laura Kelly")  # no P31 at all, but holds a position
    pompeo = kb.find_people("Michael Richard Pompeo")[0]  # found by an alias
    assert [f.office.label for f in kb.facts_of(pompeo)] == [
        "United States Secretary of State"
    ]  # deprecated dropped
    # "Governor of Kansas" comes before its holders with nothing marking it as an office: second pass.
    assert stats.second_pass and stats.offices_unlabelled == 0
    assert [f.person.name for f in kb.holders("governor|kansas", dt.date(2020, 1, 1))] == ["Laura Kelly"]
    assert kb.office_by_key("Q3001") is None  # a city is not an office


def test_year_precision_terms(tmp_path: Path) -> None:
    kb = open_knowledge_base(tmp_path, must_exist=False, create=True)
    import_wikidata(kb, DUMP)
    smith = kb.find_people("Jon Smith")[0]
    (fact,) = kb.facts_of(smith)
    assert fact.span_text() == "from 1901 to 1903"
    assert fact.possibly_during(dt_period(1903, 12, 31)) and not fact.possibly_during(dt_period(1904, 1, 1))
    assert not fact.surely_on(dt.date(1901, 6, 1)) and fact.surely_on(dt.date(1902, 6, 1))


def dt_period(year: int, month: int, day: int):
    from copydesk.document import Period

    return Period(dt.date(year, month, day), dt.date(year, month, day))


def test_reimport_does_not_duplicate(tmp_path: Path) -> None:
    kb = open_knowledge_base(tmp_path, must_exist=False, create=True)
    import_wikidata(kb, DUMP)
    first = kb.stats()
    import_wikidata(kb, DUMP)
    assert kb.stats() == first


def test_bad_dumps_are_named(tmp_path: Path) -> None:
    kb = open_knowledge_base(tmp_path / "kb", must_exist=False, create=True)
    fake = tmp_path / "fake.json.gz"
    fake.write_text("this is not gzip")
    with pytest.raises(InputError, match="cannot decompress"):
        import_wikidata(kb, fake)
    wrong_name = tmp_path / "dump.txt"
    wrong_name.write_text("[\n]\n")
    with pytest.raises(InputError, match=r"expected \.json"):
        import_wikidata(kb, wrong_name)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[\nnot json\nalso not\n]\n")
    with pytest.raises(InputError, match="none of its"):
        import_wikidata(kb, garbage)


def test_truncated_gzip_keeps_going_until_the_cut(tmp_path: Path) -> None:
    whole = _dump_as(".json.gz", tmp_path).read_bytes()
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    kb = open_knowledge_base(tmp_path / "kb", must_exist=False, create=True)
    with pytest.raises(InputError, match="cannot decompress"):
        import_wikidata(kb, cut)


def test_cli_import_who_person(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    result = runner.invoke(
        kb_app, ["import-wikidata", str(_dump_as(".json.bz2", tmp_path)), "--kb", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 9 people" in result.output and "malformed" in result.output

    result = runner.invoke(kb_app, ["who", "Secretary of State", "--on", "2019-06-01", "--kb", str(folder)])
    assert result.exit_code == 0 and "Mike Pompeo" in result.output and "Marco Rubio" not in result.output

    result = runner.invoke(
        kb_app, ["who", "U.S. Secretary of State", "--on", "2022-03-01", "--kb", str(folder), "--json"]
    )
    data = json.loads(result.stdout)
    assert [h["person"] for h in data["holders"]] == ["Antony Blinken"]

    result = runner.invoke(kb_app, ["person", "Tony Blinken", "--kb", str(folder), "--json"])
    person = json.loads(result.stdout)["people"][0]
    assert person["key"] == "Q2002" and person["facts"][0]["end"] == "2025-01-20"

    result = runner.invoke(kb_app, ["person", "Antonio Blinken", "--kb", str(folder)])
    assert result.exit_code == 1 and "Did you mean Antony Blinken" in result.output


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(kb_app, ["who", "President", "--kb", str(tmp_path / "missing")])
    assert (
        result.exit_code == 2 and "no knowledge base at" in result.output and "Traceback" not in result.output
    )
    result = runner.invoke(kb_app, ["import-wikidata", str(tmp_path / "nope.json"), "--kb", str(tmp_path)])
    assert result.exit_code == 2 and "no such file" in result.output
    result = runner.invoke(kb_app, ["who", "President", "--on", "someday", "--kb", str(tmp_path)])
    assert result.exit_code == 2 and "--on" in result.output
