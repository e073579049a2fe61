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

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from kg.cli.batch import INGESTED_SUFFIXES, Lang, Row, default_lang, expand, print_problems, print_table, progress
from kg.cli.output import emit
from kg.errors import ConsolidationError, InputError, KgError
from kg.ingest import IngestResult, ingest_file
from kg.namespaces import ELI, RENKEI, bind_prefixes
from kg.settings import Settings

__all__ = ["Format", "amendment_errors", "check_amendments", "counts", "register", "serialise", "serialise_graph"]


class Format(StrEnum):
    """Output formats, by their usual file extension."""

    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"

    @property
    def rdflib_name(self) -> str:
        """The name rdflib's serialiser knows the format by."""
        return {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[self.value]

    @property
    def has_graphs(self) -> bool:
        """True for formats that keep named graphs."""
        return self in (Format.nq, Format.trig, Format.jsonld)


def _same(result: IngestResult, first: str) -> InputError:
    """The error of a file that gives an agreement another file already gave."""
    return InputError(f"gives the same agreement as {first} ({result.agreement})", file=result.source,
                      ja=f"{first} と同じ協約（{result.agreement}）です。",
                      fix="give each agreement once", fix_ja="同じ協約のファイルは一つだけ指定してください。")


def serialise(results: list[IngestResult], fmt: Format, base: str) -> bytes:
    """The results as one document in ``fmt``; line-based formats sorted, so output is stable."""
    seen: dict[str, str] = {}
    for r in results:
        if str(r.graph_name) in seen:
            raise _same(r, seen[str(r.graph_name)])
        seen[str(r.graph_name)] = r.source
    if fmt in (Format.nt, Format.nq):
        return _lines(results, fmt is Format.nq)
    if len(results) == 1 and not fmt.has_graphs:
        return serialise_graph(results[0].graph, fmt, base)  # no copy: it is the document already
    if fmt.has_graphs:
        data: Graph | Dataset = Dataset()
        for r in results:
            named = data.graph(r.graph_name)  # type: ignore[union-attr]
            for triple in r.graph:
                named.add(triple)
    else:
        data = Graph()
        for r in results:
            data += r.graph
    return serialise_graph(data, fmt, base)


def _lines(results: list[IngestResult], quads: bool) -> bytes:
    """N-Triples (the graphs merged) or N-Quads (each in its named graph), sorted, each statement once.

    Each graph is written as it is, not copied into one dataset first: copying triple by triple
    into rdflib's memory store took twice as long as the ingest itself (a 2,000-row annex)."""
    statements: set[str] = set()
    for r in results:
        text = r.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        graph = f" {r.graph_name.n3()} ." if quads else " ."
        statements.update(line[:-2] + graph for line in text.split("\n") if line.strip())
    return ("\n".join(sorted(statements)) + "\n").encode("utf-8")


def serialise_graph(data: Graph | Dataset, fmt: Format, base: str) -> bytes:
    """One graph or dataset in ``fmt``, the project's prefixes bound; N-Triples and N-Quads sorted."""
    bind_prefixes(data, base)
    out = data.serialize(format=fmt.rdflib_name, encoding="utf-8")
    if fmt in (Format.nt, Format.nq):
        lines = sorted(line for line in out.decode("utf-8").splitlines() if line.strip())
        out = ("\n".join(lines) + "\n").encode("utf-8")
    return out


def check_amendments(results: list[IngestResult]) -> None:
    """Replay each amendment on the agreement it amends when both are ingested together.

    An amendment whose old wording is not in the agreement is refused here, at its line, as
    ``kg consolidate`` would refuse it later (kg/ingest/consolidate.py).
    """
    for _amendment, error in amendment_errors(results):
        raise error


def amendment_errors(results: list[IngestResult]) -> list[tuple[IngestResult, KgError]]:
    """Each amendment that cannot be replayed on the agreement it amends (ingested with it), and why."""
    from kg.ingest.consolidate import in_force

    agreements = {r.agreement: r for r in results if r.kind == "agreement"}
    amending: dict[URIRef, list[IngestResult]] = {}
    for r in results:
        target = r.graph.value(r.agreement, ELI.amends) if r.kind == "amendment" else None
        if isinstance(target, URIRef) and target in agreements:
            amending.setdefault(target, []).append(r)
    refused: list[tuple[IngestResult, KgError]] = []
    for target, amendments in amending.items():
        merged = Graph()
        merged += agreements[target].graph
        for amendment in amendments:
            merged += amendment.graph
        dates = [d.toPython() for a in amendments for d in a.graph.objects(a.agreement, ELI.date_applicability)
                 if isinstance(d, Literal)]
        try:
            in_force(merged, target, max(d for d in dates if isinstance(d, dt.date)))
        except ConsolidationError as e:
            named = Path(e.file or "").name
            culprits = [a for a in amendments if a.source == named] or amendments
            refused.extend((a, e) for a in culprits)
    return refused


def counts(result: IngestResult) -> tuple[int, int, int]:
    """How many articles, initiatives and roles one ingested text gave (for the closing table)."""
    return tuple(sum(1 for _ in result.graph.subjects(RDF.type, cls))  # type: ignore[return-value]
                 for cls in (RENKEI.Article, RENKEI.Initiative, RENKEI.Role))


def _format_for(output: Path | None, fmt: Format | None) -> Format:
    """The format asked for, else the one OUT's extension names, else Turtle."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return {"ttl": Format.ttl, "nt": Format.nt, "nq": Format.nq, "trig": Format.trig,
            "jsonld": Format.jsonld, "json": Format.jsonld}.get(suffix, Format.ttl)


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
    fmt: Annotated[Format | None, typer.Option(
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
            same = _same(result, seen[str(result.graph_name)])
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
