"""``copydesk serve``: run the API and the web page with uvicorn."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from copydesk.apps.common import (
    DEFAULT_BUDGET_S,
    CheckersOption,
    KbOption,
    ModelBudgetOption,
    ModelOption,
    NoKbOption,
    ThreadsOption,
    console,
    fail,
    handle_errors,
    settings_from,
)


@handle_errors
def serve_command(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Keep the default (this machine only) "
            "unless the network in between is trusted."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    max_body_mb: Annotated[
        float, typer.Option("--max-body-mb", help="Largest request body, in MB (bigger requests get 413).")
    ] = 10,
    timeout: Annotated[float, typer.Option(help="Seconds a check may run before the request gets 503.")] = 60,
    workers: Annotated[
        int | None, typer.Option(help="Checks run at once (default: the number of cores).")
    ] = None,
    kb: KbOption = None,
    no_kb: NoKbOption = False,
    threads: ThreadsOption = None,
    checkers: CheckersOption = None,
    model: ModelOption = "fast",
    model_budget: ModelBudgetOption = DEFAULT_BUDGET_S,
) -> None:
    """Serve the HTTP API (/api/check, /api/batch, /api/read, /api/health) and the web page at /.

    Example: [bold]copydesk serve --port 8000[/bold], then open http://127.0.0.1:8000/
    """
    import uvicorn
    from rich.markup import escape

    from copydesk.apps.serve.app import create_app
    from copydesk.pipeline import Pipeline

    if max_body_mb <= 0:
        fail("--max-body-mb must be positive")
    if timeout <= 0:
        fail("--timeout must be positive")
    if workers is not None and workers < 1:
        fail("--workers must be at least 1")
    if not is_loopback(host):
        console.print(
            f"[bold yellow]warning:[/bold yellow] listening on {escape(host)}: anyone who can "
            "reach this address can send stories to check; there is no authentication.",
            markup=True,
        )
    settings = settings_from(
        kb=kb, threads=threads, checkers=checkers, no_kb=no_kb, model=model, model_budget=model_budget
    )
    pipeline = Pipeline(settings)
    with console.status("Loading models...", spinner="dots"):
        pipeline.warm_up()  # here rather than only in the app's start-up, so errors are one clear line
    app = create_app(
        pipeline, max_body_bytes=int(max_body_mb * 1_000_000), check_timeout_s=timeout, workers=workers
    )
    console.print(f"copydesk is serving on http://{_url_host(host)}:{port}/ (Ctrl-C to stop)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
