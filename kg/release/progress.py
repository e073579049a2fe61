"""How far a build is: its phases, and the report it gives of each (drawn by kg.cli.build).

A build (kg.release.build) calls a :data:`ProgressReport` with a :class:`Progress` as it goes:
phase, items done of all. Nothing here draws; the command line does, on a terminal or as lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["PHASES", "Phase", "Progress", "ProgressReport", "silent"]

Phase = Literal["sources", "agreements", "reference", "store", "dumps", "optimize", "publish", "search"]
#: A build's phases in the order it goes through them, each with what it does (English, Japanese).
PHASES: dict[Phase, tuple[str, str]] = {
    "sources": ("reading the texts", "本文の読み込み"),
    "agreements": ("ingesting and validating", "取り込みと検査"),
    "reference": ("reference graphs", "参照データ"),
    # A release made from the previous one (kg.release.incremental): its store copied, the changed graphs replaced.
    "store": ("updating the previous store", "前のストアの更新"),
    "dumps": ("dumps and store", "ダンプとストア"),
    "optimize": ("optimising the store", "ストアの最適化"),
    "publish": ("statistics and catalogue", "統計とカタログ"),
    "search": ("search index", "検索索引"),
}


@dataclass(frozen=True)
class Progress:
    """How far a build is: its phase, and how many of the phase's items are done of how many.

    ``total`` is 0 for a phase that is not counted (a single step). The items are texts in
    "sources" and "agreements" (a text found in the build cache counts as done at once), graphs
    in "dumps". A build making its release from the previous one goes through "store" (and no
    "optimize") before "dumps"; the search index is written beside the dumps or the publishing, and
    "search" is the wait for it to end."""

    phase: Phase
    done: int
    total: int


#: What a build tells of its progress to (kg.cli.build draws it); called often, so it must be cheap.
ProgressReport = Callable[[Progress], None]


def silent(_progress: Progress) -> None:
    """The progress report of a build nobody watches."""

