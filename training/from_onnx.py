"""Rebuild a trainable model from a shipped ONNX judge, to continue training it.

    python -m training.from_onnx src/copydesk/models/entailment.onnx --out /work/minilm_shipped
    python -m training.from_onnx /work/mpnet_ship/entailment_mpnet.onnx --encoder mpnet \\
        --base-model /work/mpnet --out /work/mpnet_init

A training run's torch checkpoint lives in its ``--work`` folder and rarely outlives the machine
it ran on; the ONNX file that ships does. This reads the file's weights back into the model class
the run trained (the base model gives the architecture and whatever the file lacks), so that
``train_entailment --init-from OUT`` continues from the shipped judge. int8 weights come back
dequantised (``(q - zero_point) * scale``, per channel or per tensor): close to, not equal to,
the weights that were exported; a file that kept fp32 weights comes back exactly.

Weights are found by name. The exporter names most of them after the module they belong to
(``wrapped.bert.encoder.layer.0.attention.self.query.bias``); a quantised matrix product's weight
may carry a generated name (``val_114``), and is named after the bias its output is added to.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

PREFIX = "wrapped."
"""What the export wrapper (``training.common.output_module``) adds before each parameter name."""


def dequantised_weights(path: Path) -> dict[str, np.ndarray]:
    """Every float weight of the ONNX file at ``path`` by its parameter name (int8 ones dequantised).

    Matrices that a quantised MatMul multiplies by are returned as the model holds them
    (``out x in``), not transposed as the graph stores them.
    """
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path), load_external_data=True)
    raw = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    named: dict[str, np.ndarray] = {}
    for name, value in raw.items():
        if name.startswith(PREFIX) and np.issubdtype(value.dtype, np.floating):
            named[name[len(PREFIX) :]] = value
    for name in raw:
        if not name.endswith("_quantized"):
            continue
        stem = name[: -len("_quantized")]
        value = _dequantise(raw, stem)
        if stem.startswith(PREFIX):  # an embedding table (Gather) or a transposed matrix
            key = stem[len(PREFIX) :]
            if key.endswith("_Transposed"):
                named[key[: -len("_Transposed")]] = value.T
            else:
                named[key] = value
    for weight, bias in _matmul_biases(model).items():
        if not (bias.startswith(PREFIX) and bias.endswith(".bias")):
            continue
        name = bias[len(PREFIX) : -len(".bias")] + ".weight"
        stem = weight[: -len("_quantized")]
        if weight.endswith("_quantized") and stem + "_scale" in raw:
            named[name] = _dequantise(raw, stem).T
        elif weight in raw and np.issubdtype(raw[weight].dtype, np.floating):
            named.setdefault(name, raw[weight].T)
    return named


def _dequantise(raw: dict[str, np.ndarray], stem: str) -> np.ndarray:
    q = raw[stem + "_quantized"].astype(np.float32)
    zero = raw[stem + "_zero_point"].astype(np.float32)
    return (q - zero) * raw[stem + "_scale"].astype(np.float32)


def _matmul_biases(model: Any) -> dict[str, str]:
    """Weight input of each quantised MatMul -> the named bias added to its output (a few nodes on)."""
    consumers: dict[str, list[Any]] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    out = {}
    for node in model.graph.node:
        if node.op_type not in ("MatMulInteger", "MatMul") or len(node.input) < 2:
            continue
        value = node.output[0]
        for _ in range(4):  # Cast, Mul by the scales, then Add
            nxt = consumers.get(value, [])
            if len(nxt) != 1:
                break
            if nxt[0].op_type == "Add":
                named = [i for i in nxt[0].input if i.startswith(PREFIX)]
                if named:
                    out[node.input[1]] = named[0]
                break
            value = nxt[0].output[0]
    return out


def rebuild(path: Path, encoder: str = "minilm", base: Path | None = None, log=print) -> Any:
    """The model class ``train_entailment`` trains, holding the weights of the ONNX file at ``path``."""
    import torch

    from training import encoders
    from training.train_entailment import make_model

    if encoder == "mpnet":
        if base is None:
            raise ValueError("--encoder mpnet needs --base-model DIR (python -m training.fetch_mpnet)")
        model = encoders.make_mpnet_model(base)
    else:
        model = make_model(base=base)
    weights = dequantised_weights(path)
    state = model.state_dict()
    # every trained parameter must come from the file; buffers (position ids) stay the base model's
    missing = [name for name, _ in model.named_parameters() if name not in weights]
    if missing:
        other = "minilm" if encoder == "mpnet" else "mpnet"
        raise ValueError(
            f"{path} lacks {len(missing)} weights of the {encoder} model, e.g. {missing[:3]}; "
            f"is it a file of the other encoder (--encoder {other})?"
        )
    loaded = {
        name: torch.tensor(np.asarray(weights[name], dtype=np.float32)).reshape(tensor.shape)
        if name in weights
        else tensor
        for name, tensor in state.items()
    }
    model.load_state_dict(loaded)
    log(f"read {sum(1 for n in state if n in weights)} of {len(state)} weights from {path}")
    return model


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("onnx", type=Path, help="the shipped file (its external data files beside it)")
    ap.add_argument("--out", type=Path, required=True, help="folder for save_pretrained (--init-from)")
    ap.add_argument("--encoder", choices=("minilm", "mpnet"), default="minilm")
    ap.add_argument("--base-model", type=Path, default=None, help="the base model folder (MPNet: required)")
    a = ap.parse_args(argv)
    if not a.onnx.is_file():
        ap.error(f"no ONNX file at {a.onnx}")
    try:
        model = rebuild(a.onnx, a.encoder, a.base_model)
    except ValueError as exc:
        ap.error(str(exc))
    model.save_pretrained(str(a.out))
    print(f"saved to {a.out}; continue with train_entailment --init-from {a.out}")


if __name__ == "__main__":
    main()
