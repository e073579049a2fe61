"""HEAD on every GET route: the GET's status and headers, without its content (RFC 9110 §9.3.2).

RFC 9110 §9.1: "All general-purpose servers MUST support the methods GET and HEAD". FastAPI's
routes answer only the methods they declare, so without this a harvester's ``HEAD /dumps/…``
(to read Last-Modified and Content-Length before a download) got 405. Declaring HEAD on each
route instead would give every operation a duplicate in the OpenAPI document.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HEAD", "HeadAsGet", "is_head"]

#: Set in the scope of a HEAD request routed as GET, so a response that can skip its content
#: (a dump file: headers from ``stat``, no read) knows to (kg.server.dumps.DumpFile).
HEAD = "kg.head"


def is_head(scope: Scope) -> bool:
    """True when the request was a HEAD (routed as GET by :class:`HeadAsGet`)."""
    return scope.get("method") == "HEAD" or bool(scope.get(HEAD))


class HeadAsGet:
    """ASGI middleware: route a HEAD request as GET and send the answer's headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] != "http.response.body":
                await send(message)  # the start: status and headers (Content-Length the GET's)
            elif not finished and not message.get("more_body", False):
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET", HEAD: True}, receive, headers_only)
