"""``kg serve``: serve a release over HTTP (uvicorn), building it first if needed, or a remote store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.settings import Settings

__all__ = ["register", "serve"]


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (KG_HOST; default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (KG_PORT; default 8000).")] = None,
    store: Annotated[
        str | None,
        typer.Option(
            help="What to serve instead of build/current (no build): a release directory, a pyoxigraph "
            "store, or sparql:URL, a SPARQL 1.1 endpoint holding a release sent there by `kg push`.",
            envvar="KG_STORE",
            show_envvar=True,
            metavar="DIR|sparql:URL",
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, /id pages, query page, dumps and catalogue."""
    import uvicorn

    from kg.server import create_app, security
    from kg.store.remote import remote_url

    settings = Settings.from_env()  # a wrong KG_ variable: a message naming it, not a traceback
    if store is not None and remote_url(store) is not None:
        app, what = create_app(settings, store=store), store
    else:
        if store is None:
            from kg.release.build import ensure_built

            release = ensure_built(settings).path
        else:
            release = Path(store)
            if not release.is_dir():
                raise typer.BadParameter(
                    f"{store!r} is neither a directory nor sparql:URL"
                    f"（{store} はフォルダでも sparql:URL でもありません）",
                    param_hint="'--store' / KG_STORE"
                )
        app, what = create_app(settings, release=release), str(release)
    bind_host = host or settings.host
    bind_port = port or settings.port
    typer.echo(f"serving {what} at http://{bind_host}:{bind_port}/ (SPARQL: /sparql)", err=True)
    # Limits on how requests arrive (docs/http.md, "Limits"): the head's size and time, connections
    # per client address (kg.server.security.protocol), idle keep-alive connections closed after 5 s.
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="info", proxy_headers=False,
                http=security.protocol(settings), h11_max_incomplete_event_size=security.head_buffer_bytes(settings),
                timeout_keep_alive=5)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``kg`` command."""
    app.command("serve")(serve)
