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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg import errors
from kg.errors import KgError, QueryError, QueryTimeout, StoreError
from kg.server.cache import ResultCache, deterministic
from kg.store import CheckedQuery, Format, QueryResult, open_read_only
from kg.store.worker import Failure, Job, Ready, serve_jobs

__all__ = ["CACHE_BYTES", "DEMOTE_AFTER_S", "QueryPool", "wait_readable"]

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("spawn")  # never fork a process that runs an event loop
#: Seconds after which a running query's worker yields the CPU to the others (nice 19).
DEMOTE_AFTER_S = 1.0
#: Seconds a new worker may take to start (imports, opening the store) before it is replaced.
_BOOT_S = 60.0
#: Bytes of answers kept; one answer above an eighth of it is never kept.
CACHE_BYTES = 64 * 2**20


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

    def __init__(self, store_path: Path) -> None:
        parent, child = _CTX.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = _CTX.Process(
            target=serve_jobs, args=(str(store_path), child), daemon=True, name="kg-query-worker"
        )
        self.process.start()
        child.close()
        self.ready = False  # until its Ready message is read
        self.demoted = False

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


class QueryPool:
    """Runs queries in ``size`` worker processes; each query gets at most ``timeout`` seconds."""

    def __init__(self, store_path: Path, size: int, timeout: float, cache_bytes: int = CACHE_BYTES) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._booting: set[asyncio.Task[None]] = set()
        self.respawned = 0  # workers replaced after a timeout, a crash or a cancelled request
        self.retired = 0  # workers replaced after answering a query they were demoted for
        self.cache = ResultCache(cache_bytes, cache_bytes // 8)

    def start(self) -> None:
        """Check that the store opens, then start the workers."""
        open_read_only(self.store_path)  # fail fast, in the parent, with a StoreError
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        """Start a worker; it joins the idle queue once it says it is ready (at once without a loop)."""
        worker = _Worker(self.store_path)
        self._all.add(worker)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # started outside the event loop: run() waits for it to be ready
            self._idle.put_nowait(worker)
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
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        self.respawned += 1
        self._spawn()

    def _release(self, worker: _Worker) -> None:
        """Back to the idle queue; a demoted worker is replaced by one at normal priority instead."""
        if not worker.demoted:
            self._idle.put_nowait(worker)
            return
        worker.kill()
        self._all.discard(worker)
        self.retired += 1
        self._spawn()

    def close(self) -> None:
        """Stop every worker (on server shutdown)."""
        for task in list(self._booting):
            task.cancel()
        for worker in list(self._all):
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
        if cacheable and (kept := self.cache.get(key)) is not None:
            return kept
        budget = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + budget
        try:
            # An idle worker is taken at once; waiting for one costs a task (wait_for) only when none is.
            worker = self._idle.get_nowait() if not self._idle.empty() else await asyncio.wait_for(
                self._idle.get(), budget
            )
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
            raise StoreError(
                f"a query worker died while running the query ({e!r}); it was restarted"
            ) from None
        except BaseException:
            # Cancelled (client went away) mid-query: the worker's state is unknown, replace it.
            self._replace(worker)
            raise
        self._release(worker)
        if isinstance(reply, Failure):
            cls = getattr(errors, reply.error, QueryError)
            raise (cls if isinstance(cls, type) and issubclass(cls, KgError) else QueryError)(reply.message)
        if cacheable:
            self.cache.put(key, reply, len(reply.body) + 4 * len(query.text))
        return reply
