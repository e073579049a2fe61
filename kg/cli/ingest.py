"""``kg ingest FILE… [-o OUT] [--format ttl|nt|nq|trig|jsonld]``: agreement texts → RDF.

FILE may be an agreement's text, a 例規集 HTML page or an amending agreement. An amendment ingested
with the agreement it amends is replayed on it, and refused if it cannot be applied.
Several files make one dataset: N-Quads, TriG and JSON-LD keep each agreement in its named graph;
Turtle and N-Triples have no graphs, so their triples are merged. Without ``-o`` the RDF goes to
stdout; with it, to a temporary file beside OUT that is renamed over OUT only once everything
has been ingested and written, so a failure never leaves a half-written or clobbered OUT.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Dataset, Graph, Literal, URIRef

from kg.cli.output import emit
from kg.errors import InputError
from kg.ingest import IngestResult, ingest_file
from kg.namespaces import ELI, bind_prefixes
from kg.settings import Settings

__all__ = ["Format", "check_amendments", "register", "serialise", "serialise_graph"]


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


def serialise(results: list[IngestResult], fmt: Format, base: str) -> bytes:
    """The results as one document in ``fmt``; line-based formats sorted, so output is stable."""
    seen: dict[str, str] = {}
    for r in results:
        if str(r.graph_name) in seen:
            raise InputError(f"gives the same agreement as {seen[str(r.graph_name)]} ({r.agreement})",
                             file=r.source)
        seen[str(r.graph_name)] = r.source
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
    ``kg consolidate`` would refuse it later (kg/consolidate.py).
    """
    from kg.consolidate import in_force

    agreements = {r.agreement: r for r in results if r.kind == "agreement"}
    amending: dict[URIRef, list[IngestResult]] = {}
    for r in results:
        target = r.graph.value(r.agreement, ELI.amends) if r.kind == "amendment" else None
        if isinstance(target, URIRef) and target in agreements:
            amending.setdefault(target, []).append(r)
    for target, amendments in amending.items():
        merged = Graph()
        merged += agreements[target].graph
        for amendment in amendments:
            merged += amendment.graph
        dates = [d.toPython() for a in amendments for d in a.graph.objects(a.agreement, ELI.date_applicability)
                 if isinstance(d, Literal)]
        in_force(merged, target, max(d for d in dates if isinstance(d, dt.date)))


def _format_for(output: Path | None, fmt: Format | None) -> Format:
    """The format asked for, else the one OUT's extension names, else Turtle."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return {"ttl": Format.ttl, "nt": Format.nt, "nq": Format.nq, "trig": Format.trig,
            "jsonld": Format.jsonld, "json": Format.jsonld}.get(suffix, Format.ttl)


def ingest_command(
    files: Annotated[list[Path], typer.Argument(help="Agreement texts (UTF-8 or Shift_JIS/CP932).",
                                                show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write here instead of stdout.")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="ttl, nt, nq, trig or jsonld (default: from -o, else ttl).")] = None,
) -> None:
    """Read agreement texts in any known layout and write their RDF (docs/ingest.md).

    A text that cannot be read as an agreement ends with exit 2 and FILE:LINE: what is wrong.
    """
    settings = Settings()
    results = [ingest_file(path, settings) for path in files]
    check_amendments(results)
    data = serialise(results, _format_for(output, fmt), settings.base_iri)
    emit(data, output)


def register(app: typer.Typer) -> None:
    """Add ``kg ingest`` to the command line."""
    app.command("ingest")(ingest_command)
