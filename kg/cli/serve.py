"""``kg serve``: build the dataset if needed, then serve it over HTTP (uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.settings import Settings

__all__ = ["register", "serve"]


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (KG_HOST; default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (KG_PORT; default 8000).")] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="A release directory or pyoxigraph store to serve instead of build/current (no build).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, /id pages, query page, dumps and catalogue."""
    import uvicorn

    from kg.server import create_app

    settings = Settings()
    if store is None:
        from kg.build import ensure_built

        release = ensure_built(settings).path
    else:
        release = store
    app = create_app(settings, release=release)
    bind_host = host or settings.host
    bind_port = port or settings.port
    typer.echo(f"serving {release} at http://{bind_host}:{bind_port}/ (SPARQL: /sparql)", err=True)
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="info", proxy_headers=False)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``kg`` command."""
    app.command("serve")(serve)
