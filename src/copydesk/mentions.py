"""Mentions: people, organisations, places, offices, dates, numbers and quotations."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.resources import Resources


def annotate_mentions(doc: Document, resources: Resources) -> None:
    """Find and resolve the mentions of every text."""
