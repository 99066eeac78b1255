"""Segment: parse the story's texts and the sources; read sentences and atomic claims."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.resources import Resources


def segment(doc: Document, resources: Resources) -> None:
    """Parse every text and split the headline and body into sentences and claims."""
