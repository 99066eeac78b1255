"""Retrieve: rank passages of the sources as evidence for each claim (BM25 + dense)."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.resources import Resources


def retrieve_evidence(doc: Document, resources: Resources) -> None:
    """Attach the best source passages to every claim in ``doc.evidence``."""
