"""``kg generate``: a synthetic corpus for benchmarks and round-trip tests (never published)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.settings import Settings

__all__ = ["register"]


def generate_command(
    count: Annotated[int, typer.Argument(min=1, help="How many agreements to write.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the texts and manifest.json.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same corpus.")] = 0,
    layout: Annotated[list[str] | None, typer.Option("--layout", help="Restrict to these layouts (repeatable).")]
    = None,
) -> None:
    """Write COUNT agreement texts in the published layouts, drawn from the real area registry."""
    from kg.errors import InputError
    from kg.generate import LAYOUTS, write_corpus

    layouts = tuple(layout) if layout else LAYOUTS
    unknown = set(layouts) - set(LAYOUTS)
    if unknown:
        raise InputError(f"unknown layout(s) {sorted(unknown)}; known: {', '.join(LAYOUTS)}",
                         ja=f"レイアウト {'、'.join(sorted(unknown))} はありません。"
                            f"指定できるのは {'、'.join(LAYOUTS)} です。")
    corpus = write_corpus(out, count, seed=seed, settings=Settings(), layouts=layouts)
    typer.echo(f"wrote {len(corpus)} agreements to {out} (manifest.json lists what each says)")


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
