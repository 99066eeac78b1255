"""``copydesk serve``: the HTTP API and the web page.

``create_app`` is imported lazily so that ``copydesk --help`` does not load FastAPI.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from copydesk.apps.serve.app import create_app

        return create_app
    raise AttributeError(name)
