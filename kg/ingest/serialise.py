"""Ingested texts as one RDF document: graphs kept apart where the syntax keeps them, lines sorted.

Several files make one dataset: N-Quads, TriG and JSON-LD keep each agreement in its named graph;
Turtle and N-Triples have no graphs, so their triples are merged. N-Triples and N-Quads come out
sorted, so the same input always gives the same bytes.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from kg.errors import InputError
from kg.formats import Format
from kg.ingest import IngestResult
from kg.namespaces import bind_prefixes

__all__ = ["ntriples", "same_agreement", "serialise", "serialise_graph"]

#: The syntaxes written one statement a line, which are sorted.
_LINE_BASED = ("ntriples", "nquads")


def same_agreement(result: IngestResult, first: str) -> InputError:
    """The error of a file that gives an agreement another file already gave."""
    return InputError(f"gives the same agreement as {first} ({result.agreement})", file=result.source,
                      ja=f"{first} と同じ協約（{result.agreement}）です。",
                      fix="give each agreement once", fix_ja="同じ協約のファイルは一つだけ指定してください。")


def serialise(results: list[IngestResult], fmt: Format, base: str) -> bytes:
    """The results as one document in ``fmt``; line-based formats sorted, so output is stable."""
    seen: dict[str, str] = {}
    for r in results:
        if str(r.graph_name) in seen:
            raise same_agreement(r, seen[str(r.graph_name)])
        seen[str(r.graph_name)] = r.source
    if fmt.name in _LINE_BASED:
        return _lines(results, fmt.datasets)
    if len(results) == 1 and not fmt.datasets:
        return serialise_graph(results[0].graph, fmt, base)  # no copy: it is the document already
    if fmt.datasets:
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
    out = data.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.name in _LINE_BASED:
        lines = sorted(line for line in out.decode("utf-8").splitlines() if line.strip())
        out = ("\n".join(lines) + "\n").encode("utf-8")
    return out


def ntriples(graph: Graph) -> bytes:
    """``graph.serialize(format="nt", encoding="utf-8")``, byte for byte, each IRI written once: rdflib
    checks and writes an IRI again at each of its uses (an agreement's ~700 triples name ~2,000)."""
    iris: dict[str, str] = {}

    def n3(node: Node) -> str:
        if node.__class__ is URIRef:
            key = str(node)
            text = iris.get(key)
            if text is None:
                text = iris[key] = node.n3()
            return text
        return node.n3()

    return "".join([f"{n3(s)} {n3(p)} {_quoteLiteral(o) if isinstance(o, Literal) else n3(o)} .\n"
                    for s, p, o in graph]).encode()
