"""``kg validate FILE… [--format text|json|ttl] [--lang ja|en]``: agreements against the SHACL shapes.

Each FILE is RDF (by extension: .ttl .nt .nq .trig .jsonld .rdf), or a text (.txt) or 例規集 page
(.html .htm), ingested first; it holds an agreement or an amending agreement. One report per file;
the exit code is the worst of them: 0 every file conforms (warnings and infos do not fail), 1 some
file has violations, 2 some file is unusable input.

Output formats: ``text`` (for a person), ``json`` (one JSON object per file, one per line: JSON
Lines; an unusable file gives ``{"source", "error", "exit_code": 2}``), ``ttl`` (each file's
``sh:ValidationReport`` as a Turtle document, preceded by a ``# FILE`` comment line).
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import KgError
from kg.report import Report
from kg.settings import Settings

__all__ = ["Format", "Lang", "default_lang", "register"]


class Format(StrEnum):
    """How a report is written."""

    text = "text"
    json = "json"
    ttl = "ttl"


class Lang(StrEnum):
    """The language of a text report (JSON and Turtle always carry both)."""

    ja = "ja"
    en = "en"


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """Japanese when the locale is Japanese, else English.

    The locale is the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX precedence), so
    ``LANG=ja_JP.UTF-8`` gives Japanese and ``LC_ALL=C`` English.

    >>> default_lang({"LANG": "ja_JP.UTF-8"}), default_lang({"LANG": "ja_JP.UTF-8", "LC_ALL": "C"})
    (<Lang.ja: 'ja'>, <Lang.en: 'en'>)
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return Lang.ja if value.lower().startswith("ja") else Lang.en
    return Lang.en


def _write(report: Report, fmt: Format, lang: Lang) -> None:
    if fmt is Format.json:
        typer.echo(report.to_json(indent=None))
    elif fmt is Format.ttl:
        typer.echo(f"# {report.source}")
        typer.echo(report.to_turtle())
    else:
        typer.echo(report.to_text(lang.value))


def _write_error(path: Path, error: KgError, fmt: Format) -> None:
    typer.echo(str(error), err=True)
    if fmt is Format.json:
        doc = {"source": str(path), "exit_code": error.exit_code,
               "error": {"message": error.message, "file": error.file, "line": error.line,
                         "where": error.where}}
        typer.echo(json.dumps(doc, ensure_ascii=False))


def validate_command(
    files: Annotated[list[Path], typer.Argument(
        help="RDF files (.ttl .nt .nq .trig .jsonld .rdf), or agreement texts (.txt) and 例規集 pages "
             "(.html .htm); agreements or amending agreements.", show_default=False)],
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="text (for a person), json (JSON Lines) or ttl.")] = Format.text,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", "-l", case_sensitive=False,
        help="Language of the text report (default: ja when LC_ALL/LC_MESSAGES/LANG is Japanese, else en).",
        show_default=False)] = None,
) -> None:
    """Check agreements and amendments against the shapes (docs/validation.md); say what to fix, and where.

    Exit 0: every file conforms (warnings and infos do not fail); 1: violations; 2: unusable input.
    """
    from kg.validate import validate_path

    settings = Settings()
    language = lang or default_lang()
    worst = 0
    for i, path in enumerate(files):
        if i and fmt is Format.text:
            typer.echo("")
        try:
            report = validate_path(path, settings)
        except KgError as e:
            _write_error(path, e, fmt)
            worst = max(worst, e.exit_code)
            continue
        _write(report, fmt, language)
        worst = max(worst, report.exit_code)
    raise typer.Exit(worst)


def register(app: typer.Typer) -> None:
    """Add ``kg validate`` to the command line."""
    app.command("validate")(validate_command)
