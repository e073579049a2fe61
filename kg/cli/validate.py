"""``kg validate FILE|DIR|GLOB… [--format text|json|ttl] [--lang ja|en]``: agreements against the SHACL shapes.

Each FILE is RDF (by extension: .ttl .nt .nq .trig .jsonld .rdf), or a text (.txt), 例規集 page
(.html .htm) or other document the ingester reads, ingested first; it holds an agreement or an
amending agreement. A directory stands for every such file in it (recursively), a glob pattern
(``*``, ``**``) for the files it matches (kg/cli/batch.py). One report per file, every file read
whatever happens to the others; the exit code is the worst of them: 0 every file conforms
(warnings and infos do not fail), 1 some file has violations, 2 some file is unusable input.

Output formats: ``text`` (for a person, in ``--lang``), ``json`` (one JSON object per file, one per
line: JSON Lines; an unusable file gives ``{"source", "error", "problems", "exit_code": 2}``, each
problem in Japanese and English), ``ttl`` (each file's ``sh:ValidationReport`` as a Turtle
document, preceded by a ``# FILE`` comment line). An unusable file's problems go to stderr, in
``--lang``, each as FILE:LINE: what is wrong (how to fix it). With more than one file, a table on
stderr closes the run: each file's verdict and counts, or its first problem.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.batch import INGESTED_SUFFIXES, Lang, Row, default_lang, expand, print_problems, print_table, progress
from kg.errors import KgError, Problem
from kg.settings import Settings
from kg.validation.report import Report, Severity

__all__ = ["Format", "Lang", "default_lang", "register"]


class Format(StrEnum):
    """How a report is written."""

    text = "text"
    json = "json"
    ttl = "ttl"


def _write(report: Report, fmt: Format, lang: Lang) -> None:
    if fmt is Format.json:
        typer.echo(report.to_json(indent=None))
    elif fmt is Format.ttl:
        typer.echo(f"# {report.source}")
        typer.echo(report.to_turtle())
    else:
        typer.echo(report.to_text(lang.value))


def _write_error(source: str, problems: tuple[Problem, ...], exit_code: int, fmt: Format, lang: Lang) -> None:
    """An unusable file: every problem on stderr in ``lang``; in JSON also on stdout, in both languages."""
    print_problems(problems, lang.value)
    if fmt is Format.json:
        first = problems[0]
        doc = {"source": source, "exit_code": exit_code,
               "error": {"message": first.en, "message_ja": first.ja, "file": first.file, "line": first.line,
                         "where": first.where},
               "problems": [p.as_dict() for p in problems]}
        typer.echo(json.dumps(doc, ensure_ascii=False))


_HEADS = {"ja": ("ファイル", "結果", "違反", "警告", "情報", "問題"),
          "en": ("file", "result", "violations", "warnings", "infos", "problem")}


def _row(path: Path, report: Report, lang: str) -> Row:
    verdict = ("適合" if report.conforms else "不適合") if lang == "ja" else \
        ("conforms" if report.conforms else "does not conform")
    return Row(str(path), verdict, tuple(report.count(s) for s in (Severity.VIOLATION, Severity.WARNING,
                                                                    Severity.INFO)))


def validate_command(
    files: Annotated[list[Path], typer.Argument(
        help="RDF files (.ttl .nt .nq .trig .jsonld .rdf), or agreement texts (.txt), 例規集 pages "
             "(.html .htm) and other documents the ingester reads; agreements or amending agreements. "
             "Folders (read recursively) and glob patterns (*, **) too.", show_default=False)],
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="text (for a person), json (JSON Lines) or ttl.")] = Format.text,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", "-l", case_sensitive=False,
        help="Language of the text report and of problems (default: ja when LC_ALL/LC_MESSAGES/LANG is "
             "Japanese, else en).",
        show_default=False)] = None,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote",
        help="Let a JSON-LD file's remote contexts (@context by IRI, @import) be fetched; by default "
             "nothing is fetched and such a file is refused, as the server refuses it.")] = False,
) -> None:
    """Check agreements and amendments against the shapes (docs/validation.md); say what to fix, and where.

    Exit 0: every file conforms (warnings and infos do not fail); 1: violations; 2: unusable input.
    Every file is checked even when another fails.
    """
    from kg.validation.validate import RDF_SUFFIXES, validate_path

    settings = Settings()
    language = lang or default_lang()
    paths, missing = expand(files, (*INGESTED_SUFFIXES, *RDF_SUFFIXES))
    worst = 0
    rows: list[Row] = []
    for problem in missing:
        _write_error(problem.file or "", (problem,), 2, fmt, language)
        rows.append(Row(problem.file or "", problem=problem))
        worst = 2
    with progress(paths, language.value) as steps:
        for i, path in enumerate(steps):
            if i and fmt is Format.text:
                typer.echo("")
            try:
                report = validate_path(path, settings, allow_remote=allow_remote)
            except KgError as e:
                _write_error(str(path), e.problems, e.exit_code, fmt, language)
                rows.append(Row.failed(str(path), e))
                worst = max(worst, e.exit_code)
                continue
            _write(report, fmt, language)
            rows.append(_row(path, report, language.value))
            worst = max(worst, report.exit_code)
    if len(rows) > 1:
        print_table(rows, _HEADS[language.value], language.value)
    raise typer.Exit(worst)


def register(app: typer.Typer) -> None:
    """Add ``kg validate`` to the command line."""
    app.command("validate")(validate_command)
