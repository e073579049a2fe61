"""What every route needs: the settings, the release being served, the query pool, the templates."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from kg.server.pool import QueryPool
from kg.settings import Settings
from kg.store import Release, check_query, execute
from kg.store.formats import RESULT_FORMATS
from kg.store.release import open_read_only

__all__ = ["Ctx", "ServerContext", "get_context"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class ServerContext:
    """The state of one running server (one per app, created by ``create_app``)."""

    settings: Settings
    release: Release
    pool: QueryPool
    templates: Jinja2Templates = field(default_factory=lambda: Jinja2Templates(directory=str(TEMPLATES)))
    graphs: dict[str, int] = field(default_factory=dict)
    validate_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def base(self) -> str:
        return self.settings.base_iri

    def load_graphs(self) -> None:
        """Read the list of named graphs once: the release is immutable while it is served."""
        store = open_read_only(self.release.store_path)
        q = check_query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        result = execute(store, q, RESULT_FORMATS[0], limit=1_000_000)
        rows = json.loads(result.body)["results"]["bindings"]
        self.graphs = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        del store

    def local_path(self, iri: str) -> str | None:
        """``https://w3id.org/renkei/id/x`` → ``/id/x`` (None for IRIs outside the base)."""
        return "/" + iri[len(self.base) :] if iri.startswith(self.base) else None


def get_context(request: Request) -> ServerContext:
    """FastAPI dependency: the server context stored on the app."""
    ctx: ServerContext = request.app.state.ctx
    return ctx


#: The type routes declare to receive the context (FastAPI's ``Annotated`` dependency style).
Ctx = Annotated[ServerContext, Depends(get_context)]
