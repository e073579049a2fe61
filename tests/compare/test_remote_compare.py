"""``/compare`` and ``/charts/*.svg`` of ``kg serve --store sparql:URL`` ask the remote store (issue 15).

The routes send their questions through the server's query runner, which on a remote store is
the remote (kg.store.remote): here a fake endpoint answering from the fixture store, and each
answer equal to the one read from that store directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.compare import StoreSource, compare, to_json
from kg.namespaces import Ids
from kg.svg import timeline, timeline_svg
from tests.server.conftest import Server, start_server
from tests.store.test_remote import FakeEndpoint, Reply, catalogue

from .conftest import KORIYAMA, KUMAMOTO


def _answer(store: ox.Store, form: dict[str, list[str]]) -> Reply:
    """The catalogue to the release's query; every other one run on ``store`` (union default graph)."""
    query = form["query"][0]
    if "dcat:version" in query:
        return catalogue()
    answer = store.query(query, use_default_graph_as_union=True)
    assert not isinstance(answer, ox.QueryTriples), "the routes and /health ask SELECTs and ASKs only"
    return Reply(answer.serialize(format=ox.QueryResultsFormat.JSON) or b"")


@pytest.fixture(scope="module")
def remote(source: StoreSource, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    endpoints = FakeEndpoint(lambda form: _answer(source.store, form)).serve()
    try:
        yield from start_server(tmp_path_factory.mktemp("remote"), KG_STORE="sparql:" + next(endpoints).url)
    finally:
        endpoints.close()  # type: ignore[attr-defined]  # a generator, typed as an Iterator


def test_compare_reads_the_remote(remote: Server, source: StoreSource, ids: Ids) -> None:
    r = remote.get("/compare", params={"a": KORIYAMA, "b": KUMAMOTO, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    assert r.json() == json.loads(json.dumps(to_json(compare(source, ids, KORIYAMA, KUMAMOTO))))


def test_the_timeline_reads_the_remote(remote: Server, source: StoreSource) -> None:
    r = remote.get("/charts/timeline.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml"), r.text[:300]
    assert r.text == timeline_svg(timeline(source), "ja")


def test_the_routes_build_no_release_of_their_own(remote: Server) -> None:
    assert remote.get("/charts/coverage.svg").status_code == 200
    assert not Path(remote.release).exists(), "a local release was built in KG_BUILD_DIR"
