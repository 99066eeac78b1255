"""Shipped model files (ONNX graphs, tokenizer, MANIFEST.json); rebuilt by ``python -m training.build``."""

from pathlib import Path

MODEL_DIR = Path(__file__).parent
