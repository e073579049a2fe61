"""The SPARQL 1.1 Service Description of the endpoint (W3C REC, 2013), answered on a bare GET."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.server.context import ServerContext

__all__ = ["SD", "service_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENT = Namespace("http://www.w3.org/ns/entailment/")

# The W3C "Unique URIs for file formats" for each format we write.
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def service_description(ctx: ServerContext, endpoint: str) -> Graph:
    """Describe the endpoint at ``endpoint``: language, formats, union default graph, the dataset."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    g.bind("dct", DCTERMS)
    service, dataset, default = BNode("service"), BNode("dataset"), BNode("defaultGraph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.defaultEntailmentRegime, ENT.Simple))
    # §3.4: the default graph is the RDF merge of all named graphs (docs/model.md "Named graphs").
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        g.add((service, SD.resultFormat, FORMATS[_FORMAT_IRIS[fmt.name]]))
    g.add((service, DCTERMS.title, Literal("renkei-kg SPARQL endpoint", lang="en")))
    g.add(
        (
            service,
            RDFS.comment,
            Literal(
                f"Read-only. Queries run at most {ctx.settings.query_timeout:g} s and return at most "
                f"{ctx.settings.result_limit} rows or triples (announced in the X-Result-Limit header). "
                "SERVICE and FROM graphs outside the dataset are refused; nothing is ever fetched.",
                lang="en",
            ),
        )
    )
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(sum(ctx.graphs.values()))))
    g.add((dataset, DCTERMS.hasVersion, Literal(ctx.release.version)))
    for name, count in sorted(ctx.graphs.items()):
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count)))
    return g
