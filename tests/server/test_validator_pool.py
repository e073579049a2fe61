"""Uploads validated in several killable workers (issue 14, point 3; kg/server/validator.py).

Before: one validation process; a slow input (a 1 KB "billion laughs" file held it 30 s) made
every other ``POST /validate`` wait its turn. Now ``KG_VALIDATE_WORKERS`` processes (default 2)
validate at once, each still killed at its time limit.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from kg.errors import ValidationTimeout
from kg.server.validator import ValidationJob, Validator
from kg.settings import Settings
from tests.robustness.naps import nap
from tests.server.conftest import start_server

SETTINGS = Settings()


def _job(path: str) -> ValidationJob:
    return ValidationJob(path, SETTINGS, "application/json")


def test_the_default_is_two_workers() -> None:
    assert Validator(10.0, nap).workers == Settings().validate_workers == 2


def test_a_slow_upload_does_not_hold_a_fast_one() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap, workers=2)
        try:
            slow = asyncio.create_task(validator.run(_job("sleep:20")))
            await asyncio.sleep(0.2)
            started = time.monotonic()
            fast = await validator.run(_job("quick"))
            assert fast.conforms is True
            assert time.monotonic() - started < 10, "the fast upload waited for the slow one"
            assert not slow.done()
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            assert validator.restarted == 1  # the cancelled one's worker was killed
        finally:
            validator.close()

    asyncio.run(scenario())


def test_each_worker_is_killed_at_the_time_limit_and_the_others_keep_validating() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap, workers=2)
        try:
            await asyncio.gather(validator.run(_job("sleep:0.3")), validator.run(_job("sleep:0.3")))  # both started
            validator.time_limit = 2.0
            stuck = asyncio.create_task(validator.run(_job("sleep:60")))
            await asyncio.sleep(0.2)
            answered = [await validator.run(_job("quick")) for _ in range(3)]  # one by one, beside the stuck one
            assert all(a.conforms for a in answered)
            assert len({a.text for a in answered}) == 1, "the free worker answered each"
            started = time.monotonic()
            with pytest.raises(ValidationTimeout, match="time limit of 2 s"):
                await stuck
            assert time.monotonic() - started < 5 and validator.restarted == 1
            validator.time_limit = 30.0  # the killed one starts again
            both = await asyncio.gather(validator.run(_job("sleep:0.5")), validator.run(_job("sleep:0.5")))
            assert len({b.text for b in both}) == 2, "two processes validate at once again"
        finally:
            validator.close()

    asyncio.run(scenario())


def test_when_every_worker_is_busy_an_upload_waits_at_most_its_time_limit() -> None:
    async def scenario() -> None:
        validator = Validator(30.0, nap, workers=2)
        try:
            await asyncio.gather(validator.run(_job("sleep:0.3")), validator.run(_job("sleep:0.3")))
            stuck = [asyncio.create_task(validator.run(_job("sleep:60"))) for _ in range(2)]  # 30 s each
            await asyncio.sleep(0.2)
            validator.time_limit = 1.5
            started = time.monotonic()
            with pytest.raises(ValidationTimeout) as waited:
                await validator.run(_job("quick"))
            assert 1.4 < time.monotonic() - started < 5
            assert "KG_VALIDATE_WORKERS" in waited.value.message and waited.value.ja
            for task in stuck:
                task.cancel()
            await asyncio.gather(*stuck, return_exceptions=True)
            assert validator.restarted == 2
        finally:
            validator.close()

    asyncio.run(scenario())


def test_the_server_runs_the_workers_the_setting_asks_for(build_dir: Path) -> None:
    for server in start_server(build_dir, KG_VALIDATE_WORKERS="3"):
        assert server.get("/health").json()["validate_workers"] == 3
        r = server.post("/validate", content=b"@prefix ex: <urn:x:> . ex:a ex:b ex:c .",
                        headers={"Content-Type": "text/turtle"})
        assert r.status_code == 400 and r.headers["content-type"].startswith("application/json"), r.text[:300]
