"""Where comparisons and charts read from: anything that answers a SPARQL SELECT with rows of strings.

A :class:`SparqlSource` has one method, ``query(sparql) -> list[dict[str, str]]``: each row maps
a variable name to the lexical value of its binding (an IRI's string, a literal's lexical form);
unbound variables are absent. The default graph is the union of the named graphs (docs/model.md),
so queries need no ``GRAPH`` clauses. :class:`StoreSource` wraps a pyoxigraph store, for the command
line, the tests and a draft read in a validation worker; a remote endpoint (SPARQLWrapper), the
server's query pool (:class:`kg.server.compare.PoolSource`) or a test double fits the same protocol.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from kg.errors import QueryError
from kg.settings import Settings

__all__ = ["PREFIXES", "EndpointSource", "SparqlSource", "StoreSource"]

#: Prefixes every query of kg.compare and kg.svg starts with.
PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

class SparqlSource(Protocol):
    """Where comparisons and charts read from: SPARQL SELECT in, rows of lexical values out."""

    def query(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT over the union of all graphs; one dict per solution, unbound variables absent."""
        ...


class StoreSource:
    """A pyoxigraph store as a :class:`SparqlSource` (its default graph the union of the named graphs)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def current(cls, settings: Settings) -> StoreSource:
        """The store of the current release, opened read-only (building one first if there is none)."""
        from kg.release.build import ensure_built
        from kg.store import open_read_only

        return cls(open_read_only(ensure_built(settings).store_path))

    def query(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT on the store; anything but a SELECT is a QueryError."""
        try:
            solutions = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise QueryError(f"query does not parse: {e}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries can be read as rows")
        names = [v.value for v in solutions.variables]
        return [{n: t.value for n, t in zip(names, row, strict=True) if t is not None} for row in solutions]


class EndpointSource:
    """A remote SPARQL 1.1 endpoint as a :class:`SparqlSource` (through SPARQLWrapper, JSON results).

    The endpoint's default graph must be the union of the named graphs, as ours is; for one
    where it is not (Fuseki without ``unionDefaultGraph``), the queries find nothing.
    """

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def query(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT on the endpoint; a failure is a QueryError naming the endpoint."""
        from SPARQLWrapper import JSON, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.url, agent="renkei-kg (kg compare)")
        client.setQuery(sparql)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        try:
            data = client.queryAndConvert()
        except (SPARQLWrapperException, OSError) as e:
            raise QueryError(f"the endpoint failed: {e}", where=self.url) from None
        if not isinstance(data, dict) or "results" not in data:
            raise QueryError("the endpoint did not answer with SPARQL JSON results", where=self.url)
        return [{v: b["value"] for v, b in row.items()} for row in data["results"]["bindings"]]

