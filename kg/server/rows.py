"""SELECTs run in the query pool, read as rows: what the pages, /compare and /search ask of the store.

Every question goes through ``ctx.pool`` (kg.server.pool: its time limit, cache and memory bound,
or the remote store), never to a store opened in the server process.
"""

from __future__ import annotations

import json

from kg.errors import QueryError
from kg.formats import RESULT_FORMATS
from kg.namespaces import PREFIXES
from kg.server.context import ServerContext
from kg.store import QueryKind, check_query

__all__ = ["PROLOGUE", "Row", "bindings", "select"]

#: A row: each variable's lexical value (plus ``var__type`` and ``var__lang`` from :func:`select`).
Row = dict[str, str]
#: The project's prefixes, declared ahead of every query :func:`select` runs.
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


async def bindings(ctx: ServerContext, query: str, limit: int) -> list[dict[str, dict[str, str]]]:
    """Run a SELECT in the pool (its time limit, cache and memory bound): the SPARQL JSON bindings of
    at most ``limit`` rows; a QueryError if it is not a SELECT."""
    checked = check_query(query)
    if checked.kind is not QueryKind.SELECT:
        raise QueryError(f"only SELECT queries can be read as rows, not {checked.kind.value}",
                         ja=f"行として読めるのは SELECT の問い合わせだけです（{checked.kind.value} ではなく）。")
    result = await ctx.pool.run(checked, RESULT_FORMATS[0], limit=limit)
    found: list[dict[str, dict[str, str]]] = json.loads(result.body)["results"]["bindings"]
    return found


async def select(ctx: ServerContext, query: str, limit: int = 5000, key: tuple[str, ...] = ()) -> list[Row]:
    """Run a SELECT in the pool and return its rows as ``{var: value}`` (plus ``var__lang``/``__type``).

    ``key`` keeps the first row per key: a resource with two Japanese labels (skos:prefLabel and
    rdfs:label) would otherwise be listed twice.
    """
    rows: list[Row] = []
    for binding in await bindings(ctx, PROLOGUE + query, limit):
        row: Row = {}
        for var, term in binding.items():
            row[var] = term["value"]
            row[var + "__type"] = term["type"]
            if "xml:lang" in term:
                row[var + "__lang"] = term["xml:lang"]
        rows.append(row)
    if key:
        seen: dict[tuple[str, ...], Row] = {}
        for row in rows:
            seen.setdefault(tuple(row.get(k, "") for k in key), row)
        rows = list(seen.values())
    return rows
