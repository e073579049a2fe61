"""The search box on every page and ``/search`` (kg.server.search): ranked hits with snippets, in Japanese
and in English, without JavaScript. Real HTTP on the real build of data/ (tests/server/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.search.index import index_path, write_index

from .conftest import Server, start_server

INITIATIVE = "/id/agreement/072036-072109-2019-10-18/initiative/3-5"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def searchable(build_dir: Path) -> Iterator[Server]:
    """A server on the session's build of data/, with its search index (written here if the build did not)."""
    release = (build_dir / "current").resolve()
    if not index_path(release).is_file():
        write_index(ox.Store.read_only(str(release / "store")), release)
    yield from start_server(build_dir)


def _hits(html: str) -> list[str]:
    block = re.search(r'<ol class="search-hits">(.*?)</ol>', html, re.S)
    assert block, "no list of hits"
    return re.findall(r'<li>\s*<a href="([^"]+)"', block.group(1))


@pytest.mark.parametrize("path", ["/", "/sparql", "/ns", INITIATIVE, "/search"])
def test_every_page_has_a_search_box_that_works_without_javascript(searchable: Server, path: str) -> None:
    html = searchable.get(path, headers=HTML).text
    form = re.search(r'<form class="site-search" method="get" action="/search" role="search">(.*?)</form>', html,
                     re.S)
    assert form, f"{path}: no search box"
    assert '<input type="search" name="q"' in form.group(1)
    assert 'name="lang"' not in form.group(1)
    english = searchable.get(path, params={"lang": "en"}, headers=HTML).text
    assert '<input type="hidden" name="lang" value="en">' in english


def test_hits_are_ranked_with_marked_snippets_and_link_to_their_pages(searchable: Server) -> None:
    response = searchable.get("/search", params={"q": "災害 応援"})
    assert response.status_code == 200
    html = response.text
    hits = _hits(html)
    assert hits[0] == INITIATIVE
    assert "<mark>災害</mark>" in html and "<mark>応援</mark>" in html
    assert "「災害 応援」の検索結果" in html
    assert 'value="災害 応援"' in html
    assert searchable.get(hits[0]).status_code == 200


def test_a_title_hit_comes_before_the_roles_that_repeat_it(searchable: Server) -> None:
    hits = _hits(searchable.get("/search", params={"q": "観光"}).text)
    assert hits[0].endswith("/initiative/1-4")
    assert any("/role/" in h for h in hits[1:])


def test_the_english_page(searchable: Server) -> None:
    html = searchable.get("/search", params={"q": "観光", "lang": "en"}).text
    assert '<html lang="en">' in html
    assert "hits for" in html and "best first" in html
    assert all(h.endswith("?lang=en") for h in _hits(html))
    assert "<mark>観光</mark>" in html  # the printed text stays Japanese


def test_no_hit_and_no_query(searchable: Server) -> None:
    html = searchable.get("/search", params={"q": "量子計算"}).text
    assert "見つかりませんでした" in html and 'class="search-hits"' not in html
    for q in ("", "   ", "、。"):
        response = searchable.get("/search", params={"q": q})
        assert response.status_code == 200 and 'class="search-hits"' not in response.text


def test_the_query_is_escaped_in_the_page_and_in_sparql(searchable: Server) -> None:
    for q in ('<script>alert(1)</script>', '"災害" } ; DROP ALL', "災害\\"):
        response = searchable.get("/search", params={"q": q})
        assert response.status_code == 200, q
        assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in searchable.get("/search", params={"q": "<script>"}).text


def test_a_release_without_an_index_answers_a_bilingual_501(fixture_release: Path) -> None:
    assert not index_path(fixture_release).is_file()
    for server in start_server(fixture_release.parent.parent):
        response = server.get("/search", params={"q": "災害"}, headers={"Accept-Language": "ja"})
        assert response.status_code == 501
        assert "索引" in response.text and "kg build" in response.text
        english = server.get("/search", params={"q": "災害", "lang": "en"})
        assert english.status_code == 501 and "search index" in english.text
        assert str(fixture_release) not in english.text  # no server path in the answer


def test_on_a_remote_endpoint_the_page_says_search_is_unavailable() -> None:
    """A remote engine does not know renkei:search: the page refuses rather than show "no hit"."""
    import asyncio
    from types import SimpleNamespace

    from starlette.requests import Request

    from kg.errors import SearchUnavailable
    from kg.server.search import search

    request = Request({"type": "http", "method": "GET", "path": "/search", "query_string": b"q=x", "headers": []})
    ctx: Any = SimpleNamespace(remote=object())
    with pytest.raises(SearchUnavailable) as raised:
        asyncio.run(search(request, ctx, q="災害"))
    assert raised.value.http_status == 501 and raised.value.ja
