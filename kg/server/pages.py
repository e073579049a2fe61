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

from kg.errors import ResourceNotFound
from kg.server.context import Ctx, ServerContext
from kg.server.http import not_acceptable
from kg.server.negotiate import choose_representation, link_header, split_extension
from kg.server.rdf_answers import compact_jsonld, represent
from kg.server.views import kind_of, view
from kg.store import GRAPH_FORMATS, Format, check_query

__all__ = ["EXTENSIONS", "describe", "router"]

router = APIRouter()
_IRI_SAFE = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
#: ``.ttl`` → Turtle, …: the graph formats by file extension (negotiate.EXTENSIONS adds .html, .json, .trig, .n3).
EXTENSIONS: dict[str, Format] = {"." + f.extension: f for f in GRAPH_FORMATS}



async def describe(ctx: ServerContext, iri: str, fmt: Format) -> bytes:
    """The resource's description: its own triples and those of blank nodes it owns (a CBD)."""
    query = check_query(f"DESCRIBE <{iri}>")
    result = await ctx.pool.run(query, fmt, limit=ctx.settings.result_limit)
    return result.body


async def _kind(ctx: ServerContext, iri: str) -> tuple[str, list[str]] | None:
    # An IRI that cannot be written as <…> in SPARQL (RFC 3987 excludes these) is in no dataset.
    return await kind_of(ctx, iri) if _IRI_SAFE.fullmatch(iri) else None


def _page(request: Request, ctx: ServerContext, template: str, status: int = 200, **data: Any) -> Response:
    data.setdefault("base", ctx.base)
    data.setdefault("version", ctx.release.version)
    response: Response = ctx.templates.TemplateResponse(request, template, data, status_code=status)
    return response


@router.get("/id/{path:path}", response_model=None)
async def resource(path: str, request: Request, ctx: Ctx) -> Response:
    """HTML for browsers, RDF for programs (by Accept or extension); 406 listing the offers when
    nothing is acceptable; 404 with a page that helps for unknown IRIs."""
    stem, rep = split_extension(path)
    found = None
    if rep is not None:  # …/dataset.ttl may be a resource itself (a distribution of the catalogue)
        found = await _kind(ctx, f"{ctx.base}id/{path}")
        if found is not None:
            stem, rep = path, None
    local = f"/id/{stem}"
    iri = f"{ctx.base}id/{stem}"
    if rep is None:
        chosen = choose_representation(request.headers.get("accept"))
        if chosen is None:
            return not_acceptable(request, local)
        rep = chosen
    if found is None:
        found = await _kind(ctx, iri) if stem else None
    if found is None:
        if not rep.is_html:
            raise ResourceNotFound(f"<{iri}> is not in this dataset",
                                   ja=f"<{iri}> はこのデータセットにありません。")
        return _page(request, ctx, "not_found.html", 404, iri=iri, path=stem)
    kind, types = found
    links = link_header(local, rep)
    if rep.fmt is not None:
        if rep.fmt.name == "jsonld":  # compacted with the project's @context (issue 11)
            body = compact_jsonld(await describe(ctx, iri, EXTENSIONS[".nt"]), ctx.base)
        else:
            body = await describe(ctx, iri, rep.fmt)
        return represent(request, ctx, body, rep, ("id", iri), links)
    data = await view(ctx, kind, iri)
    jsonld = compact_jsonld(await describe(ctx, iri, EXTENSIONS[".nt"]), ctx.base).decode()
    alternates = [(f.media_type, f"{local}.{f.extension}", f.name) for f in GRAPH_FORMATS]
    template = f"{kind}.html" if kind != "resource" else "resource.html"
    response = _page(
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
    response.headers["Link"] = links
    response.headers["Vary"] = "Accept"
    return response
