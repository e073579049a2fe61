"""A minimal HTTP/1.1 client that sends request bytes exactly as given (for adversarial requests).

httpx normalises what it sends: it removes ``..`` segments, re-encodes stray ``%`` and refuses
raw non-ASCII bytes in the target. An attacker's client does none of that, so the random
requests go through this one. The answer is parsed with h11 (httpx's own parser), and every
exchange is bounded by a deadline: a server that does not answer in time fails the test.
"""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass

import h11

__all__ = ["Answer", "NoAnswer", "exchange"]


class NoAnswer(Exception):  # noqa: N818 — named after what it reports
    """Raised when the server does not answer within the deadline, or closes without answering."""


@dataclass(frozen=True)
class Answer:
    """A response: status, headers (lower-case names, the last of repeats), body, seconds it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _request_bytes(method: str, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes | None) -> bytes:
    lines = [method.encode("latin-1") + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [name + b": " + value for name, value in headers]
    if body is not None:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def exchange(
    port: int,
    method: str,
    target: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes | None = None,
    timeout: float = 15.0,
) -> Answer:
    """Send one request to ``127.0.0.1:port`` and read the answer, or raise NoAnswer after ``timeout``."""
    started = time.monotonic()
    deadline = started + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # The server may answer (413) and close before reading a large body: read what it said.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(_request_bytes(method, target, headers or [], body))
        # h11 only tracks the exchange; the bytes sent are the ones above, not these.
        # Answers may echo a huge target (a redirect's Location): read headers of any size up to 1 MB.
        conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=1 << 20)
        conn.send(h11.Request(method=method if method.isalpha() else "GET", target="/", headers=[("Host", "x")]))
        conn.send(h11.EndOfMessage())
        status, answer_headers, chunks = 0, {}, []
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise NoAnswer(f"{method} {target[:200]!r}: no answer within {timeout:g} s")
                sock.settimeout(left)
                try:
                    data = sock.recv(65536)
                except TimeoutError:
                    raise NoAnswer(f"{method} {target[:200]!r}: no answer within {timeout:g} s") from None
                except ConnectionResetError:
                    data = b""
                conn.receive_data(data)
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
                answer_headers = {k.decode().lower(): v.decode("latin-1") for k, v in event.headers}
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                if not status:
                    raise NoAnswer(f"{method} {target[:200]!r}: the server closed the connection without answering")
                break
    return Answer(status, answer_headers, b"".join(chunks), time.monotonic() - started)
