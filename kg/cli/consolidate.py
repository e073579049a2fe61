"""``kg consolidate AGREEMENT --on DATE [--format ttl|nt|jsonld] [--from FILE…]``: an agreement as in force.

Reads the local store (building it first if there is none), another release with ``--store``, or
the files given with ``--from``: agreement texts, 例規集 pages and amending agreements are
ingested, RDF files (.ttl .nt .nq .trig .jsonld) read. Prints the agreement's graph with the
wording its amendments in force on DATE put in place (kg/ingest/consolidate.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Dataset, URIRef

from kg.cli.output import RdfOutput, emit
from kg.errors import InputError, RdfSyntaxError
from kg.formats import by_extension
from kg.ingest.dates import find_date
from kg.ingest.serialise import serialise_graph
from kg.settings import Settings

__all__ = ["agreement_iri", "consolidate_command", "parse_day", "register"]


def parse_day(text: str) -> dt.date:
    """``2020-07-08`` or an era date as printed (令和2年7月8日)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    found = find_date(text)
    if found is None:
        raise InputError(f"not a date: {text!r} (give 2020-07-08 or 令和2年7月8日)",
                         ja=f"「{text}」は日付として読めません。",
                         fix_ja="2020-07-08 または 令和2年7月8日 の形で指定してください。")
    return found.date


def _from_files(paths: list[Path], settings: Settings) -> Dataset:
    """The files as one dataset: texts and pages ingested, RDF parsed."""
    from kg.ingest import ingest_file

    data = Dataset()
    for path in paths:
        fmt = by_extension(path.suffix)
        if fmt is None:
            result = ingest_file(path, settings)
            named = data.graph(result.graph_name)
            for triple in result.graph:
                named.add(triple)
            continue
        try:
            data.parse(path, format=fmt.rdflib, publicID=str(settings.ids.graph("file/" + path.stem)))
        except FileNotFoundError:
            raise InputError("no such file", file=path, ja="ファイルがありません。") from None
        except (SyntaxError, ValueError) as e:
            raise RdfSyntaxError(f"does not parse as {fmt.label}: {e}", file=path,
                                 ja=f"{fmt.label} として読めません: {e}") from e
    return data


def agreement_iri(name: str, settings: Settings) -> URIRef:
    """The IRI of the agreement ``name``: an IRI, or its key ``072036-072109-2019-10-18``."""
    name = name.strip()
    if name.startswith(("http://", "https://")):
        return URIRef(name)
    return settings.ids.id("agreement/" + name.removeprefix("agreement/"))


def consolidate_command(
    agreement: Annotated[str, typer.Argument(help="The agreement: its IRI or key, e.g. 072036-072109-2019-10-18.",
                                             show_default=False)],
    on: Annotated[str, typer.Option("--on", help="The date: 2020-07-08 or 令和2年7月8日.", show_default=False)],
    fmt: Annotated[RdfOutput, typer.Option("--format", "-f", case_sensitive=False,
                                        help="ttl, nt, nq, trig or jsonld.")] = RdfOutput.ttl,
    sources: Annotated[list[Path] | None, typer.Option(
        "--from", help="Read these texts, pages or RDF files instead of the store (repeatable).")] = None,
    store: Annotated[Path | None, typer.Option(help="Release or store to read (default build/current).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
) -> None:
    """Print an agreement as in force on a date: the wording its amendments put in place."""
    from kg.ingest.consolidate import in_force

    settings = Settings()
    day = parse_day(on)
    iri = agreement_iri(agreement, settings)
    if sources:
        graph = in_force(_from_files(sources, settings), iri, day)
    else:
        from kg.store import Release, open_read_only

        if store is None:
            from kg.release.build import ensure_built

            store = ensure_built(settings).path
        graph = in_force(open_read_only(Release.open(store).store_path), iri, day)
    data = serialise_graph(graph, fmt.syntax, settings.base_iri)
    emit(data, output)


def register(app: typer.Typer) -> None:
    """Add ``kg consolidate`` to the command line."""
    app.command("consolidate")(consolidate_command)
