"""What keeps cheap queries quick while an expensive one runs: kept answers, and demoted workers.

Found by bench/load.py: under 32 clients and one runaway query, simple queries queued behind the
runaway's worker and competed with it for the CPU (docs/performance.md, "Load").
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import QueryTimeout
from kg.server import pool as pool_module
from kg.server.cache import ResultCache, deterministic
from kg.server.pool import QueryPool
from kg.store import RESULT_FORMATS, QueryKind, QueryResult, check_query
from tests.server.conftest import Server

JSON = RESULT_FORMATS[0]
#: 150 quads: two patterns cross to 22,500 rows (instant), three to 3.4 million (~0.4 s), four never end.
QUICK = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"
SLOWISH = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pool") / "store"
    store = ox.Store(str(path))
    for i in range(150):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), ox.NamedNode("urn:g")))
    store.flush()
    del store
    return path


def _nice(pid: int) -> int:
    """The nice value of a process (field 19 of /proc/PID/stat)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def _pids(pool: QueryPool) -> set[int]:
    return {w.process.pid for w in pool._all if w.process.pid is not None}


async def _until(seen: Callable[[], bool], stop: Callable[[], bool] = lambda: False, within: float = 10.0) -> bool:
    """Poll every 20 ms until ``seen`` holds (True) or ``stop`` does or ``within`` s pass (False):
    demotion waits for the worker's CPU time, which a busy machine hands out slowly."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and not stop():
        try:
            if seen():
                return True
        except FileNotFoundError:  # the process looked at has gone meanwhile
            return False
        await asyncio.sleep(0.02)
    return False


def _result(body: bytes) -> QueryResult:
    return QueryResult(body, "application/json", QueryKind.SELECT, 1, False, 10)


# ── The answer cache ───────────────────────────────────────────────────────────────────────────


def test_the_cache_evicts_the_least_recently_used_answer_to_stay_in_its_bound() -> None:
    cache = ResultCache(max_bytes=30, max_entry_bytes=20)
    cache.put("a", _result(b"a" * 10), 10)
    cache.put("b", _result(b"b" * 10), 10)
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", _result(b"c" * 15), 15)  # 35 > 30: b goes
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.bytes == 25 and len(cache) == 2


def test_an_answer_larger_than_an_entry_may_be_is_not_kept() -> None:
    cache = ResultCache(max_bytes=100, max_entry_bytes=20)
    cache.put("big", _result(b"x" * 21), 21)
    assert cache.get("big") is None and cache.bytes == 0


@pytest.mark.parametrize(
    ("query", "kept"),
    [("SELECT * { ?s ?p ?o }", True), ("SELECT (RAND() AS ?r) {}", False), ("SELECT (now() AS ?t) {}", False),
     ("SELECT (UUID() AS ?u) {}", False), ("SELECT (STRUUID () AS ?u) {}", False),
     ("CONSTRUCT { ?s ?p ?b } WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }", False)],
    ids=["plain", "rand", "now", "uuid", "struuid", "bnode"],
)
def test_only_deterministic_queries_are_kept(query: str, kept: bool) -> None:
    assert deterministic(query) is kept


def test_a_repeated_query_is_answered_without_a_worker(store_path: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 10.0)
        pool.start()
        try:
            first = await pool.run(check_query(QUICK), JSON, limit=10)
            for pid in _pids(pool):
                os.kill(pid, 9)  # no worker could answer now
            again = await pool.run(check_query(QUICK), JSON, limit=10)
            assert again.body == first.body and pool.cache.hits == 1
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_query_calling_rand_runs_every_time(store_path: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 10.0)
        pool.start()
        try:
            bodies = {(await pool.run(check_query("SELECT (RAND() AS ?r) {}"), JSON, limit=1)).body for _ in range(3)}
            assert len(bodies) == 3 and len(pool.cache) == 0
        finally:
            pool.close()

    asyncio.run(scenario())


def test_health_is_never_answered_from_the_cache(robust_server: Server) -> None:
    first = httpx.get(robust_server.url + "/health", timeout=30).json()
    second = httpx.get(robust_server.url + "/health", timeout=30).json()
    assert second["cache"]["hits"] == first["cache"]["hits"]


# ── Demotion: a long query yields the CPU, and its worker is replaced afterwards ──────────────


def test_a_long_query_is_demoted_while_it_runs_and_its_worker_replaced_after(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "DEMOTE_AFTER_S", 0.05)

    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 30.0)
        pool.start()
        try:
            await pool.run(check_query("ASK {}"), JSON, limit=1)  # the worker is up
            (before,) = _pids(pool)
            assert _nice(before) == _nice(os.getpid())
            task = asyncio.create_task(pool.run(check_query(SLOWISH), JSON, limit=1))
            assert await _until(lambda: _nice(before) == 19, stop=task.done), \
                "the worker of a long query was not demoted"
            assert b"3375000" in (await task).body
            (after,) = _pids(pool)
            assert after != before and _nice(after) == _nice(os.getpid())
            assert (pool.retired, pool.respawned) == (1, 0)
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_quick_query_keeps_its_worker(store_path: Path) -> None:
    async def scenario() -> None:
        pool = QueryPool(store_path, 1, 30.0)
        pool.start()
        try:
            await pool.run(check_query("ASK {}"), JSON, limit=1)
            before = _pids(pool)
            await pool.run(check_query(QUICK), JSON, limit=1)
            assert _pids(pool) == before and pool.retired == 0
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_runaway_is_demoted_then_stopped_at_the_time_limit(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "DEMOTE_AFTER_S", 0.05)

    async def scenario() -> None:
        pool = QueryPool(store_path, 2, 1.5)
        pool.start()
        try:
            await asyncio.gather(*(pool.run(check_query(f"ASK {{}} # {i}"), JSON, limit=1) for i in range(2)))
            task = asyncio.create_task(pool.run(check_query(RUNAWAY), JSON, limit=1))
            assert await _until(lambda: 19 in {_nice(pid) for pid in _pids(pool)}, stop=task.done)
            quick_started = time.monotonic()
            await pool.run(check_query(QUICK + " # meanwhile"), JSON, limit=1)  # the other worker answers
            assert time.monotonic() - quick_started < 1.0
            with pytest.raises(QueryTimeout):
                await task
            assert pool.respawned == 1 and all(_nice(pid) != 19 for pid in _pids(pool))
        finally:
            pool.close()

    asyncio.run(scenario())
