"""``/ns``, ``/shapes`` and the framework scheme as documents for people and for machines (issue 11).

(Routes are added by the vocabulary work of this session.)
"""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter()
