"""Safe for the public (issue 3 §3): read-only, never fetches, time-limited, capped, bounded bodies."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import MAX_BODY, MAX_UPLOAD, RESULT_LIMIT, TIMEOUT_S, Server

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

UPDATES = {
    "insert_data": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "delete_where": "DELETE WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:9/data.ttl>",
    "clear": "CLEAR ALL",
    "drop": "DROP GRAPH <https://w3id.org/renkei/graph/areas>",
}


def _requests(text: str) -> dict[str, dict[str, object]]:
    return {
        "get_query": {"method": "GET", "params": {"query": text}},
        "get_update": {"method": "GET", "params": {"update": text}},
        "post_form_query": {"method": "POST", "data": {"query": text}},
        "post_form_update": {"method": "POST", "data": {"update": text}},
        "post_sparql_query": {
            "method": "POST",
            "content": text.encode(),
            "headers": {"Content-Type": "application/sparql-query"},
        },
        "post_sparql_update": {
            "method": "POST",
            "content": text.encode(),
            "headers": {"Content-Type": "application/sparql-update"},
        },
    }


ROUTES = [
    "get_query",
    "get_update",
    "post_form_query",
    "post_form_update",
    "post_sparql_query",
    "post_sparql_update",
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("update", UPDATES.values(), ids=UPDATES.keys())
def test_updates_are_refused_on_every_route(server: Server, update: str, route: str) -> None:
    request = _requests(update)[route]
    r = httpx.request(url=server.url + "/sparql", timeout=30, **request)  # type: ignore[arg-type]
    assert 400 <= r.status_code < 500, r.text
    assert "read-only" in r.text or "Update" in r.text


def test_the_data_is_unchanged_after_every_refusal(server: Server) -> None:
    r = server.get(
        "/sparql", params={"query": "ASK { GRAPH <https://w3id.org/renkei/graph/areas> { ?s ?p ?o } }"}
    )
    assert r.json()["boolean"] is True


@pytest.fixture
def canary() -> Iterator[tuple[str, list[object]]]:
    """A loopback listener that records every connection made to it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    hits: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                hits.append(conn.recv(1024))
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", hits
    stop.set()
    thread.join(timeout=2)
    listener.close()


FETCHERS = {
    "service": "SELECT * {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "service_silent": "SELECT * {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
    "service_by_prefix": "PREFIX r: <{url}/> SELECT * {{ ?x ?y ?z . service r:sparql {{ ?s ?p ?o }} }}",
    "service_escaped": "SELECT * {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "from_remote": "SELECT * FROM <{url}/data.ttl> {{ ?s ?p ?o }}",
    "from_named_remote": "SELECT * FROM NAMED <{url}/data.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "from_file": "SELECT * FROM <file:///etc/passwd> {{ ?s ?p ?o }}",
}


@pytest.mark.parametrize("query", FETCHERS.values(), ids=FETCHERS.keys())
def test_no_query_makes_the_server_fetch_anything(
    server: Server, canary: tuple[str, list[object]], query: str
) -> None:
    url, hits = canary
    r = server.get("/sparql", params={"query": query.format(url=url)})
    assert r.status_code == 400, r.text
    assert "never" in r.text
    time.sleep(0.3)
    assert hits == []


def test_protocol_graph_parameters_never_fetch_either(
    server: Server, canary: tuple[str, list[object]]
) -> None:
    """default-graph-uri / named-graph-uri name graphs of the store; an unknown one is just empty."""
    url, hits = canary
    r = server.get(
        "/sparql",
        params={
            "query": "SELECT * { ?s ?p ?o }",
            "default-graph-uri": url + "/g",
            "named-graph-uri": "file:///etc/passwd",
        },
    )
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []
    time.sleep(0.3)
    assert hits == []


def test_a_slow_query_times_out_while_another_client_is_answered(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        slow = pool.submit(server.get, "/sparql", params={"query": SLOW})
        time.sleep(0.3)
        fast_started = time.monotonic()
        fast = server.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        fast_took = time.monotonic() - fast_started
        assert fast.status_code == 200 and fast.json()["boolean"] is True
        assert not slow.done(), "the fast answer must come while the slow query still runs"
        assert fast_took < TIMEOUT_S
        answer = slow.result(timeout=TIMEOUT_S + 10)
    took = time.monotonic() - started
    assert answer.status_code == 503
    assert "time limit" in answer.text
    assert TIMEOUT_S <= took < TIMEOUT_S + 5
    health = server.get("/health").json()
    assert health["store"] is True and health["workers_restarted"] >= 1
    assert server.get("/sparql", params={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize(
    "query", ["SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"], ids=["select", "construct"]
)
def test_results_are_capped_and_the_cap_is_announced(server: Server, query: str) -> None:
    r = server.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples, text/csv"})
    assert r.status_code == 200
    assert r.headers["X-Result-Limit"] == str(RESULT_LIMIT)
    assert r.headers["X-Result-Truncated"] == "true"
    assert r.headers["X-Result-Count"] == str(RESULT_LIMIT)
    assert str(RESULT_LIMIT) in r.headers["Warning"]
    if query.startswith("CONSTRUCT"):
        assert len(r.text.strip().splitlines()) == RESULT_LIMIT  # N-Triples: one triple a line
    else:
        assert len(list(csv.reader(io.StringIO(r.text)))) == RESULT_LIMIT + 1  # and a header


def test_an_uncut_result_says_it_was_not_cut(server: Server) -> None:
    r = server.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"})
    assert "X-Result-Truncated" not in r.headers and r.headers["X-Result-Count"] == "3"


@pytest.mark.parametrize(("path", "limit", "setting"), [("/sparql", MAX_BODY, "KG_MAX_BODY_BYTES"),
                                                        ("/validate", MAX_UPLOAD, "KG_MAX_UPLOAD_BYTES")])
def test_bodies_over_the_limit_are_413(server: Server, path: str, limit: int, setting: str) -> None:
    body = b"ASK {} #" + b"x" * (limit + 10)
    r = server.post(
        path,
        content=body,
        headers={"Content-Type": "application/sparql-query" if path == "/sparql" else "text/plain"},
    )
    assert r.status_code == 413
    assert setting in r.text


def test_chunked_body_over_the_limit_is_413(server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"ASK {} #"
        for _ in range(20):
            yield b"x" * (MAX_BODY // 10)

    r = httpx.post(
        server.url + "/sparql",
        content=chunks(),
        timeout=30,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413


BAD = {
    "syntax": ({"query": "SELECT * { ?s ?p "}, "error at"),
    "not_a_query": ({"query": "HELLO"}, "not a SPARQL query"),
    "twice": ("query=ASK%20%7B%7D&query=ASK%20%7B%7D", "2 times"),
    "bad_percent": ("query=ASK%20%7B%ZZ", "percent-encoding"),
    "bad_utf8": ("query=ASK%20%7B%FF%7D", "UTF-8"),
}


@pytest.mark.parametrize(("params", "message"), BAD.values(), ids=BAD.keys())
def test_malformed_input_is_400_with_the_reason(server: Server, params: object, message: str) -> None:
    if isinstance(params, str):
        r = httpx.get(f"{server.url}/sparql?{params}", timeout=30)
    else:
        r = server.get("/sparql", params=params)  # type: ignore[arg-type]
    assert r.status_code == 400
    assert message in r.text


def test_non_utf8_query_body_is_refused(server: Server) -> None:
    r = server.post(
        "/sparql", content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 400
    assert "UTF-8" in r.text


ODD = {
    "nul_in_query": "/sparql?query=ASK%20%7B%00%7D",
    "describe_empty_iri": "/sparql?query=DESCRIBE%20%3C%3E",
    "iri_with_space_in_path": "/id/agreement/a%20b",
    "iri_with_angle_in_path": "/id/agreement/%3Cscript%3E",
    "iri_with_quote_in_path": "/id/x%22%7D%20UNION%20%7B",
    "unknown_extension_like": "/id/municipality/072036.exe",
    "dump_traversal": "/dumps/..%2Fmanifest.json",
    "huge_accept": "/sparql?query=ASK%20%7B%7D",
}


@pytest.mark.parametrize("path", ODD.values(), ids=ODD.keys())
def test_odd_requests_never_give_a_500(server: Server, path: str) -> None:
    headers = {"Accept": ",".join(["text/x-" + str(i) + ";q=0.1" for i in range(500)]) + ",*/*"}
    r = httpx.get(server.url + path, headers=headers, timeout=30)
    assert r.status_code < 500, r.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.sampled_from(
            list("SELECTASK{}?<>:\"'#.;*()\\u \n郡山")
            + ["SERVICE", "FROM", "SELECT", "ASK", "GRAPH", "%", "\x00"]
        ),
        max_size=40,
    ).map("".join)
)
def test_no_query_text_gives_a_500(server: Server, text: str) -> None:
    r = server.get("/sparql", params={"query": text})
    assert r.status_code in (200, 400, 503), r.text
