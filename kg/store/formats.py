"""The result and graph formats the store can write, with their media types and short names.

One table serves the HTTP content negotiation, the ``format``/``output`` parameters that
SPARQLWrapper and browsers send, the CLI's ``--format`` and the dump file names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "Format", "QueryKind", "by_alias", "formats_for"]


class QueryKind(StrEnum):
    """The four SPARQL query forms (SPARQL 1.1 Query §10); they decide which formats apply."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def is_graph(self) -> bool:
        return self in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)


@dataclass(frozen=True)
class Format:
    """A serialisation: its canonical media type, the other media types it answers to, and aliases."""

    name: str
    media_type: str
    extension: str
    other_media_types: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.other_media_types)

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        return _RESULTS[self.name]

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _RDF[self.name]


# Order is preference: the first is what a client gets for */* (SPARQL 1.1 Protocol §2.1.6 leaves
# the choice to the server; JSON and Turtle are what most clients read best).
RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "srj",
        ("application/json", "text/javascript", "application/javascript"),
        ("json", "srj"),
    ),
    Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"), ("xml", "srx")),
    Format("csv", "text/csv", "csv", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", "tsv", (), ("tsv", "tab")),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        "ttl",
        ("application/turtle", "application/x-turtle"),
        ("turtle", "ttl", "n3", "text/n3"),
    ),
    Format("ntriples", "application/n-triples", "nt", ("text/plain",), ("ntriples", "n-triples", "nt")),
    Format(
        "jsonld",
        "application/ld+json",
        "jsonld",
        ("application/x-json+ld", "application/json"),
        ("jsonld", "json-ld", "json"),
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        "rdf",
        ("application/xml", "text/xml"),
        ("rdfxml", "rdf+xml", "rdf", "xml", "owl"),
    ),
)

_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def formats_for(kind: QueryKind) -> tuple[Format, ...]:
    """The formats a result of this query form can be written in.

    ASK results have no CSV/TSV form in the W3C note, but SPARQL 1.1 Protocol §2.1.6 allows them;
    pyoxigraph writes ``true``/``false``, which is what Jena and Virtuoso answer too.
    """
    return GRAPH_FORMATS if kind.is_graph else RESULT_FORMATS


def by_alias(kind: QueryKind, value: str) -> Format | None:
    """The format a ``format``/``output`` parameter names (an alias or a media type), or None.

    >>> by_alias(QueryKind.CONSTRUCT, "xml").name
    'rdfxml'
    >>> by_alias(QueryKind.SELECT, "application/sparql-results+json").name
    'json'
    """
    wanted = value.strip().lower()
    for fmt in formats_for(kind):
        if wanted in fmt.aliases or wanted in fmt.media_types:
            return fmt
    return None
