"""Fixtures for the robustness tests: hypothesis profiles, a per-example watchdog, one real server.

Profiles (``HYPOTHESIS_PROFILE``): unset, each test runs the modest example count it names, so
the folder stays under a minute; ``long`` runs 100 times as many, for a soak (issue 5, point 4).
The server is the one of ``tests/server/conftest.py`` (uvicorn on a free loopback port over a
real build of ``data/``), started once for this folder so that its ``workers_restarted`` counter
counts only what these tests provoked.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, settings

from tests.server.conftest import Server, start_server

#: How many times each test's own example count a profile runs.
SCALE = {"default": 1, "long": 100}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
if PROFILE not in SCALE:
    raise pytest.UsageError(f"HYPOTHESIS_PROFILE={PROFILE!r}: one of {', '.join(SCALE)}")
# Hypothesis' own deadline re-runs a slow example and fails it as flaky on a loaded machine; the
# watchdog below is the hard bound instead. Function-scoped fixtures are not used per example.
settings.register_profile("long", deadline=None, print_blob=True)
if PROFILE == "long":
    settings.load_profile("long")

#: The query timeout of the robustness server (seconds); short, so a provoked timeout is quick.
QUERY_TIMEOUT_S = 2.0


def examples(n: int) -> settings:
    """Settings for a property test of ``n`` examples (times the profile's scale), no flaky deadline."""
    return settings(
        max_examples=n * SCALE[PROFILE],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


class Hang(Exception):  # noqa: N818 — named after what it reports
    """Raised in the test thread when one example runs past its watchdog."""


@contextmanager
def watchdog(seconds: float, what: str) -> Iterator[None]:
    """Raise :class:`Hang` if the block runs longer than ``seconds`` (SIGALRM; ``re`` and Python code
    are interruptible, so a catastrophic regular expression is caught too)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the watchdog needs the main thread (signals are delivered there)")

    def fire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"{what} ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Ledger:
    """What the random requests provoked, to compare with the server's own counters afterwards."""

    requests: int = 0
    timeouts: int = 0  # 503 answers that say the query ran past the time limit
    statuses: dict[int, int] = field(default_factory=dict)

    def record(self, status: int, timed_out: bool) -> None:
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.timeouts += timed_out


@pytest.fixture(scope="session")
def robust_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real build of ``data/`` served by its own uvicorn process for this folder only."""
    from kg.release.build import build
    from kg.settings import Settings

    path: Path = tmp_path_factory.mktemp("robust-build")
    build(Settings(build_dir=path))
    yield from start_server(path, KG_QUERY_TIMEOUT=str(QUERY_TIMEOUT_S))


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    """One ledger for every random request sent to ``robust_server``."""
    return Ledger()
