"""Planted-error stories (benchmarks/planted.py) and their per-kind scoring in `copydesk eval`."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from copydesk.apps.evaluation import metrics, runner
from copydesk.apps.evaluation.command import eval_command
from copydesk.schema import Finding, FindingKind, Report, Severity, Verdict

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "fixtures" / "planted"


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("planted", ROOT / "benchmarks" / "planted.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["planted"] = module
    spec.loader.exec_module(module)
    return module


planted = _load_generator()


@pytest.fixture(scope="module")
def nlp() -> Any:
    try:
        return planted.load_spacy()
    except SystemExit as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def generated(nlp: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        side: planted.generate(DATA, side, per_kind=1, clean=1, seed=7, nlp=nlp) for side in ("test", "train")
    }


def _undo(record: dict[str, Any], field: str) -> str:
    """The record's text with every planted span replaced by its corrected text."""
    text = record[field]
    spans = [s for p in record["planted"] for s in p["spans"] if s["field"] == field]
    for span in sorted(spans, key=lambda s: s["start"], reverse=True):
        text = text[: span["start"]] + span["corrected"] + text[span["end"] :]
    return text


def test_every_kind_is_planted_where_it_says_and_undoing_it_gives_the_story_back(
    generated: dict[str, list[dict[str, Any]]],
) -> None:
    records = generated["test"] + generated["train"]
    kinds = {p["kind"] for r in records for p in r["planted"]}
    assert kinds == set(planted.KINDS)
    assert any(not r["planted"] for r in records)  # clean stories too
    for r in records:
        assert r["label"] == (0 if r["planted"] else 1)
        for p in r["planted"]:
            assert p["spans"], p
            for span in p["spans"]:
                # the span text is what was planted, and it differs from what it replaced
                assert r[span["field"]][span["start"] : span["end"]] == span["text"]
                assert span["text"] != span["corrected"]
        # the corrected story differs from the planted one only at the planted spans
        assert _undo(r, "headline") == r["corrected"]["headline"]
        assert _undo(r, "body") == r["corrected"]["body"]
        assert r["spans"] == [
            [s["start"], s["end"]] for p in r["planted"] for s in p["spans"] if s["field"] == "body"
        ]
        # the sentences still index the planted text: untouched ones read as in the corrected story
        assert r["sentences"][0] == {"field": "headline", "start": 0, "end": len(r["headline"])}
        for sentence in r["sentences"][1:]:
            text = r["body"][sentence["start"] : sentence["end"]]
            assert text == text.strip() and text[-1] in ".!?\"'"


def test_each_kind_plants_its_own_error(generated: dict[str, list[dict[str, Any]]]) -> None:
    by_kind = {p["kind"]: p for r in generated["test"] + generated["train"] for p in r["planted"]}
    fields = {k: [s["field"] for s in p["spans"]] for k, p in by_kind.items()}
    for kind in ("wrong_person", "misspelled_name", "stale_leader"):  # every mention, headline too
        assert fields[kind].count("headline") == 1 and fields[kind].count("body") >= 2, kind
    assert set(fields["headline_actor"]) == {"headline"}
    assert set(fields["wrong_number"]) == {"body"} and len(fields["wrong_number"]) == 2
    first, second = by_kind["wrong_number"]["spans"]
    assert (first["text"], first["corrected"]) == (second["corrected"], second["text"])  # exchanged
    (date,) = by_kind["wrong_date"]["spans"]
    assert 1 <= abs(int(date["text"]) - int(date["corrected"])) <= 3
    (leak,) = by_kind["machine_text"]["spans"]
    assert leak["corrected"] == "" and leak["text"].strip() in {
        t for group in (planted.LEAKS, planted.HELD_OUT_LEAKS) for texts in group.values() for t in texts
    }
    misspelled = by_kind["misspelled_name"]["spans"]
    assert len({s["text"] for s in misspelled}) == 1  # the same misspelling everywhere
    titles = {t.lower() for t in planted.SWAP_TITLES}
    for span in by_kind["wrong_title"]["spans"]:
        assert span["text"].lower() in titles and span["corrected"] == "Mayor"  # the fixture's title


def test_held_out_variants_stay_out_of_the_train_side(generated: dict[str, list[dict[str, Any]]]) -> None:
    train = [p for r in generated["train"] for p in r["planted"]]
    assert train and not any(p["held_out"] for p in train)
    assert "wrong_place" not in {p["kind"] for p in train}
    test_place = [p for r in generated["test"] for p in r["planted"] if p["kind"] == "wrong_place"]
    assert test_place and all(p["held_out"] for p in test_place)
    assert planted.held_out("stale_leader", "successor") and not planted.held_out(
        "stale_leader", "predecessor"
    )


def test_sides_are_apart_by_the_split_of_the_source(generated: dict[str, list[dict[str, Any]]]) -> None:
    from copydesk.datasplit import split_of

    for side, records in generated.items():
        assert all(split_of(runner.split_text(r)) == side for r in records)


def test_the_same_seed_gives_the_same_stories(nlp: Any, generated: dict[str, list[dict[str, Any]]]) -> None:
    again = planted.generate(DATA, "train", per_kind=1, clean=1, seed=7, nlp=nlp)
    assert json.dumps(again) == json.dumps(generated["train"])


def test_apply_moves_the_sentences_past_insertions_and_longer_names() -> None:
    story = planted.Story("Kim visits Leeds", "Kim went to Leeds. It rained.", [(0, 18), (19, 29)])
    plants = [
        planted.Plant(
            "wrong_person",
            "outside",
            [planted.Edit("headline", 0, 3, "Robinson"), planted.Edit("body", 0, 3, "Robinson")],
        ),
        planted.Plant("machine_text", "middle", [planted.Edit("body", 19, 19, "As an AI, I cannot. ")]),
    ]
    out = planted.apply(story, plants)
    assert out["headline"] == "Robinson visits Leeds"
    assert out["body"] == "Robinson went to Leeds. As an AI, I cannot. It rained."
    bounds = [out["body"][s["start"] : s["end"]] for s in out["sentences"][1:]]
    assert bounds == ["Robinson went to Leeds.", "It rained."]
    assert out["planted"][1]["spans"] == [
        {"field": "body", "start": 24, "end": 44, "text": "As an AI, I cannot. ", "corrected": ""}
    ]


# --- the per-kind matcher ---------------------------------------------------------------------


def test_every_span_and_some_span_by_hand() -> None:
    three_places = metrics.PlantedError(
        "wrong_person", (("headline", 0, 5), ("body", 0, 5), ("body", 40, 45)), "outside"
    )
    one_place = metrics.PlantedError("wrong_date", (("body", 10, 14),), "year")
    sentences = (("headline", 0, 20), ("body", 0, 20), ("body", 21, 39), ("body", 40, 60))
    stories = [
        # found in the headline and the first body mention, missed at 40..45: some span, not every span
        metrics.PlantedStory(
            (three_places,),
            sentences,
            ((("headline", 2, 4), "wrong_person"), (("body", 3, 9), "wrong_person")),
        ),
        # one span, touched by a finding that starts before it: every span; the untouched
        # sentence 21..39 is flagged too
        metrics.PlantedStory(
            (one_place,), sentences, ((("body", 8, 11), "wrong_date"), (("body", 25, 30), "contradicted"))
        ),
        # a finding that ends where the span starts does not touch it
        metrics.PlantedStory((one_place,), sentences, ((("body", 0, 10), "unsupported"),)),
        # nothing planted, one sentence flagged
        metrics.PlantedStory((), sentences, ((("body", 45, 50), "contradicted"),), "clean (news)"),
    ]
    scores = {s.group: s for s in metrics.planted_scores(stories)}
    assert list(scores) == ["wrong_date", "wrong_person", "clean (news)", "all"]
    person, date, clean, total = (scores[k] for k in ("wrong_person", "wrong_date", "clean (news)", "all"))
    assert (person.errors, person.found_every_span, person.found_some_span) == (1, 0, 1)
    assert (date.errors, date.found_every_span, date.found_some_span) == (2, 1, 1)
    assert date.every_span == pytest.approx(0.5)
    # untouched sentences: story 1 has only 21..39 untouched (the others hold a planted span);
    # stories 2 and 3 have headline, 21..39 and 40..60; story 2 flags 21..39; story 3 flags 0..10,
    # which is in the planted sentence 0..20
    assert (person.untouched_sentences, person.untouched_flagged) == (1, 0)
    assert (date.untouched_sentences, date.untouched_flagged) == (6, 1)
    assert (clean.untouched_sentences, clean.untouched_flagged, clean.stories_flagged) == (4, 1, 1)
    assert (total.errors, total.found_every_span, total.found_some_span) == (3, 1, 2)
    assert total.untouched_flagged_share == pytest.approx(2 / 11)
    assert person.finding_kinds == {"wrong_person": 1} and date.finding_kinds == {"wrong_date": 1}


def test_held_out_variants_are_scored_apart() -> None:
    error = metrics.PlantedError("misspelled_name", (("body", 0, 4),), "vowel", held_out=True)
    story = metrics.PlantedStory((error,), (("body", 0, 10),), ((("body", 0, 4), "misspelled_name"),))
    groups = [s.group for s in metrics.planted_scores([story])]
    assert groups == ["misspelled_name (held out)", "all"]


def test_a_finding_with_spans_counts_at_each_of_them_and_its_own_start_end_otherwise() -> None:
    with_spans = SimpleNamespace(
        field="body",
        start=0,
        end=5,
        spans=[{"field": "headline", "start": 0, "end": 5}, SimpleNamespace(field="body", start=40, end=45)],
    )
    assert metrics.finding_spans(with_spans) == [("headline", 0, 5), ("body", 40, 45)]
    assert metrics.finding_spans(SimpleNamespace(field="body", start=3, end=9, spans=[])) == [("body", 3, 9)]
    assert metrics.finding_spans(SimpleNamespace(field="headline", start=1, end=2)) == [("headline", 1, 2)]


def _finding(field: str, start: int, end: int, kind: FindingKind = FindingKind.WRONG_PERSON) -> Finding:
    return Finding(
        field=field,  # type: ignore[arg-type]
        start=start,
        end=end,
        text="x",
        kind=kind,
        verdict=Verdict.CONTRADICTED,
        severity=Severity.ERROR,
        confidence=0.9,
        message="m",
        checker="stub",
    )


def _planted_file(tmp_path: Path) -> Path:
    story = planted.Story(
        "Lee visits Leeds",
        "Lee went to Leeds on Monday. Lee met the mayor. It rained.",
        [(0, 28), (29, 46), (47, 57)],
    )
    story.sources = [{"id": "s1", "text": "Lee went to Leeds on Monday. Lee met the mayor. It rained."}]
    story.split_key = story.sources[0]["text"]
    edits = [
        planted.Edit("headline", 0, 3, "Kim"),
        planted.Edit("body", 0, 3, "Kim"),
        planted.Edit("body", 29, 32, "Kim"),
    ]
    rec = planted.record(story, [planted.Plant("wrong_person", "outside", edits)], "p1", "planted-test")
    clean = planted.record(story, [], "p2", "planted-test")
    path = tmp_path / "planted.jsonl"
    path.write_text(json.dumps(rec) + "\n" + json.dumps(clean) + "\n")
    return path


def test_runner_scores_planted_rows_with_the_reports_it_is_given(tmp_path: Path) -> None:
    path = _planted_file(tmp_path)
    rows = runner.select(runner.read_rows(path), "all", None)
    assert rows[0].planted and rows[0].planted[0].spans == (
        ("headline", 0, 3),
        ("body", 0, 3),
        ("body", 29, 32),
    )

    def check(story: Any) -> Report:
        if story.id == "p1":  # headline and first body mention found, the second missed
            findings = [_finding("headline", 0, 3), _finding("body", 0, 3)]
        else:  # a false alarm in the clean story's last sentence
            findings = [_finding("body", 50, 56, FindingKind.CONTRADICTED)]
        return Report(consistent=False, score=0.1, findings=findings)

    scores = {s.group: s for s in runner.planted(list(runner.run(rows, check)))}
    assert (scores["wrong_person"].found_every_span, scores["wrong_person"].found_some_span) == (0, 1)
    assert scores["clean (news)"].untouched_flagged == 1
    assert scores["all"].untouched_sentences == 1 + 4  # "It rained." of p1; all four of p2


def test_eval_command_prints_and_returns_the_per_kind_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copydesk.pipeline import Pipeline

    path = _planted_file(tmp_path)
    findings = [_finding("headline", 0, 3), _finding("body", 0, 3), _finding("body", 29, 32)]
    monkeypatch.setattr(
        Pipeline, "check", lambda self, story: Report(consistent=False, score=0.2, findings=findings)
    )
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)
    args = ["eval", str(path), "--split", "all", "--checkers", "entailment"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    groups = {g["group"]: g for g in json.loads(result.stdout)["planted"]}
    assert groups["wrong_person"]["every_span"] == 1.0
    assert groups["clean (news)"]["stories_flagged"] == 1
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "wrong_person" in table.stdout and "every span" in table.stdout


def test_rewording_leaves_quoted_words_as_spoken() -> None:
    sentence = "She said \"we can't wait\" and “they won't stop”, but officials didn't agree."
    for seed in range(20):
        reworded = planted.reword(sentence, random.Random(seed))
        assert '"we can\'t wait"' in reworded
        assert "“they won't stop”" in reworded
    assert any("did not agree" in planted.reword(sentence, random.Random(s)) for s in range(20))
