"""The query page: YASGUI's editor (YASQE) and result views (YASR), the example queries of ``queries/``.

It works offline: ``@zazuko/yasgui`` is served from the project's own ``npm ci`` install (never a
CDN), its completers are fed by :func:`terms` (this dataset's prefixes, classes and properties)
instead of prefix.cc and LOV, and the page falls back to a plain form when the library is absent.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from kg.errors import KgError
from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.namespaces import PREFIXES
from kg.server.context import ServerContext
from kg.store import check_query

__all__ = ["TERMS_PATH", "examples", "prefixes", "query_page", "terms", "vendor_mounts"]

log = logging.getLogger(__name__)
VENDOR = Path(__file__).parent / "node_modules"
#: The YASGUI build (yasgui.min.js and .css: YASQE and YASR in one file) and where the page loads it.
YASGUI_BUILD = VENDOR / "@zazuko" / "yasgui" / "build"
YASGUI_URL = "/static/vendor/yasgui"
#: Where the page reads the completions from (routed in :mod:`kg.server.sparql`).
TERMS_PATH = "/sparql/terms"


def vendor_mounts() -> list[tuple[str, Path]]:
    """(URL prefix, folder) of each front-end library installed by ``npm ci`` that the pages use."""
    return [(YASGUI_URL, YASGUI_BUILD)] if (YASGUI_BUILD / "yasgui.min.js").is_file() else []


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


def prefixes(ctx: ServerContext) -> dict[str, str]:
    """The prefixes the page offers and shows IRIs with: the project's, and ``rid:`` for the data."""
    return {**PREFIXES, "rid": ctx.base + "id/"}


def query_page(request: Request, ctx: ServerContext, query: str | None = None) -> Response:
    """Render the page, with ``query`` in the editor and run at once when one is given (a shared link).

    The examples are re-read on each request: editing queries/ needs no restart.
    """
    docs, error = examples(ctx)
    items: list[dict[str, Any]] = [
        {
            "doc": d,  # the template reads any further field (published_ja/en) from it
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
    data = {
        "examples": items,
        "examples_error": error,
        "query": query if query is not None else DEFAULT_QUERY.replace("https://w3id.org/renkei/id/", ctx.base + "id/"),
        "run_on_load": query is not None,
        "result_formats": RESULT_FORMATS,
        "graph_formats": GRAPH_FORMATS,
        "yasgui": YASGUI_URL if vendor_mounts() else None,
        "terms_url": TERMS_PATH,
        "prefixes": json.dumps(prefixes(ctx), ensure_ascii=False, sort_keys=True),
        "limit": ctx.settings.result_limit,
        "max_url": ctx.settings.max_url_bytes,
        "timeout": ctx.settings.query_timeout,
        "base": ctx.base,
        "version": ctx.release.version,
    }
    response: Response = ctx.templates.TemplateResponse(request, "query.html", data)
    response.headers["Vary"] = "Accept"  # the same URL answers results to machines
    return response


#: Classes and properties of the dataset: those its ontology graphs declare and those its data uses.
TERMS_QUERY = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?term ?kind (SAMPLE(?ja) AS ?label_ja) (SAMPLE(?en) AS ?label_en) WHERE {
  { ?s a ?term . BIND("class" AS ?k) }
  UNION { VALUES ?type { owl:Class rdfs:Class } ?term a ?type . BIND("class" AS ?k) }
  UNION { SELECT DISTINCT ?term { ?s ?term ?o } }
  UNION { VALUES ?type { rdf:Property owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
          ?term a ?type . }
  BIND(COALESCE(?k, "property") AS ?kind)
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?ja FILTER(LANG(?ja) = "ja") }
  OPTIONAL { ?term rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
}
GROUP BY ?term ?kind
ORDER BY ?kind ?term
"""
_TERMS_LIMIT = 20_000
_terms_cache: dict[tuple[str, str], bytes] = {}


async def terms(ctx: ServerContext) -> bytes:
    """The completions of the page as JSON: prefixes, and every class and property with its labels.

    Read from the served dataset once per release (its ontology graph and the terms its data uses),
    so the editor completes offline what this dataset holds::

        {"prefixes": {"renkei": "https://w3id.org/renkei/ns#", …},
         "classes": [{"iri": …, "ja": "連携協約", "en": "Agreement"}, …], "properties": […]}
    """
    key = (ctx.base, ctx.release.version)
    kept = _terms_cache.get(key)
    if kept is not None:
        return kept
    result = await ctx.pool.run(check_query(TERMS_QUERY), RESULT_FORMATS[0], limit=_TERMS_LIMIT,
                                timeout=max(ctx.settings.query_timeout, 10.0))
    found: dict[str, list[dict[str, str]]] = {"class": [], "property": []}
    for row in json.loads(result.body)["results"]["bindings"]:
        item = {"iri": row["term"]["value"]}
        for lang in ("ja", "en"):
            if f"label_{lang}" in row:
                item[lang] = row[f"label_{lang}"]["value"]
        found[row["kind"]["value"]].append(item)
    body = json.dumps(
        {"prefixes": prefixes(ctx), "classes": found["class"], "properties": found["property"]},
        ensure_ascii=False, sort_keys=True,
    ).encode()
    if not result.truncated:  # a cut list is sent but not kept: the next request tries again
        _terms_cache.clear()  # only the release being served is asked for
        _terms_cache[key] = body
    return body
