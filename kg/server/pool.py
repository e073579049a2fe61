"""A pool of query worker processes with a hard timeout: an overrunning worker is killed and replaced.

Each worker holds its own read-only handle on the store (RocksDB allows many readers), so the
event loop never runs a query itself and a slow query only ever occupies one worker while the
others keep answering (issue 3, "safe for the public").
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg import errors
from kg.errors import KgError, QueryError, QueryTimeout, StoreError
from kg.store import CheckedQuery, Format, QueryResult, open_read_only
from kg.store.worker import Failure, Job, serve_jobs

__all__ = ["QueryPool", "wait_readable"]

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("spawn")  # never fork a process that runs an event loop


async def wait_readable(conn: Connection, deadline: float) -> None:
    """Wait, without blocking the event loop, until ``conn`` has data; TimeoutError at ``deadline``."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()

    def readable() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, readable)
    try:
        await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
    finally:
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

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Runs queries in ``size`` worker processes; each query gets at most ``timeout`` seconds."""

    def __init__(self, store_path: Path, size: int, timeout: float) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self.respawned = 0

    def start(self) -> None:
        """Check that the store opens, then start the workers."""
        open_read_only(self.store_path)  # fail fast, in the parent, with a StoreError
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self.store_path)
        self._all.add(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        self.respawned += 1
        self._spawn()

    def close(self) -> None:
        """Stop every worker (on server shutdown)."""
        for worker in list(self._all):
            worker.kill()
        self._all.clear()

    async def _reply(self, worker: _Worker, deadline: float) -> QueryResult | Failure:
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
        """Run one query in a worker; raise QueryTimeout (and replace the worker) if it overruns."""
        budget = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + budget
        try:
            worker = await asyncio.wait_for(self._idle.get(), budget)
        except TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy for {budget:g} s; try again later") from None
        try:
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
        self._idle.put_nowait(worker)
        if isinstance(reply, Failure):
            cls = getattr(errors, reply.error, QueryError)
            raise (cls if isinstance(cls, type) and issubclass(cls, KgError) else QueryError)(reply.message)
        return reply
