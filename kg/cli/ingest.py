"""``kg ingest FILE|DIR|GLOB… [-o OUT] [--format …] [--lang ja|en] [--keep-going]``: agreement texts → RDF.

FILE may be an agreement's text, a 例規集 HTML page or an amending agreement; a directory stands for
every file in it (recursively) that the ingester reads, and a glob pattern (``*``, ``**``) for the
files it matches (kg/cli/batch.py). An amendment ingested with the agreement it amends is replayed
on it, and refused if it cannot be applied.

Several files make one dataset: N-Quads, TriG and JSON-LD keep each agreement in its named graph;
Turtle and N-Triples have no graphs, so their triples are merged. Without ``-o`` the RDF goes to
stdout; with it, to a temporary file beside OUT that is renamed over OUT only once everything
has been ingested and written, so a failure never leaves a half-written or clobbered OUT.

Every file is read, whatever happens to the others; every problem of every file is printed on
stderr, in the clerk's language. If any file cannot be read the exit status is 2 and, since the
output is one dataset, nothing is written, unless ``--keep-going`` asks for the RDF of the files
that were read. With more than one file, a closing table on stderr gives each file's agreement and
counts (articles, initiatives, roles), or its first problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rdflib import RDF

from kg.cli.batch import INGESTED_SUFFIXES, Lang, Row, default_lang, expand, print_problems, print_table, progress
from kg.cli.output import RdfOutput, emit
from kg.errors import KgError
from kg.formats import Format, by_extension
from kg.ingest import IngestResult, ingest_file
from kg.ingest.consolidate import amendment_errors
from kg.ingest.serialise import same_agreement, serialise
from kg.namespaces import RENKEI
from kg.settings import Settings

__all__ = ["counts", "register"]


def counts(result: IngestResult) -> tuple[int, int, int]:
    """How many articles, initiatives and roles one ingested text gave (for the closing table)."""
    return tuple(sum(1 for _ in result.graph.subjects(RDF.type, cls))  # type: ignore[return-value]
                 for cls in (RENKEI.Article, RENKEI.Initiative, RENKEI.Role))


def _format_for(output: Path | None, fmt: RdfOutput | None) -> Format:
    """The format asked for, else the one OUT's extension names, else Turtle."""
    if fmt is not None:
        return fmt.syntax
    named = by_extension(output.suffix) if output else None
    return named if named is not None and named.name != "rdfxml" else RdfOutput.ttl.syntax


_HEADS = {"ja": ("ファイル", "協約", "条", "取組", "役割", "問題"),
          "en": ("file", "agreement", "articles", "initiatives", "roles", "problem")}


def _print_review(result: IngestResult, path: str, lang: str) -> None:
    """The words of an OCR reading a clerk should check, on stderr (nothing for a printed text)."""
    if not result.review:
        return
    head = (f"{path}: OCR で読んだ語のうち確認が必要なもの {len(result.review)} 件" if lang == "ja" else
            f"{path}: {len(result.review)} OCR reading(s) to check against the printed page")
    typer.echo(head, err=True)
    for problem in result.review:
        typer.echo("  " + problem.render(lang), err=True)


def ingest_command(
    files: Annotated[list[Path], typer.Argument(
        help="Agreement texts (UTF-8 or Shift_JIS/CP932), 例規集 pages, PDF, Word or images; folders (read "
             "recursively) and glob patterns (*, **) too.", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write here instead of stdout.")] = None,
    fmt: Annotated[RdfOutput | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="ttl, nt, nq, trig or jsonld (default: from -o, else ttl).")] = None,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", "-l", case_sensitive=False,
        help="Language of the messages (default: ja when LC_ALL/LC_MESSAGES/LANG is Japanese, else en).",
        show_default=False)] = None,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going", "-k",
        help="When some files cannot be read, still write the RDF of those that were (exit status 2 all "
             "the same). Without it nothing is written: the output is one dataset.")] = False,
    review: Annotated[bool, typer.Option(
        "--review",
        help="For a scan read by OCR, list every word read with low confidence (KG_OCR_REVIEW_CONFIDENCE) "
             "and every correction to a known term, with page and cell, to check against the printed page.")
    ] = False,
) -> None:
    """Read agreement texts in any known layout and write their RDF (docs/ingest.md).

    Every file is read even when another fails, and every problem of every file is printed on stderr
    as FILE:LINE: what is wrong (how to fix it), in Japanese under a Japanese locale. If any file
    cannot be read: exit 2, and nothing is written unless --keep-going is given. With more than one
    file, a table closes the run: each file's agreement and counts, or its first problem.
    """
    settings = Settings()
    language = (lang or default_lang()).value
    paths, missing = expand(files, INGESTED_SUFFIXES)
    rows: dict[str, Row] = {}
    for problem in missing:
        print_problems([problem], language)
        rows[problem.file or ""] = Row(problem.file or "", problem=problem)
    read: list[tuple[Path, IngestResult]] = []
    with progress(paths, language) as steps:
        for path in steps:
            try:
                read.append((path, ingest_file(path, settings)))
                if review:
                    _print_review(read[-1][1], str(path), language)
            except KgError as e:
                print_problems(e, language)
                rows[str(path)] = Row.failed(str(path), e)
    results: list[IngestResult] = []
    seen: dict[str, str] = {}
    for path, result in read:
        if str(result.graph_name) in seen:
            same = same_agreement(result, seen[str(result.graph_name)])
            same.file = str(path)
            print_problems(same, language)
            rows[str(path)] = Row.failed(str(path), same)
            continue
        seen[str(result.graph_name)] = str(path)
        results.append(result)
    refused = amendment_errors(results)
    for result, error in refused:
        print_problems(error, language)
        path = next(p for p, r in read if r is result)
        rows[str(path)] = Row.failed(str(path), error)
    results = [r for r in results if all(r is not a for a, _ in refused)]
    for path, result in read:
        rows.setdefault(str(path), Row(str(path), str(result.agreement), counts(result)))
    failed = any(row.problem is not None for row in rows.values())
    if results and (keep_going or not failed):
        try:
            emit(serialise(results, _format_for(output, fmt), settings.base_iri), output)
        except KgError as e:
            print_problems(e, language)
            raise typer.Exit(e.exit_code) from None
    if len(rows) > 1:
        order = [p.file or "" for p in missing] + [str(p) for p in paths]
        print_table([rows[f] for f in order if f in rows], _HEADS[language], language)
    if failed:
        if results and not keep_going:
            typer.echo("読み取れないファイルがあるため、何も書き出していません（--keep-going を付けると、読み取れた"
                       "ファイルの分を書き出します）。" if language == "ja" else
                       "Nothing was written, since some files could not be read (--keep-going writes those "
                       "that were).", err=True)
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add ``kg ingest`` to the command line."""
    app.command("ingest")(ingest_command)
