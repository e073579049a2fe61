"""``/sparql``: the SPARQL 1.1 Protocol for queries (W3C REC 2013, §2.1), read-only.

GET with ``query=``, POST form-encoded, POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; results by Accept (q-values) or by the ``format``/``output``/``results``
parameters SPARQLWrapper and browsers send. A bare GET answers the service description, or the
query page to a browser; a browser following a shared ``/sparql?query=…`` link (HTML preferred, no
results format named) gets the page with that query, which it runs.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import NotAcceptable, QueryRefused, UnsupportedMediaType
from kg.formats import QueryKind
from kg.server.context import Ctx, ServerContext
from kg.server.http import (
    not_modified,
    read_body,
    validators,
    with_charset,
)
from kg.server.negotiate import best_match, prefers_html
from kg.server.params import Params, decode_utf8, parse_urlencoded
from kg.server.query_page import TERMS_PATH, query_page, terms
from kg.server.service_description import service_description
from kg.store import CheckedQuery, Format, by_alias, check_query, formats_for

__all__ = ["choose_format", "graph_response", "router", "run_query"]

router = APIRouter()
_FORMAT_PARAMS = ("format", "output", "results")


def choose_format(kind: QueryKind, accept: str | None, params: Params) -> Format:
    """The explicit ``format``/``output`` parameter if it names a format for ``kind``, else Accept."""
    offered = formats_for(kind)
    named = params.first(*_FORMAT_PARAMS)
    if named:
        fmt = by_alias(kind, named)
        if fmt is not None:
            return fmt
    by_type = {mt: fmt for fmt in offered for mt in fmt.media_types}
    chosen = best_match(accept, list(by_type))
    if chosen is None:
        names = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(
            f"a {kind.value} result can be written as {names}; none is acceptable to Accept: {accept}"
        )
    return by_type[chosen]


def graph_response(
    request: Request, ctx: ServerContext, data: bytes | str, fmt: Format, key: tuple[object, ...]
) -> Response:
    """Send an RDF document with validators, Vary and a 304 when the client already has it."""
    headers = {**validators(ctx, *key, fmt.name), "Vary": "Accept"}
    cached = not_modified(request, headers)
    if cached is not None:
        return cached
    return Response(data, media_type=with_charset(fmt.media_type), headers=headers)


def _graph_format(request: Request, params: Params) -> Format:
    return choose_format(QueryKind.CONSTRUCT, request.headers.get("accept"), params)


def _describe_service(request: Request, ctx: ServerContext, params: Params) -> Response:
    fmt = _graph_format(request, params)
    endpoint = str(request.url.replace(query=""))
    graph = service_description(ctx, endpoint)
    return graph_response(request, ctx, graph.serialize(format=fmt.rdflib), fmt, ("sd", endpoint))


async def run_query(request: Request, ctx: ServerContext, params: Params, text: str) -> Response:
    """Check, negotiate, answer from cache or run the query in the pool, and announce any cap."""
    query: CheckedQuery = check_query(text, ctx.graphs)
    fmt = choose_format(query.kind, request.headers.get("accept"), params)
    default_graphs = params.all("default-graph-uri")
    named_graphs = params.all("named-graph-uri")
    limit = ctx.settings.result_limit
    headers = {
        **validators(
            ctx, "sparql", text, default_graphs, named_graphs, fmt.name, limit, str(request.base_url)
        ),
        "Vary": "Accept",
        "X-Result-Limit": str(limit),
    }
    cached = not_modified(request, headers)
    if cached is not None:
        return cached
    result = await ctx.pool.run(
        query,
        fmt,
        limit=limit,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base_iri=str(request.url.replace(query="")),
    )
    headers["X-Result-Count"] = str(result.count)
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
        # RFC 9111 §5.5 (obsoleted but still read by clients): announce that rows were cut.
        headers["Warning"] = f'199 - "result truncated to {limit} rows or triples (KG_RESULT_LIMIT)"'
    if params.first("download"):
        headers["Content-Disposition"] = f'attachment; filename="result.{fmt.extension}"'
    return Response(result.body, media_type=with_charset(result.media_type), headers=headers)


def _refuse_update(params: Params) -> None:
    if params.all("update"):
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")


@router.get("/sparql", response_model=None)
async def sparql_get(request: Request, ctx: Ctx) -> Response:
    """Run ``?query=`` or, without one, describe the service (or show the query page to a browser)."""
    params = parse_urlencoded(request.scope.get("query_string", b""))
    _refuse_update(params)
    text = params.one("query")
    browser = prefers_html(request.headers.get("accept")) and not params.first(*_FORMAT_PARAMS, "download")
    if browser:
        return query_page(request, ctx, text)
    if text is None:
        return _describe_service(request, ctx, params)
    return await run_query(request, ctx, params, text)


@router.get(TERMS_PATH, response_model=None)
async def sparql_terms(request: Request, ctx: Ctx) -> Response:
    """The query page's completions: this dataset's prefixes, classes and properties (JSON)."""
    headers = {**validators(ctx, "terms", ctx.base)}
    cached = not_modified(request, headers)
    if cached is not None:
        return cached
    return Response(await terms(ctx), media_type="application/json", headers=headers)


@router.post("/sparql", response_model=None)
async def sparql_post(request: Request, ctx: Ctx) -> Response:
    """Run a query sent form-encoded or as ``application/sparql-query`` (Protocol §2.1.2, §2.1.3)."""
    params = parse_urlencoded(request.scope.get("query_string", b""))
    _refuse_update(params)
    content_type = request.headers.get("content-type", "")
    media, _, rest = content_type.partition(";")
    media = media.strip().lower()
    body = await read_body(request, ctx.settings.max_body_bytes)
    if media == "application/x-www-form-urlencoded":
        params.extend(parse_urlencoded(body, "the form body"))
        _refuse_update(params)
        text = params.one("query")
        if text is None:
            raise UnsupportedMediaType("the form has no 'query' field")
    elif media == "application/sparql-query":
        charset = next(
            (
                p.split("=", 1)[1].strip().strip('"').lower()
                for p in rest.split(";")
                if p.strip().lower().startswith("charset=")
            ),
            "utf-8",
        )
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"the query must be UTF-8 (SPARQL 1.1 Protocol §2.1.3), not {charset}")
        text = decode_utf8(body, "the query")
    elif media == "application/sparql-update":
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    else:
        raise UnsupportedMediaType(
            f"POST a query as application/x-www-form-urlencoded or application/sparql-query, "
            f"not {media or 'a body without Content-Type'}"
        )
    return await run_query(request, ctx, params, text)
