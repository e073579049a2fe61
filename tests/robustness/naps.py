"""A stand-in validation for the validator's tests: sleeps, refuses or answers as the job's path says.

It lives in a module of its own because the validation worker is a spawned process: the target
must be importable there by name.
"""

from __future__ import annotations

import os
import time

from kg.errors import InputError
from kg.server.validator import Validated, ValidationJob


def nap(job: ValidationJob) -> Validated:
    """``sleep:S`` sleeps S seconds; ``refuse`` raises an InputError at line 3; ``exit`` dies; else answers."""
    if job.path.startswith("sleep:"):
        time.sleep(float(job.path.removeprefix("sleep:")))
    elif job.path == "refuse":
        raise InputError("nothing to validate", file="upload.txt", line=3)
    elif job.path == "exit":
        os._exit(1)
    return Validated(f"answered by {os.getpid()}", True)
