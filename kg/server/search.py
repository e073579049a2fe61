"""``/search``: the search box's page — ranked hits in the printed texts, with snippets, linking to their pages.

The words go to the query pool as a SPARQL query using ``renkei:search`` (docs/search.md), like every
other page's query: the server thread never opens the store or the index itself.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from kg.errors import SearchUnavailable
from kg.search.sparql import string_literal
from kg.search.text import Snippet, parse_query
from kg.server.context import Ctx
from kg.server.http import page_lang
from kg.server.rows import select

__all__ = ["HITS", "router"]

router = APIRouter()

#: How many hits the page shows.
HITS = 50
#: Longest query read (characters): the rest is cut, so a pasted page does not become a huge query.
MAX_QUERY = 200

_QUERY = """SELECT ?hit ?score ?property ?text ?doc ?doc_title ?p_label ?ident ?title {
  (?hit ?score ?snippet ?property ?text) renkei:search (%s %d) .
  OPTIONAL { ?hit dct:identifier ?ident }
  OPTIONAL { ?hit dct:title ?title FILTER (LANG(?title) = "ja") }
  BIND (IRI(REPLACE(STR(?hit), "^(.*/(agreement|amendment)/[^/]+).*$", "$1")) AS ?doc)
  OPTIONAL { ?doc dct:title ?doc_title FILTER (LANG(?doc_title) = "ja") }
  OPTIONAL { ?property rdfs:label ?p_label FILTER (LANG(?p_label) = "%s") }
} ORDER BY DESC(?score) ?hit"""


@router.get("/search", response_model=None, summary="Full-text search of the agreements' printed texts")
async def search(request: Request, ctx: Ctx, q: str = "") -> Response:
    """The search form, and with ``q`` the best :data:`HITS` hits, best first."""
    words = " ".join(q.split())[:MAX_QUERY]
    lang = page_lang(request)
    hits = []
    terms = parse_query(words)
    if terms and ctx.remote is not None:
        # A remote engine does not know renkei:search: it would answer "no hit" to every search.
        raise SearchUnavailable(
            "full-text search needs a release's search index; this server queries a remote SPARQL endpoint",
            ja="全文検索にはリリースの全文検索の索引が要りますが、"
               "このサーバーは外部の SPARQL エンドポイントに問い合わせています。")
    if terms:
        rows = await select(ctx, _QUERY % (string_literal(words), HITS, lang), key=("hit",))
        for row in rows:
            hits.append({**row, "path": ctx.local_path(row["hit"]) or row["hit"],
                         "doc_path": ctx.local_path(row.get("doc", "")) if row.get("doc") != row["hit"] else None,
                         "snippet": Markup(Snippet.of(row.get("text", ""), terms).html())})
    page: Response = ctx.templates.TemplateResponse(
        request, "search.html", {"words": words, "hits": hits, "limit": HITS, "version": ctx.release.version})
    return page
