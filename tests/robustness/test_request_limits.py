"""Limits on how a request arrives, sent as raw bytes (issue 14, point 5; kg/server/security.py).

Before: a URL of 100 KB was answered, a body sent a byte a second for 60 s was waited out, and
half-sent requests stayed open. The server here is ``kg serve`` (its HTTP protocol holds the
limits on a request's head and on connections per client) with short time limits; the limits the
app itself holds are also checked on the plain ``uvicorn --factory`` server of this folder.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.server.security import CONTENT_SECURITY_POLICY
from tests.robustness.rawhttp import Answer, exchange
from tests.server.conftest import Server, free_port, serving
from tests.server.test_browser import browser  # noqa: F401

HEADER_TIMEOUT_S = 2.0
BODY_TIMEOUT_S = 3.0
CONNECTIONS = 4
SLACK_S = 3.0  # a loaded machine's delay on top of a time limit


@pytest.fixture(scope="module")
def served(robust_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``kg serve --store`` on the robustness build, with short limits."""
    port = free_port()
    env = {
        **os.environ,
        "KG_HEADER_TIMEOUT": str(HEADER_TIMEOUT_S),
        "KG_BODY_TIMEOUT": str(BODY_TIMEOUT_S),
        "KG_MAX_CLIENT_CONNECTIONS": str(CONNECTIONS),
        "KG_QUERY_TIMEOUT": "5",
        "KG_WORKERS": "1",
    }
    command = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(robust_server.release),
               "--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path_factory.mktemp("limits") / "serve.log"
    with serving(command, port, env, log) as url:
        yield Server(url, robust_server.release)


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection; and when it closed (seconds)."""
    started = time.monotonic()
    got = b""
    sock.settimeout(seconds)
    while True:
        try:
            data = sock.recv(65536)
        except TimeoutError:
            pytest.fail(f"the connection was still open after {seconds:g} s (received {got[:200]!r})")
        except ConnectionResetError:
            data = b""
        if not data:
            return got, time.monotonic() - started
        got += data


def _status(raw: bytes) -> int:
    assert raw.startswith(b"HTTP/1.1 "), raw[:200]
    return int(raw.split(b" ", 2)[1])


# ── Sizes ──────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("which", ["served", "robust_server"])
def test_a_target_over_8_kb_is_414_and_one_under_is_answered(which: str, request: pytest.FixtureRequest) -> None:
    server: Server = request.getfixturevalue(which)
    comment = b"%23" + b"x" * 9000  # a SPARQL comment: the query is still ASK {}
    answer = exchange(_port(server), "GET", b"/sparql?query=ASK%20%7B%7D%20" + comment)
    assert answer.status == 414, answer.text
    assert "KG_MAX_URL_BYTES" in answer.text
    short = exchange(_port(server), "GET", b"/sparql?query=ASK%20%7B%7D%20" + comment[:7000])
    assert short.status == 200, short.text


@pytest.mark.parametrize("which", ["served", "robust_server"])
def test_headers_over_8_kb_are_431_and_under_are_answered(which: str, request: pytest.FixtureRequest) -> None:
    server: Server = request.getfixturevalue(which)
    big = [(b"X-Pad-%d" % i, b"y" * 1000) for i in range(9)]
    answer = exchange(_port(server), "GET", b"/health", headers=big)
    assert answer.status == 431, answer.text
    assert "KG_MAX_HEADER_BYTES" in answer.text
    assert exchange(_port(server), "GET", b"/health", headers=big[:6]).status == 200


def test_the_refusal_before_the_app_is_written_in_both_languages(served: Server) -> None:
    answer = exchange(_port(served), "GET", b"/" + b"a" * 20_000)
    assert answer.status == 414
    assert "URL" in answer.text and "バイト" in answer.text and "bytes long" in answer.text
    assert answer.headers["connection"] == "close"


# ── Time ───────────────────────────────────────────────────────────────────────────────────────


def test_half_sent_headers_are_answered_408_and_closed(served: Server) -> None:
    with socket.create_connection(("127.0.0.1", _port(served))) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        raw, took = _read_until_closed(sock, HEADER_TIMEOUT_S + SLACK_S)
    assert _status(raw) == 408 and b"KG_HEADER_TIMEOUT" in raw
    assert took >= HEADER_TIMEOUT_S - 0.5


def test_headers_sent_a_byte_a_second_are_cut_at_the_time_limit(served: Server) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", _port(served))) as sock:
        head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 100
        closed = False
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.5)
            if time.monotonic() - started > HEADER_TIMEOUT_S + SLACK_S:
                break
        raw = b"" if closed else _read_until_closed(sock, SLACK_S)[0]
    assert time.monotonic() - started < HEADER_TIMEOUT_S + 2 * SLACK_S
    assert closed or _status(raw) == 408


def test_a_connection_that_sends_nothing_is_closed(served: Server) -> None:
    with socket.create_connection(("127.0.0.1", _port(served))) as sock:
        raw, took = _read_until_closed(sock, HEADER_TIMEOUT_S + SLACK_S)
    assert not raw or _status(raw) == 408


def test_a_body_trickled_a_byte_a_second_is_cut_with_408(served: Server) -> None:
    body = b"ASK {}" + b" " * 94
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", _port(served))) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        raw = b""
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
                raw += sock.recv(65536)
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                break
            if raw:
                break
            time.sleep(1.0)
            assert time.monotonic() - started < BODY_TIMEOUT_S + 2 * SLACK_S, "the body was waited out"
        sock.setblocking(True)
        more, _ = _read_until_closed(sock, SLACK_S)
    raw += more
    assert _status(raw) == 408, raw
    assert b"KG_BODY_TIMEOUT" in raw
    assert time.monotonic() - started >= BODY_TIMEOUT_S - 0.5


def test_a_body_sent_in_time_is_answered(served: Server) -> None:
    answer = exchange(_port(served), "POST", b"/sparql", headers=[(b"Content-Type", b"application/sparql-query")],
                      body=b"ASK {}")
    assert answer.status == 200 and b"true" in answer.body


# ── Connections per client ─────────────────────────────────────────────────────────────────────


def test_one_address_holds_at_most_the_cap_of_connections(served: Server) -> None:
    port = _port(served)
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
    try:
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port)) as extra:
            raw, _ = _read_until_closed(extra, SLACK_S)
        assert _status(raw) == 429 and b"KG_MAX_CLIENT_CONNECTIONS" in raw
        assert b"retry-after: 1" in raw.lower()
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert exchange(port, "GET", b"/health").status == 200  # closed ones no longer count


# ── Headers on every answer ────────────────────────────────────────────────────────────────────


def _secured(answer: Answer) -> None:
    assert answer.headers.get("x-content-type-options") == "nosniff", answer.headers
    assert answer.headers.get("referrer-policy") == "strict-origin-when-cross-origin"
    assert answer.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY


PAGES = [b"/", b"/health", b"/sparql?query=ASK%20%7B%7D", b"/sparql?query=ASK", b"/nowhere", b"/static/site.css",
         b"/dumps/", b"/catalog", b"/id/agreement/072036-072109-2019-10-18"]


@pytest.mark.parametrize("target", PAGES)
def test_every_answer_carries_the_security_headers(served: Server, target: bytes) -> None:
    _secured(exchange(_port(served), "GET", target))


def test_refusals_carry_the_security_headers_too(served: Server) -> None:
    _secured(exchange(_port(served), "GET", b"/health", headers=[(b"X-Pad", b"y" * 9000)]))
    _secured(exchange(_port(served), "GET", b"/" + b"a" * 9000))
    _secured(exchange(_port(served), "DELETE", b"/sparql"))


def test_the_policy_allows_scripts_from_this_server_only() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY  # the pages themselves: tests/server/test_browser.py


# ── The pages under the policy, in Chromium ────────────────────────────────────────────────────

#: Every page a browser is sent to, and the query page's run (its editor and result views).
BROWSED = ["/", "/sparql", "/id/agreement/072036-072109-2019-10-18", "/compare", "/validate", "/ns", "/shapes",
           "/catalog"]
_LISTEN = ("window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
           "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")


@pytest.mark.browser
def test_the_pages_break_no_rule_of_the_policy(served: Server, browser: Any) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    # Injected by the browser itself, before any page script, and not subject to the page's policy.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _LISTEN})
    browser.set_window_size(1280, 900)
    for path in BROWSED:
        browser.get(served.url + path)
        time.sleep(0.5)
        assert browser.execute_script("return window.__csp") == [], path
    browser.get(served.url + "/sparql")
    assert browser.find_elements(By.CSS_SELECTOR, "#yasqe .CodeMirror"), "the editor runs under the policy"
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody tr")))
    assert browser.execute_script("return window.__csp") == []
    target = os.environ.get("KG_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(target) / "guard.png"))
