"""``/dumps/`` (the release's files), ``/catalog`` (DCAT-AP 3) and ``/.well-known/void`` (VoID §6.2)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from rdflib import Graph
from starlette.datastructures import Headers
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable
from starlette.types import Receive, Scope, Send

from kg.dumps import DUMPS
from kg.errors import KgError
from kg.publish import CATALOG_FILE
from kg.server.context import Ctx, ServerContext
from kg.server.head import is_head
from kg.server.http import NotAcceptable, not_modified, validators
from kg.server.negotiate import best_match, prefers_html
from kg.server.sparql import graph_response
from kg.store import GRAPH_FORMATS

__all__ = ["DumpFile", "DumpNotFound", "router"]

router = APIRouter()
_RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_MEDIA = {d.name: d.media_type for d in DUMPS} | {CATALOG_FILE: "text/turtle"}


class DumpNotFound(KgError):
    """Raised for a file name that is not one of the release's dumps (HTTP 404)."""

    http_status = 404


class DumpFile(FileResponse):
    """A dump file answering HEAD without reading it, and Range as RFC 9110 §14.2 says.

    Starlette answers a Range it cannot parse, or one in a unit other than bytes, with 400; the
    RFC says a server MUST ignore an unknown range unit and MAY ignore a Range it cannot use, so
    both get the whole file (200). An unsatisfiable range is 416 with ``Content-Range: bytes */N``
    (§15.5.17) and a message saying why.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_head(scope):
            scope = {**scope, "method": "HEAD"}  # headers from stat, the file never read (a dump can be GBs)
        value = Headers(scope=scope).get("range")
        if value is not None and self.stat_result is not None:
            size = self.stat_result.st_size
            try:
                self._parse_range_header(value, size)
            except MalformedRangeHeader:
                scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]}
            except RangeNotSatisfiable:
                refusal = Response(
                    f"RangeNotSatisfiable: Range: {value[:200]} starts past the end of the file ({size} bytes)\n",
                    status_code=416,
                    headers={"Content-Range": f"bytes */{size}"},
                    media_type="text/plain; charset=utf-8",
                )
                await refusal(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _files(ctx: ServerContext) -> list[dict[str, object]]:
    folder = ctx.release.dumps_path
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and (path.name in _MEDIA or path.name.removesuffix(".gz") in _MEDIA):
            stat = path.stat()
            out.append(
                {
                    "name": path.name,
                    "bytes": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
                }
            )
    return out


@router.get("/dumps", response_model=None)
@router.get("/dumps/", response_model=None)
async def listing(request: Request, ctx: Ctx) -> Response:
    """The dump files: an HTML page for browsers, JSON for programs."""
    files = _files(ctx)
    if prefers_html(request.headers.get("accept")):
        page: Response = ctx.templates.TemplateResponse(
            request,
            "dumps.html",
            {"files": files, "base": ctx.base, "version": ctx.release.version, "media": _MEDIA},
        )
        return page
    from fastapi.responses import JSONResponse

    return JSONResponse({"version": ctx.release.version, "files": files})


@router.get("/dumps/{name}", response_model=None)
async def dump_file(name: str, request: Request, ctx: Ctx) -> Response:
    """One dump, with ETag/Last-Modified so harvesters can skip unchanged data (RFC 9110 §13)."""
    path = ctx.release.dumps_path / name
    plain = name.removesuffix(".gz")
    if "/" in name or plain not in _MEDIA or not path.is_file():
        raise DumpNotFound(f"no dump named {name!r}; see /dumps/")
    stat = path.stat()
    headers = validators(ctx, "dump", name, stat.st_size)
    headers["Last-Modified"] = format_datetime(datetime.fromtimestamp(stat.st_mtime, UTC), usegmt=True)
    cached = not_modified(request, headers)
    if cached is not None:
        return cached
    if name.endswith(".gz"):
        # The file is gzip itself: say so as its type, so no client or proxy unpacks it on the way.
        return DumpFile(path, media_type="application/gzip", headers=headers, filename=name, stat_result=stat)
    return DumpFile(
        path,
        media_type=_MEDIA[plain] + ("; charset=utf-8" if _MEDIA[plain].startswith("text/") else ""),
        headers=headers,
        stat_result=stat,
    )


def _catalogue(ctx: ServerContext) -> Graph:
    path = ctx.release.dumps_path / CATALOG_FILE
    if not path.is_file():
        raise DumpNotFound("this release has no catalogue (it was not built with kg.publish)")
    return Graph().parse(path, format="turtle")


def _negotiated(request: Request, ctx: ServerContext, graph: Graph, key: str) -> Response:
    offers = [mt for f in GRAPH_FORMATS for mt in f.media_types]
    chosen = best_match(request.headers.get("accept"), offers)
    if chosen is None:
        raise NotAcceptable("the catalogue is available as " + ", ".join(f.media_type for f in GRAPH_FORMATS))
    fmt = next(f for f in GRAPH_FORMATS if chosen in f.media_types)
    return graph_response(request, ctx, graph.serialize(format=_RDFLIB[fmt.name]), fmt, (key,))


@router.get("/catalog", response_model=None)
async def catalog(request: Request, ctx: Ctx) -> Response:
    """The DCAT-AP 3 catalogue (with the VoID description) as Turtle, RDF/XML, JSON-LD or N-Triples."""
    return _negotiated(request, ctx, _catalogue(ctx), "catalog")


@router.get("/.well-known/void", response_model=None)
async def void(request: Request, ctx: Ctx) -> Response:
    """VoID's well-known location (VoID §6.2) answers the same description."""
    return _negotiated(request, ctx, _catalogue(ctx), "void")
