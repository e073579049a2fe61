"""``kg demo``: build the demo dataset (published texts with composed ones, kg.release.demo) and serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.settings import Settings

__all__ = ["demo", "register"]


def demo(
    host: Annotated[str | None, typer.Option(help="Address to listen on (KG_HOST; default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (KG_PORT; default 8000).")] = None,
    build_only: Annotated[bool, typer.Option("--build-only", help="Build the demo dataset and stop; do not serve.")]
    = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the inputs have not changed.")] = False,
) -> None:
    """Build and serve the demo: the published agreements with composed example texts, so that every
    example query and comparison has something to show.

    デモデータ（公開データの協約に作例の協約を加えたもの）を build/demo/ に作り、配信する。

    作例は実在の協約の本文ではない。IRI は https://w3id.org/renkei/demo/ の下、どのページにもその旨を示す。
    """
    from kg.release.demo import BANNER_EN, BANNER_JA, build_demo, demo_settings, mark_templates

    settings = Settings()
    release = build_demo(settings, force=force)
    m = release.manifest
    assert m is not None and m.demo is not None  # build_demo marks what it builds
    composed = m.demo.composed
    n = len(m.agreements) + len(m.amendments)
    typer.echo(f"デモ {release.version}: 協約・変更協約 {n} 件、うち作例の本文 {len(composed)} 件 → "
               f"{release.path}\ndemo release {release.version}: {m.quads} quads, composed texts: "
               f"{', '.join(composed)}", err=True)
    if build_only:
        return
    import uvicorn

    from kg.server import create_app

    app = create_app(demo_settings(settings), release=release.path)
    mark_templates(app.state.ctx.templates.env)
    bind_host = host or settings.host
    bind_port = port or settings.port
    typer.echo(f"{BANNER_JA}／{BANNER_EN}\nserving the demo at http://{bind_host}:{bind_port}/ (SPARQL: /sparql)",
               err=True)
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="info", proxy_headers=False)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the ``kg`` command."""
    app.command("demo")(demo)
