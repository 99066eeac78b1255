"""One judge from several fine-tuned from the same model: the average of their weights.

    python -m training.soup /work/teach_run/hf_model /work/choose_run/hf_model --out /work/soup_run/hf_model
    python -m training.train_entailment --resume --work /work/soup_run --out DIR --pairs PAIRS.jsonl.xz

Judges fine-tuned from one starting point for a short while stay in one basin of the loss, where
the average of their weights (a "model soup", Wortsman et al. 2022) scores about as well as the
model trained on everything they learned together, at no training cost. Two students taught on
the two halves of the train side (``training.distil --stories --half teach|choose``) give one
judge that has learned both; its combiner is cross-fitted with those two students
(``train_combiner --judge choose=TEACH_STUDENT --judge teach=CHOOSE_STUDENT``), since no train
story is left that the soup has not learned. ``train_entailment --resume`` then exports,
quantises and measures it as any trained judge.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

WEIGHTS = "model.safetensors"
CONFIG = "config.json"


def soup(folders: Sequence[Path], out: Path) -> Path:
    """Write the mean of the weights in ``folders`` (Hugging Face model folders of one architecture)
    to ``out`` with the first folder's config; ValueError names the folder that does not match."""
    import torch
    from safetensors.torch import load_file, save_file

    if len(folders) < 2:
        raise ValueError("a soup needs at least two models")
    for folder in folders:
        if not (folder / WEIGHTS).is_file() or not (folder / CONFIG).is_file():
            raise ValueError(f"{folder} holds no {WEIGHTS} and {CONFIG} (a trained model's hf_model folder)")
    first = load_file(str(folders[0] / WEIGHTS))
    total = {name: tensor.to(torch.float64) for name, tensor in first.items()}
    for folder in folders[1:]:
        weights = load_file(str(folder / WEIGHTS))
        if weights.keys() != first.keys():
            raise ValueError(f"{folder} has other weights than {folders[0]}: not the same architecture")
        for name, tensor in weights.items():
            if tensor.shape != first[name].shape:
                raise ValueError(
                    f"{folder}: {name} is {tuple(tensor.shape)}, not {tuple(first[name].shape)}: "
                    "not the same architecture"
                )
            total[name] += tensor.to(torch.float64)
    mean = {name: (tensor / len(folders)).to(first[name].dtype) for name, tensor in total.items()}
    out.mkdir(parents=True, exist_ok=True)
    save_file(mean, str(out / WEIGHTS), metadata={"format": "pt"})
    shutil.copyfile(folders[0] / CONFIG, out / CONFIG)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "models", type=Path, nargs="+", help="hf_model folders of judges fine-tuned from one model"
    )
    ap.add_argument("--out", type=Path, required=True, help="the hf_model folder to write (WORK/hf_model)")
    args = ap.parse_args(argv)
    try:
        written = soup(args.models, args.out)
    except ValueError as exc:
        ap.error(str(exc))
    print(f"wrote the mean of {len(args.models)} models to {written}")


if __name__ == "__main__":
    main()
