"""Story records: one JSON object per story, in the interchange or the benchmark shape.

The one reader of story records: ``copydesk check story.json``, the lines of ``copydesk batch``,
the evaluation files and ``Pipeline.check(dict)`` all go through :func:`story_from_record`, and
every validation error is worded by :func:`describe_validation_error`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from copydesk.errors import InputError
from copydesk.reading.jsonio import describe_validation_error, kind_of
from copydesk.schema import StoryIn

__all__ = ["describe_validation_error", "record_id", "story_from_record"]


def story_from_record(record: object, line_number: int | None = None, *, where: str | None = None) -> StoryIn:
    """The story in one JSON record; raises :class:`InputError` naming ``where`` and the field.

    Accepts the interchange format (``headline``, ``body``, ``published``, ``sources``) and the
    benchmark shape of ../shared/data/benchmarks (``text`` becomes the body, kept character for
    character so span offsets still index it, and ``source`` the one source). With a
    ``line_number`` (a line of a JSONL batch), a record without ``id`` gets ``line-<line_number>``
    and messages start with ``line N``; ``where`` names the record otherwise (``story.json``).
    """
    where = where or (f"line {line_number}" if line_number is not None else "story")
    if not isinstance(record, dict):
        raise InputError(
            f"{where}: the JSON is {kind_of(record)}, not a story object; give one object with "
            "`headline`, `body`, `published` and `sources`"
        )
    data: dict[str, Any] = dict(record)
    if line_number is not None:
        data["id"] = record_id(record, line_number)
    if "body" not in data and isinstance(data.get("text"), str):
        data["body"] = data.pop("text")
        source = data.pop("source", None)
        if "sources" not in data and source:
            data["sources"] = [{"text": source} if isinstance(source, str) else source]
    try:
        return StoryIn.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{where}: {describe_validation_error(exc)}") from None


def record_id(record: object, line_number: int) -> str:
    """The id of a record: its own ``id`` field when it has one, else ``line-N``."""
    if isinstance(record, dict) and record.get("id") not in (None, ""):
        return str(record["id"])
    return f"line-{line_number}"
