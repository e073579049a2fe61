"""The one table of formats: RDF syntaxes and SPARQL result formats, by name, media type and extension.

Every reader and writer of RDF reads it: the HTTP content negotiation, the ``format``/``output``
parameters that SPARQLWrapper and browsers send, the CLI's ``--format`` and file suffixes, the dumps,
``kg push`` and the remote store's client. Each row knows its rdflib name and its pyoxigraph format.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox

__all__ = [
    "DATASET_FORMATS", "GRAPH_FORMATS", "RDF_FORMATS", "RESULT_FORMATS", "Format", "QueryKind", "by_alias",
    "by_extension", "by_media_type", "by_name", "formats_for",
]


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
    #: What people call it ("Turtle", "N-Quads").
    label: str = ""
    #: The name rdflib's parser and serialiser know an RDF syntax by ("" for result formats).
    rdflib: str = ""
    #: Whether the syntax keeps named graphs (N-Quads, TriG, JSON-LD).
    datasets: bool = False

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
        "Turtle",
        "turtle",
    ),
    Format("ntriples", "application/n-triples", "nt", ("text/plain",), ("ntriples", "n-triples", "nt"),
           "N-Triples", "nt"),
    Format(
        "jsonld",
        "application/ld+json",
        "jsonld",
        ("application/x-json+ld", "application/json"),
        ("jsonld", "json-ld", "json"),
        "JSON-LD",
        "json-ld",
        True,
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        "rdf",
        ("application/xml", "text/xml"),
        ("rdfxml", "rdf+xml", "rdf", "xml", "owl"),
        "RDF/XML",
        "xml",
    ),
)
#: The syntaxes of datasets that CONSTRUCT does not answer in (a graph has no graph names to keep).
DATASET_FORMATS: tuple[Format, ...] = (
    Format("nquads", "application/n-quads", "nq", (), ("nquads", "n-quads", "nq"), "N-Quads", "nquads", True),
    Format("trig", "application/trig", "trig", (), ("trig",), "TriG", "trig", True),
)
#: Every RDF syntax read or written anywhere in kg.
RDF_FORMATS: tuple[Format, ...] = GRAPH_FORMATS + DATASET_FORMATS

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
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
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


def by_extension(suffix: str) -> Format | None:
    """The RDF syntax a file suffix names (``.ttl``, ``nq``; case ignored), or None.

    >>> by_extension(".TTL").rdflib, by_extension("nq").datasets, by_extension(".json").name, by_extension(".txt")
    ('turtle', True, 'jsonld', None)
    """
    wanted = suffix.lower().removeprefix(".")
    if wanted == "json":  # JSON-LD documents are often saved as .json
        wanted = "jsonld"
    return next((f for f in RDF_FORMATS if f.extension == wanted), None)


def by_media_type(media_type: str) -> Format | None:
    """The RDF syntax a media type names (parameters such as ``;charset=utf-8`` ignored), or None.

    >>> by_media_type("text/turtle; charset=utf-8").name, by_media_type("text/plain").name
    ('turtle', 'ntriples')
    """
    wanted = media_type.split(";")[0].strip().lower()
    return next((f for f in RDF_FORMATS if wanted in f.media_types), None)


def by_name(name: str) -> Format:
    """The RDF syntax of this name (``turtle``, ``ntriples``, ``nquads`` …); KeyError for any other.

    >>> by_name("ntriples").media_type
    'application/n-triples'
    """
    for fmt in RDF_FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)
