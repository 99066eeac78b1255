"""The FastAPI application: the JSON API under ``/api`` and the web page at ``/``.

The pipeline is built and warmed up once, when the server starts, and shared by every request.
Checks are CPU-bound, so they run in a fixed pool of worker threads (see :class:`CheckRunner`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import anyio.to_thread
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from copydesk.apps.serve.limits import BodyLimitMiddleware
from copydesk.errors import CopydeskError, InputError
from copydesk.fixing import FixResult
from copydesk.fixing import fix as fix_story
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import SCHEMA_VERSION, Report, SourceIn, StoryFailure, StoryIn, parse_published

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
"""The page's static files (also inlined into the HTML report)."""

MAX_BATCH = 1000

T = TypeVar("T")


class BatchIn(BaseModel):
    """Several stories to check in one request."""

    stories: list[StoryIn] = Field(..., min_length=1, max_length=MAX_BATCH)


class BatchOut(BaseModel):
    """The reports of a batch, in the order of its stories; a story that could not be checked has a
    failure in its place (``score`` null, ``error`` why)."""

    reports: list[Report | StoryFailure]


class ReadOut(BaseModel):
    """Uploaded files read into the interchange format."""

    story: StoryIn | None = None
    sources: list[SourceIn] = Field(default_factory=list)


class Health(BaseModel):
    status: str = "ok"
    version: str
    schema_: str = Field(SCHEMA_VERSION, alias="schema", serialization_alias="schema")
    checkers: list[str]
    workers: int
    max_body_bytes: int
    check_timeout_s: float


class CheckTimeoutError(Exception):
    """A check ran past the time limit."""


class CheckFailedError(Exception):
    """A bug inside the pipeline: answered as a JSON 500, and the connection stays usable."""


class CheckRunner:
    """Runs blocking pipeline calls in ``workers`` threads, each call under a time limit.

    A Python thread cannot be killed: a check that times out keeps running until it returns. The
    pool is what keeps that bounded. At most ``workers`` checks ever run at once, timed-out ones
    included; a request waiting for a free worker spends its own time limit waiting and, when the
    limit passes, its job is cancelled before it starts. So abandoned work never piles up beyond
    the pool, and a slow story makes the others wait (then 503), never hangs the server.
    """

    def __init__(self, workers: int, timeout_s: float) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="copydesk-check")

    async def run(self, function: Callable[..., T], *args: Any, timeout_s: float | None = None) -> T:
        future = self._pool.submit(function, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout_s or self.timeout_s)
        except TimeoutError:
            future.cancel()  # only succeeds if it has not started; a running check is left to finish
            raise CheckTimeoutError from None
        except CopydeskError:
            raise
        except Exception as exc:
            log.exception("the check failed")
            raise CheckFailedError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def create_app(
    pipeline: Pipeline | None = None,
    *,
    max_body_bytes: int = 10_000_000,
    check_timeout_s: float = 60.0,
    settings: Settings | None = None,
    workers: int | None = None,
) -> FastAPI:
    """The copydesk service. Give a ``pipeline`` to share one, or ``settings`` to build it at start-up.

    ``workers`` is how many checks run at once (default: the number of cores).
    """
    if max_body_bytes < 1:
        raise ValueError("max_body_bytes must be positive")
    if check_timeout_s <= 0:
        raise ValueError("check_timeout_s must be positive")
    workers = workers or os.cpu_count() or 1

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        shared = pipeline or Pipeline(settings)
        await anyio.to_thread.run_sync(shared.warm_up)  # load every model before the first request
        app.state.pipeline = shared
        app.state.runner = CheckRunner(workers, check_timeout_s)
        try:
            yield
        finally:
            app.state.runner.close()

    import copydesk

    app = FastAPI(
        title="copydesk",
        version=copydesk.__version__,
        summary="Checks machine-written news stories against their sources, offline.",
        description="Send a story in the interchange format (`copydesk/2`, see docs/schema.md) and get "
        "back the report: every finding with its span, evidence, confidence and fix.",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; the service must work
        # offline, so only the OpenAPI document itself is served.
        docs_url=None,
        redoc_url=None,
        separate_input_output_schemas=False,
    )
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    _add_error_handlers(app, check_timeout_s)

    def runner(request: Request) -> CheckRunner:
        return request.app.state.runner

    @app.get("/api/health", response_model=Health, tags=["service"])
    async def health(request: Request) -> Health:
        """Whether the service is up, and what it runs with."""
        return Health(
            version=copydesk.__version__,
            checkers=[name for name, _ in request.app.state.pipeline.checkers],
            workers=workers,
            max_body_bytes=max_body_bytes,
            check_timeout_s=check_timeout_s,
        )

    @app.post("/api/check", response_model=Report, tags=["check"])
    async def check(story: StoryIn, request: Request) -> Report:
        """Check one story (with its sources) and return its report."""
        return await runner(request).run(request.app.state.pipeline.check, story)

    @app.post("/api/fix", response_model=FixResult, tags=["check"])
    async def fix(story: StoryIn, request: Request) -> FixResult:
        """Check one story and return it corrected: every fix of error severity applied at every
        place, leaked machine text deleted, with the list of changes and the report."""
        return await runner(request).run(fix_story, story, None, request.app.state.pipeline)

    @app.post("/api/batch", response_model=BatchOut, tags=["check"])
    async def batch(stories: BatchIn, request: Request) -> BatchOut:
        """Check several stories, one after another; each story gets the time limit of one check.

        A story that cannot be checked gets a failure in its place (`consistent` and `score` null,
        `error` why); the others go on.
        """
        check_one = _batch_checker(request.app.state.pipeline)
        return BatchOut(reports=[await runner(request).run(check_one, story) for story in stories.stories])

    @app.post("/api/read", response_model=ReadOut, tags=["read"])
    async def read(
        request: Request,
        story: Annotated[UploadFile | None, File(description="Story file: .txt, .md, .html or .json")] = None,
        sources: Annotated[
            list[UploadFile] | None, File(description="Source files or a JSONL of search results")
        ] = None,
        published: Annotated[str | None, Form(description="Publication date, YYYY-MM-DD")] = None,
    ) -> ReadOut:
        """Read uploaded files (text, Markdown, HTML, JSON, JSONL) into a story and sources."""
        from copydesk import reading

        try:
            date = parse_published(published)
        except ValueError as exc:
            raise InputError(f"published: {exc}") from None
        uploads = [(upload.filename or "upload", await upload.read()) for upload in sources or []]
        story_upload = (story.filename or "story", await story.read()) if story is not None else None

        def read_all() -> ReadOut:
            read_story = reading.read_story_text(*story_upload, date) if story_upload else None
            read_sources = [s for name, data in uploads for s in reading.read_source_bytes(name, data)]
            return ReadOut(story=read_story, sources=read_sources)

        return await runner(request).run(read_all)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app


def _batch_checker(pipeline: Pipeline) -> Callable[[StoryIn], Report | StoryFailure]:
    def check_one(story: StoryIn) -> Report | StoryFailure:
        # A story that cannot be checked becomes a failure, as in `copydesk batch`; the rest go on.
        try:
            return pipeline.check(story)
        except Exception as exc:
            if not isinstance(exc, CopydeskError):
                log.exception("the check of story %r failed", story.id)
            return StoryFailure.from_exception(story.id, exc)

    return check_one


def _add_error_handlers(app: FastAPI, check_timeout_s: float) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        for error in errors:
            if error.get("type") == "json_invalid":
                return JSONResponse({"detail": _json_error(error, exc.body)}, status_code=400)
        if isinstance(exc.body, bytes | bytearray):
            detail = "the body is not JSON: send it with Content-Type: application/json"
            return JSONResponse({"detail": detail}, status_code=415)
        fields = [
            {"field": _field_name(error["loc"]), "message": error["msg"].removeprefix("Value error, ")}
            for error in errors
        ]
        detail = "invalid request: " + "; ".join(f"{f['field']}: {f['message']}" for f in fields[:3])
        return JSONResponse({"detail": detail, "errors": fields}, status_code=422)

    @app.exception_handler(CheckTimeoutError)
    async def timed_out(request: Request, exc: CheckTimeoutError) -> JSONResponse:
        detail = (
            f"the check ran past the time limit of {check_timeout_s:g} s; try again later, "
            "send a shorter story, or start the server with a larger --timeout"
        )
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(CheckFailedError)
    async def check_failed(request: Request, exc: CheckFailedError) -> JSONResponse:
        detail = f"the check failed with an internal error ({exc}); the server log has the details"
        return JSONResponse({"detail": detail}, status_code=500)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(CopydeskError)
    async def copydesk_error(request: Request, exc: CopydeskError) -> JSONResponse:
        log.error("check failed: %s", exc)
        return JSONResponse({"detail": str(exc)}, status_code=500)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "story"


def _json_error(error: dict[str, Any], document: Any) -> str:
    reason = (error.get("ctx") or {}).get("error", "JSON decode error")
    position = error["loc"][-1] if isinstance(error["loc"][-1], int) else None
    if position is None or not isinstance(document, str):
        return f"malformed JSON: {reason}"
    line = document.count("\n", 0, position) + 1
    column = position - (document.rfind("\n", 0, position) + 1) + 1
    return f"malformed JSON: {reason} at line {line}, column {column}"


class SecurityHeadersMiddleware:
    """Tells browsers to load nothing from elsewhere and to run no inline script on our pages."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; base-uri 'none'; "
            b"form-action 'self'; frame-ancestors 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
