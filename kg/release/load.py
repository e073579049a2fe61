"""Loading a release's store from the N-Quads of its dumps, in bounded batches, while they are written."""

from __future__ import annotations

import queue
import threading
from types import TracebackType

import pyoxigraph as ox

from kg.errors import StoreError

__all__ = ["LOAD_BATCH", "LOAD_THREADS", "BatchLoader"]

#: The store is bulk-loaded in batches of about this many bytes of N-Quads, each ending at a
#: graph's end: one bulk load of the whole dump held 1.47 GB at 4,000 agreements (issue 13).
LOAD_BATCH = 16 * 2**20
#: Bulk loads run at once (see :class:`BatchLoader`).
LOAD_THREADS = 2


class BatchLoader:
    """Bulk-loads N-Quads into a store in batches of about :data:`LOAD_BATCH` bytes, in
    :data:`LOAD_THREADS` threads beside the caller (pyoxigraph's loader lets go of the GIL, so the
    dumps are written meanwhile).

    Two threads, because the load is what a cold build's dumps phase waits for: one thread kept
    about 1.4 of the two cores busy (its bulk loads one after the other, each parsing then writing
    its files), and the dumps' writer sat 9.4 of 18.5 s waiting to hand it the next batch; two
    loads at once took the 4,000 dump's 3 M quads in 10.0–10.5 s against 13.2 s (docs/perf/build.md,
    session 8). The batches hold whole graphs, so two loads never share a graph; RocksDB takes
    the files of concurrent bulk loads one after the other, and the same term written by both is
    the same key with the same value.

    Memory stays flat: at most four batches are held (one filling, one queued, two loading),
    where one bulk load of the whole dump grew with it. A batch ends at the end of a graph's text
    (:meth:`add` is given whole graphs): a bulk load names blank nodes afresh on each call, so a
    graph split over two calls would have its blank nodes split in two.
    """

    def __init__(self, store: ox.Store, batch: int = LOAD_BATCH, threads: int = LOAD_THREADS) -> None:
        self.store = store
        self.batch = batch
        self._pending: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._load, name=f"bulk-load-{i}", daemon=True)
                         for i in range(threads)]

    def __enter__(self) -> BatchLoader:
        for thread in self._threads:
            thread.start()
        return self

    def add(self, nquads: bytes) -> None:
        """Load one whole graph's N-Quads (with the graphs added before it, when the batch is full)."""
        self._pending.append(nquads)
        self._size += len(nquads)
        if self._size >= self.batch:
            self._send()

    def _send(self) -> None:
        self._raise()
        self._queue.put(b"".join(self._pending))
        self._pending, self._size = [], 0

    def _load(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:  # after an error, the rest is only drained
                try:
                    # lenient: the IRIs and language tags are not checked again. Every batch is
                    # pyoxigraph's own N-Quads of triples it parsed strictly (kg.release.dumps.graph_parts);
                    # checking them again took ≈ 15 % of the load's CPU (20 against 24 CPU-s at 4,000).
                    self.store.bulk_load(batch, format=ox.RdfFormat.N_QUADS, lenient=True)
                except (OSError, SyntaxError, ValueError) as e:
                    self._error = e

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if kind is None and self._pending:
                self._send()
        finally:
            for _ in self._threads:  # one end mark each
                self._queue.put(None)
            for thread in self._threads:
                thread.join()
        if kind is None:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise StoreError(f"could not load the store: {self._error}",
                             ja=f"ストアに読み込めませんでした: {self._error}") from self._error

