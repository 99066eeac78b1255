"""The stronger judge's run time: an MPNet file loads through copydesk.inference and scores as torch
did, ``--model auto`` sends MPNet only the claims that decide within its budget, each mode finds its
combiner, and a mode whose file is missing is one line on the command line.

The MPNet here is random, 2 layers and 32 wide, with a tokenizer of a few hundred words: the format
of all-mpnet-base-v2 (``<s> A </s></s> B </s>``, padding id 1, no token types, weights in ONNX
external data files) without its 400 MB.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from copydesk import inference, models
from copydesk.errors import CopydeskError, ModelMissingError
from copydesk.inference import CascadeScorer, JointScorer

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `training/` lives at the repository root, outside src/
    sys.path.insert(0, str(ROOT))

PAIRS = [
    ("The council voted 7-2 on Tuesday to close the library.", "The council voted to close the library."),
    ("The council voted 7-2 on Tuesday to close the library.", "The library will stay open."),
    ("A storm hit the coast on Monday.", "A storm hit the coast."),
    (
        "A storm hit the coast on Monday, cutting power to 3,000 homes and closing two schools.",
        "The mayor said the schools would open.",
    ),
]


# --------------------------------------------------------------------------- the cascade, with fakes
class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeScorer:
    """Scores from a table, charging ``cost`` seconds of the fake clock per pair; keeps what it saw."""

    def __init__(self, table: dict[tuple[str, str], float], clock: FakeClock, cost: float) -> None:
        self.table, self.clock, self.cost = table, clock, cost
        self.seen: list[tuple[str, str]] = []

    def score(self, pairs, batch_size: int = 16) -> np.ndarray:
        pairs = list(pairs)
        self.seen += pairs
        self.clock.now += self.cost * len(pairs)
        return np.asarray([self.table[p] for p in pairs], dtype=np.float32)


def claim_pairs(claim: str, supports: list[float]) -> dict[tuple[str, str], float]:
    return {(f"passage {n} for {claim}", claim): s for n, s in enumerate(supports)}


def story_pairs() -> tuple[dict[tuple[str, str], float], list[tuple[str, str]]]:
    """Four claims: A (3 pairs, best 0.1), B (2 pairs, best 0.4), C (2 pairs, best 0.95, sure
    enough to leave alone) and D (1 pair, 0.3); the pairs of the claims interleaved."""
    fast = {
        **claim_pairs("A", [0.05, 0.1, 0.02]),
        **claim_pairs("B", [0.4, 0.2]),
        **claim_pairs("C", [0.95, 0.5]),
        **claim_pairs("D", [0.3]),
    }
    order = sorted(fast, key=lambda p: (p[0][8], p[1]))  # passage number first: claims interleaved
    return fast, order


def test_cascade_sends_the_weakest_claims_that_fit_the_budget_and_counts_them() -> None:
    fast_table, pairs = story_pairs()
    clock = FakeClock()
    fast = FakeScorer(fast_table, clock, cost=0.1)
    accurate = FakeScorer({p: 0.9 for p in fast_table}, clock, cost=0.8)
    # MiniLM takes 0.8 s for the 8 pairs, so MPNet is expected at 8 x 0.1 = 0.8 s a pair: in 4 s,
    # A (3 pairs, 2.4 s) and D (1 pair, 0.8 s) fit; B (2 pairs, 1.6 s more) does not; C is sure.
    cascade = CascadeScorer(fast, accurate, budget_s=4.0, clock=clock)
    scores = cascade.score(pairs)

    assert sorted(accurate.seen) == sorted(p for p in pairs if p[1] in {"A", "D"})
    assert fast.seen == pairs, "the fast model scores every pair"
    w = inference.ACCURATE_WEIGHT
    for pair, score in zip(pairs, scores, strict=True):
        rescored = pair[1] in {"A", "D"}
        assert score == pytest.approx(w * 0.9 + (1 - w) * fast_table[pair] if rescored else fast_table[pair])
    counts = cascade.counts
    assert (counts.calls, counts.pairs, counts.rescored_pairs) == (1, 8, 4)
    assert (counts.rescored_claims, counts.left_claims) == (2, 1)
    assert counts.accurate_s == pytest.approx(3.2) and counts.accurate_s <= cascade.budget_s

    # a second story: the counts add up; with no budget nothing goes to MPNet
    cascade.score(pairs[:3])
    assert cascade.counts.calls == 2 and cascade.counts.pairs == 11
    idle = CascadeScorer(fast, FakeScorer({}, clock, 0.8), budget_s=0.0, clock=clock)
    assert np.allclose(idle.score(pairs), [fast_table[p] for p in pairs])
    assert idle.counts.rescored_pairs == 0


def test_cascade_stops_when_mpnet_turns_out_slower_than_expected() -> None:
    fast_table, pairs = story_pairs()
    clock = FakeClock()
    fast = FakeScorer(fast_table, clock, cost=0.1)
    accurate = FakeScorer({p: 0.9 for p in fast_table}, clock, cost=3.0)
    # expected 0.8 s a pair, so the first batch (of at most 3 pairs) takes A (3 pairs); it takes 9 s
    # instead of 2.4, and nothing more is sent under a 10 s budget
    cascade = CascadeScorer(fast, accurate, budget_s=10.0, clock=clock)
    cascade.score(pairs, batch_size=3)
    assert sorted(accurate.seen) == sorted(p for p in pairs if p[1] == "A")
    assert cascade.counts.rescored_pairs == 3
    # the next story starts from the measured ratio (30x): 10 s buys 3 pairs, so A alone again
    accurate.seen.clear()
    cascade.score(pairs, batch_size=3)
    assert sorted(accurate.seen) == sorted(p for p in pairs if p[1] == "A")


def test_the_accurate_weight_sets_how_far_a_rescored_pair_moves() -> None:
    fast_table, pairs = story_pairs()
    for weight in (0.0, 0.25, 1.0):
        clock = FakeClock()
        accurate = FakeScorer({p: 0.9 for p in fast_table}, clock, cost=0.8)
        cascade = CascadeScorer(
            FakeScorer(fast_table, clock, 0.1), accurate, budget_s=1e9, clock=clock, accurate_weight=weight
        )
        scores = cascade.score(pairs)
        a_pair = pairs.index(("passage 0 for A", "A"))
        assert scores[a_pair] == pytest.approx(weight * 0.9 + (1 - weight) * 0.05)
    with pytest.raises(CopydeskError, match="weight"):
        CascadeScorer(FakeScorer({}, clock, 0.1), accurate, accurate_weight=1.5)


def test_joint_scorer_is_the_weighted_mean_of_its_judges_on_every_pair() -> None:
    fast_table, pairs = story_pairs()
    clock = FakeClock()
    minilm = FakeScorer(fast_table, clock, 0.1)
    mpnet = FakeScorer({p: 0.9 for p in fast_table}, clock, 0.8)
    joint = JointScorer([minilm, mpnet], [0.25, 0.75])
    got = joint.score(pairs)
    assert minilm.seen == pairs and mpnet.seen == pairs, "both judges score every pair"
    assert np.allclose(got, [0.25 * fast_table[p] + 0.75 * 0.9 for p in pairs])
    assert joint.score([]).shape == (0,)
    for weights in ([0.5], [0.7, 0.7], [-0.5, 1.5]):
        with pytest.raises(CopydeskError, match="weight"):
            JointScorer([minilm, mpnet], weights)


def test_unbounded_budget_rescores_every_claim_under_the_line_and_nothing_above() -> None:
    fast_table, pairs = story_pairs()
    clock = FakeClock()
    accurate = FakeScorer({p: 0.5 for p in fast_table}, clock, cost=0.8)
    cascade = CascadeScorer(FakeScorer(fast_table, clock, 0.1), accurate, budget_s=1e9, clock=clock)
    cascade.score(pairs)
    assert {h for _, h in accurate.seen} == {"A", "B", "D"} and len(accurate.seen) == 6


# --------------------------------------------------------------------------- a tiny MPNet file
@pytest.fixture(scope="module")
def mpnet_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A folder laid out as copydesk's model folder: the shipped MiniLM files (linked) beside a tiny
    random MPNet exported by the training code, in several external data files."""
    pytest.importorskip("torch", reason="the MPNet route needs torch (pip install -e '.[train]')")
    pytest.importorskip("transformers", reason="the MPNet route needs transformers")
    import torch
    from tiny_mpnet import tiny_config, tiny_tokenizer

    from training import encoders
    from training.common import export_onnx, onnx_files, save_sharded

    folder = tmp_path_factory.mktemp("models")
    work = tmp_path_factory.mktemp("work")
    for name in ("entailment.onnx", "tokenizer.json", "embedder.onnx", "combiner.json"):
        (folder / name).symlink_to(models.MODEL_DIR / name)

    texts = [p + " " + h for p, h in PAIRS] + [p + " " + h for p, h in encoders.PROBE_PAIRS]
    tok = tiny_tokenizer(texts)
    tok.save(str(folder / inference.MPNET_TOKENIZER_FILE))

    torch.manual_seed(0)
    config = tiny_config(tok.get_vocab_size(), max_position_embeddings=300, num_labels=2)
    model = encoders._mean_pool_class()(config).eval()  # the head training gives MPNet
    whole = export_onnx(
        encoders.logits_module(model, "mpnet"),
        encoders.input_names("mpnet"),
        "logits",
        work / "whole.onnx",
        seq_out=False,
    )
    save_sharded(whole, folder / inference.MPNET_SCORER_FILE, max_bytes=50_000)
    assert len(onnx_files(folder / inference.MPNET_SCORER_FILE)) >= 3, "weights in external data files"
    yield folder, model
    inference.load_mpnet_scorer.cache_clear()


def torch_probabilities(model, tok, pairs) -> list[float]:
    import torch

    with torch.no_grad():
        return [
            float(
                model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids))).logits.softmax(
                    -1
                )[0, 1]
            )
            for ids, _ in inference.encode_pairs(tok, pairs)
        ]


@pytest.mark.slow
def test_mpnet_file_loads_through_copydesk_and_scores_as_torch_did(mpnet_dir) -> None:
    folder, model = mpnet_dir
    scorer = inference.MPNetScorer(folder, threads=1)
    assert scorer.encoder == "mpnet" and scorer.pad_id == 1
    assert scorer.input_names == {"input_ids", "attention_mask"}
    # pairs of different lengths share a batch: padding with <pad> = 1 must not move the positions
    got = scorer.score(PAIRS)
    assert np.allclose(got, torch_probabilities(model, scorer.tokenizer, PAIRS), atol=1e-4)
    assert np.allclose(scorer.score(PAIRS[::-1]), got[::-1], atol=1e-5), "results in the caller's order"


@pytest.mark.slow
def test_probe_recorded_at_shipping_is_what_the_run_time_scores(mpnet_dir) -> None:
    from training import encoders

    folder, _ = mpnet_dir
    record = encoders.probe_record(
        encoders.OnnxPairScorer(folder / inference.MPNET_SCORER_FILE, folder / inference.MPNET_TOKENIZER_FILE)
    )
    scorer = inference.MPNetScorer(folder, threads=1)
    got = scorer.score([(r["premise"], r["hypothesis"]) for r in record])
    assert np.allclose(got, [r["p_entail"] for r in record], atol=1e-5)


@pytest.mark.slow
def test_auto_mode_rescores_with_mpnet_exactly_the_weak_claims(mpnet_dir) -> None:
    folder, _ = mpnet_dir
    assert isinstance(inference.build_scorer("auto", threads=1, model_dir=folder), CascadeScorer)
    minilm_scorer = inference.build_scorer("fast", threads=1, model_dir=folder)
    mpnet_scorer = inference.MPNetScorer(folder, threads=1)
    minilm, mpnet = minilm_scorer.score(PAIRS), mpnet_scorer.score(PAIRS)
    joint = (1 - inference.ACCURATE_WEIGHT) * minilm + inference.ACCURATE_WEIGHT * mpnet
    # accurate mode: both judges on every pair
    assert np.allclose(
        inference.build_scorer("accurate", threads=1, model_dir=folder).score(PAIRS), joint, atol=1e-5
    )
    cascade = CascadeScorer(minilm_scorer, mpnet_scorer, budget_s=1e6, rescore_below=0.5)
    weak = minilm < 0.5  # one pair per claim here
    assert 0 < weak.sum() < len(PAIRS), "the test needs a sure claim and an unsure one"
    got = cascade.score(PAIRS)
    assert np.allclose(got, np.where(weak, joint, minilm), atol=1e-5)
    assert cascade.counts.rescored_pairs == weak.sum()


# --------------------------------------------------------------------------- modes, settings, combiners
@pytest.mark.slow
def test_auto_mode_runs_in_the_pipeline_with_its_own_combiner(
    mpnet_dir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from copydesk import resources
    from copydesk.pipeline import Pipeline
    from copydesk.resources import Resources, Settings

    folder, _ = mpnet_dir
    monkeypatch.setattr(models, "MODEL_DIR", folder)
    monkeypatch.setattr(resources, "_warned_combiners", set())
    inference.load_mpnet_scorer.cache_clear()
    settings = Settings(checkers=("entailment",), dense_retrieval=False, model="auto", model_budget_s=60)
    pipeline = Pipeline(settings)
    with caplog.at_level(logging.WARNING):
        assert pipeline.resources.combiner_path == folder / "combiner.json"
    assert "python -m training.train_combiner --model auto" in caplog.text

    story = {
        "headline": "Library to close",
        "body": "The council voted to close the library. The mayor said the schools would open.",
        "sources": [{"title": "Council", "text": PAIRS[0][0] + " " + PAIRS[3][0]}],
    }
    report = pipeline.check(story)
    assert report.claims
    counts = pipeline.resources.scorer.counts  # type: ignore[attr-defined]
    assert counts.calls == 1 and counts.pairs > 0 and counts.rescored_pairs > 0

    # a combiner fitted for the mode is the one its pipeline reads, thresholds included
    fitted = json.loads((folder / "combiner.json").read_text())
    fitted["entailment"] = {"contradicted_below": 0.0, "unsupported_below": 0.0}
    (folder / "combiner_auto.json").write_text(json.dumps(fitted))
    try:
        assert Resources(settings).combiner_path == folder / "combiner_auto.json"
        quiet = Pipeline(settings).check(story)
        assert not [f for f in quiet.findings if f.checker == "entailment"], "no claim is under 0"
    finally:
        (folder / "combiner_auto.json").unlink()


def test_fast_mode_reads_the_shipped_combiner_unchanged() -> None:
    from copydesk.resources import Resources, Settings
    from copydesk.stages.decide import load_combiner

    path = Resources(Settings()).combiner_path
    assert path == models.COMBINER_FILE == models.combiner_file("fast")
    shipped = json.loads(models.COMBINER_FILE.read_text())
    combiner = load_combiner(path)
    assert combiner is not None and combiner.gate == shipped["gate"]
    assert combiner.entailment == shipped["entailment"]
    assert models.combiner_file("auto").name == "combiner_auto.json"
    assert models.combiner_file("accurate").name == "combiner_accurate.json"


def test_a_mode_without_its_file_is_an_error_that_says_how_to_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copydesk.pipeline import Pipeline
    from copydesk.resources import Settings

    monkeypatch.setattr(models, "MODEL_DIR", tmp_path)
    for mode in ("accurate", "auto"):
        with pytest.raises(ModelMissingError, match=r"entailment_mpnet\.onnx.*training\.train_entailment"):
            Pipeline(Settings(model=mode))  # type: ignore[arg-type]
    Pipeline(Settings(model="fast", checkers=()))  # fast needs nothing more


def _cli() -> typer.Typer:
    from copydesk.apps.batch.command import batch_command
    from copydesk.apps.cli import check
    from copydesk.apps.evaluation.command import eval_command
    from copydesk.apps.serve.command import serve_command

    app = typer.Typer()
    app.command("check")(check)
    app.command("batch")(batch_command)
    app.command("eval")(eval_command)
    app.command("serve")(serve_command)
    return app


def test_model_option_without_the_mpnet_file_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "MODEL_DIR", tmp_path)
    story = tmp_path / "story.txt"
    story.write_text("Library to close\n\nThe council voted to close the library.\n")
    runs = {
        "check": ["check", str(story), "--model", "accurate"],
        "batch": ["batch", str(story), "-o", str(tmp_path / "out.jsonl"), "--model", "auto"],
        "eval": ["eval", str(tmp_path / "rows.jsonl"), "--model", "accurate"],
        "serve": ["serve", "--model", "auto"],
    }
    for name, args in runs.items():
        result = CliRunner().invoke(_cli(), args)
        assert result.exit_code == 2, (name, result.output)
        flat = " ".join(result.output.split())
        assert "entailment_mpnet.onnx" in flat and "--encoder mpnet" in flat, (name, flat)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.jsonl").exists(), "nothing was checked"


def test_every_checking_command_offers_the_modes_and_says_what_they_cost() -> None:
    for name in ("check", "batch", "eval", "serve"):
        result = CliRunner().invoke(_cli(), [name, "--help"], env={"COLUMNS": "200"})
        flat = " ".join(result.output.split())
        assert "--model" in flat and "fast|accurate|auto" in flat, name
        assert "6-9x" in flat and "--model-budget" in flat, name


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["check", str(tmp_path / "s.txt"), "--model", "best"])
    assert result.exit_code == 2 and "best" in result.output
    from copydesk.errors import CopydeskError

    with pytest.raises(CopydeskError, match="unknown model mode"):
        inference.require_model_files("best")


@pytest.mark.slow
def test_copied_model_folder_without_external_data_is_a_clear_error(mpnet_dir, tmp_path: Path) -> None:
    folder, _ = mpnet_dir
    for name in (inference.MPNET_SCORER_FILE, inference.MPNET_TOKENIZER_FILE):
        shutil.copyfile(folder / name, tmp_path / name)  # the graph without its .data files
    with pytest.raises(ModelMissingError, match=r"external data"):
        inference.MPNetScorer(tmp_path, threads=1)


@pytest.mark.slow
def test_judging_a_checked_story_again_gives_what_checking_in_that_mode_gives(
    mpnet_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copydesk import resources
    from copydesk.checkers.entailment import judge_again
    from copydesk.pipeline import Pipeline, without_generic_duplicates
    from copydesk.resources import Settings

    folder, _ = mpnet_dir
    monkeypatch.setattr(models, "MODEL_DIR", folder)
    monkeypatch.setattr(resources, "_warned_combiners", set())
    inference.load_mpnet_scorer.cache_clear()
    story = {
        "headline": "Library to close",
        "body": "The council voted to close the library. The mayor said the schools would open.",
        "sources": [{"title": "Council", "text": PAIRS[0][0] + " " + PAIRS[3][0]}],
    }
    common = {"checkers": ("entailment", "quotes"), "dense_retrieval": False}
    fast = Pipeline(Settings(**common, model="fast"))
    accurate = Pipeline(Settings(**common, model="accurate"))

    doc = fast.verify(story)
    fast_supports = dict(doc.support)
    assert judge_again(doc, accurate.resources)
    doc.findings = without_generic_duplicates(doc.findings)
    again = accurate.report(doc)
    direct = accurate.check(story)
    assert doc.support != fast_supports, "the tiny MPNet and MiniLM disagree on these claims"
    assert again.model_dump() == direct.model_dump()


@pytest.mark.slow
def test_a_cached_story_judged_again_is_asked_about_the_passages_retrieval_found() -> None:
    """The support stage puts each claim's most supporting passage first; judging the story again
    (``--rescore``, ``--rejudge``, ``training.distil --stories``) must still start from the order
    retrieval gave, or a third of the claims are scored against other passages than a fresh check's."""
    import pickle

    from copydesk.apps.evaluation.runner import read_rows
    from copydesk.checkers.entailment import judge_again
    from copydesk.pipeline import Pipeline
    from copydesk.reading import story_from_record
    from copydesk.resources import Settings

    pipeline = Pipeline(Settings(checkers=("entailment",)))
    fixture = Path(__file__).parent / "fixtures" / "training" / "benchmarks" / "mini_news.jsonl"
    reordered = 0
    for row in read_rows(fixture):
        doc = pipeline.verify(story_from_record(row.record, row.line))
        checked = dict(doc.support)
        reordered += sum(doc.evidence[i] != doc.retrieved.get(i, doc.evidence[i]) for i in checked)
        cached = pickle.loads(pickle.dumps(doc))
        assert judge_again(cached, pipeline.resources)
        assert cached.support == pytest.approx(checked, abs=1e-6), row.record["id"]
    assert reordered, "some claim's best passage was not retrieval's first (else this proves nothing)"
