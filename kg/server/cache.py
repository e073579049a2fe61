"""Answers already given, kept by size: a release never changes, so the same query has the same answer.

A public endpoint is asked the same things again and again (the query page's examples, the
queries behind each /id page, a harvester's poll), and most of an answer's cost is the trip to a
worker process. A hit costs a dictionary lookup instead, and leaves the workers to the queries
that need them: under load, cheap queries no longer queue behind expensive ones.

Only deterministic queries are kept: ``RAND()``, ``NOW()``, ``UUID()``, ``STRUUID()`` and
``BNODE()`` give a new value per execution (SPARQL 1.1 Query §17.4.2.x, §17.4.5), so a query
using them always runs.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable

from kg.store import QueryResult

__all__ = ["ResultCache", "deterministic"]

#: Functions whose value changes between executions of the same query.
_VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def deterministic(text: str) -> bool:
    """False when the query calls a function whose value changes between executions.

    The check is on the raw text, so a string or comment naming such a function also counts:
    that only ever makes a query run again, never gives a stale answer.

    >>> deterministic("SELECT * { ?s ?p ?o }"), deterministic("SELECT (rand() AS ?r) {}")
    (True, False)
    """
    return _VOLATILE.search(text) is None


class ResultCache:
    """A least-recently-used map of answers, bounded by the bytes of their bodies and keys.

    ``size`` is given by the caller with each answer: its body and whatever its key holds (the
    query text), so a long query with a short answer is counted for what it weighs.
    """

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[Hashable, tuple[QueryResult, int]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The bytes held (the sizes the kept answers were given with)."""
        return self._bytes

    def get(self, key: Hashable) -> QueryResult | None:
        """The answer kept for ``key`` (now the most recently used), or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def put(self, key: Hashable, result: QueryResult, size: int) -> None:
        """Keep ``result`` (``size`` bytes with its key) unless larger than an entry may be; evict the
        least recently used answers until the whole fits."""
        if size > self.max_entry_bytes or size > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._entries[key] = (result, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self._bytes -= evicted
