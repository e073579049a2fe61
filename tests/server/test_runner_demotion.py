"""Demotion by CPU used, not wall time, and runaways demoted from their start (issue 13; kg/server/runner.py).

Before: a job still running after ``demote_after`` seconds *of wall time* was demoted to nice 19, so
on a busy machine an ordinary query, slow only because it waited for the CPU, was demoted too and
starved behind the other work; and a runaway sent again and again ran at normal priority for its
first second each time, taking CPU the other queries needed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import KgError, QueryTimeout
from kg.formats import QueryKind
from kg.server import pool as pool_module
from kg.server.pool import QueryPool
from kg.server.runner import Runner, Wording
from kg.server.worker_process import WorkerProcess, wait_readable
from kg.store import check_query, formats_for
from kg.store.worker import Job
from tests.server.cpu_jobs import opener

WORDING = Wording(busy=lambda b, w: KgError("busy", ja="使用中"), overran=lambda b: QueryTimeout("overran", ja="超過"),
                  died=lambda e: KgError("died", ja="停止"), out_of_memory=lambda m: KgError("memory", ja="メモリ"))
JSON = next(f for f in formats_for(QueryKind.SELECT) if f.name == "json")
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _runner(jobs: list[tuple[str, float | None, bool]]) -> tuple[list[object], int]:
    """Run the jobs one after the other in a one-worker runner: their answers, and workers retired."""
    async def scenario() -> tuple[list[object], int]:
        runner = Runner(opener, 1, WORDING)
        runner.start()
        try:
            answers = [await runner.call(job, 30.0, demote_after=after, demote_now=now) for job, after, now in jobs]
            return answers, runner.retired
        finally:
            runner.close()

    return asyncio.run(scenario())


def test_a_job_that_waits_without_using_the_cpu_is_not_demoted() -> None:
    answers, retired = _runner([("sleep:0.6", 0.1, False), ("nice", None, False)])
    assert answers == [os.getpriority(os.PRIO_PROCESS, 0)] * 2 and retired == 0


def test_a_job_that_uses_the_cpu_is_demoted() -> None:
    async def scenario() -> None:
        runner = Runner(opener, 1, WORDING)
        runner.start()
        try:
            await runner.call("nice", 30.0)  # the worker is up
            (worker,) = runner._all
            assert worker.process.pid is not None
            spinning = asyncio.create_task(runner.call("spin:60", 90.0, demote_after=0.1))
            for _ in range(200):  # 0.1 s of CPU: within seconds even on a busy machine
                await asyncio.sleep(0.05)
                if os.getpriority(os.PRIO_PROCESS, worker.process.pid) == 19:
                    break
            assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == 19
            spinning.cancel()
        finally:
            runner.close()

    asyncio.run(scenario())


def test_a_job_known_to_run_away_runs_demoted_from_its_start() -> None:
    answers, retired = _runner([("nice", None, True)])
    assert answers == [19] and retired == 1


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demotion") / "store"
    store = ox.Store(str(path))
    for i in range(150):
        store.add(ox.Quad(ox.NamedNode(f"http://ex.org/s{i}"), ox.NamedNode("http://ex.org/p"), ox.Literal(str(i))))
    store.flush()
    del store
    return path


def test_a_query_stopped_at_the_time_limit_runs_demoted_at_once_when_asked_again(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "DEMOTE_AFTER_S", 1000.0)  # never by CPU used: only as a known runaway
    monkeypatch.setattr(pool_module, "RUNAWAY_CPU_S", 0.0)

    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 3.0)
        pool.start()
        try:
            await pool.run(check_query("ASK {}"), JSON, limit=1)  # the worker is up
            with pytest.raises(QueryTimeout):
                await pool.run(check_query(RUNAWAY), JSON, limit=1)
            await pool.run(check_query("ASK {} # the replacement is up"), JSON, limit=1)
            again = asyncio.create_task(pool.run(check_query(RUNAWAY), JSON, limit=1))
            await asyncio.sleep(0.3)
            (worker,) = [w for w in pool._all if w.demoted]  # and a spare in its place (runner.py, spares)
            assert worker.process.pid is not None and os.getpriority(os.PRIO_PROCESS, worker.process.pid) == 19
            assert pool.spared == 1 and len(pool._all) == 2
            with pytest.raises(QueryTimeout):
                await again
            other = await pool.run(check_query("ASK { ?s ?p ?o }"), JSON, limit=1)  # unknown: not demoted
            assert b"true" in other.body and pool.retired == 0
            assert len(pool._overran) == 1
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_query_stopped_having_used_little_cpu_is_not_taken_for_a_runaway(store_path: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 30.0)
        pool.start()
        try:
            await pool.run(check_query("ASK {}"), JSON, limit=1)
            job = Job(check_query(RUNAWAY), JSON, 1)
            pool.overran(job, 0.2)  # starved by a busy machine
            assert job not in pool._overran
            pool.overran(job, 1.5)
            assert job in pool._overran
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_pipe_made_non_blocking_by_the_event_loop_is_read_blocking_again() -> None:
    """uvloop (libuv) sets a watched fd non-blocking: a reply written in pieces then failed the
    runner's recv with EAGAIN ("a query worker died … BlockingIOError"), measured under load."""
    parent, child = multiprocessing.Pipe()

    async def scenario() -> None:
        os.set_blocking(parent.fileno(), False)  # as uvloop leaves it
        child.send(b"ready")
        await wait_readable(parent, time.monotonic() + 5)
        assert os.get_blocking(parent.fileno())
        assert parent.recv() == b"ready"

    try:
        asyncio.run(scenario())
    finally:
        parent.close()
        child.close()


class _SlowToExit:
    """A process that takes its time to exit once killed (as a nice-19 worker on a busy machine)."""

    def __init__(self) -> None:
        self.gone = threading.Event()
        self.exitcode: int | None = None

    def kill(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        if self.gone.wait(timeout):
            self.exitcode = -9


def test_a_killed_worker_slow_to_exit_does_not_hold_the_event_loop() -> None:
    """Before: kill() joined the process for up to 5 s on the event loop, and every request waited
    (p99 2.8 s with a runaway at 4,000 agreements)."""
    worker = object.__new__(WorkerProcess)
    worker.process, worker.conn = _SlowToExit(), multiprocessing.Pipe()[0]  # type: ignore[assignment]
    started = time.monotonic()
    worker.kill()
    assert time.monotonic() - started < 1.0
    assert any(t.name == "kg-worker-reaper" for t in threading.enumerate())
    worker.process.gone.set()  # type: ignore[attr-defined]
