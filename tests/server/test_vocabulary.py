"""Every IRI we mint resolves (issue 11, point 1): /ns, /shapes, /context.jsonld, the catalogue page,
named graphs, Link headers and the negotiation of /id/… (TriG, N3, extensions, 406) over real HTTP."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.reference.graphs import ontology_graph
from kg.server.rdf_answers import jsonld_context
from kg.settings import Settings
from kg.validation.validate import SHAPES_NS
from tests.server.conftest import Server

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
RENKEI = "https://w3id.org/renkei/ns#"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.term_ids: list[str] = []
        self.deprecated: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
            classes = (a.get("class") or "").split()
            if tag == "section" and "term" in classes:
                self.term_ids.append(a["id"] or "")
                if "deprecated" in classes:
                    self.deprecated.append(a["id"] or "")


def _ontology() -> rdflib.Graph:
    return ontology_graph(Settings())


def _terms(g: rdflib.Graph) -> set[str]:
    return {s[len(RENKEI):] for s in g.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(RENKEI)}


def _links(header: str) -> list[dict[str, str]]:
    """An RFC 8288 Link header as [{"url": …, "rel": …, "type": …}]."""
    out = []
    for part in re.split(r",\s*(?=<)", header):
        url, *params = [p.strip() for p in part.split(";")]
        entry = {"url": url.strip("<>")}
        for param in params:
            key, _, value = param.partition("=")
            entry[key.strip()] = value.strip('"')
        out.append(entry)
    return out


def test_vocabulary_page_has_an_anchor_per_term_with_both_labels(server: Server) -> None:
    r = server.get("/ns", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    scan = _Ids()
    scan.feed(r.text)
    g = _ontology()
    terms = _terms(g)
    assert len(terms) > 60
    assert sorted(scan.term_ids) == sorted(terms), "one section per term, its id the local name"
    assert len(set(scan.ids)) == len(scan.ids), "no id is used twice"
    deprecated = {s[len(RENKEI):] for s in g.subjects(rdflib.OWL.deprecated, rdflib.Literal(True))
                  if s.startswith(RENKEI)}
    assert deprecated and set(scan.deprecated) == deprecated
    for term in ("Agreement", "party", "Initiative"):
        for label in g.objects(rdflib.URIRef(RENKEI + term), rdflib.RDFS.label):
            assert str(label) in r.text
    assert "eli:LegalResource" in r.text, "alignments (rdfs:subClassOf external terms) are shown"
    assert "第3条 → 3" in r.text, "skos:example is shown"
    assert 'href="#Agreement"' in r.text, "ranges link to their term's anchor"


@pytest.mark.parametrize("media_type", RDF_TYPES)
@pytest.mark.parametrize("how", ["accept", "extension"])
def test_vocabulary_as_rdf_is_the_ontology(server: Server, media_type: str, how: str) -> None:
    ext = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
           "application/n-triples": "nt"}[media_type]
    r = server.get(f"/ns.{ext}") if how == "extension" else server.get("/ns", headers={"Accept": media_type})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media_type
    g = rdflib.Graph().parse(data=r.content, format=RDF_TYPES[media_type])
    assert isomorphic(g, _ontology())
    if media_type == "application/ld+json":
        assert json.loads(r.content)["@context"]["renkei"] == RENKEI


def test_vocabulary_machines_get_rdf_and_versions_resolve(server: Server) -> None:
    assert server.get("/ns").headers["content-type"].startswith("text/turtle"), "no Accept: RDF"
    assert server.get("/ns", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")
    version = next(iter(_ontology().objects(rdflib.URIRef(RENKEI[:-1]), rdflib.OWL.versionIRI)))
    r = server.get("/" + str(version).removeprefix("https://w3id.org/renkei/"), headers=HTML)
    assert r.status_code == 200 and "renkei:Agreement" in r.text
    missing = server.get("/ns/9.9.9", headers={"Accept-Language": "ja"})
    assert missing.status_code == 404 and "公開していません" in missing.text


def test_shapes_page_and_rdf(server: Server) -> None:
    r = server.get("/shapes", headers=HTML)
    assert r.status_code == 200
    scan = _Ids()
    scan.feed(r.text)
    g = rdflib.Graph().parse(data=server.get("/shapes.ttl").content, format="turtle")
    named = {s[len(SHAPES_NS):] for s in g.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(SHAPES_NS)}
    assert len(named) > 50 and set(scan.term_ids) == named
    rule = rdflib.URIRef(SHAPES_NS + "AG-03-one-central-city")
    for text in g.objects(rule, rdflib.URIRef("http://www.w3.org/ns/shacl#message")):
        assert str(text) in r.text
    assert "違反" in r.text and "警告" in r.text and "renkei:Agreement" in r.text


def test_context_is_served_and_used_by_every_jsonld_answer(server: Server) -> None:
    context = server.get("/context.jsonld").json()["@context"]
    assert context == jsonld_context("https://w3id.org/renkei/")
    for path in ("/id/area/koriyama", "/ns", "/shapes", "/catalog"):
        r = server.get(path, headers={"Accept": "application/ld+json"})
        assert r.status_code == 200, path
        doc = json.loads(r.content)
        assert doc["@context"]["rid"] == "https://w3id.org/renkei/id/", path
        turtle = server.get(path, headers={"Accept": "text/turtle"}).content
        assert isomorphic(rdflib.Graph().parse(data=r.content, format="json-ld"),
                          rdflib.Graph().parse(data=turtle, format="turtle")), path


@pytest.mark.parametrize("path", ["/id/area/koriyama", "/ns", "/shapes", "/catalog"])
def test_link_headers_name_every_other_format_and_the_catalogue(server: Server, path: str) -> None:
    for accept in (HTML["Accept"], "text/turtle"):
        r = server.get(path, headers={"Accept": accept})
        links = _links(r.headers["link"])
        served = r.headers["content-type"].split(";")[0]
        alternates = {link["type"]: link["url"] for link in links if link.get("rel") == "alternate"}
        assert served not in alternates
        assert {"text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples",
                "application/trig", "text/html"} - {served} <= set(alternates)
        assert any(link.get("rel") == "describedby" for link in links)
        for media_type, url in alternates.items():
            answer = server.get(url, headers={"Accept": media_type})
            assert answer.status_code == 200, url
            assert answer.headers["content-type"].split(";")[0] == media_type, url


@pytest.mark.parametrize(("accept", "fmt"), [("application/trig", "trig"), ("text/n3", "n3")])
def test_trig_and_n3_are_the_turtle_description(server: Server, accept: str, fmt: str) -> None:
    r = server.get("/id/area/koriyama", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
    turtle = server.get("/id/area/koriyama.ttl").content
    parsed = rdflib.Dataset().parse(data=r.content, format=fmt) if fmt == "trig" else \
        rdflib.Graph().parse(data=r.content, format=fmt)
    assert len(parsed) == len(rdflib.Graph().parse(data=turtle, format="turtle"))
    assert r.headers["etag"] != server.get("/id/area/koriyama.ttl").headers["etag"]


def test_nothing_acceptable_is_406_listing_the_offers(server: Server) -> None:
    for path in ("/id/area/koriyama", "/ns", "/catalog"):
        r = server.get(path, headers={"Accept": "image/png"})
        assert r.status_code == 406
        body = r.json()
        message = body["problems"][0]["message"]
        assert body["error_type"] == "NotAcceptable" and body["resource"] == path
        assert "image/png" in message["ja"] and "image/png" in message["en"] and "text/turtle" in message["ja"]
        assert {"text/turtle", "application/ld+json", "application/trig"} <= set(body["offered"])
        assert (f"{path}.ttl" in body["problems"][0]["fix"]["en"]) == (path != "/catalog")


@pytest.mark.parametrize(("ext", "media_type"), [(".html", "text/html"), (".json", "application/ld+json"),
                                                 (".trig", "application/trig"), (".n3", "text/n3")])
def test_extensions_on_id(server: Server, ext: str, media_type: str) -> None:
    r = server.get("/id/municipality/072036" + ext, headers={"Accept": "image/png"})  # the extension wins
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media_type
    assert "072036" in r.text


def test_an_iri_ending_like_an_extension_is_itself_first(server: Server) -> None:
    r = server.get("/id/dataset/distribution/dataset.ttl", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/renkei/id/dataset/distribution/dataset.ttl"), None, None) in g


def test_catalogue_page_for_browsers(server: Server) -> None:
    r = server.get("/catalog", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    catalogue = rdflib.Graph().parse(data=server.get("/catalog").content, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    sizes = {str(s).rsplit("/", 1)[1]: int(o) for s, o in catalogue.subject_objects(dcat.byteSize)}
    assert len(sizes) >= 10
    for name, size in sizes.items():
        assert f'href="/dumps/{name}"' in r.text and f"{size:,}" in r.text, name
    assert hashlib.sha256(server.get("/dumps/dataset.ttl").content).hexdigest() in r.text
    for text in ("text/turtle", "application/n-quads", "CC BY 4.0", "収集の仕方", "/sparql"):
        assert text in r.text
    english = server.get("/catalog?lang=en", headers=HTML).text  # one language a page (issue 11, point 7)
    assert "How to harvest" in english and "How to harvest" not in r.text and "収集の仕方" not in english
    assert server.get("/.well-known/void", headers=HTML).headers["content-type"].startswith("text/html")


def test_named_graph_iris_see_other_their_description(server: Server) -> None:
    r = server.get("/graph/areas", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/id/dataset/subset/areas"
    g = rdflib.Graph().parse(data=server.get("/graph/areas.ttl", follow_redirects=True).content, format="turtle")
    assert (None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"),
            rdflib.URIRef("https://w3id.org/renkei/graph/areas")) in g
    missing = server.get("/graph/nothing", headers={"Accept-Language": "ja"}, follow_redirects=False)
    assert missing.status_code == 404 and "名前付きグラフではありません" in missing.text


def test_site_navigation_links_every_section(server: Server) -> None:
    html = server.get("/ns", headers=HTML).text
    nav = html[html.index("<nav"):html.index("</nav>")]
    for href, ja in (("/", "トップ"), ("/sparql", "SPARQL"), ("/validate", "検証"), ("/compare", "比較"),
                     ("/catalog", "カタログ"), ("/ns", "語彙"), ("/dumps", "ダンプ")):
        assert f'href="{href}">{ja}' in nav


def test_every_vocabulary_term_the_data_uses_lands_on_its_section(server: Server) -> None:
    """A ``renkei:`` IRI anywhere in the dataset (property, class, value) is a term with its section."""
    query = f"""SELECT DISTINCT ?t {{ {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }}
      FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{RENKEI}")) }}"""
    rows = server.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    used = {row["t"]["value"][len(RENKEI):] for row in rows} - {""}  # "renkei:" itself (void:vocabulary) is /ns
    scan = _Ids()
    scan.feed(server.get("/ns", headers=HTML).text)
    assert len(used) > 30
    assert used <= set(scan.term_ids), f"used in the data but not in /ns: {sorted(used - set(scan.term_ids))}"
