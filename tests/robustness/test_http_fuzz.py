"""Every route of ``kg serve`` on random and adversarial requests, over real HTTP.

The properties (issue 5, point 4): never a 5xx, except 503 for a query stopped at the time
limit; never a hang (each exchange has a deadline); an error's body says what is wrong. After
each test the server still answers ``/health`` quickly, and ``workers_restarted`` grew only by
the timeouts the requests provoked: no worker left wedged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given

from tests.server.conftest import Server

from . import http_inputs as inputs
from .conftest import QUERY_TIMEOUT_S, Ledger, examples
from .rawhttp import Answer, exchange

#: Longer than any answer should take: the query timeout, a validation, and a loaded machine.
CLIENT_TIMEOUT_S = 30.0
#: An error body names the error class and the reason (docs/http.md, "Refusals").
_TYPED = re.compile(r"^[A-Z][A-Za-z]+: \S")


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def send(server: Server, ledger: Ledger, req: inputs.Req) -> Answer:
    """Send ``req``, check the properties every answer must have, and record it in the ledger."""
    answer = exchange(_port(server), req.method, req.target, list(req.headers), req.body, CLIENT_TIMEOUT_S)
    timed_out = answer.status == 503 and "time limit" in answer.text
    ledger.record(answer.status, timed_out)
    assert answer.status < 500 or timed_out, f"{answer.status} for {req!r}: {answer.text[:2000]}"
    if answer.status >= 400:
        assert says_what_is_wrong(answer, req), f"{answer.status} without a reason for {req!r}: {answer.text[:500]}"
    if req.method == "HEAD":
        assert answer.body == b"", f"HEAD answered with a body: {req!r}"
    return answer


def says_what_is_wrong(answer: Answer, req: inputs.Req) -> bool:
    """An error body a person can act on: ``Class: reason`` as text, or a page that says it."""
    if req.method == "HEAD":
        return True  # no body by definition (RFC 9110 §9.3.2); the status says it
    if answer.media_type == "text/plain":
        # uvicorn's own refusal of what is not HTTP/1.1 (raw bytes in the target), before the app runs.
        return bool(_TYPED.match(answer.text)) or answer.text == "Invalid HTTP request received."
    if answer.media_type == "text/html":
        return "<h1" in answer.text or "<title" in answer.text
    if answer.media_type == "application/json":
        # POST /validate's refusal as JSON: every problem, each with its message in both languages.
        return '"problems"' in answer.text and '"message"' in answer.text
    return False


def assert_steady(server: Server, ledger: Ledger) -> None:
    """``/health`` answers quickly and only provoked timeouts restarted workers."""
    answer = exchange(_port(server), "GET", b"/health", [], None, 10.0)
    assert answer.status == 200, answer.text
    health = json.loads(answer.body)
    assert health["store"] is True
    assert answer.seconds < 5.0, f"/health took {answer.seconds:.1f} s"
    assert health["workers_restarted"] + health["validator_restarted"] == ledger.timeouts, (health, ledger)


@pytest.fixture(autouse=True)
def steady_after_each_test(robust_server: Server, ledger: Ledger) -> Iterator[None]:
    """After each test (all its examples): the server is steady (see the module docstring)."""
    yield
    assert_steady(robust_server, ledger)


@examples(60)
@given(req=inputs.sparql_get())
def test_sparql_get_with_random_parameters_never_fails_the_server(
    robust_server: Server, ledger: Ledger, req: inputs.Req
) -> None:
    send(robust_server, ledger, req)


@examples(60)
@given(req=inputs.sparql_post())
def test_sparql_post_with_random_bodies_and_content_types_never_fails_the_server(
    robust_server: Server, ledger: Ledger, req: inputs.Req
) -> None:
    send(robust_server, ledger, req)


@examples(50)
@given(req=inputs.id_path())
def test_random_resource_paths_never_fail_the_server(robust_server: Server, ledger: Ledger, req: inputs.Req) -> None:
    send(robust_server, ledger, req)


@examples(40)
@given(req=inputs.dumps())
def test_random_dump_names_never_fail_the_server(robust_server: Server, ledger: Ledger, req: inputs.Req) -> None:
    answer = send(robust_server, ledger, req)
    assert b"manifest" not in req.target or answer.status != 200 or b"version" not in answer.body


@examples(40)
@given(req=inputs.compare())
def test_compare_and_charts_with_random_parameters_never_fail_the_server(
    robust_server: Server, ledger: Ledger, req: inputs.Req
) -> None:
    send(robust_server, ledger, req)


@examples(15)
@given(req=inputs.validate())
def test_validate_with_random_bodies_never_fails_the_server(
    robust_server: Server, ledger: Ledger, req: inputs.Req
) -> None:
    send(robust_server, ledger, req)


@examples(40)
@given(req=inputs.other_routes())
def test_other_routes_and_methods_never_fail_the_server(
    robust_server: Server, ledger: Ledger, req: inputs.Req
) -> None:
    send(robust_server, ledger, req)


def test_a_runaway_query_is_stopped_and_restarts_exactly_one_worker(robust_server: Server, ledger: Ledger) -> None:
    """The one deliberate 5xx: a cartesian product runs into the time limit, 503, one worker replaced."""
    runaway = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    req = inputs.Req("GET", b"/sparql?query=" + quote(runaway, safe="").encode())
    answer = send(robust_server, ledger, req)
    assert answer.status == 503 and "QueryTimeout" in answer.text, answer.text
    assert QUERY_TIMEOUT_S <= answer.seconds < QUERY_TIMEOUT_S + 10
    assert ledger.timeouts >= 1


def test_every_worker_answers_after_the_random_requests(robust_server: Server, ledger: Ledger) -> None:
    """Runs last in this file: as many quick queries as workers and more, each answered at once."""
    assert ledger.requests > 0, "no random request was sent (were the tests above deselected?)"
    for _ in range(6):
        answer = send(robust_server, ledger, inputs.Req("GET", b"/sparql?query=ASK%20%7B%7D"))
        assert answer.status == 200 and answer.seconds < 5.0
