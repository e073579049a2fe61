"""A pool of query worker processes with a hard timeout: an overrunning worker is killed and replaced.

Each worker holds its own read-only handle on the store (RocksDB allows many readers), so the
event loop never runs a query itself and a slow query only ever occupies one worker while the
others keep answering (issue 3, "safe for the public").

Two things keep cheap queries quick while an expensive one runs (issue 5: p99 under 250 ms for
simple queries while a runaway is cut off). Answers are kept (:mod:`kg.server.cache`): a query
asked before never reaches a worker. And a query still running after ``DEMOTE_AFTER_S`` has its
worker's CPU priority lowered to the least (nice 19), so on a machine with fewer cores than
busy processes the scheduler serves the cheap queries first; an unprivileged process cannot
raise a priority again, so that worker is replaced once it answers.

Every worker is bounded in memory too (issue 14, ``KG_QUERY_MEMORY``; kg.store.worker): a query
that needs more is stopped, its worker replaced, and the client answered 503
(:class:`QueryMemoryLimit`). Such a query is remembered for the release (it would need as much
again), and identical queries asked while one runs wait for its answer instead of taking another
worker each: eight clients sending the same runaway occupy one worker, not all of them.

A worker that dies while idle (killed from outside, a crash) is noticed at once, by its pipe
closing, and replaced; a query never meets a dead worker, and ``/health`` is answered by the
others meanwhile. ``ps`` shows one more process than ``KG_WORKERS``: Python's multiprocessing
resource tracker, started with the first worker (docs/http.md, "Limits").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections import OrderedDict, deque
from collections.abc import Hashable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal

from kg import errors
from kg.errors import KgError, QueryError, QueryTimeout, StoreError
from kg.server.cache import ResultCache, deterministic
from kg.settings import Settings
from kg.store import CheckedQuery, Format, QueryResult, open_read_only
from kg.store.worker import OUT_OF_MEMORY, Failure, Job, Ready, serve_jobs

__all__ = ["CACHE_BYTES", "DEMOTE_AFTER_S", "LIFO_AFTER_S", "QueryMemoryLimit", "QueryPool", "wait_readable"]

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("spawn")  # never fork a process that runs an event loop
#: Seconds after which a running query's worker yields the CPU to the others (nice 19).
DEMOTE_AFTER_S = 1.0
#: Seconds a new worker may take to start (imports, opening the store) before it is replaced.
_BOOT_S = 60.0
#: Bytes of answers kept; one answer above an eighth of it is never kept.
CACHE_BYTES = 64 * 2**20
#: Seconds the longest-waiting query may have waited before the newest waiting one is served first.
LIFO_AFTER_S = 1.0
#: Queries remembered as needing more memory than a worker has (per release; oldest forgotten first).
_OVER_MEMORY_KEPT = 1000


class QueryMemoryLimit(QueryError):
    """Raised when a query needs more memory than a query worker may use (HTTP 503; KG_QUERY_MEMORY)."""

    http_status = 503


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


async def wait_readable(conn: Connection, deadline: float) -> None:
    """Wait, without blocking the event loop, until ``conn`` has data; TimeoutError at ``deadline``.

    One future, woken by the reader or by a timer: the waiting task resumes in the loop's next
    turn. (``asyncio.wait_for`` adds a waiter and a task hop or two, and under load each turn of
    the loop serves dozens of requests, so every hop shows in the latency.)
    """
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def readable() -> None:
        if not ready.done():
            ready.set_result(None)

    def overdue() -> None:
        if not ready.done():
            ready.set_exception(TimeoutError())

    loop.add_reader(fd, readable)
    timer = loop.call_later(max(0.0, deadline - time.monotonic()), overdue)
    try:
        await ready
    finally:
        timer.cancel()
        loop.remove_reader(fd)


class _Worker:
    """One process and the parent's end of its pipe."""

    def __init__(self, store_path: Path, memory_limit: int | None = None) -> None:
        parent, child = _CTX.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = _CTX.Process(
            target=serve_jobs, args=(str(store_path), child, memory_limit), daemon=True, name="kg-query-worker"
        )
        self.process.start()
        child.close()
        self.ready = False  # until its Ready message is read
        self.demoted = False
        self.lost = False  # died (or spoke) while idle: replaced, and skipped when taken from the queue

    async def boot(self, deadline: float) -> None:
        """Wait for the worker's Ready message (its store open); TimeoutError at ``deadline``."""
        if not self.ready:
            await wait_readable(self.conn, deadline)
            message = self.conn.recv()
            if not isinstance(message, Ready):
                raise EOFError(f"a query worker said {type(message).__name__} before it was ready")
            self.ready = True

    def demote(self) -> None:
        """Lower the worker's CPU priority to the least (nice 19): its query has run long."""
        if self.process.pid is not None:
            with contextlib.suppress(OSError):  # not every platform lets us; the query still runs
                os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
        self.demoted = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def ran_out_of_memory(self) -> bool:
        """Whether the (dead) worker aborted: what pyoxigraph does when an allocation fails past its
        memory limit. Asked after :meth:`kill`, which reaps it (an abort's status wins over our kill)."""
        return self.process.exitcode == -signal.SIGABRT


class QueryPool:
    """Runs queries in ``size`` worker processes; each query gets at most ``timeout`` seconds."""

    def __init__(
        self, store_path: Path, size: int, timeout: float, cache_bytes: int = CACHE_BYTES,
        memory_limit: int | None | Literal["settings"] = "settings",
    ) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout = timeout
        if memory_limit == "settings":  # KG_QUERY_MEMORY, or its default for this many workers
            memory_limit = Settings(workers=self.size).query_memory_bytes
        self.memory_limit: int | None = memory_limit  # bytes per worker (RLIMIT_DATA); None: no limit
        self._idle: deque[_Worker] = deque()
        # Queries waiting for a worker: (since when, the future a freed worker is handed to).
        self._waiters: deque[tuple[float, asyncio.Future[_Worker]]] = deque()
        self._all: set[_Worker] = set()
        self._booting: set[asyncio.Task[None]] = set()
        self.respawned = 0  # workers replaced after a timeout, a crash or a cancelled request
        self.retired = 0  # workers replaced after answering a query they were demoted for
        self.out_of_memory = 0  # queries stopped at the memory limit (their worker replaced)
        self.lost = 0  # workers that died while idle (killed from outside), replaced at once
        self.cache = ResultCache(cache_bytes, cache_bytes // 8)
        self._over_memory: OrderedDict[Hashable, None] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[QueryResult]] = {}

    def start(self) -> None:
        """Check that the store opens, then start the workers."""
        open_read_only(self.store_path)  # fail fast, in the parent, with a StoreError
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        """Start a worker; it joins the idle queue once it says it is ready (at once without a loop)."""
        worker = _Worker(self.store_path, self.memory_limit)
        self._all.add(worker)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # started outside the event loop: run() waits for it to be ready
            self._idle.append(worker)
            return
        task = loop.create_task(self._admit(worker))
        self._booting.add(task)
        task.add_done_callback(self._booting.discard)

    async def _admit(self, worker: _Worker) -> None:
        try:
            await worker.boot(time.monotonic() + _BOOT_S)
        except (TimeoutError, EOFError, OSError) as e:
            log.warning("query worker %s did not start (%r); starting another", worker.process.pid, e)
            self._replace(worker)
            return
        self._park(worker)

    def _park(self, worker: _Worker) -> None:
        """Hand a ready worker to a waiting query, or put it in the idle queue, watching its pipe: an
        idle worker says nothing, so the pipe turning readable means it died (its end closed) and it
        is replaced at once.

        Waiting queries are served first come, first served while the wait is short; once the
        longest has waited ``LIFO_AFTER_S``, the queue is backed up (runaways ahead in it, each
        holding a worker for seconds) and the newest is served first ("adaptive LIFO", B. Maurer,
        *Fail at Scale*, ACM Queue 13(8), 2015): a query asked now is answered when a worker frees,
        rather than after everything queued before it, and the oldest waiters meet their time limit.
        """
        while self._waiters:
            since, waiter = self._waiters[0]
            if waiter.done():  # timed out or cancelled meanwhile
                self._waiters.popleft()
                continue
            if time.monotonic() - since > LIFO_AFTER_S:
                while self._waiters[-1][1].done():
                    self._waiters.pop()
                since, waiter = self._waiters.pop()
            else:
                self._waiters.popleft()
            waiter.set_result(worker)
            return
        self._idle.append(worker)
        if not worker.ready:
            return  # its Ready message is still to be read (pool started outside the event loop)
        with contextlib.suppress(RuntimeError, OSError, ValueError):  # no running loop: checked when taken
            asyncio.get_running_loop().add_reader(worker.conn.fileno(), self._lost, worker)

    def _unwatch(self, worker: _Worker) -> None:
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            asyncio.get_running_loop().remove_reader(worker.conn.fileno())

    def _lost(self, worker: _Worker) -> None:
        """An idle worker's pipe turned readable: it died; start its replacement now."""
        self._unwatch(worker)
        if worker.lost or worker not in self._all:
            return
        worker.lost = True
        log.warning("idle query worker %s died (exit code %s); starting another", worker.process.pid,
                    worker.process.exitcode)
        self.lost += 1
        self._replace(worker, counted=False)

    async def _wait_for_worker(self, deadline: float) -> _Worker:
        """The next worker :meth:`_park` hands over; TimeoutError at ``deadline``."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append((time.monotonic(), waiter))

        def overdue() -> None:
            if not waiter.done():
                waiter.set_exception(TimeoutError())

        timer = loop.call_later(max(0.0, deadline - time.monotonic()), overdue)
        try:
            return await waiter
        except asyncio.CancelledError:
            # Cancelled (the client went away) just as a worker was handed over: hand it on.
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._park(waiter.result())
            raise
        finally:
            timer.cancel()

    async def _take(self, budget: float) -> _Worker:
        """An idle, living worker; TimeoutError when none frees up within ``budget`` seconds."""
        deadline = time.monotonic() + budget
        while True:
            worker = self._idle.popleft() if self._idle else await self._wait_for_worker(deadline)
            if worker.lost:
                continue
            self._unwatch(worker)
            if worker.ready and (not worker.process.is_alive() or worker.conn.poll()):
                self._lost(worker)  # died before its pipe was watched
                continue
            return worker

    def _replace(self, worker: _Worker, *, counted: bool = True) -> None:
        """Kill ``worker`` and start another; ``counted`` in ``respawned`` unless counted elsewhere."""
        worker.kill()
        self._all.discard(worker)
        self.respawned += counted
        self._spawn()

    def _release(self, worker: _Worker) -> None:
        """Back to the idle queue; a demoted worker is replaced by one at normal priority instead."""
        if not worker.demoted:
            self._park(worker)
            return
        worker.kill()
        self._all.discard(worker)
        self.retired += 1
        self._spawn()

    def close(self) -> None:
        """Stop every worker (on server shutdown)."""
        for task in list(self._booting):
            task.cancel()
        for _, waiter in self._waiters:
            waiter.cancel()
        self._waiters.clear()
        for worker in list(self._all):
            self._unwatch(worker)
            worker.kill()
        self._all.clear()

    async def _reply(self, worker: _Worker, deadline: float) -> QueryResult | Failure:
        demote_at = time.monotonic() + DEMOTE_AFTER_S
        if demote_at < deadline:
            try:
                await wait_readable(worker.conn, demote_at)
            except TimeoutError:
                worker.demote()
        await wait_readable(worker.conn, deadline)
        reply: QueryResult | Failure = worker.conn.recv()
        return reply

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
    ) -> QueryResult:
        """Run one query in a worker, or answer it from the cache; QueryTimeout (and the worker
        replaced) if it overruns."""
        key = (query.text, fmt.name, limit, tuple(default_graphs), tuple(named_graphs), base_iri)
        cacheable = deterministic(query.text)
        if not cacheable:
            return await self._run(key, query, fmt, limit, default_graphs, named_graphs, timeout, base_iri)
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
            reply = await self._run(key, query, fmt, limit, default_graphs, named_graphs, timeout, base_iri)
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

    async def _run(
        self,
        key: Hashable,
        query: CheckedQuery,
        fmt: Format,
        limit: int,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        timeout: float | None,
        base_iri: str | None,
    ) -> QueryResult:
        """Run one query in a worker: the time, memory and crash handling of :meth:`run`."""
        budget = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + budget
        try:
            worker = await self._take(budget)
        except TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy for {budget:g} s; try again later") from None
        try:
            await worker.boot(deadline)
            worker.conn.send(Job(query, fmt, limit, tuple(default_graphs), tuple(named_graphs), base_iri))
            reply = await self._reply(worker, deadline)
        except TimeoutError:
            log.warning("query ran past %.3g s; killing worker %s", budget, worker.process.pid)
            self._replace(worker)
            raise QueryTimeout(
                f"the query ran past the time limit of {budget:g} s and was stopped (KG_QUERY_TIMEOUT)"
            ) from None
        except (EOFError, OSError) as e:
            self._replace(worker)
            if self.memory_limit is not None and worker.ran_out_of_memory():
                raise self._over(key) from None
            raise StoreError(
                f"a query worker died while running the query ({e!r}); it was restarted"
            ) from None
        except BaseException:
            # Cancelled (client went away) mid-query: the worker's state is unknown, replace it.
            self._replace(worker)
            raise
        if isinstance(reply, Failure) and reply.error == OUT_OF_MEMORY:
            self._replace(worker)  # it exits after saying so
            raise self._over(key)
        self._release(worker)
        if isinstance(reply, Failure):
            cls = getattr(errors, reply.error, QueryError)
            raise (cls if isinstance(cls, type) and issubclass(cls, KgError) else QueryError)(reply.message)
        return reply

    def _over(self, key: Hashable) -> QueryMemoryLimit:
        """Count and remember a query stopped at the memory limit; the error to answer with."""
        log.warning("a query needed more than %s of memory; its worker was replaced",
                    _gigabytes(self.memory_limit or 0))
        self.out_of_memory += 1
        self._over_memory[key] = None
        while len(self._over_memory) > _OVER_MEMORY_KEPT:
            self._over_memory.popitem(last=False)
        return _memory_error(self.memory_limit)
