"""What a layout module provides: a test that a document is in its layout, and a reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Reading

__all__ = ["Layout", "Miss"]


@dataclass(frozen=True)
class Miss:
    """Why a document is not in a layout, and the line where that became clear."""

    reason: str
    line: int


@dataclass(frozen=True)
class Layout:
    """One layout of shared/domain/layouts.md.

    ``detect`` looks only at the shape of the document (cheap, no registry) and answers None
    when the document is in this layout; ``read`` then reads the initiatives, raising
    :class:`~kg.errors.IngestError` at the first row it cannot read.
    """

    name: str  # "T1", "T3", "I1", …
    summary: str  # one line for error messages and docs: where the initiatives stand
    detect: Callable[[Document], Miss | None]
    read: Callable[[Document, Parties], Reading]
