"""copydesk's exceptions. Every message names the input at fault and what to do next."""

from __future__ import annotations


class CopydeskError(Exception):
    """Base of copydesk's errors; the message says what to do next."""


class InputError(CopydeskError):
    """A story or source could not be read (empty, binary, too large, malformed)."""


class ModelMissingError(CopydeskError):
    """A model file the pipeline needs is not installed."""


class KnowledgeBaseError(CopydeskError):
    """The knowledge base could not be opened, read or written."""
