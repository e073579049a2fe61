"""A spare worker takes a demoted one's place while its job runs (kg/server/runner.py, ``spares``; issue 13).

Before: a runaway held one of the ``KG_WORKERS`` workers until it was cut off, and every other query
queued on the rest: with two workers, one (p99 227 ms with a runaway against 48 ms without, 32
clients, 4,000 agreements, a quiet machine; docs/perf/serving.md).
"""

from __future__ import annotations

import asyncio
import os
import time

from kg.server.runner import Runner
from tests.server.cpu_jobs import opener
from tests.server.test_runner_probe import WORDING


def test_a_quick_job_does_not_wait_for_a_demoted_one() -> None:
    async def scenario() -> tuple[object, bool, int, int]:
        runner = Runner(opener, 1, WORDING, spares=1)
        runner.start()
        try:
            await runner.call("nice", 30.0)  # the worker is up
            long = asyncio.create_task(runner.call("spin:6", 60.0, demote_after=0.2))
            await asyncio.sleep(0.1)
            quick = await runner.call("nice", 60.0)  # demoted after 0.2 s of CPU: a spare answers
            running = not long.done()
            await long
            spares = runner.spared
            await runner.call("nice", 30.0)
            await asyncio.sleep(0.5)
            return quick, running, spares, len([w for w in runner._all if w.process.is_alive()])
        finally:
            runner.close()

    started = time.monotonic()
    quick, running, spares, workers = asyncio.run(scenario())
    assert quick == os.getpriority(os.PRIO_PROCESS, 0), "answered at the priority it was started with"
    assert running, f"the quick job waited {time.monotonic() - started:.1f} s for the demoted one"
    assert spares == 1
    assert workers == 1, "the demoted worker was retired and not replaced: the spare took its place"


def test_no_more_workers_than_size_and_spares() -> None:
    """Three runaways at once on one worker and one spare: never more than two processes."""
    async def scenario() -> int:
        runner = Runner(opener, 1, WORDING, spares=1)
        runner.start()
        most = 0
        try:
            await runner.call("nice", 30.0)
            jobs = asyncio.gather(*(runner.call("spin:1", 60.0, demote_now=True) for _ in range(3)))
            while not jobs.done():
                most = max(most, len(runner._all))
                await asyncio.sleep(0.01)
            await jobs
            return most
        finally:
            runner.close()

    assert asyncio.run(scenario()) == 2
