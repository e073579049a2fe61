"""/compare a clerk uses (issue 11, point 4) over real HTTP: lists to choose two agreements, and an
uploaded draft compared with a published agreement; an unknown agreement is 404 in Japanese."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import AGREEMENT, Server, start_server
from tests.server.test_validate_page import EMPTIED, defective

KEY = AGREEMENT.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    # A worker's first job starts it and loads the shapes: on a busy machine, more than the default 10 s.
    yield from start_server(fixture_release.parents[1], KG_VALIDATE_TIMEOUT="90")


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


def test_the_choosers_list_the_agreements_of_the_store(server: Server) -> None:
    import httpx

    rows = httpx.post(server.url + "/sparql", data={"query": "PREFIX renkei: <https://w3id.org/renkei/ns#> "
                                                    "SELECT ?a { ?a a renkei:Agreement }"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
    keys = sorted(b["a"]["value"].rsplit("/", 1)[1] for b in rows["results"]["bindings"])
    r = server.get("/compare")
    assert r.status_code == 200 and KEY in keys
    for name in ("a", "b"):  # the two agreements, and the published one a draft is compared with
        assert sorted(set(_options(r.text, name))) == keys
    assert 'action="/compare" enctype="multipart/form-data"' in r.text


def test_an_unknown_agreement_is_404_and_said_in_japanese(server: Server) -> None:
    r = server.get("/compare", params={"a": KEY, "b": "431001-432083-2022-03-28"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    page = html.unescape(r.text)
    assert "協約「431001-432083-2022-03-28」はデータセットにありません" in page
    assert "<select" in page  # the form is still there to choose again


def test_the_page_in_english_by_a_switch(server: Server) -> None:
    ja = server.get("/compare", params={"a": KEY, "b": KEY})
    assert ja.status_code == 200 and '<html lang="ja">' in ja.text and "中心市の役割" in ja.text
    assert f'href="/compare?a={KEY}&amp;b={KEY}&amp;lang=en"' in ja.text
    en = server.get("/compare", params={"a": KEY, "b": KEY, "lang": "en"})
    assert en.status_code == 200 and '<html lang="en">' in en.text and "Central city's role" in html.unescape(en.text)
    assert "中心市の役割" not in en.text and "比較する" not in en.text
    unknown = server.get("/compare", params={"a": KEY, "b": "nope", "lang": "en"})
    assert unknown.status_code == 404 and "no agreement 'nope' in the dataset" in html.unescape(unknown.text)


def test_a_draft_uploaded_is_compared_with_the_published_agreement(server: Server) -> None:
    r = server.post("/compare", files={"file": ("うちの案.txt", defective(), "text/plain")}, data={"b": KEY},
                    headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    page = html.unescape(r.text)
    assert "うちの案.txt" in page and "案" in page
    # the row whose partner's role the draft left empty: B (published) has the words A (draft) lacks
    assert f"<ins>{EMPTIED.strip()}</ins>" in page
    assert f'<option value="{KEY}" selected lang="ja">' in r.text
    data = server.post("/compare?format=json", data={"b": KEY, "text": defective().decode()})
    assert data.status_code == 200
    doc = data.json()
    assert doc["b"]["iri"] == AGREEMENT
    partner = [row for row in doc["rows"] if row["b"] and row["b"]["identifier"] == "3-(8)"]
    assert partner and partner[0]["a"]["partner_role"]["text"] in ("", None)


def test_a_draft_that_is_not_an_agreement_is_refused_in_japanese(server: Server) -> None:
    r = server.post("/compare", data={"b": KEY, "text": "ただの文章です。"}, headers={"Accept": "text/html"})
    assert r.status_code == 400 and "条（「第1条 …」）が一つもありません" in html.unescape(r.text)
    missing = server.post("/compare", data={"text": defective().decode()}, headers={"Accept": "text/html"})
    assert missing.status_code == 400 and "比較する公開済みの協約" in html.unescape(missing.text)
