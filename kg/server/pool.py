"""The query pool: SPARQL queries as jobs of a :class:`~kg.server.runner.Runner`, with a cache and memory bounds.

Each worker holds its own read-only handle on the store (RocksDB allows many readers), so the
event loop never runs a query itself and a slow query only ever occupies one worker while the
others keep answering (issue 3, "safe for the public"). Every query the server runs comes here —
``/sparql``, the pages, ``/compare``, the charts, the catalogue — with the same time limit
(``KG_QUERY_TIMEOUT``), cache and memory bound.

Three things keep cheap queries quick while an expensive one runs (issue 5: p99 under 250 ms for
simple queries while a runaway is cut off). Answers are kept (:mod:`kg.server.cache`): a query
asked before never reaches a worker. A query that has used ``DEMOTE_AFTER_S`` of CPU has its
worker's CPU priority lowered to the least (nice 19), so on a machine with fewer cores than busy
processes the scheduler serves the cheap queries first; that worker is replaced once it answers.
And a query stopped at the time limit after using ``RUNAWAY_CPU_S`` of CPU is remembered (per
release, like one that ran out of memory): asked again, it runs at the least priority from its
start, so a runaway sent again and again never competes with the others' queries (issue 13). One
stopped having used less, slow only because the machine was busy, is not; one that answers in
time is forgotten. While a demoted worker runs, a spare (:data:`SPARE_WORKERS`) takes its place, so
the other queries keep ``KG_WORKERS`` workers at normal priority (kg.server.runner): tried in session 5
on a loaded machine, where the server's own CPU was the limit, it gained nothing; quiet, a runaway left
the lookups one worker and its queue (session 6), and with workers forked from a fork server
(kg.server.worker_process) a spare is ready in tens of milliseconds (docs/perf/serving.md, session 7).

Every worker is bounded in memory too (issue 14, ``KG_QUERY_MEMORY``; kg.store.worker): a query
that needs more is stopped, its worker replaced, and the client answered 503
(:class:`QueryMemoryLimit`). Such a query is remembered for the release (it would need as much
again), and identical queries asked while one runs wait for its answer instead of taking another
worker each: eight clients sending the same runaway occupy one worker, not all of them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Literal

from kg.errors import KgError, QueryMemoryLimit, QueryTimeout, StoreError
from kg.server.cache import ResultCache, deterministic
from kg.server.runner import LIFO_AFTER_S, Runner, Wording, wait_readable
from kg.settings import InMemory, Settings
from kg.store import CheckedQuery, Format, QueryResult, open_read_only
from kg.store.worker import Job, queries

__all__ = ["CACHE_BYTES", "DEMOTE_AFTER_S", "LIFO_AFTER_S", "RUNAWAY_CPU_S", "SPARE_WORKERS", "QueryPool",
           "wait_readable"]

log = logging.getLogger(__name__)
#: Seconds after which a running query's worker yields the CPU to the others (nice 19).
DEMOTE_AFTER_S = 1.0
#: Spare workers started, at most at once, beside demoted ones (each may use KG_QUERY_MEMORY too).
SPARE_WORKERS = 1
#: CPU seconds a query stopped at the time limit must have used to be remembered as a runaway.
RUNAWAY_CPU_S = 1.0
#: Bytes of answers kept; one answer above an eighth of it is never kept.
CACHE_BYTES = 64 * 2**20
#: Queries remembered as needing more memory than a worker has, or as having run past the time limit
#: (per release; oldest forgotten first).
_OVER_MEMORY_KEPT = 1000



def _gigabytes(n: int) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def _memory_error(limit: int | None, again: bool = False) -> QueryMemoryLimit:
    size = _gigabytes(limit) if limit else "its limit"
    size_ja = _gigabytes(limit) if limit else "上限"
    if again:
        return QueryMemoryLimit(
            f"this query needed more than the {size} of memory a query may use (KG_QUERY_MEMORY) when it was "
            "run before on this release, and is not run again",
            ja=f"この問い合わせは、このリリースで以前に実行したとき、1件の問い合わせに使えるメモリ（{size_ja}、"
               "KG_QUERY_MEMORY）を超えたため、再度は実行しません。",
            fix="narrow the query (fewer unbound patterns, a LIMIT without ORDER BY over everything)",
            fix_ja="問い合わせを絞ってください（束縛されていないパターンを減らす、全件の ORDER BY を避けるなど）。",
        )
    return QueryMemoryLimit(
        f"the query needed more than the {size} of memory a query may use (KG_QUERY_MEMORY) and was stopped; "
        "other queries were not affected",
        ja=f"問い合わせが、1件の問い合わせに使えるメモリ（{size_ja}、KG_QUERY_MEMORY）を超えたため中止しました。"
           "ほかの問い合わせには影響していません。",
        fix="narrow the query (fewer unbound patterns, a LIMIT without ORDER BY over everything)",
        fix_ja="問い合わせを絞ってください（束縛されていないパターンを減らす、全件の ORDER BY を避けるなど）。",
    )


#: What the query pool answers when it cannot run a query.
WORDING = Wording(
    busy=lambda budget, _workers: QueryTimeout(
        f"every query worker stayed busy for {budget:g} s; try again later",
        ja=f"すべての問い合わせの処理が{budget:g}秒のあいだ使用中でした。しばらくしてからもう一度お試しください。",
    ),
    overran=lambda budget: QueryTimeout(
        f"the query ran past the time limit of {budget:g} s and was stopped (KG_QUERY_TIMEOUT)",
        ja=f"問い合わせが制限時間の{budget:g}秒（KG_QUERY_TIMEOUT）を超えたため中止しました。",
        fix="narrow the query (bind more of its patterns, or ask for fewer rows)",
        fix_ja="問い合わせを絞ってください（パターンの変数を減らす、求める行を減らすなど）。",
    ),
    died=lambda e: StoreError(
        f"a query worker died while running the query ({e!r}); it was restarted",
        ja="問い合わせの処理が途中で止まりました（再起動しました）。もう一度お試しください。",
    ),
    out_of_memory=_memory_error,
)


class QueryPool(Runner):
    """Runs queries in ``size`` worker processes; each query gets at most ``timeout`` seconds."""

    def __init__(
        self, store_path: Path, size: int, timeout: float, cache_bytes: int = CACHE_BYTES,
        memory_limit: int | None | Literal["settings"] = "settings", in_memory: InMemory = "auto",
    ) -> None:
        """``in_memory``: KG_STORE_IN_MEMORY as the app's settings say."""
        if memory_limit == "settings":  # KG_QUERY_MEMORY, or its default for this many workers
            memory_limit = Settings(workers=max(1, size)).query_memory_bytes
        super().__init__(partial(queries, str(store_path), in_memory, size), size, WORDING, name="kg-query-worker",
                         memory_limit=memory_limit, spares=SPARE_WORKERS)
        self.store_path = store_path
        self.timeout = timeout
        self.cache = ResultCache(cache_bytes, cache_bytes // 8)
        self._over_memory: OrderedDict[Hashable, None] = OrderedDict()
        self._overran: OrderedDict[Job, None] = OrderedDict()  # stopped at the time limit: demoted at once
        self._running: dict[Hashable, asyncio.Future[QueryResult]] = {}

    def start(self) -> None:
        """Check that the store opens, then start the workers."""
        open_read_only(self.store_path)  # fail fast, in the parent, with a StoreError
        super().start()

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
        """Run one query in a worker, or answer it from the cache; QueryTimeout (and the worker
        replaced) if it overruns. ``first``: a probe, served before queued queries (Runner.call)."""
        key = (query.text, fmt.name, limit, tuple(default_graphs), tuple(named_graphs), base_iri)
        job = Job(query, fmt, limit, tuple(default_graphs), tuple(named_graphs), base_iri)
        if not deterministic(query.text):
            return await self._run(key, job, timeout, first)
        while True:
            if (kept := self.cache.get(key)) is not None:
                return kept
            if key in self._over_memory:
                self._over_memory.move_to_end(key)
                raise _memory_error(self.memory_limit, again=True)
            running = self._running.get(key)
            if running is None:
                break
            # The same query is running for another client: its answer (or refusal) is this one's too.
            await asyncio.wait({running})
            if not running.cancelled():
                return running.result()  # raises its error, if it failed
            # That client went away mid-query: run it for this one (or join whoever did first).
        future: asyncio.Future[QueryResult] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            reply = await self._run(key, job, timeout)
        except KgError as e:
            future.set_exception(e)
            future.exception()  # retrieved here: nobody may be waiting for it
            raise
        except BaseException:
            future.cancel()
            raise
        else:
            future.set_result(reply)
            self.cache.put(key, reply, len(reply.body) + 4 * len(query.text))
            return reply
        finally:
            del self._running[key]

    def overran(self, job: object, cpu_seconds: float | None) -> None:
        """Remember a query stopped at the time limit having used :data:`RUNAWAY_CPU_S` of CPU (or
        already remembered): asked again, it runs demoted from the start."""
        if isinstance(job, Job) and (job in self._overran or cpu_seconds is None or cpu_seconds >= RUNAWAY_CPU_S):
            _remember(self._overran, job)

    async def _run(self, key: Hashable, job: Job, timeout: float | None, first: bool = False) -> QueryResult:
        """Run one query in a worker (demoted at once if it ran past the time limit before),
        remembering one that ran out of memory."""
        try:
            reply: QueryResult = await self.call(job, self.timeout if timeout is None else timeout, first=first,
                                                 demote_after=DEMOTE_AFTER_S, demote_now=job in self._overran)
        except QueryMemoryLimit:
            log.warning("a query needed more than %s of memory; its worker was replaced",
                        _gigabytes(self.memory_limit or 0))
            _remember(self._over_memory, key)
            raise
        self._overran.pop(job, None)  # it answered in time after all (a busy machine had slowed it)
        return reply


def _remember(kept: OrderedDict[Any, None], key: Hashable) -> None:
    """Add ``key`` to a bounded memo, forgetting the oldest past :data:`_OVER_MEMORY_KEPT`."""
    kept[key] = None
    kept.move_to_end(key)
    while len(kept) > _OVER_MEMORY_KEPT:
        kept.popitem(last=False)
