"""``/compare`` and ``/charts/*.svg`` are cut off by the query timeout like ``/sparql`` (issue 15).

Before, they opened a store of their own in the server process and queried it on FastAPI's threads,
with no time limit a server could enforce (pyoxigraph cannot cancel a query). Now every question they
ask is a job of the query pool: here the pool's one worker is stopped (SIGSTOP, as if each query
ran forever), and each route answers 503 ``QueryTimeout`` at ``KG_QUERY_TIMEOUT``, in the client's
language, as ``/sparql`` does; the worker is killed and replaced, and the next request is answered.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness.test_memory_bound import _query_workers, _server_pid
from tests.server.conftest import AGREEMENT, Server, start_server

KEY = AGREEMENT.rsplit("/", 1)[1]
TIMEOUT_S = 1.0
ROUTES = {
    "sparql": "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
    "compare": f"/compare?a={KEY}&b={KEY}&format=json",
    "compare page": f"/compare?a={KEY}&b={KEY}",
    "coverage chart": "/charts/coverage.svg",
    "timeline chart": "/charts/timeline.svg",
}


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    # One worker, and no answer kept: every request needs the worker, every time.
    yield from start_server(fixture_release.parents[1], KG_QUERY_TIMEOUT=str(TIMEOUT_S), KG_WORKERS="1",
                            KG_CACHE_BYTES="0")


def _worker(server: Server) -> int:
    """The pool's one worker, once it is up (after a previous test, its replacement may still be starting)."""
    deadline = time.monotonic() + 60
    while server.get("/health").status_code != 200 or len(_query_workers(_server_pid(server.url))) != 1:
        assert time.monotonic() < deadline, "the query worker did not start"
        time.sleep(0.2)
    (pid,) = _query_workers(_server_pid(server.url))
    return pid


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_route_is_cut_off_at_the_query_timeout(server: Server, route: str, lang: str) -> None:
    pid = _worker(server)
    assert server.get(ROUTES[route]).status_code == 200, "answered while the worker runs"
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        r = server.get(ROUTES[route], headers={"Accept-Language": lang})
        took = time.monotonic() - started
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed by the pool, as it should be
            os.kill(pid, signal.SIGCONT)
    assert r.status_code == 503, r.text[:300]
    assert r.text.startswith("QueryTimeout: ") and "KG_QUERY_TIMEOUT" in r.text
    assert r.headers["content-language"] == lang
    assert ("制限時間の1秒" in r.text) == (lang == "ja") and ("time limit of 1 s" in r.text) == (lang == "en")
    assert TIMEOUT_S <= took < TIMEOUT_S + 3, took
    assert pid not in _query_workers(_server_pid(server.url)), "the stopped worker was killed"
    deadline = time.monotonic() + 60
    while (again := server.get(ROUTES[route])).status_code != 200:  # the replacement answers
        assert time.monotonic() < deadline, again.text[:300]
        time.sleep(0.2)
