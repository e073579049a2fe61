"""The query page: an editor, the example queries of ``queries/``, results as a table.

It works offline: the editor (CodeMirror 5) is served from the project's own ``npm ci`` install,
and the page falls back to a plain textarea when that is absent.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from kg.errors import KgError
from kg.server.context import ServerContext
from kg.store.formats import GRAPH_FORMATS, RESULT_FORMATS

__all__ = ["examples", "query_page", "vendor_mounts"]

log = logging.getLogger(__name__)
VENDOR = Path(__file__).parent / "node_modules"


def vendor_mounts() -> list[tuple[str, Path]]:
    """(URL prefix, folder) of each front-end library installed by ``npm ci`` that the pages use."""
    folder = VENDOR / "codemirror"
    return [("/static/vendor/codemirror", folder)] if folder.is_dir() else []

DEFAULT_QUERY = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>

# 協約と締結日 / Agreements and their signing dates
SELECT ?agreement ?title ?date WHERE {
  ?agreement a renkei:Agreement ; dct:title ?title .
  OPTIONAL { ?agreement eli:date_document ?date }
}
ORDER BY ?date
"""


def examples(ctx: ServerContext) -> tuple[list[Any], str | None]:
    """The example queries (for this base IRI), and the error if the library cannot be read."""
    folder = ctx.settings.queries_path
    if not folder.is_dir():
        return [], None
    try:
        from kg.querylib import load_queries

        return load_queries(folder), None
    except ImportError as e:
        return [], f"the query library module is missing: {e}"
    except KgError as e:
        log.warning("query examples not shown: %s", e)
        return [], str(e)


def query_page(request: Request, ctx: ServerContext) -> Response:
    """Render the page (the examples are re-read on each request: editing queries/ needs no restart)."""
    docs, error = examples(ctx)
    items: list[dict[str, Any]] = [
        {
            "name": d.name,
            "title_ja": d.title_ja,
            "title_en": d.title_en,
            "description_ja": d.description_ja,
            "description_en": d.description_en,
            "tags": list(d.tags),
            "form": d.form,
            "text": d.for_base(ctx.base),
        }
        for d in docs
    ]
    vendor = (VENDOR / "codemirror" / "lib").is_dir()
    data = {
        "examples": items,
        "examples_error": error,
        "default_query": DEFAULT_QUERY.replace("https://w3id.org/renkei/id/", ctx.base + "id/"),
        "result_formats": RESULT_FORMATS,
        "graph_formats": GRAPH_FORMATS,
        "editor": vendor,
        "limit": ctx.settings.result_limit,
        "timeout": ctx.settings.query_timeout,
        "base": ctx.base,
        "version": ctx.release.version,
    }
    response: Response = ctx.templates.TemplateResponse(request, "query.html", data)
    return response
