"""Run one checked query on a pyoxigraph store and write its result, capped, in one format.

The cap is applied while the solutions stream out of the engine, so a query matching millions of
rows costs no more memory than ``limit`` rows; whether more existed is reported, never hidden.

A query using the property function ``renkei:search`` (docs/search.md) has it answered first from the
release's search index (kg.search.sparql); the engine then runs the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, SearchUnavailable
from kg.formats import Format, QueryKind
from kg.namespaces import PREFIXES
from kg.search.index import SearchIndex, index_path
from kg.store import release as _release
from kg.store.guard import CheckedQuery
from kg.store.rewrite import rewrite

__all__ = ["QueryResult", "execute", "release_index", "term_to_json"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class QueryResult:
    """A serialised result: body, media type, rows (or triples) written, and whether some were cut."""

    body: bytes
    media_type: str
    kind: QueryKind
    count: int
    truncated: bool
    limit: int


def term_to_json(term: Any) -> dict[str, Any]:
    """One RDF term as a SPARQL 1.1 JSON Results binding (W3C REC §3.2.2; triple terms per SPARQL 1.2)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_to_json(term.subject),
                "predicate": term_to_json(term.predicate),
                "object": term_to_json(term.object),
            },
        }
    raise QueryError(f"cannot write the term {term!r} in a SPARQL result")


def _graphs(iris: Sequence[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(iri) for iri in iris]


def _select(solutions: ox.QuerySolutions, fmt: Format, limit: int) -> tuple[bytes, int, bool]:
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, Any]] = []
    truncated = False
    for solution in solutions:
        if len(rows) == limit:
            truncated = True
            break
        rows.append({name: term_to_json(solution[name]) for name in names if solution[name] is not None})
    doc = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": rows}}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    if fmt.name != "json":
        # pyoxigraph's own writers for XML/CSV/TSV, fed the capped JSON: one encoder to trust.
        parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
        doc = parsed.serialize(format=fmt.results_format) or b""
    return doc, len(rows), truncated


def _used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """The project prefixes that some IRI in ``triples`` starts with (no noise in small answers)."""
    iris = {
        t.value
        for triple in triples
        for t in (triple.subject, triple.predicate, triple.object)
        if isinstance(t, ox.NamedNode)
    }
    iris |= {t.datatype.value for triple in triples for t in (triple.object,) if isinstance(t, ox.Literal)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _graph(triples: Iterable[ox.Triple], fmt: Format, limit: int) -> tuple[bytes, int, bool]:
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == limit:
            truncated = True
            break
        kept.append(triple)
    if fmt.name == "jsonld":
        return _compact_jsonld(kept), len(kept), truncated
    prefixes = _used_prefixes(kept) if fmt.name in ("turtle", "rdfxml") else None
    body = ox.serialize(kept, format=fmt.rdf_format, prefixes=prefixes)
    return body or b"", len(kept), truncated


def _compact_jsonld(triples: Sequence[ox.Triple]) -> bytes:
    """JSON-LD with an ``@context`` of the project's prefixes the triples use, compacted by it (issue 11):
    pyoxigraph writes expanded JSON-LD and ignores prefixes, so rdflib writes it from N-Triples."""
    from rdflib import Graph

    graph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    text = graph.serialize(format="json-ld", context=_used_prefixes(triples), auto_compact=True)
    return text.encode("utf-8")


def release_index(folder: Path) -> SearchIndex:
    """The search index of the release ``folder``, opened once per process; SearchUnavailable if it has none."""
    folder = folder.resolve()
    if folder not in _INDEXES:
        if not index_path(folder).is_file():
            raise SearchUnavailable(
                "renkei:search needs the release's search index, and this release has none (it was built before "
                "search existed): rebuild it with `kg build`",
                ja="renkei:search にはリリースの全文検索の索引が要りますが、このリリースにはありません"
                   "（検索機能より前に作られたリリースです）。`kg build` で作り直してください。")
        _INDEXES[folder] = SearchIndex.of_release(folder)
    return _INDEXES[folder]


_INDEXES: dict[Path, SearchIndex] = {}


def _leased_index() -> SearchIndex:
    """The index of the release this process reads: the one it leased last (kg.store.release.lease; a
    query worker leases exactly one, the release whose store it opened)."""
    leased = _release.read_releases()
    if not leased:
        raise SearchUnavailable("renkei:search needs a release's search index, and this store is not a release's",
                                ja="renkei:search にはリリースの全文検索の索引が要りますが、"
                                   "このストアはリリースのものではありません。")
    return release_index(leased[-1])


def execute(
    store: ox.Store,
    query: CheckedQuery,
    fmt: Format,
    *,
    limit: int,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    base_iri: str | None = None,
    search: SearchIndex | None = None,
) -> QueryResult:
    """Run ``query``; the default graph is the union of all named graphs unless the protocol
    (``default-graph-uri``) or the query (``FROM``) says otherwise (SPARQL 1.1 Protocol §2.1.4:
    the protocol's dataset wins over the query's).

    ``renkei:search`` patterns are answered from ``search``, or else from the index of the release this
    process leased (SearchUnavailable if there is none)."""
    # Relative IRIs resolve against the endpoint's own IRI (SPARQL 1.1 Query §4.1.1.1, RFC 3986 §5.1.3).
    kwargs: dict[str, Any] = {"base_iri": base_iri} if base_iri else {}
    if default_graphs:
        kwargs["default_graph"] = _graphs(default_graphs)
    elif not query.from_graphs and not query.from_named_graphs:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = _graphs(named_graphs)
        if not default_graphs:
            # Only named graphs given: the protocol's dataset has an empty default graph (§2.1.4).
            kwargs.pop("use_default_graph_as_union", None)
            kwargs["default_graph"] = []
    elif default_graphs:
        # Only a default graph given: the protocol's dataset has no named graphs (§2.1.4).
        kwargs["named_graphs"] = []
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | None = None
    failure: QueryError | None = None
    try:
        # pyoxigraph runs FILTER NOT EXISTS once per row; where SPARQL's semantics make it equal to
        # MINUS (an anti-join), kg.store.rewrite says so, and leaves every other query as it was.
        # Imported here: kg.search.sparql reads queries with kg.store's lexer, so kg.store cannot import it first.
        from kg.search.sparql import expand_search

        text = expand_search(query.text, lambda: search or _leased_index())
        result = store.query(rewrite(text), **kwargs)
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=fmt.results_format) or b""
            return QueryResult(body, fmt.media_type, query.kind, 1, False, limit)
        if isinstance(result, ox.QuerySolutions):
            body, count, truncated = _select(result, fmt, limit)
        else:
            body, count, truncated = _graph(result, fmt, limit)
    except SyntaxError as e:
        failure = QueryError(f"SPARQL syntax error: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        failure = QueryError(f"the query failed: {e}")
    finally:
        # pyoxigraph's results may be freed only on the thread that made them. Dropped here, and
        # the error raised below without the original as its context, no traceback keeps them for
        # the cyclic garbage collector, which runs on whichever thread allocates.
        result = None
    if failure is not None:
        raise failure
    return QueryResult(body, fmt.media_type, query.kind, count, truncated, limit)
