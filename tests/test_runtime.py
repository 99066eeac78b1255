"""The run time stays light: checking a story never imports PyTorch, even where it is installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

STORY = Path(__file__).parent / "fixtures" / "stories" / "wrong_number_place_storm.json"

PROBE = """
import sys
from copydesk.apps.cli import main
sys.argv = ["copydesk", "check", sys.argv[1], "--format", "json", "--no-kb"]
try:
    main()
except SystemExit as done:
    print("exit", done.code, file=sys.stderr)
print("torch loaded" if "torch" in sys.modules else "torch not loaded", file=sys.stderr)
"""


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="needs PyTorch installed to mean anything"
)
def test_a_check_never_imports_torch() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(STORY)], capture_output=True, text=True, timeout=300, check=False
    )
    assert "exit 1" in result.stderr, result.stderr  # it really checked, and found the planted errors
    assert '"wrong_place"' in result.stdout
    assert "torch not loaded" in result.stderr


def test_hiding_torch_from_spacy_leaves_it_importable_afterwards() -> None:
    probe = "from copydesk.language import load_pipeline; load_pipeline(); import importlib.util, sys; " + (
        "print(importlib.util.find_spec('torch') is None or __import__('torch') is not None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.stdout.strip() == "True", result.stderr
