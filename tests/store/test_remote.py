"""kg.store.remote against fake SPARQL endpoints on loopback: requests sent, answers re-written, failures typed.

Each fake endpoint answers a POST with what the test scripts (status, headers, body, delay) and keeps
the forms it received, so a test sees exactly what ``kg serve --store sparql:URL`` sends. The same
paths against Virtuoso itself are in tests/external/test_remote_serve.py.
"""

from __future__ import annotations

import asyncio
import gc
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest

from kg.errors import InputError, KgError, NotOnRemote, QueryError, QueryTimeout, RemoteStoreError
from kg.settings import Settings
from kg.store import GRAPH_FORMATS, RESULT_FORMATS, check_query
from kg.store.remote import NO_GRAPH, RemoteStore, cbd_query, remote_url
from kg.store.remote_client import fetch
from kg.store.remote_release import read_release

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/renkei/"
CATALOG = BASE + "graph/catalog"
JSON_TYPE = "application/sparql-results+json"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Reply:
    """What the fake endpoint answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


def results(variables: list[str], rows: list[dict[str, dict[str, str]]]) -> Reply:
    """A SPARQL JSON results answer in Virtuoso's style ("typed-literal" for typed values)."""
    return Reply(json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode())


def catalogue(version: str = "v1", modified: str = "2026-01-02T03:04:05Z") -> Reply:
    """The answer to kg.store.remote_release's catalogue query: a release of two graphs."""
    def lit(value: str, datatype: str | None = None) -> dict[str, str]:
        return {"type": "typed-literal", "datatype": datatype, "value": value} if datatype else {
            "type": "literal", "value": value}

    uri = lambda v: {"type": "uri", "value": v}  # noqa: E731
    return results(["version", "modified", "graph", "triples", "download", "own"], [
        {"version": lit(version)},
        {"modified": lit(modified, XSD + "dateTime")},
        {"graph": uri(BASE + "graph/framework"), "triples": lit("579", XSD + "integer")},
        {"graph": uri(BASE + "graph/agreement/a"), "triples": lit("694", XSD + "integer")},
        {"download": uri(BASE + "dumps/dataset.nt")},
        {"download": uri(BASE + "dumps/dataset.nt.gz")},
        {"own": lit("247", XSD + "integer")},
    ])


@dataclass
class FakeEndpoint:
    """A SPARQL endpoint on a loopback port that answers each POST with ``answer(form)``."""

    answer: Callable[[dict[str, list[str]]], Reply]
    forms: list[dict[str, list[str]]] = field(default_factory=list)
    url: str = ""

    def serve(self) -> Iterator[FakeEndpoint]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                endpoint.forms.append(form)
                reply = endpoint.answer(form)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (the timeout tests)

            def log_message(self, format: str, *args: object) -> None:
                pass

        # pyoxigraph's results may be freed only on the thread that made them, and the cyclic
        # garbage collector runs on whichever thread allocates: collected here, the main thread's
        # garbage is not left for this server's threads to collect.
        gc.collect()
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def _routed(query_reply: Reply) -> Callable[[dict[str, list[str]]], Reply]:
    """The catalogue to kg.store.remote_release's query, ``query_reply`` to every other."""
    return lambda form: catalogue() if "dcat:version" in form["query"][0] else query_reply


@pytest.fixture
def endpoint_factory() -> Iterator[Callable[[Callable[[dict[str, list[str]]], Reply]], FakeEndpoint]]:
    running: list[Iterator[FakeEndpoint]] = []

    def make(answer: Callable[[dict[str, list[str]]], Reply]) -> FakeEndpoint:
        gen = FakeEndpoint(answer).serve()
        running.append(gen)
        return next(gen)

    yield make
    for gen in running:
        gen.close()


def _store(endpoint: FakeEndpoint, **settings: object) -> RemoteStore:
    return RemoteStore(endpoint.url, Settings(**{"query_timeout": 2.0, "workers": 1, **settings}))  # type: ignore[arg-type]


# ─── the store specification ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("spec, url", [
    ("sparql:http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql"),
    ("sparql:https://query.example.org/renkei/sparql?x=1", "https://query.example.org/renkei/sparql?x=1"),
    ("build/current", None),
    ("/srv/renkei/build/releases/abc", None),
], ids=["http", "https-with-query", "relative-directory", "absolute-directory"])
def test_store_spec_names_a_remote_endpoint_or_a_directory(spec: str, url: str | None) -> None:
    assert remote_url(spec) == url


@pytest.mark.parametrize("spec", ["sparql:", "sparql:ftp://host/sparql", "sparql:127.0.0.1:8890/sparql"],
                         ids=["empty", "ftp", "no-scheme"])
def test_store_spec_with_anything_but_an_http_url_is_refused(spec: str) -> None:
    with pytest.raises(InputError, match="sparql:http://HOST"):
        remote_url(spec)


# ─── one request: what is sent, how failures are typed ───────────────────────────────────────


@pytest.mark.parametrize("reply, error, words", [
    (Reply(b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}'\n\nSPARQL query:\nSELECT",
           400, "text/plain"), QueryError, "SP030: SPARQL compiler, line 1: syntax error"),
    (Reply(b"Virtuoso S1T00 Error SR171: Transaction timed out", 500, "text/plain"), QueryTimeout, "S1T00"),
    (Reply(b"Virtuoso 42000 Error The estimated execution time 171481 (sec) exceeds the limit of 400 (sec).",
           500, "text/plain"), QueryTimeout, "estimated execution time"),
    (Reply(b"<html><body><h1>Internal error</h1></body></html>", 500, "text/html"), RemoteStoreError,
     "Internal error"),
    (Reply(b"forbidden", 403, "text/plain"), RemoteStoreError, "HTTP 403: forbidden"),
    (Reply(b"gateway timeout", 504, "text/plain"), QueryTimeout, "HTTP 504"),
    (Reply(b"n\r\n1\r\n", 200, "text/csv"), RemoteStoreError, "answered a SELECT query with text/csv"),
    (Reply(b'{"head":{"vars":[]},"results":{"bindings":[]}}', 200, JSON_TYPE, (("X-SQL-State", "S1TAT"),)),
     QueryTimeout, "incomplete"),
], ids=["400-malformed", "500-virtuoso-timeout", "500-cost-estimate", "500-other", "403", "504",
        "csv-answer", "virtuoso-anytime-partial-answer"])
def test_failure_of_the_endpoint_becomes_a_typed_error_in_its_own_words(
        endpoint_factory: Callable[..., FakeEndpoint], reply: Reply, error: type[KgError], words: str) -> None:
    endpoint = endpoint_factory(lambda form: reply)
    with pytest.raises(error) as caught:
        fetch(endpoint.url, "SELECT * { ?s ?p ?o }", check_query("SELECT * {}").kind, [], [],
              time.monotonic() + 5)
    assert words in str(caught.value) and endpoint.url in str(caught.value)
    assert "SPARQL query:" not in str(caught.value)
    assert type(caught.value) is error


def test_endpoint_slower_than_the_deadline_is_a_query_timeout(endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    endpoint = endpoint_factory(lambda form: Reply(b"{}", delay=3.0))
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="no answer from the remote store within 2 s"):
        fetch(endpoint.url, "ASK {}", check_query("ASK {}").kind, [], [], time.monotonic() + 0.5)
    assert time.monotonic() - started < 2.8


def test_endpoint_that_is_not_listening_is_a_remote_store_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    with pytest.raises(RemoteStoreError, match="cannot reach the remote store"):
        fetch(url, "ASK {}", check_query("ASK {}").kind, [], [], time.monotonic() + 5)


def test_query_is_a_form_post_asking_json_with_the_dataset_and_no_format_parameter(
        endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    endpoint = endpoint_factory(lambda form: results(["x"], []))
    fetch(endpoint.url, "SELECT ?x {}", check_query("SELECT ?x {}").kind, ["urn:d"], ["urn:n1", "urn:n2"],
          time.monotonic() + 5)
    (form,) = endpoint.forms
    assert form == {"query": ["SELECT ?x {}"], "default-graph-uri": ["urn:d"], "named-graph-uri": ["urn:n1", "urn:n2"]}


# ─── the store: datasets, re-written answers, time limits ────────────────────────────────────


@pytest.mark.parametrize("query, defaults, named, sent", [
    ("SELECT * { ?s ?p ?o }", [], [], ({}, {})),
    ("SELECT * { ?s ?p ?o }", ["urn:g"], [], (["urn:g"], [NO_GRAPH])),
    ("SELECT * { ?s ?p ?o }", [], ["urn:g"], ({}, ["urn:g"])),
    ("SELECT * FROM <urn:g> { ?s ?p ?o }", [], [], ({}, [NO_GRAPH])),
    ("SELECT * FROM <urn:g> FROM NAMED <urn:h> { ?s ?p ?o }", [], [], ({}, {})),
], ids=["union-default-graph", "protocol-default-only", "protocol-named-only", "from-only", "from-and-from-named"])
def test_dataset_sent_gives_the_remote_no_named_graphs_where_the_spec_gives_none(
        endpoint_factory: Callable[..., FakeEndpoint], query: str, defaults: list[str], named: list[str],
        sent: tuple[object, object]) -> None:
    endpoint = endpoint_factory(_routed(results(["s"], [])))
    store = _store(endpoint)
    asyncio.run(store.run(check_query(query), RESULT_FORMATS[0], limit=10, default_graphs=defaults,
                          named_graphs=named))
    form = endpoint.forms[-1]
    assert (form.get("default-graph-uri", {}), form.get("named-graph-uri", {})) == sent


def test_answer_is_rewritten_in_the_negotiated_format_capped_with_booleans_canonical(
        endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    rows = [{"lead": {"type": "typed-literal", "datatype": XSD + "boolean", "value": v}} for v in "1010"]
    endpoint = endpoint_factory(_routed(results(["lead"], rows)))
    store = _store(endpoint)
    result = asyncio.run(store.run(check_query("SELECT ?lead {}"), RESULT_FORMATS[2], limit=3))
    # Four rows, a limit of three: three written, the cut announced; Virtuoso's 1/0 written true/false.
    assert (result.body, result.count, result.truncated) == (b"lead\r\ntrue\r\nfalse\r\ntrue\r\n", 3, True)
    assert result.media_type == "text/csv"


def test_rows_cut_by_the_endpoint_itself_are_announced_as_truncated(
        endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    reply = results(["x"], [{"x": {"type": "literal", "value": "郡山市"}}])
    reply = Reply(reply.body, headers=(("X-SPARQL-MaxRows", "1"),))
    store = _store(endpoint_factory(_routed(reply)))
    result = asyncio.run(store.run(check_query("SELECT ?x {}"), RESULT_FORMATS[0], limit=10))
    assert result.truncated and result.count == 1
    assert json.loads(result.body)["results"]["bindings"] == [{"x": {"type": "literal", "value": "郡山市"}}]


def test_describe_of_one_iri_is_sent_as_its_cbd_with_the_endpoint_as_base(
        endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    nt = b'<https://w3id.org/renkei/id/x> <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
    endpoint = endpoint_factory(_routed(Reply(nt, content_type="application/n-triples")))
    store = _store(endpoint)
    result = asyncio.run(store.run(check_query(f"DESCRIBE <{BASE}id/x>"), GRAPH_FORMATS[1], limit=10,
                                   base_iri="http://127.0.0.1:8000/sparql"))
    sent = endpoint.forms[-1]["query"][0]
    assert sent == f"BASE <http://127.0.0.1:8000/sparql> {cbd_query(BASE + 'id/x')}"
    assert result.body == f'<{BASE}id/x> <http://p> "true"^^<{XSD}boolean> .\n'.encode()


def test_cbd_query_answers_what_pyoxigraph_describe_answers() -> None:
    store = ox.Store()
    store.load(b"""
        <urn:a> <urn:p> <urn:b> ; <urn:q> [ <urn:r> [ <urn:s> [ <urn:t> "deep" ] ] ; <urn:u> "x" ] .
        <urn:b> <urn:p> <urn:a> .  <urn:c> <urn:p> <urn:a> .
    """, format=ox.RdfFormat.TURTLE)
    described = set(store.query("DESCRIBE <urn:a>"))
    constructed = set(store.query(cbd_query("urn:a")))
    assert len(described) == 6 and constructed == described


def test_slow_query_times_out_and_the_next_waits_no_longer_than_its_own_limit(
        endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    slow = Reply(b'{"head":{},"boolean":true}', delay=2.5)
    store = _store(endpoint_factory(_routed(slow)), query_timeout=1.0)

    async def two() -> tuple[BaseException | None, BaseException | None]:
        first = asyncio.create_task(store.run(check_query("ASK {}"), RESULT_FORMATS[0], limit=1))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(store.run(check_query("ASK {}"), RESULT_FORMATS[0], limit=1))
        done = await asyncio.gather(first, second, return_exceptions=True)
        return tuple(e if isinstance(e, BaseException) else None for e in done)  # type: ignore[return-value]

    started = time.monotonic()
    first, second = asyncio.run(two())
    assert isinstance(first, QueryTimeout) and "did not answer within the time limit of 1 s" in str(first)
    assert isinstance(second, QueryTimeout) and "stayed busy" in str(second)
    assert time.monotonic() - started < 2.0
    assert store.respawned == 1
    store.close()


def test_compare_source_reads_rows_of_lexical_values(endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    rows = [{"c": {"type": "uri", "value": "urn:c"}, "n": {"type": "typed-literal", "datatype": XSD + "integer",
                                                           "value": "3"}}, {"c": {"type": "uri", "value": "urn:d"}}]
    store = _store(endpoint_factory(_routed(results(["c", "n"], rows))))
    assert store.query("SELECT ?c ?n {}") == [{"c": "urn:c", "n": "3"}, {"c": "urn:d"}]
    with pytest.raises(QueryError, match="only SELECT"):
        store.query("ASK {}")


def test_release_is_read_again_after_the_refresh_interval(endpoint_factory: Callable[..., FakeEndpoint]) -> None:
    versions = iter(["v1", "v2"])
    latest: list[str] = []

    def answer(form: dict[str, list[str]]) -> Reply:
        if "dcat:version" in form["query"][0]:
            latest.append(next(versions, latest[-1] if latest else "v1"))
            return catalogue(latest[-1])
        return Reply(b'{"head":{},"boolean":true}')

    endpoint = endpoint_factory(answer)
    store = RemoteStore(endpoint.url, Settings(query_timeout=2.0, workers=1), refresh=0.0)
    assert store.release.version == "v1"
    asyncio.run(store.run(check_query("ASK {}"), RESULT_FORMATS[0], limit=1))
    deadline = time.monotonic() + 5
    while store.release.version != "v2" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.release.version == "v2"
    store.close()


# ─── the release a remote store holds ────────────────────────────────────────────────────────


def _rows(reply: Reply) -> list[dict[str, str]]:
    data = json.loads(reply.body)
    return [{v: b["value"] for v, b in row.items()} for row in data["results"]["bindings"]]


def test_release_comes_from_the_catalogue_graph() -> None:
    release = read_release(lambda q: _rows(catalogue("abc123")), "http://x/sparql", Settings())
    assert release.version == "abc123"
    assert release.created == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert release.graphs == {BASE + "graph/framework": 579, BASE + "graph/agreement/a": 694, CATALOG: 247}
    assert release.catalogued


def test_release_without_catalogue_is_named_after_its_graphs_and_says_so() -> None:
    listing = [{"graph": BASE + "graph/framework", "triples": "579"}]
    release = read_release(lambda q: [] if "dcat:version" in q else listing, "http://x/sparql", Settings())
    again = read_release(lambda q: [] if "dcat:version" in q else listing, "http://x/sparql", Settings())
    assert release.version.startswith("remote-") and release.version == again.version
    assert release.graphs == {BASE + "graph/framework": 579} and not release.catalogued


def test_remote_without_any_graph_of_the_dataset_is_refused_with_the_push_command() -> None:
    with pytest.raises(RemoteStoreError, match="holds no graph under <https://w3id.org/renkei/graph/>.*kg push"):
        read_release(lambda q: [], "http://x/sparql", Settings())


def test_dumps_are_not_on_a_remote_store_and_the_error_says_where_they_are() -> None:
    release = read_release(lambda q: _rows(catalogue("abc123")), "http://x/sparql", Settings())
    with pytest.raises(NotOnRemote) as caught:
        release.dumps_path  # noqa: B018 (the property is the behaviour under test)
    assert caught.value.http_status == 404
    message = release.where_dumps_are("dataset.nt.gz")
    assert f"{BASE}dumps/dataset.nt.gz" in message and f"{BASE}dumps/dataset.nt," not in message
    assert "build/releases/abc123/dumps/" in str(caught.value)


# ─── the command line ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("store, words", [
    ("sparql:http://127.0.0.1:{port}/sparql", "cannot reach the remote store"),
    ("sparql:ftp://127.0.0.1/sparql", "expected sparql:http://HOST"),
    ("/nonexistent/release", "is neither a directory nor sparql:URL"),
], ids=["unreachable-endpoint", "not-http", "missing-directory"])
def test_kg_serve_on_a_store_it_cannot_use_exits_2_with_a_message(store: str, words: str) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", "1", "--store",
         store.format(port=port)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    message = " ".join(re.sub(r"[│╭╮╰╯─]", " ", proc.stderr).split())  # typer's box, unwrapped
    assert proc.returncode == 2, message
    assert words in message and "Traceback" not in message
