"""Fixtures shared by the test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from copydesk.pipeline import Pipeline
from copydesk.resources import Settings


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of hand-written test inputs."""
    return Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """Real stages (spaCy parse, mentions, lexical retrieval) and no checker: tests annotate a story
    with it and run the one checker function they are about, so a failure points at that checker."""
    return Pipeline(Settings(checkers=(), dense_retrieval=False))
