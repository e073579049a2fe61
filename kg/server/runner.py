"""Jobs in worker processes with a hard time limit: an overrunning worker is killed and replaced.

The server's one way of running what a thread cannot stop: queries (:class:`~kg.server.pool.QueryPool`)
and validations (:class:`~kg.server.validator.Validator`) are jobs of a :class:`Runner`, each in a
process of its own (:func:`kg.store.worker.serve`) speaking one protocol: ``Ready``, then an answer or
a ``Failure`` carrying the typed error whole. The event loop never runs a job, and a slow job only
occupies one worker while the others answer (issue 3). Its refusals' words are its :class:`Wording`.

Waiting jobs are served first come, first served while the wait is short, newest first once the queue
is backed up (:data:`LIFO_AFTER_S`); probes (``first``: /health) before both. A job that has used
``demote_after`` seconds of its worker's *CPU* (not wall time: a job slow only because the machine is
busy is not starved) has that worker lowered to nice 19, so quick jobs come first; one known to be a
runaway (``demote_now``) runs demoted from the start; a demoted worker is replaced once it answers
(an unprivileged process cannot raise a priority again). While it runs, a *spare* worker takes its
place (at most ``spares`` at once): the other jobs keep ``size`` workers at normal priority instead
of queueing on one fewer (issue 13: "a runaway must not halve the capacity left for everyone else").
A worker that dies while idle is noticed by its pipe closing and replaced at once. A *lazy* runner
starts workers on first use and takes the most recently used first (a quiet server runs one); an
eager one starts ``size`` and takes them in turn. A closed runner starts no worker (a cancelled
start-up or job is not replaced while the server shuts down). Each worker is a
:class:`~kg.server.worker_process.WorkerProcess`; ``ps`` shows two more processes: multiprocessing's
fork server and resource tracker (docs/http.md, "Limits").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.errors import KgError
from kg.server.worker_process import REAP_S, WorkerProcess, wait_readable
from kg.store.worker import QUERYING, Failure, Handler, Internal

__all__ = ["LIFO_AFTER_S", "Runner", "Wording", "wait_readable"]

log = logging.getLogger(__name__)
_BOOT_S = 60.0  # seconds a new worker may take to start (imports, opening the store) before it is replaced
#: Seconds the longest-waiting job may have waited before the newest waiting one is served first.
LIFO_AFTER_S = 1.0


@dataclass(frozen=True)
class Wording:
    """The errors a runner answers with: no worker freed within the budget (``busy(budget, workers)``),
    the job ran past it (``overran(budget)``), the worker died (``died(error)``), or the job needed
    more than the worker's memory (``out_of_memory(limit)``)."""

    busy: Callable[[float, int], KgError]
    overran: Callable[[float], KgError]
    died: Callable[[BaseException], KgError]
    out_of_memory: Callable[[int | None], KgError]


class Runner:
    """Runs jobs in ``size`` worker processes made by ``opener`` (see the module docstring)."""

    def __init__(
        self, opener: Callable[[], Handler], size: int, wording: Wording, *, name: str = "kg-worker",
        memory_limit: int | None = None, internal: Internal = QUERYING, lazy: bool = False, spares: int = 0,
    ) -> None:
        self.opener = opener
        self.size = max(1, size)
        self.wording = wording
        self.name = name
        self.memory_limit: int | None = memory_limit  # bytes per worker (RLIMIT_DATA); None: no limit
        self.internal = internal
        self.lazy = lazy
        self.spares = 0 if lazy else spares  # workers started beside demoted ones, at most at once
        self._idle: deque[WorkerProcess] = deque()
        # Jobs waiting for a worker: (since when, the future a freed worker is handed to).
        self._waiters: deque[tuple[float, asyncio.Future[WorkerProcess]]] = deque()
        self._first: deque[asyncio.Future[WorkerProcess]] = deque()  # probes (/health): served before the queue
        self._all: set[WorkerProcess] = set()
        self._booting: set[asyncio.Task[None]] = set()
        self.respawned = 0  # workers replaced after a timeout, a crash, running out of memory or a cancelled job
        self.retired = 0  # workers replaced after answering a job they were demoted for
        self.spared = 0  # spare workers started beside a demoted one
        self.out_of_memory = 0  # jobs stopped at the memory limit (their worker replaced)
        self.lost = 0  # workers that died while idle (killed from outside), replaced at once
        self._closed = False  # closed (server shutdown) and not started again: no worker is started

    def start(self) -> None:
        """Start the workers (a lazy runner starts each on first use)."""
        self._closed = False
        if not self.lazy:
            for _ in range(self.size):
                self._spawn()

    def _new(self) -> WorkerProcess:
        worker = WorkerProcess(self.opener, self.name, self.memory_limit, self.internal)
        self._all.add(worker)
        return worker

    def _spawn(self) -> None:
        """Start a worker; it joins the idle queue once it says it is ready (at once without a loop)."""
        if self._closed:
            return
        worker = self._new()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # started outside the event loop: call() waits for it to be ready
            self._idle.append(worker)
            return
        task = loop.create_task(self._admit(worker))
        self._booting.add(task)
        task.add_done_callback(self._booting.discard)

    async def _admit(self, worker: WorkerProcess) -> None:
        try:
            await worker.boot(time.monotonic() + _BOOT_S)
        except (TimeoutError, EOFError, OSError) as e:
            if self._closed:
                return
            log.warning("%s %s did not start (%r); starting another", self.name, worker.process.pid, e)
            self._replace(worker)
            return
        self._park(worker)

    def _park(self, worker: WorkerProcess) -> None:
        """Hand a ready worker to a waiting probe, else a waiting job, else the idle queue, watching its
        pipe (an idle worker says nothing: the pipe turning readable means it died; it is replaced).
        Jobs are served first come, first served until the oldest has waited ``LIFO_AFTER_S``; then the
        newest first ("adaptive LIFO", B. Maurer, *Fail at Scale*, ACM Queue 13(8), 2015): a job sent
        now is answered when a worker frees, and the oldest waiters meet their time limit."""
        while self._first:
            if not (probe := self._first.popleft()).done():
                probe.set_result(worker)
                return
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
            return  # its Ready message is still to be read (runner started outside the event loop)
        with contextlib.suppress(RuntimeError, OSError, ValueError):  # no running loop: checked when taken
            asyncio.get_running_loop().add_reader(worker.conn.fileno(), self._lost, worker)

    def _unwatch(self, worker: WorkerProcess) -> None:
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            asyncio.get_running_loop().remove_reader(worker.conn.fileno())

    def _lost(self, worker: WorkerProcess) -> None:
        """An idle worker's pipe turned readable: it died; start its replacement now."""
        self._unwatch(worker)
        if worker.lost or worker not in self._all:
            return
        worker.lost = True
        log.warning("idle %s %s died (exit code %s); starting another", self.name, worker.process.pid,
                    worker.process.exitcode)
        self.lost += 1
        self._replace(worker, counted=False)

    async def _wait_for_worker(self, deadline: float, first: bool = False) -> WorkerProcess:
        """The next worker :meth:`_park` hands over (``first``: before every queued job); TimeoutError
        at ``deadline``."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[WorkerProcess] = loop.create_future()
        if first:
            self._first.append(waiter)
        else:
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

    async def _take(self, budget: float, first: bool = False) -> WorkerProcess:
        """An idle, living worker (a lazy runner starts one if it has fewer than ``size``);
        TimeoutError when none frees up within ``budget`` seconds."""
        deadline = time.monotonic() + budget
        while True:
            if self._idle:
                worker = self._idle.pop() if self.lazy else self._idle.popleft()
            elif self.lazy and len(self._all) < self.size:
                return self._new()  # booted by call(), within the job's time
            else:
                worker = await self._wait_for_worker(deadline, first)
            if worker.lost:
                continue
            self._unwatch(worker)
            if worker.ready and (not worker.process.is_alive() or worker.conn.poll()):
                self._lost(worker)  # died before its pipe was watched
                continue
            return worker

    def _replace(self, worker: WorkerProcess, *, counted: bool = True, wait: float = REAP_S) -> None:
        """Kill ``worker`` (waiting ``wait`` seconds for it to exit) and start another (a lazy runner
        starts one when a job needs it); ``counted`` in ``respawned`` unless counted elsewhere."""
        worker.kill(wait)
        self._all.discard(worker)
        self.respawned += counted
        if not (self.lazy or worker.spared):  # a spare took its place when it was demoted
            self._spawn()

    def _release(self, worker: WorkerProcess) -> None:
        """Back to the idle queue; a demoted worker is replaced by one at normal priority instead."""
        if not worker.demoted:
            self._park(worker)
            return
        self._replace(worker, counted=False)
        self.retired += 1

    def _demote(self, worker: WorkerProcess) -> None:
        """Lower the worker's priority, and start a spare in its place if fewer than ``spares`` run."""
        worker.demote()
        if not worker.spared and sum(w.spared for w in self._all) < self.spares and not self._closed:
            worker.spared = True
            self.spared += 1
            self._spawn()

    def overran(self, job: object, cpu_seconds: float | None) -> None:
        """Told of a job stopped at its time limit after ``cpu_seconds`` of CPU (None: unknown)."""

    def close(self) -> None:
        """Stop every worker (on server shutdown); none is started again (to replace one whose start-up
        or job was cancelled) until :meth:`start`."""
        self._closed = True
        for task in list(self._booting):
            task.cancel()
        for waiter in [*self._first, *(w for _, w in self._waiters)]:
            waiter.cancel()
        self._waiters.clear()
        self._first.clear()
        for worker in list(self._all):
            self._unwatch(worker)
            worker.kill()
        self._all.clear()
        self._idle.clear()

    async def _reply(self, worker: WorkerProcess, deadline: float, demote_after: float | None,
                     started: float | None) -> Any:
        """The worker's answer by ``deadline`` (TimeoutError past it), demoting it once its job has used
        ``demote_after`` s of CPU since ``started`` (of wall time where the CPU clock cannot be read)."""
        if demote_after is not None and not worker.demoted:
            check = time.monotonic() + demote_after
            while check < deadline:
                try:
                    await wait_readable(worker.conn, check)
                    return worker.conn.recv()
                except TimeoutError:
                    now = worker.cpu_seconds()
                    used = demote_after if started is None or now is None else now - started
                    if used >= demote_after:
                        self._demote(worker)
                        break
                    # CPU is at most wall time: check again when the job could have used the rest.
                    check = time.monotonic() + (demote_after - used)
        await wait_readable(worker.conn, deadline)
        return worker.conn.recv()

    async def call(self, job: object, budget: float, demote_after: float | None = None,
                   demote_now: bool = False, first: bool = False) -> Any:
        """Run ``job`` in a worker within ``budget`` seconds (waiting for one included): its answer, or
        the error it failed with; the :class:`Wording`'s errors when no worker frees up, when the job
        overruns (its worker killed and replaced, and :meth:`overran` told), when the worker dies or
        runs out of memory. ``demote_now``: run it at the least CPU priority from the start; ``first``:
        a probe, handed the next free worker before every queued job (so /health tells whether a
        worker answers, not how long the queue is)."""
        deadline = time.monotonic() + budget
        sent, started = False, None  # whether the job was sent; the worker's CPU time then
        try:
            worker = await self._take(budget, first)
        except TimeoutError:
            raise self.wording.busy(budget, self.size) from None
        try:
            await worker.boot(deadline)
            if demote_now:
                self._demote(worker)
            started = worker.cpu_seconds()
            worker.conn.send(job)
            sent = True
            reply = await self._reply(worker, deadline, demote_after, started)
        except TimeoutError:
            log.warning("a job ran past %.3g s; killing %s %s", budget, self.name, worker.process.pid)
            now = worker.cpu_seconds()
            self._replace(worker)
            if sent:  # not one that waited for a worker to start
                self.overran(job, None if now is None or started is None else now - started)
            raise self.wording.overran(budget) from None
        except (EOFError, OSError) as e:
            self._replace(worker, wait=5.0)  # dead or dying: its exit status says whether memory ran out
            if self.memory_limit is not None and worker.ran_out_of_memory():
                self.out_of_memory += 1
                raise self.wording.out_of_memory(self.memory_limit) from None
            raise self.wording.died(e) from None
        except BaseException:
            # Cancelled (the client went away) mid-job: the worker's state is unknown, replace it.
            self._replace(worker)
            raise
        if isinstance(reply, Failure) and reply.out_of_memory:
            self._replace(worker)  # it exits after saying so
            self.out_of_memory += 1
            raise self.wording.out_of_memory(self.memory_limit)
        self._release(worker)
        if isinstance(reply, Failure):
            raise reply.error
        return reply
