"""The ``kg`` command line. Each command lives in its own module; this one wires them up and
turns every :class:`~kg.errors.KgError` into a message and an exit code, never a traceback."""

from __future__ import annotations

import logging
import sys

import typer

from kg.errors import KgError

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="renkei-kg: build, validate, query and serve the 連携協約 knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    from kg.cli import build, chart, compare, consolidate, demo, generate, ingest, push, query, serve, validate

    for module in (ingest, validate, build, serve, demo, query, compare, chart, consolidate, generate, push):
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: ``kg``."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _register()
    try:
        from kg.settings import Settings

        Settings.from_env()  # a wrong KG_ variable: named, in Japanese and English, before any command runs
        app(args=argv, standalone_mode=True)
    except KgError as e:
        from kg.cli.batch import default_lang

        typer.echo(e.render(default_lang().value), err=True)  # every problem, in the clerk's language
        sys.exit(e.exit_code)
