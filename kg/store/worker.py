"""The body of a worker process: open what its jobs need, then answer jobs from a pipe until killed.

The server runs what a thread cannot stop in processes it can kill (:mod:`kg.server.runner`):
queries, since pyoxigraph cannot cancel a running one, and validations, pure Python that a slow
input can hold for minutes. Every worker speaks one protocol: a :class:`Ready` once it can work,
then for each job the server sends, the answer or a :class:`Failure` carrying the typed error whole
(a :class:`~kg.errors.KgError` pickles with every field, both languages and the fix). Nothing in
this module imports the web stack: a respawn after a timeout must be quick.

A worker may also be bounded in memory (issue 14: ``SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c``
grew a worker by a gigabyte a second to 16 GB). ``RLIMIT_DATA`` caps the process's heap and
private mappings, which is where pyoxigraph's intermediate results go: measured on the published
release, a 3 GB cap stopped that query at 3 GB in 2.5 s, while the read-only store (file mappings)
is not counted. pyoxigraph (Rust) aborts on a failed allocation (SIGABRT), Python raises
MemoryError: the server tells both apart from a crash (kg.server.runner, ``Failure.out_of_memory``).

A query worker may answer from a copy of the release in memory (issue 13, ``KG_STORE_IN_MEMORY``;
docs/perf/in-memory.md): :class:`WorkerStore` opens the store on disk (and so leases the release)
and, when :func:`in_memory` says the copy fits, loads ``dumps/dataset.nq`` into an in-memory store
in a thread of its own, answering from disk until the copy is whole. The worker is ready as soon as
the store on disk is open, so a copy that takes seconds to load never delays ``kg serve``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.formats import Format
from kg.settings import InMemory, available_memory
from kg.store.execute import QueryResult, execute
from kg.store.guard import CheckedQuery
from kg.store.release import open_read_only

__all__ = ["DUMP", "LIMIT_SHARE", "LOAD_NICENESS", "MEMORY_PER_DUMP_BYTE", "MEMORY_SHARE", "Failure", "Handler",
           "Internal", "Job", "Ready", "WorkerStore", "in_memory", "limit_memory", "queries", "serve"]

log = logging.getLogger(__name__)

#: What a worker does with each job it is sent (made in the worker by the opener it is started with).
Handler = Callable[[Any], Any]


@dataclass(frozen=True)
class Job:
    """One query to run, as sent over the pipe."""

    query: CheckedQuery
    fmt: Format
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class Failure:
    """A job's typed error, carried back whole; ``out_of_memory`` when the job ran out of the worker's
    memory (the worker exits after saying so: its heap may be left fragmented)."""

    error: KgError
    out_of_memory: bool = False


@dataclass(frozen=True)
class Ready:
    """The first message of a worker: it can take jobs (or ``error`` says why not; each job is then
    answered with it)."""

    error: KgError | None = None


@dataclass(frozen=True)
class Internal:
    """How a worker names a bug met while doing a job: the error class and what it was doing, in
    English and Japanese (「問い合わせの実行中」)."""

    error: type[KgError]
    doing_en: str
    doing_ja: str

    def of(self, e: BaseException) -> KgError:
        return self.error(f"internal error while {self.doing_en}: {e!r}",
                          ja=f"{self.doing_ja}に内部エラーが起きました（{e!r}）。")


#: A query worker's bugs are QueryErrors "while running the query".
QUERYING = Internal(QueryError, "running the query", "問い合わせの実行中")


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's data segment (heap and private mappings) at ``max_bytes`` (RLIMIT_DATA)."""
    if max_bytes is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    with contextlib.suppress(ValueError, OSError):  # a platform without it: the time limit still holds
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


#: The dump a worker's copy in memory is loaded from, in the release folder beside ``store/``.
DUMP = Path("dumps") / "dataset.nq"
#: Bytes of a worker's copy in memory per byte of the dump: the growth of its data segment (what
#: RLIMIT_DATA counts) once loaded, measured 1.59 at 4,000 agreements (RSS 1.49; bench/store_memory.json).
MEMORY_PER_DUMP_BYTE = 1.6
#: The share of the available memory the copies of all query workers may take together (auto).
MEMORY_SHARE = 0.5
#: The share of a worker's memory limit (KG_QUERY_MEMORY) its copy may take (auto); the rest is the
#: queries'. Its copy counts against the limit, unlike the store on disk (file mappings).
LIMIT_SHARE = 0.5
#: How much lower than the worker's the loading thread's CPU priority is (nice), so queries come first.
LOAD_NICENESS = 10


def in_memory(mode: InMemory, dump_bytes: int | None, workers: int, available: int, limit: int | None) -> bool:
    """Whether a query worker loads its copy of the release into memory.

    ``no`` never does, nor does any mode without a dump (``dump_bytes`` None: a bare store). Else a
    copy needs ``dump_bytes`` × :data:`MEMORY_PER_DUMP_BYTE`; ``yes`` loads it if it fits under the
    worker's memory ``limit`` at all (more would abort the worker at every start), ``auto`` if it
    fits in :data:`LIMIT_SHARE` of ``limit`` and ``workers`` copies fit in :data:`MEMORY_SHARE` of
    the ``available`` memory."""
    if mode == "no" or dump_bytes is None:
        return False
    need = dump_bytes * MEMORY_PER_DUMP_BYTE
    if mode == "yes":
        return limit is None or need <= limit
    return (limit is None or need <= limit * LIMIT_SHARE) and need * workers <= available * MEMORY_SHARE


def _data_limit() -> int | None:
    """This process's RLIMIT_DATA (:func:`limit_memory`), None when unbounded."""
    soft, _ = resource.getrlimit(resource.RLIMIT_DATA)
    return None if soft == resource.RLIM_INFINITY else soft


class WorkerStore:
    """The store a query worker answers from: the release's store on disk, opened read-only (and
    leased) at once; then, if :func:`in_memory` says so, its copy in memory once loaded."""

    def __init__(self, store_path: Path, mode: InMemory, workers: int = 1) -> None:
        self.disk = open_read_only(store_path)
        self.current = self.disk
        dump = store_path.parent / DUMP
        size = dump.stat().st_size if store_path.name == "store" and dump.is_file() else None
        self.loading: threading.Thread | None = None
        if in_memory(mode, size, workers, available_memory(), _data_limit()):
            self.loading = threading.Thread(target=self._load, args=(dump,), name="kg-store-in-memory", daemon=True)
            self.loading.start()
        else:
            log.info("query worker %d answers from the store on disk (KG_STORE_IN_MEMORY=%s)", os.getpid(), mode)

    @property
    def in_memory(self) -> bool:
        return self.current is not self.disk

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the copy in memory to be loaded (or given up); whether the store answering is it."""
        if self.loading is not None:
            self.loading.join(timeout)
        return self.in_memory

    def _load(self, dump: Path) -> None:
        """Load the dump into a new in-memory store, add the graphs the dump leaves out (the
        catalogue), then answer from it; on any failure keep answering from disk."""
        with contextlib.suppress(OSError):  # the queries first: on Linux this lowers this thread only
            thread = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + LOAD_NICENESS))
        try:
            memory = ox.Store()
            memory.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
            loaded = set(memory.named_graphs())
            for graph in self.disk.named_graphs():
                if graph not in loaded:
                    memory.extend(self.disk.quads_for_pattern(None, None, None, graph))
        except Exception as e:  # noqa: BLE001 — an unreadable dump or no memory left: disk still answers
            log.warning("query worker %d could not load %s into memory, answering from disk: %r", os.getpid(), dump, e)
            return
        self.current = memory
        log.info("query worker %d answers from its copy of %s in memory", os.getpid(), dump)


def queries(store_path: str, mode: InMemory, workers: int) -> Handler:
    """A query worker's handler: each :class:`Job` run on the store at ``store_path``, opened read-only
    now, or on its copy in memory once loaded (``mode``: KG_STORE_IN_MEMORY; ``workers``: how many
    workers hold a copy, KG_WORKERS — both as the app's settings say, passed by the pool)."""
    store = WorkerStore(Path(store_path), mode, workers)

    def run(job: Job) -> QueryResult:
        return execute(store.current, job.query, job.fmt, limit=job.limit, default_graphs=job.default_graphs,
                       named_graphs=job.named_graphs, base_iri=job.base_iri)

    return run


def serve(conn: Connection, opener: Callable[[], Handler], memory_limit: int | None = None,
          internal: Internal = QUERYING) -> None:
    """Open the handler, say when ready, then answer jobs until the pipe closes (the server went away)
    or the server kills us.

    With ``memory_limit``, the process's data segment is capped at that many bytes; after a job ran
    out of it, the worker answers and exits."""
    # Ctrl-C in `kg serve` reaches the whole process group; the parent shuts workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(memory_limit)
    handle: Handler | None = None
    try:
        handle, startup_error = opener(), None
    except KgError as e:
        startup_error = e
    try:
        # A worker still starting (imports, opening the store) is not handed jobs meanwhile, and
        # the time it takes is not counted against the first job (kg.server.runner).
        conn.send(Ready(startup_error))
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        reply: Any
        if handle is None:
            assert startup_error is not None
            reply = Failure(startup_error)
        else:
            try:
                reply = handle(job)
            except KgError as e:
                reply = Failure(e)
            except MemoryError:
                reply = Failure(internal.error(f"the job ran out of the worker's memory while {internal.doing_en}"),
                                out_of_memory=True)
            except Exception as e:  # noqa: BLE001 — a bug must reach the server as a message, not kill us
                reply = Failure(internal.of(e))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
        if isinstance(reply, Failure) and reply.out_of_memory:
            return
