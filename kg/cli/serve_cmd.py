"""CLI command: ``kg serve`` runs the HTTP API (``api.main:create_app``) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 inside a container)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Serve the graph API (OpenAPI docs at /docs). Store and keys come from the KG_* settings."""
    import uvicorn

    from api.server import PROTOCOL_PATH

    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        log_level=log_level,
        reload=reload,
        access_log=log_level == "debug",
        http=PROTOCOL_PATH,  # TCP_NODELAY also with --workers > 1; httptools when installed (api/server.py)
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
