"""Regression tests for what the random requests found, each named after what broke."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.errors import InputError, ValidationTimeout, ValidatorDied
from kg.server.dumps import DumpFile
from kg.server.head import HEAD
from kg.server.validator import ValidationJob, Validator
from kg.settings import Settings
from tests.server.conftest import AGREEMENT, Server

from .naps import nap

SETTINGS = Settings()


# ── HEAD answered 405 on every route but the static files (RFC 9110 §9.1: GET and HEAD) ──────────

HEAD_ROUTES = {
    "dump": "/dumps/dataset.ttl",
    "dump_gz": "/dumps/dataset.nt.gz",
    "listing": "/dumps/",
    "catalog": "/catalog",
    "health": "/health",
    "home": "/",
    "resource": "/id/agreement/072036-072109-2019-10-18.ttl",
    "query": "/sparql?query=ASK%20%7B%7D",
}


@pytest.mark.parametrize("path", HEAD_ROUTES.values(), ids=HEAD_ROUTES.keys())
def test_head_answers_the_get_headers_without_content(robust_server: Server, path: str) -> None:
    get = httpx.get(robust_server.url + path, timeout=30)
    head = httpx.head(robust_server.url + path, timeout=30)
    assert get.status_code == 200, get.text
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    for name in ("etag", "last-modified"):
        assert head.headers.get(name) == get.headers.get(name)
    if "content-encoding" not in get.headers and path != "/health":  # /health says its own latency
        assert head.headers["content-length"] == str(len(get.content))


def test_head_of_a_dump_never_reads_the_file(tmp_path: Path) -> None:
    """HEAD is answered from stat: a dump of gigabytes costs nothing (the file is gone here, and no one noticed)."""
    path = tmp_path / "dataset.nt"
    path.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n" * 1000)
    response = DumpFile(path, media_type="application/n-triples", stat_result=path.stat())
    path.unlink()
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "GET", HEAD: True, "headers": [], "asgi": {"spec_version": "2.4"}}
    asyncio.run(response(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 200
    assert (b"content-length", b"26000") in sent[0]["headers"]  # type: ignore[operator]
    assert all(not m.get("body") for m in sent[1:])


def test_head_of_an_unknown_dump_is_404_without_content(robust_server: Server) -> None:
    head = httpx.head(robust_server.url + "/dumps/nothing.ttl", timeout=30)
    assert head.status_code == 404 and head.content == b""


# ── A Range header Starlette could not parse (or in another unit) was a 400 with no error class ──

IGNORED_RANGES = {"empty": "", "no_equals": "bytes", "other_unit": "items=0-1", "not_numbers": "bytes=a-b",
                  "backwards": "bytes=5-2"}


@pytest.mark.parametrize("value", IGNORED_RANGES.values(), ids=IGNORED_RANGES.keys())
def test_a_range_the_server_cannot_use_is_ignored_and_the_whole_dump_sent(robust_server: Server, value: str) -> None:
    """RFC 9110 §14.2: an unknown range unit MUST be ignored; an unusable Range MAY be."""
    whole = httpx.get(robust_server.url + "/dumps/dataset.nt", timeout=30)
    r = httpx.get(robust_server.url + "/dumps/dataset.nt", headers={"Range": value}, timeout=30)
    assert r.status_code == 200 and r.content == whole.content


def test_a_range_past_the_end_is_416_saying_the_size(robust_server: Server) -> None:
    r = httpx.get(robust_server.url + "/dumps/dataset.nt", headers={"Range": "bytes=999999999-"}, timeout=30)
    assert r.status_code == 416
    size = len(httpx.get(robust_server.url + "/dumps/dataset.nt", timeout=30).content)
    assert r.headers["content-range"] == f"bytes */{size}"
    assert r.text.startswith("RangeNotSatisfiable: ") and str(size) in r.text


def test_a_satisfiable_range_is_still_206(robust_server: Server) -> None:
    whole = httpx.get(robust_server.url + "/dumps/dataset.nt", timeout=30).content
    r = httpx.get(robust_server.url + "/dumps/dataset.nt", headers={"Range": "bytes=10-19"}, timeout=30)
    assert r.status_code == 206 and r.content == whole[10:20]


# ── Framework errors were JSON ({"detail": "Method Not Allowed"}) where ours are text ──────────


def test_a_wrong_method_is_405_saying_which_methods_are_allowed(robust_server: Server) -> None:
    r = httpx.post(robust_server.url + "/dumps/dataset.ttl", timeout=30)
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("MethodNotAllowed: POST is not allowed on /dumps/dataset.ttl; use GET")
    assert r.headers["allow"] == "GET"


def test_an_unknown_route_is_a_typed_404_pointing_at_the_route_list(robust_server: Server) -> None:
    r = httpx.get(robust_server.url + "/nowhere", timeout=30)
    assert r.status_code == 404
    assert r.text.startswith("NotFound: no route /nowhere") and "/openapi.json" in r.text


def test_an_invalid_route_parameter_is_a_typed_input_error(robust_server: Server) -> None:
    r = httpx.get(robust_server.url + "/charts/coverage.svg", params={"by": "people"}, timeout=30)
    assert r.status_code == 422
    assert r.text.startswith("InputError: query parameter 'by': ")


# ── POST /validate made the server fetch a JSON-LD context from any URL (or read a local file) ──


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A loopback TCP listener recording every connection's first bytes (what a fetch would send)."""
    hits: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                hits.append(conn.recv(1000))
                conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\n\r\n{"@context": {}}')

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1]), hits
    stop.set()
    thread.join(timeout=5)
    server.close()


REMOTE_CONTEXTS = {
    "context_iri": lambda url: {"@context": url, "@id": "urn:a", "urn:b": "c"},
    "context_list": lambda url: {"@context": [{"x": "urn:x#"}, url], "@id": "urn:a"},
    "import": lambda url: {"@context": {"@import": url}, "@id": "urn:a"},
    "nested_scoped": lambda url: {"@graph": [{"@id": "urn:a", "urn:b": {"@context": url, "@id": "urn:c"}}]},
    "relative_file": lambda url: {"@context": "../../../etc/hostname", "@id": "urn:a"},
}


@pytest.mark.parametrize("make", REMOTE_CONTEXTS.values(), ids=REMOTE_CONTEXTS.keys())
def test_validate_refuses_a_jsonld_context_by_iri_without_fetching_it(
    robust_server: Server, listener: tuple[int, list[bytes]], make: object
) -> None:
    port, hits = listener
    body = json.dumps(make(f"http://127.0.0.1:{port}/context.jsonld"))  # type: ignore[operator]
    r = robust_server.post("/validate", content=body, headers={"Content-Type": "application/ld+json"})
    time.sleep(0.3)
    assert hits == [], "the server fetched the context"
    assert r.status_code == 400
    assert "InputError" in r.text and "inline" in r.text  # as JSON (the default for validation) or text


def test_validate_reads_a_jsonld_context_written_inline(robust_server: Server) -> None:
    body = json.dumps({"@context": {"b": "urn:b"}, "@id": "urn:a", "b": "c"})
    r = robust_server.post("/validate", content=body, headers={"Content-Type": "application/ld+json"})
    assert r.status_code == 400
    assert "neither a renkei:Agreement nor a renkei:Amendment" in r.text  # read, then judged


# ── A validation ran in a thread nothing could stop: one slow body held /validate for everyone ──


def test_a_validation_past_the_time_limit_is_stopped_and_the_next_one_runs() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap)
        try:
            first = await validator.run(ValidationJob("quick", SETTINGS, "application/json"))  # starts the worker
            validator.time_limit = 1.0
            started = time.monotonic()
            with pytest.raises(ValidationTimeout, match="time limit of 1 s"):
                await validator.run(ValidationJob("sleep:60", SETTINGS, "application/json"))
            assert time.monotonic() - started < 5
            assert validator.restarted == 1
            validator.time_limit = 30.0
            again = await validator.run(ValidationJob("quick", SETTINGS, "application/json"))
            assert again.text != first.text  # a new worker process answered
        finally:
            validator.close()

    asyncio.run(scenario())


def test_a_refusal_in_the_validation_worker_keeps_its_class_file_and_line() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap)
        try:
            with pytest.raises(InputError) as info:
                await validator.run(ValidationJob("refuse", SETTINGS, "application/json"))
            assert (info.value.file, info.value.line, info.value.message) == ("upload.txt", 3, "nothing to validate")
            assert validator.restarted == 0
        finally:
            validator.close()

    asyncio.run(scenario())


def test_a_validation_worker_that_dies_is_a_503_and_is_replaced() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap)
        try:
            with pytest.raises(ValidatorDied):
                await validator.run(ValidationJob("exit", SETTINGS, "application/json"))
            assert (await validator.run(ValidationJob("quick", SETTINGS, "application/json"))).conforms is True
        finally:
            validator.close()

    asyncio.run(scenario())


def test_validations_wait_their_turn_within_the_time_limit() -> None:
    """With one worker (KG_VALIDATE_WORKERS=1), one at a time: a second validation waits for the first,
    and gives up at its own limit (several workers: tests/server/test_validator_pool.py)."""

    async def scenario() -> None:
        validator = Validator(30.0, nap, workers=1)
        try:
            await validator.run(ValidationJob("quick", SETTINGS, "application/json"))
            validator.time_limit = 1.5
            slow = asyncio.create_task(validator.run(ValidationJob("sleep:0.8", SETTINGS, "application/json")))
            await asyncio.sleep(0.1)
            waited = await validator.run(ValidationJob("quick", SETTINGS, "application/json"))
            assert slow.done() and (await slow).conforms and waited.conforms
            stuck = asyncio.create_task(validator.run(ValidationJob("sleep:60", SETTINGS, "application/json")))
            await asyncio.sleep(0.1)
            with pytest.raises(ValidationTimeout):  # waited its whole time limit for the stuck one
                await validator.run(ValidationJob("quick", SETTINGS, "application/json"))
            with pytest.raises(ValidationTimeout):
                await stuck
        finally:
            validator.close()

    asyncio.run(scenario())


def test_a_real_text_validates_in_the_worker(robust_server: Server) -> None:
    """The worker runs kg.validation.validate itself: the founding agreement conforms, its messages name the upload."""
    from .texts import SEED

    r = robust_server.post(
        "/validate", params={"name": "seed"}, content=SEED.read_bytes(), headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["X-Conforms"] == "true"
    assert "kg-validate-" not in r.text  # no temporary path leaks
    assert AGREEMENT in r.text or json.loads(r.text)
