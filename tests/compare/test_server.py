"""``/compare`` and ``/charts/*.svg`` through the router alone, reading the fixture store."""

from __future__ import annotations

import asyncio
import csv
import html
import io
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from kg.compare import StoreSource
from kg.errors import KgError
from kg.namespaces import DEFAULT_BASE, Ids
from kg.server.compare import compare_ids, router, sparql_source

from .conftest import KORIYAMA, KUMAMOTO

PAIR = {"a": KORIYAMA, "b": KUMAMOTO}


class Client:
    """Requests to the app in-process through httpx's ASGI transport (no sockets, no TestClient)."""

    def __init__(self, app: FastAPI) -> None:
        self.transport = httpx.ASGITransport(app=app)

    def get(self, url: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://test") as client:
                return await client.get(url, **kw)

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client(source: StoreSource) -> Client:
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[sparql_source] = lambda: source
    app.dependency_overrides[compare_ids] = lambda: Ids(DEFAULT_BASE)

    @app.exception_handler(KgError)
    async def kg_error(request: Request, exc: KgError) -> Response:  # as kg.server.app does
        return PlainTextResponse(str(exc), status_code=exc.http_status)

    return Client(app)


def test_json_by_format_parameter(client: Client) -> None:
    r = client.get("/compare", params={**PAIR, "format": "json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["summary"]["shared_categories"] == ["1.a", "1.b", "1.d", "2.a", "2.b", "3.A.3", "3.A.4",
                                                        "3.A.7"]


def test_csv_by_accept_header(client: Client) -> None:
    r = client.get("/compare", params=PAIR, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert next(csv.reader(io.StringIO(r.text)))[0] == "match"


def test_html_page_marks_insertions_and_deletions(client: Client) -> None:
    r = client.get("/compare", params=PAIR, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<del>郡山市</del>" in r.text and "<ins>甲</ins>" in r.text
    assert "郡山市と二本松市との連携中枢都市圏形成に係る連携協約" in r.text
    assert 'href="/id/agreement/072036-072109-2019-10-18"' in r.text


def test_html_page_without_agreements_offers_the_choice(client: Client) -> None:
    r = client.get("/compare")
    assert r.status_code == 200 and f'value="{KUMAMOTO}"' in r.text


def test_unknown_agreement_is_404_for_data_and_a_message_on_the_page(client: Client) -> None:
    r = client.get("/compare", params={"a": "nope", "b": KUMAMOTO, "format": "json"})
    assert r.status_code == 404 and "no agreement 'nope'" in r.text
    page = client.get("/compare", params={"a": "nope", "b": KUMAMOTO})
    assert page.status_code == 404 and "協約「nope」はデータセットにありません" in html.unescape(page.text)
    english = client.get("/compare", params={"a": "nope", "b": KUMAMOTO, "lang": "en"})
    assert english.status_code == 404 and "no agreement &#39;nope&#39;" in english.text


@pytest.mark.parametrize(("params", "headers", "status"), [
    pytest.param({**PAIR, "format": "xml"}, {}, 400, id="unknown-format"),
    pytest.param(PAIR, {"Accept": "image/png"}, 406, id="nothing-acceptable"),
    pytest.param({"a": KORIYAMA, "format": "json"}, {}, 400, id="json-needs-both"),
])
def test_bad_requests_are_refused(client: Client, params: dict[str, str], headers: dict[str, str],
                                  status: int) -> None:
    assert client.get("/compare", params=params, headers=headers).status_code == status


@pytest.mark.parametrize("path", ["/charts/coverage.svg", "/charts/coverage.svg?by=areas",
                                  "/charts/timeline.svg"])
def test_charts_are_svg(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert ElementTree.fromstring(r.content).get("role") == "img"


def test_unchanged_chart_is_not_sent_twice(client: Client) -> None:
    first = client.get("/charts/timeline.svg")
    again = client.get("/charts/timeline.svg", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_coverage_rows_must_be_agreements_or_areas(client: Client) -> None:
    assert client.get("/charts/coverage.svg", params={"by": "people"}).status_code == 422
