"""JSON and JSONL with errors that name the line, the column and the field at fault."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from copydesk.errors import InputError
from copydesk.reading import layout

M = TypeVar("M", bound=BaseModel)


def load(name: str, text: str) -> Any:
    """The value of a JSON document, or one line naming where it is malformed."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: malformed JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); fix it or "
            "check it with `python -m json.tool`"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: the JSON is nested too deeply to read; flatten it") from None


def records(name: str, text: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of a JSONL document."""
    for number, line in enumerate(layout.lines(text), start=1):
        if not line.text.strip():
            continue
        try:
            yield number, json.loads(line.text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}: line {number} is not valid JSON (column {exc.colno}: {exc.msg}); "
                "JSONL holds one JSON object per line"
            ) from None
        except RecursionError:
            raise InputError(f"{name}: line {number} is nested too deeply to read; flatten it") from None


def kind_of(value: object) -> str:
    """How a JSON value is named in messages: "a list", "a string", ..."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def validate(model: type[M], value: dict[str, Any], where: str) -> M:
    """``model`` from ``value``; a validation error becomes one line naming ``where`` and the field."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise InputError(f"{where}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem of a pydantic validation error, in words (with how many more there are).

    ``field `body` is missing``, ``field `sources.0.published` is wrong: not a date: 'soon'; use
    YYYY-MM-DD (and 1 more problem)``: the one wording of validation errors in copydesk's messages.
    """
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "missing":
        text = f"field `{field}` is missing"
    elif field:
        text = f"field `{field}` is wrong: {message}"
    else:
        text = message
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text
