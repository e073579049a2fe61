"""The dumps: every named graph (but the catalogue) in five RDF formats, each plain and gzipped.

A dump is written by concatenating each graph's **parts**: the graph serialised on its own in
one format and compressed as one gzip member. A build makes an agreement's parts in the worker
that ingested it, and keeps them in its cache (kg.release.cache); writing the dumps is then copying
members, not serialising two million quads again (that took 70 s at 4,000 agreements, and one
copy of the dataset in memory). Concatenation is valid in every format:

- gzip: a file is a series of members (RFC 1952 §2.2); every reader decompresses them all.
- N-Triples, N-Quads: one statement per line.
- Turtle, TriG: a document is a sequence of statements, and a ``@prefix`` directive may be
  repeated (RDF 1.1 Turtle §2.4, TriG §2.2); each part declares the same prefixes.
- JSON-LD: a part is its graph's node objects without the enclosing array; the writer adds
  ``[``, the commas and ``]``.

The union dumps (``.ttl``, ``.nt``) list each graph's triples, so a triple stated in two graphs
is written twice; a graph is a set, so the file denotes the union graph all the same. Blank
nodes keep the labels of the graph they come from (rdflib's are unique), so two parts never share
one by accident.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.formats import Format, by_name
from kg.namespaces import PREFIXES

__all__ = ["DUMPS", "Dump", "Parts", "graph_parts", "gzip_member", "store_parts", "write_dumps"]

#: A graph's parts: dump file name → one gzip member.
Parts = Mapping[str, bytes]
#: zlib's level 3. Measured on 150 agreements of the 400 corpus (their five parts, 474 KiB a
#: text): level 6 (gzip(1)'s default) 2.78 ms a text for 33.7 KiB, level 3 1.36 ms for 38.9 KiB
#: (+15 %), level 1 1.34 ms for 42.5 KiB; level 9 had taken twice level 6's time for 7 % less.
#: A build compresses every agreement's parts; level 3's files are still smaller than level 6's were
#: before the graphs' triples came grouped by subject (47.6 KiB a text).
_LEVEL = 3


@dataclass(frozen=True)
class Dump:
    """One dump file: its name and RDF syntax (a row of kg.formats), and its title."""

    name: str
    syntax: Format
    title_en: str

    @property
    def fmt(self) -> ox.RdfFormat:
        return self.syntax.rdf_format

    @property
    def media_type(self) -> str:
        return self.syntax.media_type

    @property
    def datasets(self) -> bool:
        """Whether the file keeps the named graphs (N-Quads, TriG, JSON-LD), or holds their union."""
        return self.syntax.datasets


def _dump(syntax: str) -> Dump:
    fmt = by_name(syntax)
    kept = "named graphs kept" if fmt.datasets else "union of all graphs"
    return Dump(f"dataset.{fmt.extension}", fmt, f"{fmt.label} ({kept})")


DUMPS: tuple[Dump, ...] = tuple(_dump(s) for s in ("turtle", "ntriples", "nquads", "trig", "jsonld"))


def gzip_member(data: bytes) -> bytes:
    """``data`` as one gzip member, as every piece of the ``.gz`` dumps is written: a dump is its
    members end to end, so a piece can be spliced or appended without recompressing the rest
    (kg.release.layout, kg.release.publish). mtime=0: the same data always gives the same bytes,
    hence the same checksum."""
    return gzip.compress(data, compresslevel=_LEVEL, mtime=0)


def graph_parts(graph_name: str | None, ntriples: bytes, base: str) -> dict[str, bytes]:
    """The parts of one graph, given as N-Triples (``graph_name`` None: the default graph).

    pyoxigraph writes the graph three times, as N-Triples, Turtle and JSON-LD; the dataset formats
    are made from those, not by writing the graph's quads again: N-Quads are the N-Triples with the
    graph's name on each line, TriG is the Turtle's statements in a block named by the graph, and
    JSON-LD's named graph is an object of its ``@id`` and its nodes as ``@graph``."""
    triples = [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    if not triples:
        return {}
    prefixes = {**PREFIXES, "rid": base + "id/"}
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    nodes = (ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"").strip()
    texts = {
        ox.RdfFormat.N_TRIPLES: nt,
        ox.RdfFormat.TURTLE: turtle,
        ox.RdfFormat.N_QUADS: nt if graph_name is None else _in_graph(nt, graph_name),
        ox.RdfFormat.TRIG: turtle if graph_name is None else _trig(turtle, graph_name),
        # "[{…}]" → "{…}": the writer joins the graphs
        ox.RdfFormat.JSON_LD: nodes[1:-1] if graph_name is None else _json_ld(nodes, graph_name),
    }
    return {dump.name: gzip_member(texts[dump.fmt]) for dump in DUMPS}


def _in_graph(ntriples: bytes, graph_name: str) -> bytes:
    """pyoxigraph's N-Triples as N-Quads in the named graph: each line ends " .\\n" (a literal's line
    breaks are escaped), and gets the graph's name before its dot."""
    return ntriples.replace(b" .\n", f" <{graph_name}> .\n".encode())


def _trig(turtle: bytes, graph_name: str) -> bytes:
    """pyoxigraph's Turtle as TriG in the named graph: its ``@prefix`` lines (which come first), then
    its statements in a block ``<graph> { … }`` (TriG §2.2)."""
    at = 0
    while turtle.startswith(b"@prefix ", at):
        at = turtle.index(b"\n", at) + 1
    return turtle[:at] + f"<{graph_name}> {{\n".encode() + turtle[at:] + b"}\n"


def _json_ld(nodes: bytes, graph_name: str) -> bytes:
    """pyoxigraph's JSON-LD array of node objects as the named graph's object (JSON-LD 1.1 §4.9)."""
    return b'{"@id":' + json.dumps(graph_name).encode() + b',"@graph":' + nodes + b"}"


def store_parts(store: ox.Store, base: str, exclude: Collection[ox.NamedNode] = ()) -> Iterator[dict[str, bytes]]:
    """The parts of every graph in ``store`` but ``exclude``: the default graph, then the named
    graphs by name (for a release made from a store rather than by a build)."""
    for g in [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]:
        if g in exclude:
            continue
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, g))
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        yield graph_parts(g.value if isinstance(g, ox.NamedNode) else None, nt, base)


def write_dumps(parts: Iterable[Parts], dumps_dir: Path, nquads: Callable[[bytes], None] | None = None,
                ) -> list[Path]:
    """Write every dump and its ``.gz`` twin from the graphs' parts, in the order given; return the
    files written. ``nquads``, when given, is handed each graph's N-Quads as written (a graph's
    whole text in one call), so that a store can be loaded from them while the dumps are written."""
    dumps_dir.mkdir(parents=True, exist_ok=True)
    written = [dumps_dir / (d.name + ext) for d in DUMPS for ext in ("", ".gz")]
    comma, first = gzip_member(b",\n"), True
    with ExitStack() as stack:
        out = {p.name: stack.enter_context(p.open("wb")) for p in written}

        def emit(name: str, member: bytes) -> None:
            out[name + ".gz"].write(member)
            text = zlib.decompress(member, wbits=31)
            out[name].write(text)
            if nquads is not None and name == "dataset.nq":
                nquads(text)

        emit("dataset.jsonld", gzip_member(b"["))
        for graph in parts:
            if not graph:
                continue
            if not first:
                emit("dataset.jsonld", comma)
            first = False
            for name, member in graph.items():
                emit(name, member)
        emit("dataset.jsonld", gzip_member(b"]\n"))
    return written
