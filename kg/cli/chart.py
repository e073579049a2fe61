"""``kg chart coverage|timeline [-o FILE.svg]``: the pictures of ``/charts/*.svg``, from the local store.

Without ``-o`` the SVG goes to stdout; with it, to FILE through a temporary file and a rename, so
a failure never leaves a half-written picture.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.compare import source_for
from kg.settings import Settings

__all__ = ["By", "Chart", "register"]


class Chart(StrEnum):
    """Which picture."""

    coverage = "coverage"
    timeline = "timeline"


class By(StrEnum):
    """Rows of the coverage matrix."""

    agreements = "agreements"
    areas = "areas"


def chart_command(
    chart: Annotated[Chart, typer.Argument(
        help="coverage (agreements × categories) or timeline (signing dates by area).")],
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", help="Write the SVG here (default: stdout).")] = None,
    by: Annotated[By, typer.Option("--by", help="Coverage rows: agreements or areas.")] = By.agreements,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="Read from this SPARQL endpoint instead of the local store.")] = None,
) -> None:
    """Draw the coverage matrix or the timeline of signing dates as SVG."""
    from kg.cli.output import write_atomically
    from kg.svg import coverage, coverage_svg, timeline, timeline_svg

    settings = Settings()
    source = source_for(endpoint, settings)
    if chart is Chart.coverage:
        svg = coverage_svg(coverage(source, settings.ids, "areas" if by is By.areas else "agreements"))
    else:
        svg = timeline_svg(timeline(source))
    if out is None:
        sys.stdout.write(svg)
    else:
        write_atomically(out, svg.encode("utf-8"))
        typer.echo(f"wrote {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("chart")(chart_command)
