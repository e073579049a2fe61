"""Closing a runner while a worker starts starts no other (kg/server/runner.py, ``Runner.close``).

Before: ``kg serve`` shutting down just after a runaway's worker was replaced logged "kg-query-worker
N did not start (OSError(9, 'Bad file descriptor')); starting another" (bench/load.py --distinct).
``close()`` cancelled the replacement's start-up and closed its pipe; the cancelled wait, tidying up,
asked the closed descriptor whether it blocks, and that EBADF replaced the cancellation: the start-up
was taken for a failed one, and another worker was started by a runner that was shutting down.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os

import pytest

from kg.server.runner import Runner
from tests.server.cpu_jobs import opener
from tests.server.test_runner_probe import WORDING


def test_closing_while_a_worker_starts_starts_no_other(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> Runner:
        runner = Runner(opener, 1, WORDING)
        runner.start()  # in the loop: the worker joins the idle queue once it says it is ready
        await asyncio.sleep(0.05)  # its start-up is waiting for that message
        runner.close()
        await asyncio.sleep(0.2)  # the cancelled start-up has run its course
        return runner

    with caplog.at_level(logging.WARNING, logger="kg.server.runner"):
        runner = asyncio.run(scenario())
    assert not [r.message for r in caplog.records if "did not start" in r.message]
    assert runner.respawned == 0
    for process in multiprocessing.active_children():
        process.join(5)
    assert not [p for p in multiprocessing.active_children() if p.name == runner.name]


def test_a_job_cancelled_as_the_runner_closes_starts_no_other() -> None:
    """Shutting down, the server cancels the requests under way: their workers are not replaced."""
    async def scenario() -> Runner:
        runner = Runner(opener, 1, WORDING)
        runner.start()
        assert await runner.call("nice", 30.0) == os.getpriority(os.PRIO_PROCESS, 0)  # not demoted
        job = asyncio.create_task(runner.call("sleep:5", 30.0))
        await asyncio.sleep(0.2)  # the job is running
        runner.close()
        job.cancel()
        await asyncio.gather(job, return_exceptions=True)
        await asyncio.sleep(0.2)
        return runner

    runner = asyncio.run(scenario())
    for process in multiprocessing.active_children():
        process.join(5)
    assert not [p for p in multiprocessing.active_children() if p.name == runner.name]
