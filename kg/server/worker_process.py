"""One worker process of a :class:`~kg.server.runner.Runner` and the parent's end of its pipe.

Its first message is ``Ready`` (:func:`kg.store.worker.serve`). Waiting on its pipe never blocks
the event loop (:func:`wait_readable`), and killing it never holds the loop for longer than
:data:`REAP_S`.

Workers are forked by multiprocessing's *fork server*, a process of its own that has imported the
worker's modules (:data:`PRELOAD`) once and runs no event loop and no thread (never fork a process
that does), where the platform has one; else spawned, each a new interpreter. A worker replaced after
every runaway cut off at ``KG_QUERY_TIMEOUT`` made the imports a recurring cost: spawned, a query
worker took 0.40–0.46 s of CPU at normal priority (and 0.6–2 s of wall time on a busy machine)
before it was ready; forked from the fork server, 0.01–0.03 s and 0.04–0.1 s (400 agreements,
docs/perf/serving.md, session 7). ``ps`` shows the fork server as one more process.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess

from kg.store.worker import Handler, Internal, Ready, serve

__all__ = ["PRELOAD", "REAP_S", "WorkerProcess", "start_method", "wait_readable"]

#: Modules the fork server imports once, before it forks a worker: what every worker's job needs.
PRELOAD = ("kg.store.worker",)
#: Seconds the event loop waits for a killed worker to exit; then a thread reaps it.
REAP_S = 0.05


def start_method() -> ForkServerContext | SpawnContext:
    """The fork server's context, preloading :data:`PRELOAD`, where the platform has one; else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))  # read when the fork server starts (the first worker)
    return context


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
        # uvloop leaves a watched fd non-blocking: the blocking recv that follows must not fail with EAGAIN.
        # The pipe may have been closed meanwhile (Runner.close): its EBADF must not replace the
        # cancellation under way (the start-up was then taken for a failed one, and replaced).
        with contextlib.suppress(OSError):
            if not os.get_blocking(fd):
                os.set_blocking(fd, True)


class WorkerProcess:
    """One process and the parent's end of its pipe."""

    def __init__(self, opener: Callable[[], Handler], name: str, memory_limit: int | None,
                 internal: Internal) -> None:
        context = start_method()
        parent, child = context.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = context.Process(
            target=serve, args=(child, opener, memory_limit, internal), daemon=True, name=name
        )
        self.process.start()
        child.close()
        self.ready = False  # until its Ready message is read
        self.demoted = False
        self.spared = False  # a spare was started in its place when it was demoted
        self.lost = False  # died (or spoke) while idle: replaced, and skipped when taken from the queue

    async def boot(self, deadline: float) -> None:
        """Wait for the worker's Ready message (what its jobs need is open); TimeoutError at ``deadline``."""
        if not self.ready:
            await wait_readable(self.conn, deadline)
            message = self.conn.recv()
            if not isinstance(message, Ready):
                raise EOFError(f"a worker said {type(message).__name__} before it was ready")
            self.ready = True

    def cpu_seconds(self) -> float | None:
        """The CPU time the worker has used so far (Linux's per-process CPU clock), None if unknown."""
        pid = self.process.pid
        if pid is None:
            return None
        try:
            return time.clock_gettime((~pid << 3) | 2)  # MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)
        except (OSError, OverflowError):
            return None

    def demote(self) -> None:
        """Lower the worker's CPU priority to the least (nice 19): its job has run long."""
        if self.process.pid is not None:
            with contextlib.suppress(OSError):  # not every platform lets us; the job still runs
                os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
        self.demoted = True

    def kill(self, wait: float = REAP_S) -> None:
        """Kill the process, waiting at most ``wait`` s on the event loop for it to exit (one demoted
        to nice 19 on a busy machine can take seconds, every request waiting with it); a thread reaps
        one not gone by then."""
        self.process.kill()
        self.conn.close()
        self.process.join(timeout=wait)
        if self.process.exitcode is None:
            threading.Thread(target=self.process.join, name="kg-worker-reaper", daemon=True).start()

    def ran_out_of_memory(self) -> bool:
        """Whether the (dead) worker aborted: what pyoxigraph does when an allocation fails past its
        memory limit. Asked after :meth:`kill`, which reaps it (an abort's status wins over our kill)."""
        return self.process.exitcode == -signal.SIGABRT


