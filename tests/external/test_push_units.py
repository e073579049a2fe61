"""The parts of ``kg.store.push`` that need no remote store: chunking, authentication, error texts."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.store.push import Endpoint, _ChallengeAuth, _chunks, _server_message, _sparql_string, push

G = ox.NamedNode("https://w3id.org/renkei/graph/test")


def _store(bnodes: int, ground: int) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("urn:p")
    for i in range(bnodes):
        node = ox.BlankNode()
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), p, node, G))
        store.add(ox.Quad(node, p, ox.Literal(str(i)), G))
    for i in range(ground):
        store.add(ox.Quad(ox.NamedNode(f"urn:g{i}"), p, ox.Literal("二本松市", language="ja"), G))
    return store


def test_chunks_put_every_blank_node_triple_in_the_first_body_and_lose_nothing() -> None:
    store = _store(bnodes=20, ground=500)
    chunks = list(_chunks(store, G.value, limit=2048))
    assert len(chunks) > 5
    first = chunks[0][0].decode()
    assert first.count("_:") == 40  # 20 triples with a blank object, 20 with a blank subject
    assert all("_:" not in body.decode() for body, _ in chunks[1:])
    assert sum(n for _, n in chunks) == 540
    assert all(len(body) <= 2048 for body, _ in chunks[1:])
    parsed = [t for body, _ in chunks for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    assert len(parsed) == 540


def test_chunks_of_a_small_graph_are_one_body() -> None:
    store = _store(bnodes=0, ground=10)
    assert [n for _, n in _chunks(store, G.value, limit=1 << 20)] == [10]


def test_chunks_of_an_absent_graph_are_none() -> None:
    assert list(_chunks(_store(0, 3), "urn:elsewhere", limit=1024)) == []


def test_literals_survive_the_n_triples_body_exactly() -> None:
    store = ox.Store()
    tricky = ox.Literal('引用 "符" と\\バックスラッシュ\n改行\tタブ', language="ja")
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), tricky, G))
    ((body, _),) = _chunks(store, G.value, limit=1024)
    (triple,) = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    assert triple.object == tricky


def _challenging_server(scheme: str, seen: list[tuple[str, bytes]]) -> httpx.MockTransport:
    """A server that answers 401 with a ``scheme`` challenge until a request carries that scheme."""
    def handler(request: httpx.Request) -> httpx.Response:
        given = request.headers.get("authorization", "")
        seen.append((given, request.content))
        if given.lower().startswith(scheme):
            return httpx.Response(201)
        challenge = ('Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"'
                     if scheme == "digest" else 'Basic realm="SPARQL"')
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})
    return httpx.MockTransport(handler)


@pytest.mark.parametrize("scheme", ["digest", "basic"])
def test_auto_auth_answers_the_challenge_the_server_sends_and_remembers_it(scheme: str) -> None:
    seen: list[tuple[str, bytes]] = []
    with httpx.Client(transport=_challenging_server(scheme, seen), auth=_ChallengeAuth("u", "p")) as client:
        assert client.put("http://store/gsp", content=b"<urn:a> <urn:b> <urn:c> .\n").status_code == 201
        assert client.put("http://store/gsp", content=b"<urn:a> <urn:b> <urn:d> .\n").status_code == 201
    assert [auth.split(" ")[0].lower() for auth, _ in seen] == ["", scheme, scheme]
    assert seen[1][1] == seen[0][1]  # the challenged body is sent again whole


def test_server_message_is_the_text_of_an_html_error_page() -> None:
    page = ("<html><body><h1>HTTP/1.1 403 Forbidden</h1><h3>Error 42000</h3>"
            "<xmp>SQ110:SECURITY: Permission denied</xmp></body></html>")
    assert _server_message(httpx.Response(403, text=page)) == \
        "HTTP/1.1 403 Forbidden Error 42000 SQ110:SECURITY: Permission denied"


def test_sparql_string_escapes_quotes_and_backslashes() -> None:
    assert _sparql_string('a"b\\c') == '"a\\"b\\\\c"'


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_endpoint_is_a_store_error_naming_url_and_graph(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), G))
    store.flush()
    del store
    url = f"http://127.0.0.1:{_closed_port()}/gsp"
    with pytest.raises(StoreError) as caught:
        push(tmp_path / "store", [G.value], Endpoint(url), version="t", graph_prefix=G.value)
    message = str(caught.value)
    assert "cannot reach" in message and url in message and f"<{G.value}>" in message


def test_unreachable_query_endpoint_is_a_store_error_naming_it(tmp_path: Path) -> None:
    ox.Store(str(tmp_path / "store")).flush()
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    with pytest.raises(StoreError, match=f"POST {url}: cannot query"):
        push(tmp_path / "store", [G.value], Endpoint(url, query=url), version="t", graph_prefix=G.value)


def test_store_with_triples_in_its_default_graph_is_refused(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.DefaultGraph()))
    store.flush()
    del store
    with pytest.raises(StoreError, match="default graph holds 1 triples"):
        push(tmp_path / "store", None, Endpoint("http://127.0.0.1:1/"), version="t", graph_prefix="x")


def test_missing_store_is_a_store_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the release's store"):
        push(tmp_path / "nothing", [G.value], Endpoint("http://127.0.0.1:1/"), version="t", graph_prefix="x")


def test_missing_virtuoso_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import _unavailable

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and Virtuoso is required.*virtuoso.sh start"):
        _unavailable("Virtuoso does not answer")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="bash scripts/virtuoso.sh start"):
        _unavailable("Virtuoso does not answer")
