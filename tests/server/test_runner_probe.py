"""Probes go before queued jobs (kg/server/runner.py, ``first``): /health tells whether a worker answers.

Before: /health's probe queued behind every waiting query, and once the queue was backed up (adaptive
LIFO) the oldest waiters, the probe among them, met their time limit: under a runaway and 32 clients
the bounded load run of .ci/run saw /health answer 503 "store unavailable" after 5 s while both
workers were answering.
"""

from __future__ import annotations

import asyncio
import time

from kg.errors import KgError, QueryTimeout
from kg.server.runner import Runner, Wording
from tests.server.cpu_jobs import opener

WORDING = Wording(busy=lambda b, w: KgError("busy", ja="使用中"), overran=lambda b: QueryTimeout("overran", ja="超過"),
                  died=lambda e: KgError("died", ja="停止"), out_of_memory=lambda m: KgError("memory", ja="メモリ"))


def _finish_order(probe_first: bool) -> list[str]:
    """One worker, busy for 0.3 s; then three jobs queue, then a probe: the order they finish in."""
    async def scenario() -> list[str]:
        runner = Runner(opener, 1, WORDING)
        runner.start()
        done: list[str] = []

        async def job(name: str, text: str, first: bool = False) -> None:
            await runner.call(text, 30.0, first=first)
            done.append(name)

        try:
            await runner.call("nice", 30.0)  # the worker is up
            busy = asyncio.create_task(job("busy", "sleep:0.3"))
            await asyncio.sleep(0.05)
            queued = [asyncio.create_task(job(f"queued{i}", "sleep:0.1")) for i in range(3)]
            await asyncio.sleep(0.05)
            probe = asyncio.create_task(job("probe", "nice", first=probe_first))
            started = time.monotonic()
            await asyncio.gather(busy, *queued, probe)
            assert time.monotonic() - started < 20
            return done
        finally:
            runner.close()

    return asyncio.run(scenario())


def test_a_probe_is_served_before_the_jobs_queued_ahead_of_it() -> None:
    order = _finish_order(probe_first=True)
    assert order[:2] == ["busy", "probe"], order


def test_an_ordinary_job_waits_its_turn() -> None:
    order = _finish_order(probe_first=False)
    assert order[0] == "busy" and order[-1] == "probe", order
