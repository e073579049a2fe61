"""Stand-in jobs for the runner's demotion tests: sleep, spin the CPU, or tell the worker's priority.

A module of its own because a runner's worker is a spawned process: its opener must be importable
there by name.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable


def _run(job: str) -> object:
    """``sleep:S`` sleeps S seconds (no CPU); ``spin:S`` uses S seconds of CPU; ``nice`` answers the
    worker's CPU priority."""
    kind, _, arg = job.partition(":")
    if kind == "sleep":
        time.sleep(float(arg))
    elif kind == "spin":
        start = time.process_time()
        while time.process_time() - start < float(arg):
            pass
    return os.getpriority(os.PRIO_PROCESS, 0)


def opener() -> Callable[[str], object]:
    """The worker's handler."""
    return _run
