"""The shipped model files load and behave (onnxruntime + tokenizers only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from copydesk import inference
from copydesk.datasplit import split_of
from copydesk.errors import CopydeskError, ModelMissingError
from copydesk.models import MODEL_DIR

PREMISE = "The council voted 7-2 on Tuesday to close the library."
ENTAILED = "The council voted to close the library."
CONTRADICTED = "The council voted to keep the library open."


@pytest.mark.slow
def test_runtime_does_not_import_torch() -> None:
    code = (
        "import sys, copydesk.inference as i; i.load_scorer(1).score([('a b', 'a')]); "
        "i.load_encoder(1).encode(['a']); "
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(inference.__file__).parent.parent), env.get("PYTHONPATH", "")]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def encoder() -> inference.SentenceEncoder:
    return inference.load_encoder(2)


@pytest.fixture(scope="module")
def scorer() -> inference.EntailmentScorer:
    return inference.load_scorer(2)


def test_shipped_files_present() -> None:
    for name in ("embedder.onnx", "entailment.onnx", "tokenizer.json", "MANIFEST.json"):
        assert (MODEL_DIR / name).is_file(), name
    total = sum(
        (MODEL_DIR / n).stat().st_size for n in ("embedder.onnx", "entailment.onnx", "tokenizer.json")
    )
    assert total < 100 * 2**20


@pytest.mark.slow
def test_entailed_scores_higher_than_contradicted(scorer: inference.EntailmentScorer) -> None:
    p = scorer.score([(PREMISE, ENTAILED), (PREMISE, CONTRADICTED)])
    assert p.shape == (2,) and p.dtype == np.float32
    assert ((p >= 0) & (p <= 1)).all()
    assert p[0] > 0.5
    assert p[0] > p[1] + 0.2


@pytest.mark.slow
def test_scorer_more_pairs_and_order(scorer: inference.EntailmentScorer) -> None:
    premise = (
        "Heavy snow closed Route 9 between Ashford and Bellview on Friday. "
        "The road reopened on Saturday morning after ploughs worked through the night."
    )
    pairs = [
        (premise, "Route 9 reopened on Saturday."),
        (premise, "Route 9 stayed closed for a month."),
        (PREMISE, ENTAILED),
        ("A long unrelated passage about cooking pasta. " * 40, ENTAILED),  # over 256 tokens: truncated
    ]
    p = scorer.score(pairs, batch_size=2)
    assert p[0] > p[1]
    single = np.array([scorer.score([pair])[0] for pair in pairs])
    # sorted batching restores the order: the pairs given in reverse make the same batches
    reverse = scorer.score(pairs[::-1], batch_size=2)[::-1]
    np.testing.assert_allclose(p, reverse, atol=1e-6)
    # alone, a pair scores a little differently: int8 activations are quantised per batch
    np.testing.assert_allclose(p, single, atol=0.1)
    assert scorer.score([]).shape == (0,)


@pytest.mark.slow
def test_a_pairs_score_does_not_depend_on_the_pairs_beside_it(scorer: inference.EntailmentScorer) -> None:
    premise = "Heavy snow closed Route 9 between Ashford and Bellview on Friday."
    pairs = [
        (premise, "Route 9 was closed on Friday."),
        (premise, "Route 9 stayed open all week."),
        ("A long unrelated passage about cooking pasta. " * 40, "Route 9 was closed on Friday."),
        (PREMISE, ENTAILED),
    ]
    alone = np.array([scorer.score([pair])[0] for pair in pairs], dtype=np.float32)
    np.testing.assert_array_equal(scorer.score(pairs), alone)
    np.testing.assert_array_equal(scorer.score(pairs[::-1])[::-1], alone)
    np.testing.assert_array_equal(scorer.score([*pairs[:2], (PREMISE, CONTRADICTED)])[:2], alone[:2])


@pytest.mark.slow
def test_encoder_shape_norm_and_similarity(encoder: inference.SentenceEncoder) -> None:
    texts = [
        "The council voted to close the library.",
        "Councillors decided to shut down the library.",
        "The striker scored twice in the cup final.",
    ]
    e = encoder.encode(texts)
    assert e.shape == (3, 384) and e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.2
    # order is restored after sorting by length; batching barely changes results (dynamic int8
    # quantises activations per batch, so they are not bit-identical across batch compositions)
    e2 = encoder.encode(texts[::-1], batch_size=1)
    assert ((e2[::-1] * e).sum(1) > 0.97).all()
    assert encoder.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_encoder_truncates_long_text(encoder: inference.SentenceEncoder) -> None:
    e = encoder.encode(["word " * 1000])
    assert e.shape == (1, 384)


@pytest.mark.slow
def test_loaders_are_cached() -> None:
    assert inference.load_encoder(2) is inference.load_encoder(2)
    assert inference.load_scorer(2) is inference.load_scorer(2)


def test_pair_encoding_truncates_premise_first() -> None:
    tok = inference.load_tokenizer()
    long_premise = "alpha beta gamma " * 200
    ((ids, types),) = inference.encode_pairs(tok, [(long_premise, ENTAILED)])
    assert len(ids) == inference.SCORER_MAX_TOKENS == len(types)
    hyp_ids = tok.encode(ENTAILED, add_special_tokens=False).ids
    assert ids[-len(hyp_ids) - 1 : -1] == hyp_ids  # claim kept whole
    assert types[0] == 0 and types[-1] == 1
    ((ids, _),) = inference.encode_pairs(tok, [("short premise", "very long claim " * 300)])
    assert len(ids) == inference.SCORER_MAX_TOKENS


def test_missing_model_error_says_how_to_rebuild(tmp_path) -> None:
    with pytest.raises(ModelMissingError) as err:
        inference.EntailmentScorer(tmp_path)
    assert isinstance(err.value, CopydeskError)
    assert "python -m training.build" in str(err.value)
    assert "entailment.onnx" in str(err.value)


def test_split_is_deterministic_and_whitespace_insensitive() -> None:
    a = "The council voted on Tuesday.\n\nIt will close the library."
    assert split_of(a) == split_of("  The council voted on Tuesday. It will   close the library. ")
    sides = [split_of(f"source document number {i}") for i in range(400)]
    assert set(sides) == {"train", "test"}
    assert 0.4 < sides.count("test") / len(sides) < 0.6


def _tiny_roberta_tokenizer():
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers import models as tok_models

    words = ["[CLS]", "[SEP]", "[PAD]", "the", "council", "voted", "to", "close", "library", "."]
    vocab = {tok: i for i, tok in enumerate(["<s>", "<pad>", "</s>", "<unk>", *words])}
    tok = Tokenizer(tok_models.WordPiece(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def test_pair_format_follows_the_tokenizer() -> None:
    # MPNet's vocabulary holds [CLS] and [SEP] too, as ordinary tokens: <s> decides the format
    mpnet = _tiny_roberta_tokenizer()
    assert inference.is_roberta_style(mpnet) and inference.pad_id(mpnet) == 1
    ((ids, types),) = inference.encode_pairs(mpnet, [("The council voted.", "The library")])
    s, pad, e = 0, 1, 2
    assert ids[0] == s and ids.count(e) == 3 and pad not in ids
    assert ids[ids.index(e) + 1] == e, "<s> premise </s></s> hypothesis </s>"
    assert set(types) == {0}
    ((long_ids, _),) = inference.encode_pairs(mpnet, [("the council voted " * 200, "the library")])
    assert len(long_ids) == inference.SCORER_MAX_TOKENS
    assert long_ids[-5:] == [e, e, 7, 12, e], "the premise is cut, the claim kept whole"

    bert = inference.load_tokenizer()
    assert not inference.is_roberta_style(bert) and inference.pad_id(bert) == bert.token_to_id("[PAD]")
    ((ids, types),) = inference.encode_pairs(bert, [("The council voted.", "The library")])
    assert ids[0] == bert.token_to_id("[CLS]") and types[-1] == 1


def test_missing_mpnet_file_says_how_to_build_it(tmp_path) -> None:
    with pytest.raises(ModelMissingError) as err:
        inference.MPNetScorer(tmp_path)
    message = str(err.value)
    assert "entailment_mpnet.onnx" in message and "training.fetch_mpnet" in message
    assert "train_entailment --encoder mpnet" in message and "--model fast" in message


def test_shipped_mpnet_file_scores_the_probe_as_its_training_run_did() -> None:
    """The training run records its scores of known pairs (MANIFEST.json ``entailment_mpnet.probe``)."""
    import json

    if not (MODEL_DIR / inference.MPNET_SCORER_FILE).is_file():
        pytest.skip("no MPNet file is shipped yet: it needs a GPU training run (docs/models.md)")
    record = json.loads((MODEL_DIR / "MANIFEST.json").read_text())["entailment_mpnet"]
    scorer = inference.load_mpnet_scorer(2)
    assert scorer.encoder == "mpnet" and scorer.input_names == {"input_ids", "attention_mask"}
    got = scorer.score([(r["premise"], r["hypothesis"]) for r in record["probe"]])
    assert np.allclose(got, [r["p_entail"] for r in record["probe"]], atol=1e-4)
    assert all(path.stat().st_size < 95 * 10**6 for path in MODEL_DIR.glob("entailment_mpnet.onnx*"))
