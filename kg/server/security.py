"""Security response headers and request limits, like a public server's (issue 14, point 5).

Two layers, each with its settings (docs/http.md, "Limits"):

- :class:`RequestLimits`, ASGI middleware installed on the app (:func:`install`), so it holds
  however the app is served (``kg serve``, ``uvicorn --factory``): a request target over
  ``KG_MAX_URL_BYTES`` is answered 414, headers over ``KG_MAX_HEADER_BYTES`` 431, a body not
  received within ``KG_BODY_TIMEOUT`` seconds 408 (a body trickled a byte a second is cut), and
  every answer carries ``X-Content-Type-Options: nosniff``, a ``Referrer-Policy`` and a
  ``Content-Security-Policy`` that lets pages load scripts from this server only.
- :func:`protocol`, the HTTP/1.1 protocol ``kg serve`` runs uvicorn with: what happens before a
  request reaches the app. The request line and headers must arrive within ``KG_HEADER_TIMEOUT``
  seconds (408 and closed: a half-sent request is not kept open), they are measured as they
  arrive (414/431 without buffering more), and one client address may hold at most
  ``KG_MAX_CLIENT_CONNECTIONS`` connections at once (429 and closed beyond).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Any, ClassVar

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed: h11 only
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

from kg.errors import HeadersTooLarge, KgError, RequestTimeout, TooManyConnections, UriTooLong
from kg.server.http import error_response, request_lang
from kg.settings import Settings

__all__ = [
    "CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "RequestLimits", "head_buffer_bytes", "install", "protocol",
]

log = logging.getLogger(__name__)

#: Scripts, styles, fonts and images from this server only (pages load their scripts from /static;
#: the query page's editor sets styles inline, and JSON-LD in a page is data, not a script). No
#: plug-ins, no framing by other sites, forms post here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: Sent with every answer: no content sniffing (a Turtle dump is never run as a script), the
#: origin only to other sites, and the policy above.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
)




def _uri_too_long(size: int, limit: int) -> UriTooLong:
    return UriTooLong(f"the request target is {size} bytes long; the limit is {limit} (KG_MAX_URL_BYTES): "
                      "send a long query with POST",
                      ja=f"リクエストのURLが{size}バイトあり、上限の{limit}バイト（KG_MAX_URL_BYTES）を超えています。"
                         "長い問い合わせは POST で送ってください。")


def _headers_too_large(size: int, limit: int) -> HeadersTooLarge:
    return HeadersTooLarge(f"the request headers are {size} bytes; the limit is {limit} (KG_MAX_HEADER_BYTES)",
                           ja=f"リクエストのヘッダーが{size}バイトあり、上限の{limit}バイト（KG_MAX_HEADER_BYTES）を"
                              "超えています。")


def _body_timeout(seconds: float) -> RequestTimeout:
    return RequestTimeout(
        f"the request body did not arrive within {seconds:g} s (KG_BODY_TIMEOUT); the request was stopped",
        ja=f"リクエストの本文が{seconds:g}秒（KG_BODY_TIMEOUT）以内に届かなかったため、受け付けを打ち切りました。",
    )


def _header_timeout(seconds: float) -> RequestTimeout:
    return RequestTimeout(f"the request line and headers did not arrive within {seconds:g} s (KG_HEADER_TIMEOUT); "
                          "the connection was closed",
                          ja=f"リクエストの行とヘッダーが{seconds:g}秒（KG_HEADER_TIMEOUT）以内に届かなかったため、"
                             "接続を閉じました。")


def _too_many(address: str, limit: int) -> TooManyConnections:
    return TooManyConnections(f"{address} already holds {limit} connections to this server, the most one client "
                              "address may (KG_MAX_CLIENT_CONNECTIONS); close one and try again",
                              ja=f"{address} からの接続がすでに{limit}本あり、1つのアドレスから開ける上限"
                                 "（KG_MAX_CLIENT_CONNECTIONS）に達しています。接続を閉じてからもう一度送ってください。")


class RequestLimits:
    """ASGI middleware: target and header sizes (414/431), the body's time limit (408), security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_url = settings.max_url_bytes
        self.max_headers = settings.max_header_bytes
        self.body_timeout = settings.body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        query = scope.get("query_string") or b""
        target = len(scope.get("raw_path") or scope["path"].encode()) + (len(query) + 1 if query else 0)
        headers = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        refusal: KgError | None = None
        if target > self.max_url:
            refusal = _uri_too_long(target, self.max_url)
        elif headers > self.max_headers:
            refusal = _headers_too_large(headers, self.max_headers)
        if refusal is not None:
            await _answer(scope, send_secured, refusal)
            return
        body = _BodyDeadline(scope, receive, send_secured, self.body_timeout)
        try:
            await self.app(scope, body.receive, body.send)
        except Exception:
            if not body.timed_out:
                raise
            # Told it was disconnected, the app gave up reading; the client has its 408.


class _BodyDeadline:
    """``receive`` with a deadline for the whole body; past it the client is answered 408 and the
    app is told the client went away (what it would see if the client had closed)."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, seconds: float) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.body_done = False
        self.started = False
        self.timed_out = False

    async def receive(self) -> Message:
        if self.timed_out:
            return {"type": "http.disconnect"}
        if self.body_done:  # after the body only a disconnect can come: no deadline on waiting for it
            return await self._receive()
        try:
            message = await asyncio.wait_for(self._receive(), max(0.0, self.deadline - time.monotonic()))
        except TimeoutError:
            self.timed_out = True
            log.warning("request body not received within %.3g s; answering 408", self.seconds)
            if not self.started:
                await _answer(self.scope, self._send, _body_timeout(self.seconds), close=True)
            return {"type": "http.disconnect"}
        if message["type"] != "http.request" or not message.get("more_body", False):
            self.body_done = True
        return message

    async def send(self, message: Message) -> None:
        if self.timed_out:
            return  # the client was answered 408
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


async def _answer(scope: Scope, send: Send, error: KgError, *, close: bool = False) -> None:
    """Answer ``error`` as the app's refusals are (text, the client's language)."""
    response = error_response(error, request_lang(Request(scope)))
    if close:
        response.headers["Connection"] = "close"
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def install(app: FastAPI, settings: Settings) -> None:
    """Install the security middleware on ``app`` (outermost: its refusals carry the headers too)."""
    app.add_middleware(RequestLimits, settings=settings)


# ── Before the app: the connection (kg serve) ──────────────────────────────────────────────────


def _raw_answer(error: KgError) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, in both languages (no headers to choose by)."""
    body = f"{type(error).__name__}: {error.render('ja')}\n{type(error).__name__}: {error.render('en')}\n".encode()
    status = error.http_status
    phrase = {408: "Request Timeout", 414: "URI Too Long", 429: "Too Many Requests",
              431: "Request Header Fields Too Large"}[status]
    head = [f"HTTP/1.1 {status} {phrase}".encode(), b"Content-Type: text/plain; charset=utf-8",
            b"Content-Length: %d" % len(body), b"Connection: close",
            *(name + b": " + value for name, value in SECURITY_HEADERS)]
    if status == 429:
        head.append(b"Retry-After: 1")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class _Limited(asyncio.Protocol):
    """Time and size limits on a request's head and a cap on connections per client address, over
    either of uvicorn's HTTP/1.1 protocols (:class:`_LimitedH11`, :class:`_LimitedHttpTools`);
    :func:`protocol` makes one with the settings' values."""

    # Set by uvicorn's protocol classes (either of them).
    cycle: Any
    client: Any
    transport: Any
    loop: Any
    max_url: ClassVar[int]
    max_headers: ClassVar[int]
    header_timeout: ClassVar[float]
    max_connections: ClassVar[int]
    open_by_address: ClassVar[Counter[str]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._address: str | None = None  # counted in open_by_address while the connection lives
        self._head = bytearray()  # the request head received so far (up to the limits)
        self._awaiting_head = True
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        address = self.client[0] if self.client else ""
        if self.open_by_address[address] >= self.max_connections:
            log.warning("%s holds %d connections; refusing another", address, self.max_connections)
            self._refuse(_too_many(address, self.max_connections))
            return
        self.open_by_address[address] += 1
        self._address = address
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._address is not None:
            self.open_by_address[self._address] -= 1
            if self.open_by_address[self._address] <= 0:
                del self.open_by_address[self._address]
            self._address = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return  # refused: nothing more is read
        if self._awaiting_head and not self._measure(data):
            return
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:
            self._head_complete()

    def on_response_complete(self) -> None:
        cycle = self.cycle
        super().on_response_complete()  # type: ignore[misc]
        if self.cycle is cycle and not self.transport.is_closing():
            # The next request's head is awaited: the keep-alive timeout bounds the wait for its first
            # byte, this one's time limit starts with it (data_received).
            self._awaiting_head = True
            self._head.clear()

    def _measure(self, data: bytes) -> bool:
        """Count a piece of the request head; False (and the client answered) past a limit."""
        if self._head_timer is None:
            self._arm()
        self._head += data
        line_end = self._head.find(b"\r\n")
        line = len(self._head) if line_end < 0 else line_end
        # The target plus a method and " HTTP/1.1" (a generous 32 bytes).
        if line > self.max_url + 32:
            self._refuse(_uri_too_long(line, self.max_url))
            return False
        end = self._head.find(b"\r\n\r\n")
        fields = (len(self._head) if end < 0 else end) - line
        if fields > self.max_headers:
            self._refuse(_headers_too_large(fields, self.max_headers))
            return False
        if end >= 0:  # the head is whole: what follows is the body, for the app to read
            self._head.clear()
        return True

    def _head_complete(self) -> None:
        self._awaiting_head = False
        self._head.clear()
        self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_overdue)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_overdue(self) -> None:
        self._head_timer = None
        if self._awaiting_head and not self.transport.is_closing():
            log.warning("request head not received within %.3g s; closing", self.header_timeout)
            self._refuse(_header_timeout(self.header_timeout))

    def _refuse(self, error: KgError) -> None:
        self._disarm()
        self._awaiting_head = False
        if not self.transport.is_closing():
            self.transport.write(_raw_answer(error))
            self.transport.close()


class _LimitedH11(_Limited, H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11) with the limits."""


if HttpToolsProtocol is not None:

    class _LimitedHttpTools(_Limited, HttpToolsProtocol):
        """uvicorn's HTTP/1.1 protocol on httptools (llhttp, in C) with the limits: what ``kg serve``
        runs when httptools is installed (a request's HTTP handling in a fifth of h11's CPU;
        docs/perf/serving.md)."""


def protocol(settings: Settings) -> type[asyncio.Protocol]:
    """uvicorn's HTTP/1.1 protocol class with the settings' limits (``uvicorn.run(..., http=...)``):
    on httptools if installed, else on h11."""
    base: type[_Limited] = _LimitedH11 if HttpToolsProtocol is None else _LimitedHttpTools
    return type("LimitedHTTPProtocol", (base,), {
        "max_url": settings.max_url_bytes,
        "max_headers": settings.max_header_bytes,
        "header_timeout": settings.header_timeout,
        "max_connections": settings.max_client_connections,
        "open_by_address": Counter(),
    })


def head_buffer_bytes(settings: Settings) -> int:
    """The most bytes of a request head uvicorn's h11 parser buffers (``h11_max_incomplete_event_size``):
    enough for both limits, so that the limits answer 414/431 before the parser answers 400. (httptools
    has no such bound of its own: the limits measure the head before it is parsed.)"""
    return settings.max_url_bytes + settings.max_header_bytes + 1024
