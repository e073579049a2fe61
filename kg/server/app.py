"""The app factory: ``create_app(settings)`` wires the routers, middleware and the query pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

import kg
from kg.errors import KgError, StoreError
from kg.release.demo import is_demo, mark_templates
from kg.server import (
    compare,
    dumps,
    filters,
    health,
    home,
    pages,
    remote,
    search,
    security,
    sparql,
    validate,
    vocabulary,
)
from kg.server.context import ServerContext
from kg.server.head import HeadAsGet
from kg.server.http import error_response, framework_error_response, request_lang, validation_error_response
from kg.server.pool import QueryPool
from kg.server.query_page import vendor_mounts
from kg.server.validator import MIN_TIME_LIMIT_S, Validator
from kg.settings import Settings
from kg.store import Release

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
# Headers a browser script on another origin may read (Fetch §3.2.3 CORS-safelisted ones aside).
_EXPOSED = [
    "ETag",
    "Last-Modified",
    "X-Result-Limit",
    "X-Result-Count",
    "X-Result-Truncated",
    "Warning",
    "X-Conforms",
    "Link",
]


def _release_dir(settings: Settings, release: Path | None) -> Path:
    path = release or settings.build_path / "current"
    if not path.exists():
        raise StoreError("no release to serve (run `kg build`)", file=path)
    return path


def create_app(settings: Settings | None = None, release: Path | None = None, store: str | None = None) -> FastAPI:
    """An app serving ``release`` (default: ``build/current``), or the remote ``store`` (``sparql:URL``)."""
    settings = settings or Settings()
    if store is None and release is None and settings.store:  # KG_STORE, e.g. for `uvicorn --factory`
        from kg.store.remote import remote_url

        if remote_url(settings.store) is not None:
            store = settings.store
        else:
            release = Path(settings.store)
    if store is not None:
        ctx = ServerContext.on_remote(settings, store)
    else:
        rel = Release.open(_release_dir(settings, release))
        ctx = ServerContext(settings, rel, QueryPool(rel.store_path, settings.workers, settings.query_timeout,
                                                     settings.cache_bytes, memory_limit=settings.query_memory_bytes,
                                                     in_memory=settings.store_in_memory))
    # KG_VALIDATE_TIMEOUT, or KG_QUERY_TIMEOUT but never below what a large page needs.
    validator = Validator(settings.validate_timeout or max(settings.query_timeout, MIN_TIME_LIMIT_S),
                          workers=settings.validate_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx.load_graphs()
        ctx.pool.start()
        await ctx.count_graphs()  # a release whose manifest has no counts: counted by the pool's workers
        try:
            yield
        finally:
            ctx.pool.close()
            validator.close()
            clerk = getattr(app.state, "clerk_validator", None)  # the validation page's (kg/server/clerk.py)
            if clerk is not None:
                clerk.close()

    app = FastAPI(
        title="renkei-kg",
        version=kg.__version__,
        lifespan=lifespan,
        docs_url=None,  # FastAPI's Swagger page loads from a CDN (no CDN here); the document is /openapi.json
        redoc_url=None,
        description="SPARQL endpoint, linked-data pages and dumps of renkei-kg.",
    )
    app.state.ctx = ctx
    app.state.validator = validator
    filters.install(ctx.templates.env, settings.base_iri)
    if isinstance(ctx.release, Release) and is_demo(ctx.release.manifest):
        mark_templates(ctx.templates.env)  # every page says the dataset is composed
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=_EXPOSED,
        max_age=86400,
    )
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET for everything inside

    @app.exception_handler(KgError)
    async def kg_error(request: Request, exc: KgError) -> Response:
        return error_response(exc, request_lang(request))  # every problem, in the client's language

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return framework_error_response(
            exc.status_code, str(exc.detail), exc.headers, method=request.method, path=request.url.path
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, exc: RequestValidationError) -> Response:
        return validation_error_response(exc.errors())

    # On a remote store, its router answers /dumps and /catalog ahead of the release-file one.
    security.install(app, settings)  # response headers and request limits (issue 14)
    routers = (home, sparql, vocabulary, pages, dumps, health, validate, compare, search)
    for module in (*((remote,) if ctx.remote else ()), *routers):
        app.include_router(module.router)
    for url, folder in vendor_mounts():  # front-end libraries from the project's npm install
        app.mount(url, StaticFiles(directory=folder), name=url.rsplit("/", 1)[-1])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app
