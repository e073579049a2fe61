"""HTTP helpers shared by the routers: validators (ETag/Last-Modified), bodies, error answers, languages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from kg.errors import KgError, NotAcceptable, PayloadTooLarge, Problem
from kg.server.context import ServerContext
from kg.server.negotiate import offered, quality

__all__ = [
    "LANGUAGES",
    "page_lang",
    "accept_language",
    "error_response",
    "not_acceptable",
    "framework_error_response",
    "not_modified",
    "read_body",
    "request_lang",
    "validation_error_response",
    "validators",
    "with_charset",
]



def validators(ctx: ServerContext, *key: Any) -> dict[str, str]:
    """``ETag`` and ``Last-Modified`` for a response that depends only on the release and ``key``.

    A release is immutable, so its version plus the request's meaning identifies the bytes
    (RFC 9110 §8.8); harvesters revalidate with If-None-Match and skip unchanged data.
    """
    digest = hashlib.sha256(repr((ctx.release.version, *key)).encode()).hexdigest()[:20]
    return {"ETag": f'"{digest}"', "Last-Modified": format_datetime(ctx.release.created, usegmt=True)}


def not_modified(request: Request, headers: dict[str, str]) -> Response | None:
    """A 304 when the client's If-None-Match names our ETag (RFC 9110 §13.1.2), else None."""
    given = request.headers.get("if-none-match")
    if given is None:
        return None
    tags = {t.strip().removeprefix("W/") for t in given.split(",")}
    if "*" in tags or headers["ETag"] in tags:
        return Response(status_code=304, headers=headers)
    return None


async def read_body(request: Request, limit: int, setting: str = "KG_MAX_BODY_BYTES") -> bytes:
    """The request body, refusing (413) beyond ``limit`` bytes (the setting ``setting``) without reading
    the rest."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(
            f"the request body is {declared} bytes; the limit is {limit} ({setting})",
            ja=f"リクエストの本文が{declared}バイトあり、上限の{limit}バイト（{setting}）を超えています。",
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body exceeds {limit} bytes ({setting})",
                                  ja=f"リクエストの本文が上限の{limit}バイト（{setting}）を超えています。")
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(error: KgError, lang: str = "en", problems: Iterable[Problem] | None = None) -> Response:
    """A typed error as plain text, the way SPARQL clients print it (SPARQL 1.1 Protocol §2.1.5).

    Every problem the error reports (``problems`` when given, else its own), one a line, in ``lang``
    ('ja' or 'en'; a message not written in it falls back to the other): ``Kind: FILE:LINE: …``.
    """
    kind = type(error).__name__
    lines = [p.render(lang) for p in (error.problems if problems is None else problems)]
    return Response(
        f"{kind}: " + "\n".join(lines) + "\n", status_code=error.http_status,
        media_type="text/plain; charset=utf-8", headers={"Content-Language": lang},
    )


#: The languages messages are written in, the first the default.
LANGUAGES = ("en", "ja")


def accept_language(header: str | None, offers: Sequence[str] = LANGUAGES) -> str | None:
    """The offered language the ``Accept-Language`` header weighs highest (RFC 9110 §12.5.4), or None.

    A range matches a tag equal to it or starting with it and ``-`` (``ja`` matches ``ja-JP``, and
    ``ja-JP`` matches ``ja``, as a browser's ``ja-JP`` means Japanese); ``*`` matches any; ``q=0``
    refuses. Among equal weights the range listed first wins.

    >>> accept_language("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7")
    'ja'
    >>> accept_language("en;q=0.5, ja;q=0.4"), accept_language("fr, *;q=0.1"), accept_language("fr")
    ('en', 'en', None)
    >>> accept_language("*, en;q=0"), accept_language(None)
    ('ja', None)
    """
    best: tuple[float, int, int, str] | None = None  # (q, -position, specificity, offer)
    ranges: list[tuple[str, float]] = []
    for element in (header or "").split(","):
        tag, *params = [p.strip() for p in element.split(";")]
        if not tag:
            continue
        ranges.append((tag.lower(), quality(params)))
    for offer in offers:
        matched: tuple[int, float, int] | None = None  # (specificity, q, position)
        for position, (tag, q) in enumerate(ranges):
            if tag == "*":
                spec = 0
            elif tag == offer or tag.startswith(offer + "-") or offer.startswith(tag + "-"):
                spec = 1 + (tag == offer)
            else:
                continue
            if matched is None or spec > matched[0]:
                matched = (spec, q, position)
        if matched is None or matched[1] <= 0:
            continue
        candidate = (matched[1], -matched[2], matched[0], offer)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    return best[3] if best else None


def page_lang(request: Request) -> str:
    """The page's language: Japanese, English with ``?lang=en``."""
    return "en" if request.query_params.get("lang", "").strip().lower() == "en" else "ja"


def request_lang(request: Request) -> str:
    """The language to answer ``request`` in: ``?lang=ja|en``, else its Accept-Language, else English."""
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return accept_language(request.headers.get("accept-language")) or LANGUAGES[0]


def framework_error_response(
    status: int, detail: str, headers: Mapping[str, str] | None = None, *, method: str = "", path: str = ""
) -> Response:
    """An error raised by the framework itself (no route, wrong method), written as ours are.

    ``404 Not Found`` becomes ``NotFound: no route /x (the routes are listed in /openapi.json)``, so that
    every error a client meets reads ``ErrorClass: message`` (docs/http.md, "Refusals").
    """
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    kind = "".join(word.capitalize() for word in phrase.replace("-", " ").split())
    if status == 404:
        message = f"no route {path} (the routes are listed in /openapi.json)"
    elif status == 405:
        allowed = (headers or {}).get("allow") or (headers or {}).get("Allow") or ""
        message = f"{method} is not allowed on {path}" + (f"; use {allowed}" if allowed else "")
    else:
        message = detail or phrase
    return Response(f"{kind}: {message}\n", status_code=status, headers=headers,
                    media_type="text/plain; charset=utf-8")


def validation_error_response(errors: Sequence[Any]) -> Response:
    """FastAPI's parameter validation errors (422) as ``InputError: query parameter 'by': …``."""
    parts = []
    for error in errors:
        loc = [str(x) for x in error.get("loc", ())]
        where = f"{loc[0]} parameter {'.'.join(loc[1:])!r}" if len(loc) > 1 else ".".join(loc) or "the request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return Response("InputError: " + "; ".join(parts) + "\n", status_code=422,
                    media_type="text/plain; charset=utf-8")




def with_charset(media_type: str) -> str:
    """Add ``charset=utf-8`` to textual media types (all our text is UTF-8; RFC 6838 §4.2.1)."""
    textual = media_type.startswith("text/") or media_type.endswith(("+xml", "/xml"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def not_acceptable(request: Request, url: str, html: bool = True, extensions: bool = True) -> Response:
    """406 for a resource none of whose representations the Accept header takes: JSON (the shape of
    every JSON refusal: ``error_type``, ``problems`` with each message in Japanese and English) naming
    the media types offered and the extension URLs that give each without Accept."""
    asked = (request.headers.get("accept") or "")[:200]
    offers = offered(html)
    files = [f"{url}.{ext}" for ext in ("ttl", "jsonld", "rdf", "nt")]
    error = NotAcceptable(
        f"{url} is not available in any type of Accept: {asked}; it is offered as {', '.join(offers)}",
        where=url,
        ja=f"{url} は Accept: {asked} のどの形式でも提供していません。提供する形式は {'、'.join(offers)} です。",
        fix="send one of these types in Accept" + (f", or add an extension: {', '.join(files)}" if extensions else ""),
        fix_ja="Accept にこれらの形式のどれかを指定してください"
        + (f"（拡張子でも選べます: {'・'.join(files)}）。" if extensions else "。"),
    )
    body = {
        "error_type": type(error).__name__,
        "error": {"message": error.message, "message_ja": error.ja, "where": url},
        "problems": [p.as_dict() for p in error.problems],
        "resource": url,
        "accept": asked,
        "offered": offers,
    }
    return JSONResponse(body, status_code=406, headers={"Vary": "Accept", "Content-Language": request_lang(request)})
