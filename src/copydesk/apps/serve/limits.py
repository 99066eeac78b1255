"""Request-size limit as a pure ASGI middleware (it sees the raw byte stream, before any parsing)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyTooLargeError(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI answers it instead of a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"request body is larger than the limit of {limit:,} bytes; send less or raise --max-body-mb"


class BodyLimitMiddleware:
    """Answers 413 to a body over ``max_body_bytes``: by its Content-Length, or by counting the bytes
    of a chunked body as they arrive (a client may send no length, or a false one)."""

    def __init__(self, app: Any, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _respond(send, 400, "Content-Length is not a number")
                return
            if length > self.max_body_bytes:
                await _drain(receive, min(length, DRAIN_LIMIT))
                await _respond(send, 413, too_large_message(self.max_body_bytes))
                return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    if message.get("more_body"):
                        await _drain(receive, DRAIN_LIMIT)
                    raise BodyTooLargeError(self.max_body_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            # Raised outside a route (nothing turned it into a response): answer it here.
            if response_started:
                raise
            await _respond(send, 413, too_large_message(self.max_body_bytes))


DRAIN_LIMIT = 256 * 1024 * 1024
"""Most bytes of a refused body read and thrown away before the answer (see :func:`_drain`)."""


async def _drain(receive: Any, limit: int) -> None:
    """Read the rest of a refused body and throw it away, up to ``limit`` bytes.

    A server that answers and closes while request bytes are still unread makes the kernel reset
    the connection, and the reset can destroy the answer before the client reads it: the client
    then sees "connection reset" instead of the 413.
    """
    drained = 0
    while drained <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body"):
            return


async def _respond(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
