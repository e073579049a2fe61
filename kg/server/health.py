"""``/health``: is the store answering, and which release is it (for monitoring)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kg.errors import KgError
from kg.formats import RESULT_FORMATS
from kg.server.context import Ctx
from kg.server.validator import Validator
from kg.store import check_query

__all__ = ["router"]

router = APIRouter()
#: NOW() keeps the probe out of the answers kept (kg.server.cache): a worker must answer it.
_PROBE = check_query("ASK { BIND(NOW() AS ?now) }")


@router.get("/health")
async def health(request: Request, ctx: Ctx) -> JSONResponse:
    """200 with the release's version and size when a worker answers a probe query; 503 otherwise."""
    started = time.perf_counter()
    validator: Validator | None = getattr(request.app.state, "validator", None)
    try:
        await ctx.pool.run(_PROBE, RESULT_FORMATS[0], limit=1, timeout=5.0, first=True)  # not behind the queue
        ok, error = True, None
    except KgError as e:
        ok, error = False, str(e)
    body = {
        "status": "ok" if ok else "unavailable",
        "store": ok,
        "version": ctx.release.version,
        "created": ctx.release.created.isoformat(),
        "quads": sum(ctx.graphs.values()),
        "graphs": len(ctx.graphs),
        "workers": ctx.pool.size,
        "workers_restarted": ctx.pool.respawned,
        # Replaced after answering a query they were demoted for (kg.server.pool, DEMOTE_AFTER_S).
        "workers_retired": getattr(ctx.pool, "retired", 0),
        # Died while idle (killed from outside) and replaced at once, before any query met them.
        "workers_lost": getattr(ctx.pool, "lost", 0),
        # Queries stopped at the memory limit, their worker replaced (KG_QUERY_MEMORY).
        "queries_out_of_memory": getattr(ctx.pool, "out_of_memory", 0),
        "query_memory_bytes": getattr(ctx.pool, "memory_limit", None),
        # The validation worker is killed and replaced at its time limit too (kg.server.validator).
        "validator_restarted": validator.restarted if validator is not None else 0,
        "validate_workers": getattr(validator, "workers", 1),
        "query_timeout_s": ctx.settings.query_timeout,
        "result_limit": ctx.settings.result_limit,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    cache = getattr(ctx.pool, "cache", None)
    if cache is not None:  # answers kept by the embedded store's pool (kg.server.cache)
        body["cache"] = {"answers": len(cache), "bytes": cache.bytes, "hits": cache.hits, "misses": cache.misses}
    if error:
        body["error"] = error
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})
