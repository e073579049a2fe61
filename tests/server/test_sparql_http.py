"""/sparql over real HTTP: SPARQLWrapper, every format, service description, CORS, gzip, caching."""

from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.server.conftest import AGREEMENT, Server

PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
INITIATIVES = (
    PREFIXES
    + f"""SELECT ?i ?title WHERE {{ <{AGREEMENT}> renkei:initiative ?i . ?i dct:title ?title }}
ORDER BY ?i"""
)
CONSTRUCT = PREFIXES + f"CONSTRUCT {{ <{AGREEMENT}> dct:title ?t }} WHERE {{ <{AGREEMENT}> dct:title ?t }}"
TITLE = "郡山市と二本松市との連携中枢都市圏形成に係る連携協約"


def wrapper(server: Server, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_reads_json_results(server: Server, method: str) -> None:
    sparql = wrapper(server, JSON, method)
    sparql.setQuery(INITIATIVES)
    rows = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert len(rows) >= 19
    assert {"type": "literal", "value": "I C T インフラの整備", "xml:lang": "ja"} in [
        r["title"] for r in rows
    ]


def test_sparqlwrapper_reads_xml_results(server: Server) -> None:
    sparql = wrapper(server, XML)
    sparql.setQuery(INITIATIVES)
    doc = sparql.queryAndConvert()
    results = doc.getElementsByTagName("result")  # type: ignore[union-attr]
    assert len(results) >= 19


def test_sparqlwrapper_reads_csv_results(server: Server) -> None:
    sparql = wrapper(server, CSV)
    sparql.setQuery(INITIATIVES)
    text = sparql.queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "I C T インフラの整備" in {r["title"] for r in rows}


def test_sparqlwrapper_reads_tsv_results(server: Server) -> None:
    sparql = wrapper(server, TSV)
    sparql.setQuery(INITIATIVES)
    text = sparql.queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    assert text.splitlines()[0] == "?i\t?title"
    assert '"I C T インフラの整備"@ja' in text


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # inside SPARQLWrapper
def test_sparqlwrapper_construct_into_an_rdflib_graph(server: Server) -> None:
    sparql = wrapper(server, XML)  # SPARQLWrapper's default for CONSTRUCT is RDF/XML into rdflib
    sparql.setQuery(CONSTRUCT)
    graph = sparql.queryAndConvert()
    assert isinstance(graph, rdflib.Graph)
    assert (
        rdflib.URIRef(AGREEMENT),
        rdflib.URIRef("http://purl.org/dc/terms/title"),
        rdflib.Literal(TITLE, lang="ja"),
    ) in graph


def test_sparqlwrapper_construct_as_turtle(server: Server) -> None:
    sparql = wrapper(server, TURTLE)
    sparql.setQuery(CONSTRUCT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SPARQLWrapper warns that it returns Turtle as bytes
        data = sparql.queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert rdflib.Literal(TITLE, lang="ja") in set(graph.objects())


RESULT_TYPES = {
    "application/sparql-results+json": lambda b: len(json.loads(b)["results"]["bindings"]),
    "application/sparql-results+xml": lambda b: len(
        ET.fromstring(b).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    ),
    "text/csv": lambda b: len(b.decode().strip().splitlines()) - 1,
    "text/tab-separated-values": lambda b: len(b.decode().strip().splitlines()) - 1,
}


@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_select_in_every_result_format(server: Server, media_type: str) -> None:
    r = server.get("/sparql", params={"query": INITIATIVES}, headers={"Accept": media_type})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    assert RESULT_TYPES[media_type](r.content) == int(r.headers["X-Result-Count"]) >= 19


GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_graph_result_in_every_format(server: Server, media_type: str, form: str) -> None:
    query = CONSTRUCT if form == "CONSTRUCT" else f"DESCRIBE <{AGREEMENT}>"
    r = server.post(
        "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": media_type},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    triples = list(ox.parse(r.content, format=GRAPH_TYPES[media_type]))
    assert ox.Literal(TITLE, language="ja") in {t.object for t in triples}


def test_a_json_ld_graph_result_carries_the_projects_context_and_means_what_n_triples_does(server: Server) -> None:
    query = f"DESCRIBE <{AGREEMENT}>"
    answers = {media: server.post("/sparql", content=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": media}) for media in (
        "application/ld+json", "application/n-triples")}
    document = json.loads(answers["application/ld+json"].text)
    assert document["@context"]["dct"] == "http://purl.org/dc/terms/"  # the prefixes the answer uses
    assert "dct:title" in answers["application/ld+json"].text  # compacted by them
    read = rdflib.Graph().parse(data=answers["application/ld+json"].text, format="json-ld")
    expected = rdflib.Graph().parse(data=answers["application/n-triples"].text, format="nt")
    assert rdflib.compare.isomorphic(read, expected)


@pytest.mark.parametrize(
    ("param", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_parameter_overrides_accept(server: Server, param: str, media_type: str) -> None:
    r = server.get(
        "/sparql",
        params={"query": "ASK {}" if param == "xml" else INITIATIVES, "format": param},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.headers["content-type"].split(";")[0] == media_type


def test_ask_in_json_and_xml(server: Server) -> None:
    query = PREFIXES + f"ASK {{ <{AGREEMENT}> a renkei:Agreement }}"
    assert server.get("/sparql", params={"query": query}).json() == {"head": {}, "boolean": True}
    xml = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>true</boolean>" in xml.content


def test_nothing_acceptable_is_406(server: Server) -> None:
    r = server.get("/sparql", params={"query": INITIATIVES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


def test_default_graph_is_the_union_of_named_graphs(server: Server) -> None:
    query = (
        PREFIXES
        + """ASK { ?a a renkei:Agreement ; renkei:area ?area .
      ?area <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"""
    )  # agreement graph ⋈ areas graph
    assert server.get("/sparql", params={"query": query}).json()["boolean"] is True


def test_default_graph_uri_restricts_the_default_graph(server: Server) -> None:
    query = PREFIXES + "ASK { ?a a renkei:Agreement }"
    only_areas = {"query": query, "default-graph-uri": "https://w3id.org/renkei/graph/areas"}
    assert server.get("/sparql", params=only_areas).json()["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(server: Server) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    r = server.get(
        "/sparql", params={"query": query, "named-graph-uri": "https://w3id.org/renkei/graph/areas"}
    )
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [
        "https://w3id.org/renkei/graph/areas"
    ]


# --- Service description (W3C sparql11/service-description manifest) ------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def service_description(server: Server) -> rdflib.Graph:
    r = server.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.text, format="turtle")


def test_returns_rdf(server: Server) -> None:
    """sd manifest :returns-rdf — GET on endpoint returns RDF."""
    assert len(service_description(server)) > 10


def test_has_endpoint_triple(server: Server) -> None:
    """sd manifest :has-endpoint-triple — sd:endpoint is the URL that was dereferenced."""
    g = service_description(server)
    assert rdflib.URIRef(server.url + "/sparql") in set(g.objects(None, SD.endpoint))


def test_conforms_to_schema(server: Server) -> None:
    """sd manifest :conforms-to-schema — every sd: term is in the vocabulary; the service is complete."""
    g = service_description(server)
    known = {
        "Service",
        "Dataset",
        "Graph",
        "NamedGraph",
        "endpoint",
        "supportedLanguage",
        "resultFormat",
        "feature",
        "defaultDataset",
        "defaultGraph",
        "namedGraph",
        "name",
        "graph",
        "SPARQL11Query",
        "UnionDefaultGraph",
        "defaultEntailmentRegime",
    }
    used = {str(t)[len(str(SD)) :] for triple in g for t in triple if str(t).startswith(str(SD))}
    assert used <= known
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    names = set(g.objects(None, SD.name))
    assert rdflib.URIRef("https://w3id.org/renkei/graph/areas") in names


# --- HTTP niceties -----------------------------------------------------------------------------


def test_cors_allows_any_origin_and_exposes_the_limit(server: Server) -> None:
    r = server.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "X-Result-Limit" in r.headers["access-control-expose-headers"]
    pre = httpx_options(server)
    assert pre.status_code == 200


def httpx_options(server: Server) -> object:
    import httpx

    return httpx.options(
        server.url + "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_large_results_are_gzipped_when_asked(server: Server) -> None:
    r = server.get("/sparql", params={"query": INITIATIVES}, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert len(r.json()["results"]["bindings"]) >= 19  # httpx decompresses


def test_etag_revalidation_answers_304_without_a_body(server: Server) -> None:
    first = server.get("/sparql", params={"query": INITIATIVES})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = server.get("/sparql", params={"query": INITIATIVES}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_format = server.get(
        "/sparql", params={"query": INITIATIVES}, headers={"If-None-Match": etag, "Accept": "text/csv"}
    )
    assert other_format.status_code == 200
    assert modified.endswith("GMT")
