"""The routes that answer differently on a remote store (``kg serve --store sparql:URL``).

A remote store holds the release's graphs, not its files. ``/dumps/…`` answers 404 saying where
the release's catalogue puts the dumps (``dcat:downloadURL``): they stay on the host that built
the release. ``/catalog`` and VoID's well-known address answer from the remote's
``graph/catalog``, which ``kg push`` sends with every release. The app factory mounts this router
ahead of :mod:`kg.server.dumps` when the store is remote.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import NotAcceptable, NotOnRemote
from kg.server.context import Ctx, ServerContext
from kg.server.negotiate import best_match
from kg.server.sparql import graph_response
from kg.store import GRAPH_FORMATS, check_query
from kg.store.remote_release import RemoteRelease

__all__ = ["router"]

router = APIRouter()
#: Enough for the catalogue of a national corpus (≈4 triples per graph, 4,000 agreements and more).
_CATALOGUE_LIMIT = 1_000_000


def _remote(ctx: ServerContext) -> RemoteRelease:
    release = ctx.release
    if not isinstance(release, RemoteRelease):
        raise NotOnRemote("this route answers only on a remote store")
    return release


@router.get("/dumps", response_model=None)
@router.get("/dumps/", response_model=None)
async def listing(ctx: Ctx) -> Response:
    """404: the dump files are not here; the message says where the catalogue puts them."""
    raise NotOnRemote(_remote(ctx).where_dumps_are())


@router.get("/dumps/{name}", response_model=None)
async def dump_file(name: str, ctx: Ctx) -> Response:
    """404 naming the catalogue's download URL of ``name``, when it lists one."""
    raise NotOnRemote(_remote(ctx).where_dumps_are(name))


async def _catalogue(request: Request, ctx: ServerContext, key: str) -> Response:
    release = _remote(ctx)
    catalog = str(ctx.settings.ids.graph("catalog"))
    if not release.catalogued:
        raise NotOnRemote(f"the remote store {release.endpoint} holds no catalogue graph <{catalog}>")
    offers = [mt for f in GRAPH_FORMATS for mt in f.media_types]
    chosen = best_match(request.headers.get("accept"), offers)
    if chosen is None:
        raise NotAcceptable("the catalogue is available as " + ", ".join(f.media_type for f in GRAPH_FORMATS))
    fmt = next(f for f in GRAPH_FORMATS if chosen in f.media_types)
    query = check_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{catalog}> {{ ?s ?p ?o }} }}")
    result = await ctx.pool.run(query, fmt, limit=_CATALOGUE_LIMIT)
    return graph_response(request, ctx, result.body, fmt, (key,))


@router.get("/catalog", response_model=None)
async def catalog(request: Request, ctx: Ctx) -> Response:
    """The DCAT-AP 3 catalogue (with the VoID description), as the remote's ``graph/catalog`` holds it."""
    return await _catalogue(request, ctx, "catalog")


@router.get("/.well-known/void", response_model=None)
async def void(request: Request, ctx: Ctx) -> Response:
    """VoID's well-known location (VoID §6.2) answers the same description."""
    return await _catalogue(request, ctx, "void")
