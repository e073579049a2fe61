"""``/id/…``: every minted IRI dereferences (Cool URIs for the Semantic Web, W3C Note 2008, §4.2).

Browsers get an HTML page that embeds the resource's data as JSON-LD; programs get Turtle,
JSON-LD, N-Triples or RDF/XML by Accept, or by a file extension (``…/072036.ttl``), the way
legislation.gov.uk serves a section as HTML and as data at sibling URLs.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import KgError
from kg.server.context import Ctx, ServerContext
from kg.server.negotiate import best_match
from kg.server.sparql import graph_response
from kg.server.views import kind_of, view
from kg.store import GRAPH_FORMATS, Format, check_query

__all__ = ["EXTENSIONS", "ResourceNotFound", "describe", "router"]

router = APIRouter()
_IRI_SAFE = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
EXTENSIONS: dict[str, Format] = {"." + f.extension: f for f in GRAPH_FORMATS}


class ResourceNotFound(KgError):
    """Raised when an IRI under /id/ is not in the dataset (HTTP 404)."""

    http_status = 404


async def describe(ctx: ServerContext, iri: str, fmt: Format) -> bytes:
    """The resource's description: its own triples and those of blank nodes it owns (a CBD)."""
    query = check_query(f"DESCRIBE <{iri}>")
    result = await ctx.pool.run(query, fmt, limit=ctx.settings.result_limit)
    return result.body


def _page(request: Request, ctx: ServerContext, template: str, status: int = 200, **data: Any) -> Response:
    data.setdefault("base", ctx.base)
    data.setdefault("version", ctx.release.version)
    response: Response = ctx.templates.TemplateResponse(request, template, data, status_code=status)
    return response


@router.get("/id/{path:path}", response_model=None)
async def resource(path: str, request: Request, ctx: Ctx) -> Response:
    """HTML for browsers, RDF for programs; 404 with a page that helps for unknown IRIs."""
    fmt: Format | None = None
    for ext, candidate in EXTENSIONS.items():
        if path.endswith(ext):
            path, fmt = path[: -len(ext)], candidate
            break
    iri = f"{ctx.base}id/{path}"
    if fmt is None:
        offers = ["text/html"] + [mt for f in GRAPH_FORMATS for mt in f.media_types]
        chosen = best_match(request.headers.get("accept"), offers)
        if chosen is None:
            chosen = "text/html"
        if chosen != "text/html":
            fmt = next(f for f in GRAPH_FORMATS if chosen in f.media_types)
    # An IRI that cannot be written as <…> in SPARQL (RFC 3987 excludes these) is in no dataset.
    found = await kind_of(ctx, iri) if _IRI_SAFE.fullmatch(iri) else None
    if found is None:
        if fmt is not None:
            raise ResourceNotFound(f"<{iri}> is not in this dataset")
        return _page(request, ctx, "not_found.html", 404, iri=iri, path=path)
    kind, types = found
    if fmt is not None:
        body = await describe(ctx, iri, fmt)
        return graph_response(request, ctx, body, fmt, ("id", iri))
    data = await view(ctx, kind, iri)
    jsonld = (await describe(ctx, iri, EXTENSIONS[".jsonld"])).decode()
    local = f"/id/{path}"
    alternates = [(f.media_type, f"{local}.{f.extension}", f.name) for f in GRAPH_FORMATS]
    template = f"{kind}.html" if kind != "resource" else "resource.html"
    return _page(
        request,
        ctx,
        template,
        iri=iri,
        kind=kind,
        types=types,
        data=data,
        jsonld=jsonld.replace("</", "<\\/"),
        alternates=alternates,
        local=local,
    )
