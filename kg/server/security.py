"""Security response headers and request limits, installed on the app (issue 14).

(Filled in by the reliability work of this session.)
"""

from __future__ import annotations

from fastapi import FastAPI

from kg.settings import Settings

__all__ = ["install"]


def install(app: FastAPI, settings: Settings) -> None:
    """Install the security middleware on ``app``."""
