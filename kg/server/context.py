"""What every route needs: the settings, the release being served, the query runner, the templates.

A server runs on a local release (a pyoxigraph store queried in worker processes,
:mod:`kg.server.pool`) or on a remote SPARQL endpoint (``kg serve --store sparql:URL``,
:mod:`kg.store.remote`). Routes see the same things either way: ``release`` (the version and
date behind ETag/Last-Modified), ``graphs`` (the dataset's named graphs and their sizes, which
the query guard checks ``FROM`` against) and ``pool`` (runs a checked query, writes its result).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from kg.errors import InputError
from kg.formats import RESULT_FORMATS
from kg.settings import Settings
from kg.store import CheckedQuery, Format, QueryResult, Release, check_query
from kg.store.remote import RemoteStore, remote_url
from kg.store.remote_release import RemoteRelease

__all__ = ["Ctx", "QueryRunner", "ServerContext", "get_context"]

TEMPLATES = Path(__file__).parent / "templates"
#: Seconds the count of a release's graphs may take at start (its workers may still be starting).
_COUNT_S = 120.0


class QueryRunner(Protocol):
    """Runs checked queries for the routes: :class:`~kg.server.pool.QueryPool` or :class:`RemoteStore`."""

    @property
    def size(self) -> int:
        """Queries that can run at once (worker processes, or connections to the remote)."""
        ...

    @property
    def respawned(self) -> int:
        """Queries given up on at the time limit (their worker replaced, or their request abandoned)."""
        ...

    def start(self) -> None:
        """Get ready to run queries (on server start-up)."""
        ...

    def close(self) -> None:
        """Stop running queries (on server shutdown)."""
        ...

    async def run(
        self,
        query: CheckedQuery,
        fmt: Format,
        *,
        limit: int,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
        base_iri: str | None = None,
        first: bool = False,
    ) -> QueryResult:
        """Run ``query`` and write at most ``limit`` rows or triples in ``fmt``; ``first``: a probe
        (/health), run before queries waiting their turn where the runner has a queue."""
        ...


@dataclass
class ServerContext:
    """The state of one running server (one per app, created by ``create_app``)."""

    settings: Settings
    local: Release | None
    pool: QueryRunner
    remote: RemoteStore | None = None
    templates: Jinja2Templates = field(default_factory=lambda: Jinja2Templates(directory=str(TEMPLATES)))
    _graphs: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def on_remote(cls, settings: Settings, store: str) -> ServerContext:
        """A context on the remote store ``sparql:URL``; reads its release now, so a wrong URL fails at once."""
        url = remote_url(store)
        if url is None:
            raise InputError(f"expected sparql:URL, not {store!r}", where="--store")
        remote = RemoteStore(url, settings)
        return cls(settings, None, remote, remote)

    @property
    def release(self) -> Release | RemoteRelease:
        """The release being served; on a remote store, as its catalogue said when last read."""
        if self.remote is not None:
            return self.remote.release
        assert self.local is not None, "a ServerContext has a local release or a remote store"
        return self.local

    @property
    def graphs(self) -> dict[str, int]:
        """The named graphs of the dataset and their triple counts."""
        return self.remote.release.graphs if self.remote is not None else self._graphs

    @property
    def base(self) -> str:
        return self.settings.base_iri

    def load_graphs(self) -> None:
        """Read the list of named graphs once, from the release's manifest: a local release is
        immutable while it is served (a release without the counts is counted by :meth:`count_graphs`).

        A remote store's list comes with its release (:mod:`kg.store.remote_release`).
        """
        if self.local is not None and self.local.graphs:  # a built release's manifest has the counts
            self._graphs = dict(sorted(self.local.graphs.items()))

    async def count_graphs(self) -> None:
        """Count the named graphs through the query pool, once at start, when the manifest did not."""
        if self.local is None or self._graphs:
            return
        q = check_query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        result = await self.pool.run(q, RESULT_FORMATS[0], limit=1_000_000, timeout=_COUNT_S)
        rows = json.loads(result.body)["results"]["bindings"]
        self._graphs = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def local_path(self, iri: str) -> str | None:
        """``https://w3id.org/renkei/id/x`` → ``/id/x`` (None for IRIs outside the base)."""
        return "/" + iri[len(self.base) :] if iri.startswith(self.base) else None


async def get_context(request: Request) -> ServerContext:
    """FastAPI dependency: the server context stored on the app.

    ``async`` so FastAPI calls it on the event loop: a plain ``def`` dependency is run in a thread,
    a hop measured at ~15 ms per request under load (bench/load.py)."""
    ctx: ServerContext = request.app.state.ctx
    return ctx


#: The type routes declare to receive the context (FastAPI's ``Annotated`` dependency style).
Ctx = Annotated[ServerContext, Depends(get_context)]
