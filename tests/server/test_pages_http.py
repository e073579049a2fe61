"""/id/… dereferencing, /dumps/, /catalog, /health and /validate over real HTTP."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tests.server.conftest import Server

BASE = "https://w3id.org/renkei/"
PAGES = {
    "agreement": (
        "/id/agreement/072036-072109-2019-10-18",
        ["郡山市と二本松市との連携中枢都市圏形成に係る連携協約", "第3条", "I C T インフラの整備", "主体的に"],
    ),
    "initiative": (
        "/id/agreement/072036-072109-2019-10-18/initiative/3-8",
        ["I C T インフラの整備", "二本松市"],
    ),
    "municipality": ("/id/municipality/072109", ["二本松市", "072109", "こおりやま広域連携中枢都市圏"]),
    "area": ("/id/area/koriyama", ["こおりやま広域連携中枢都市圏", "郡山市", "二本松市"]),
    "concept": ("/id/framework/3", ["圏域全体の生活関連機能サービスの向上", "I C T インフラの整備"]),
    "scheme": ("/id/framework", ["圏域全体の経済成長のけん引", "体系のすべての概念", "道路等の交通インフラの整備・維持"]),  # noqa: E501
    "generic": ("/id/catalog", ["dcat:Catalog"]),
}
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class _Scan(HTMLParser):
    """Collect what a page promises: JSON-LD scripts, alternate links, lang attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.alternates: dict[str, str] = {}
        self.langs: set[str] = set()
        self.html_lang = ""
        self.viewport = False
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang") or ""
        if a.get("lang"):
            self.langs.add(a["lang"] or "")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a.get("type") or ""] = a.get("href") or ""
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = True

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False if tag == "script" else self._in_jsonld

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


@pytest.mark.parametrize(("path", "texts"), PAGES.values(), ids=PAGES.keys())
def test_browser_gets_an_html_page_with_its_data(server: Server, path: str, texts: list[str]) -> None:
    r = server.get(path, headers=HTML)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for text in texts:
        assert text in r.text
    scan = _Scan()
    scan.feed(r.text)
    assert scan.html_lang == "ja" and "en" in scan.langs and scan.viewport
    data = rdflib.Graph().parse(data=scan.jsonld[0], format="json-ld")
    assert (rdflib.URIRef(BASE + path.lstrip("/")), None, None) in data
    assert set(scan.alternates) == {
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    }
    for media, href in scan.alternates.items():
        assert server.get(href).headers["content-type"].split(";")[0] == media


def test_agreement_annex_table_shows_both_roles_and_the_lead_mark(server: Server) -> None:
    html = server.get(PAGES["agreement"][0], headers=HTML).text
    assert "郡山市の役割" in html and "二本松市の役割" in html
    assert len(re.findall(r'class="lead-mark"', html)) >= 19
    assert re.search(r'class="prov"[^>]*>L\d+', html), "provenance lines are shown"


def test_a_source_documents_page_has_an_anchor_for_every_excerpt_with_what_was_read_there(server: Server) -> None:
    query = """SELECT ?e ?d { ?e a <https://w3id.org/renkei/ns#SourceExcerpt> ;
                 <https://w3id.org/renkei/ns#sourceDocument> ?d }"""
    rows = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    excerpts = [(b["e"]["value"], b["d"]["value"]) for b in rows.json()["results"]["bindings"]]
    assert excerpts
    document = excerpts[0][1]
    page = server.get(document.replace("https://w3id.org/renkei", ""), headers=HTML).text
    for excerpt, _ in (e for e in excerpts if e[1] == document):
        assert f'id="{excerpt.partition("#")[2]}"' in page, excerpt
    assert "この文書から読んだ箇所" in page and "/initiative/" in page  # what was read, linked


FORMATS = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/rdf+xml": ("rdf", ox.RdfFormat.RDF_XML),
}


@pytest.mark.parametrize("media_type", FORMATS)
@pytest.mark.parametrize("how", ["accept", "extension"])
def test_program_gets_rdf_by_accept_and_by_extension(server: Server, media_type: str, how: str) -> None:
    path = "/id/municipality/072036"
    ext, fmt = FORMATS[media_type]
    r = (
        server.get(f"{path}.{ext}")
        if how == "extension"
        else server.get(path, headers={"Accept": media_type})
    )
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    triples = list(ox.parse(r.content, format=fmt))
    assert ox.Literal("072036") in {t.object for t in triples}
    assert "etag" in r.headers


def test_unknown_iri_is_a_helpful_404(server: Server) -> None:
    r = server.get("/id/municipality/999999", headers=HTML)
    assert r.status_code == 404
    assert "https://w3id.org/renkei/id/municipality/999999" in r.text and "/sparql" in r.text
    assert server.get("/id/municipality/999999.ttl").status_code == 404


def test_every_iri_minted_under_id_resolves(server: Server) -> None:
    """Sample each kind of minted subject and dereference it as Turtle."""
    query = f"""SELECT ?kind (SAMPLE(?s) AS ?one) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/"))
      BIND(REPLACE(STRAFTER(STR(?s), "{BASE}id/"), "^([a-z]+).*$", "$1") AS ?kind) }} GROUP BY ?kind"""
    rows = server.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert len(rows) >= 6
    for row in rows:
        iri = row["one"]["value"].split("#")[0]
        r = server.get("/" + iri[len(BASE) :], headers={"Accept": "text/turtle"})
        assert r.status_code == 200, iri


def test_dumps_listing_and_files_with_validators(server: Server) -> None:
    listing = server.get("/dumps/").json()
    names = {f["name"] for f in listing["files"]}
    assert {"dataset.ttl", "dataset.nq.gz", "dataset.jsonld", "catalog.ttl"} <= names
    r = server.get("/dumps/dataset.nq")
    assert r.headers["content-type"].startswith("application/n-quads")
    assert r.content == (server.release / "dumps" / "dataset.nq").read_bytes()
    again = server.get("/dumps/dataset.nq", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    gz = server.get("/dumps/dataset.nq.gz")
    assert gz.headers["content-type"] == "application/gzip"
    assert gzip.decompress(gz.content) == r.content
    assert server.get("/dumps/../manifest.json").status_code == 404


def test_dumps_over_http_parse_to_the_store_content(server: Server) -> None:
    nq = server.get("/dumps/dataset.nq").content
    dataset = ox.Dataset(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    manifest = json.loads((server.release / "manifest.json").read_text(encoding="utf-8"))
    count = "SELECT (COUNT(*) AS ?n) { GRAPH <https://w3id.org/renkei/graph/catalog> { ?s ?p ?o } }"
    catalog = int(
        server.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"]
    )
    assert catalog > 0
    assert len(dataset) == manifest["quads"] - catalog


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/catalog", "text/turtle"),
        ("/catalog", "application/rdf+xml"),
        ("/catalog", "application/ld+json"),
        ("/.well-known/void", "text/turtle"),
    ],
)
def test_catalogue_by_accept(server: Server, path: str, media_type: str) -> None:
    r = server.get(path, headers={"Accept": media_type})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media_type
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[
        media_type
    ]
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert (None, rdflib.RDF.type, dcat.DataService) in g
    size = {str(s).rsplit("/", 1)[1]: int(o) for s, o in g.subject_objects(dcat.byteSize)}
    for name, n in size.items():
        assert n == len(server.get("/dumps/" + name).content), name
    checksum = rdflib.URIRef("http://spdx.org/rdf/terms#checksumValue")
    assert hashlib.sha256(server.get("/dumps/dataset.ttl").content).hexdigest() in {
        str(o) for o in g.objects(None, checksum)
    }


def test_health_reports_the_release(server: Server) -> None:
    body = server.get("/health").json()
    manifest = json.loads((server.release / "manifest.json").read_text(encoding="utf-8"))
    assert body["status"] == "ok" and body["store"] is True
    assert body["version"] == manifest["version"] and body["quads"] == manifest["quads"]


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "ingest"


def test_validate_a_text_gives_the_same_report_as_kg_validate(server: Server, tmp_path: Path) -> None:
    from kg.settings import Settings
    from kg.validation.validate import validate_path

    source = SAMPLES / "koriyama-nihonmatsu-2019.txt"
    assert source.is_file()
    r = server.post(
        "/validate?name=koriyama-nihonmatsu-2019",
        content=source.read_bytes(),
        headers={"Content-Type": "text/plain", "Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    local = tmp_path / "koriyama-nihonmatsu-2019.txt"
    local.write_bytes(source.read_bytes())
    expected = json.loads(validate_path(local, Settings()).to_json().replace(str(tmp_path) + "/", ""))
    assert r.json() == expected
    assert r.headers["X-Conforms"] == str(expected.get("conforms", True)).lower()


def test_validate_a_reiki_page_gives_the_same_report_as_kg_validate(server: Server, tmp_path: Path) -> None:
    from kg.settings import Settings
    from kg.validation.validate import validate_path

    page = Path(__file__).resolve().parent.parent / "data" / "ingest" / "page-gyosei-sjis.html"
    r = server.post("/validate?name=page-gyosei-sjis", content=page.read_bytes(),
                    headers={"Content-Type": "text/html", "Accept": "application/json"})
    assert r.status_code == 200, r.text
    local = tmp_path / "page-gyosei-sjis.html"
    local.write_bytes(page.read_bytes())
    expected = json.loads(validate_path(local, Settings()).to_json().replace(str(tmp_path) + "/", ""))
    assert r.json() == expected


def test_validate_broken_rdf_is_400_naming_the_line(server: Server) -> None:
    r = server.post("/validate?name=broken", content=b"<a> <b> .\n", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 400
    assert "broken.ttl" in r.text and "/tmp/" not in r.text


def test_validate_refuses_unknown_media_types(server: Server) -> None:
    # image/png, application/pdf and the Word type are documents it reads (a scan, issue 10)
    r = server.post("/validate", content=b"x", headers={"Content-Type": "application/zip"})
    assert r.status_code == 415
