"""The rdflib store an ingested graph is written in: rdflib's plain triple index, adding without
exceptions and keeping its count.

An agreement's graph is one graph (no contexts), so it is kept in rdflib's ``SimpleMemory`` rather
than the context-aware default store, which took twice as long for each of an agreement's ~700
triples. ``SimpleMemory`` itself finds each missing key of its three indexes by catching a
``KeyError`` — about three exceptions for a triple whose object is new, as most literals are — and
counts its triples by walking them all. :class:`TripleStore` keeps the same indexes, filled with
``dict.setdefault``, and its count as it goes.
"""

from __future__ import annotations

from typing import Any

from rdflib.plugins.stores.memory import SimpleMemory

__all__ = ["TripleStore"]


class TripleStore(SimpleMemory):
    """``SimpleMemory`` with a cheaper :meth:`add` and a kept count (``len(graph)``)."""

    def __init__(self, configuration: str | None = None, identifier: Any = None) -> None:
        super().__init__(configuration, identifier)
        self._count = 0

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        s, p, o = triple
        # SimpleMemory's own indexes (name-mangled): spo[s][p][o], pos[p][o][s], osp[o][s][p].
        objects = self._SimpleMemory__spo.setdefault(s, {}).setdefault(p, {})  # type: ignore[attr-defined]
        if o in objects:
            return
        objects[o] = 1
        self._SimpleMemory__pos.setdefault(p, {}).setdefault(o, {})[s] = 1  # type: ignore[attr-defined]
        self._SimpleMemory__osp.setdefault(o, {}).setdefault(s, {})[p] = 1  # type: ignore[attr-defined]
        self._count += 1

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        removed = sum(1 for _ in self.triples(triple_pattern, context))
        super().remove(triple_pattern, context)
        self._count -= removed

    def __len__(self, context: Any = None) -> int:
        return self._count
