"""The query page over HTTP: who gets the page and who gets results, the completions, YASGUI's files."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from kg.querylib import load_queries
from kg.server.query_page import YASGUI_BUILD, vendor_mounts
from kg.settings import Settings
from tests.server.conftest import Server

QUERY = (
    "PREFIX dct: <http://purl.org/dc/terms/>\nPREFIX renkei: <https://w3id.org/renkei/ns#>\n"
    "SELECT ?title WHERE { ?a a renkei:Agreement ; dct:title ?title } # <&>"
)
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def _editor_text(page: str) -> str:
    m = re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, "the page has the query's textarea"
    return html.unescape(m.group(1))


def test_a_browser_following_a_shared_link_gets_the_page_with_the_query(server: Server) -> None:
    r = server.get("/sparql", params={"query": QUERY}, headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    assert _editor_text(r.text) == QUERY
    assert 'data-run="1"' in r.text, "the page runs the shared query when it opens"


def test_the_bare_page_has_the_default_query_and_does_not_run_it(server: Server) -> None:
    r = server.get("/sparql", headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert "renkei:Agreement" in _editor_text(r.text)
    assert "data-run" not in r.text


@pytest.mark.parametrize(
    ("accept", "params", "media"),
    [
        (None, {}, "application/sparql-results+json"),  # no Accept: as before
        ("*/*", {}, "application/sparql-results+json"),
        ("application/sparql-results+json", {}, "application/sparql-results+json"),
        ("application/sparql-results+xml", {}, "application/sparql-results+xml"),
        ("text/csv", {}, "text/csv"),
        # a browser naming a results format gets that format, not the page
        (BROWSER, {"format": "csv"}, "text/csv"),
        (BROWSER, {"output": "json"}, "application/sparql-results+json"),
        (BROWSER, {"format": "tsv", "download": "1"}, "text/tab-separated-values"),
    ],
)
def test_machines_still_get_results(server: Server, accept: str | None, params: dict[str, str], media: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    r = server.get("/sparql", params={"query": QUERY, **params}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["x-result-count"] == "1"


def test_a_post_from_a_browser_still_gets_results(server: Server) -> None:
    """Only GET opens the page: a form POST is a query to run (SPARQL 1.1 Protocol §2.1.2)."""
    r = server.post("/sparql", data={"query": QUERY}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["title"]["value"]


def test_a_shared_link_with_a_syntax_error_still_opens_the_page(server: Server) -> None:
    """The page, not a 400, so the browser shows the query with its error marked."""
    r = server.get("/sparql", params={"query": "SELECT * WHERE {"}, headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert _editor_text(r.text) == "SELECT * WHERE {"
    machine = server.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert machine.status_code == 400
    assert re.search(r"error at 1:\d+", machine.text), "the endpoint says where: the page marks it"


def test_the_completions_are_this_datasets_terms(server: Server) -> None:
    r = server.get("/sparql/terms")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    terms = r.json()
    assert terms["prefixes"]["renkei"] == "https://w3id.org/renkei/ns#"
    assert terms["prefixes"]["rid"] == "https://w3id.org/renkei/id/"
    classes = {c["iri"]: c for c in terms["classes"]}
    properties = {p["iri"]: p for p in terms["properties"]}
    agreement = classes["https://w3id.org/renkei/ns#Agreement"]
    assert agreement["ja"] == "連携協約" and agreement["en"]
    assert properties["https://w3id.org/renkei/ns#agreementDate"]["ja"] == "連携協約締結日"
    # terms the data uses from other vocabularies are offered too
    assert "http://purl.org/dc/terms/title" in properties
    assert "http://www.w3.org/ns/org#Membership" in classes
    again = server.get("/sparql/terms", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_the_page_shows_what_each_example_shows_on_the_published_dataset(server: Server) -> None:
    docs = load_queries(Settings().queries_path)
    assert docs
    for lang, other in (("ja", "en"), ("en", "ja")):  # in the page's language only (issue 11, point 7)
        page = server.get("/sparql" + ("?lang=en" if lang == "en" else ""), headers={"Accept": BROWSER}).text
        for doc in docs:
            m = re.search(rf'data-published="{doc.name}">(.*?)</div>', page, re.S)
            assert m, doc.name
            said = html.unescape(m.group(1))
            text = getattr(doc, f"published_{lang}", None) or getattr(doc, f"published_{other}", None)
            if text:
                assert text in said, doc.name
            if getattr(doc, f"published_{lang}", None) and getattr(doc, f"published_{other}", None):
                assert getattr(doc, f"published_{other}") not in said, doc.name


@pytest.mark.skipif(not (YASGUI_BUILD / "yasgui.min.js").is_file(), reason="npm ci --prefix kg/server not run")
def test_yasgui_is_served_from_the_npm_install(server: Server) -> None:
    assert vendor_mounts() == [("/static/vendor/yasgui", YASGUI_BUILD)]
    page = server.get("/sparql", headers={"Accept": BROWSER}).text
    for path in ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css",
                 "/static/query.js", "/static/query-plugins.js", "/static/query-page.css"):
        assert path in page
        assert server.get(path).status_code == 200, path
    assert not re.search(r'<(script|link|img)[^>]*(src|href)="(https?:)?//', page), "nothing is loaded from elsewhere"
    assert 'data-terms="/sparql/terms"' in page  # the completions come from this server


def test_without_the_npm_install_nothing_is_mounted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No node_modules (npm missing): no vendor mount, and the page is the plain form (test_browser.py)."""
    from kg.server import query_page

    monkeypatch.setattr(query_page, "YASGUI_BUILD", tmp_path / "absent")
    assert query_page.vendor_mounts() == []


def test_the_form_without_javascript_keeps_the_page_in_english(server: Server) -> None:
    english = server.get("/sparql?lang=en", headers={"Accept": "text/html"}).text
    assert '<input type="hidden" name="lang" value="en">' in english
    japanese = server.get("/sparql", headers={"Accept": "text/html"}).text
    assert 'name="lang"' not in japanese.split('id="query-form"')[1].split("</form>")[0]
    answered = server.get("/sparql?query=ASK%20%7B%7D&lang=en", headers={"Accept": "text/html"})
    assert answered.status_code == 200 and '<html lang="en"' in answered.text
