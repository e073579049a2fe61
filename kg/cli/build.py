"""``kg build``: the whole dataset from data/ into a new release of the store and dumps."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.settings import Settings

__all__ = ["register"]


def build_command(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the inputs have not changed.")] = False,
) -> None:
    """Ingest and validate every text in data/sources, add the reference data, write store and dumps.

    A dataset that does not conform is refused (exit 1) and the previous build keeps serving.
    """
    from kg.release.build import build

    release = build(Settings(), force=force)
    m = release.manifest
    assert m is not None  # kg build writes one
    typer.echo(f"release {release.version}: {len(m.agreements)} agreements, {m.quads} quads, "
               f"{len(m.graphs)} graphs → {release.path}")


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
