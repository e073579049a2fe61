"""The body of one query worker process: open the store read-only, answer jobs from a pipe.

pyoxigraph cannot cancel a running query, so the server runs queries here and kills the process
when one overruns (kg.server.pool). Nothing in this module imports the web stack: a respawn
after a timeout must be quick.

A worker may also be bounded in memory (issue 14: ``SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c``
grew a worker by a gigabyte a second to 16 GB). ``RLIMIT_DATA`` caps the process's heap and
private mappings, which is where pyoxigraph's intermediate results go: measured on the published
release, a 3 GB cap stopped that query at 3 GB in 2.5 s, while the read-only store (file mappings)
is not counted. pyoxigraph (Rust) aborts on a failed allocation (SIGABRT), Python raises
MemoryError: the server tells both apart from a crash (kg.server.pool, :data:`OUT_OF_MEMORY`).
"""

from __future__ import annotations

import contextlib
import resource
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import KgError
from kg.store.execute import QueryResult, execute
from kg.store.formats import Format
from kg.store.guard import CheckedQuery
from kg.store.release import open_read_only

__all__ = ["OUT_OF_MEMORY", "Failure", "Job", "Ready", "limit_memory", "serve_jobs"]

#: The error name of the :class:`Failure` a worker sends when a query ran out of its memory.
OUT_OF_MEMORY = "MemoryError"


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
    """A typed error raised in the worker, carried back to the server by class name and message."""

    error: str
    message: str


@dataclass(frozen=True)
class Ready:
    """The first message of a worker: its store is open (or ``error`` says why not)."""

    error: Failure | None = None


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's data segment (heap and private mappings) at ``max_bytes`` (RLIMIT_DATA)."""
    if max_bytes is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    with contextlib.suppress(ValueError, OSError):  # a platform without it: the time limit still holds
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def serve_jobs(store_path: str, conn: Connection, memory_limit: int | None = None) -> None:
    """Say when ready, then answer jobs until the pipe closes (the server went away) or the server kills us.

    With ``memory_limit``, the process's data segment is capped at that many bytes; after a query
    ran out of it, the worker answers and exits (its heap may be left fragmented)."""
    # Ctrl-C in `kg serve` reaches the whole process group; the parent shuts workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(memory_limit)
    try:
        store = open_read_only(Path(store_path))
        startup_error = None
    except KgError as e:
        store, startup_error = None, Failure(type(e).__name__, str(e))
    try:
        # A worker still starting (imports, opening the store) is not handed queries meanwhile, and
        # the time it takes is not counted against the first query (kg.server.pool).
        conn.send(Ready(startup_error))
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        reply: QueryResult | Failure
        if store is None:
            assert startup_error is not None
            reply = startup_error
        else:
            try:
                reply = execute(
                    store,
                    job.query,
                    job.fmt,
                    limit=job.limit,
                    default_graphs=job.default_graphs,
                    named_graphs=job.named_graphs,
                    base_iri=job.base_iri,
                )
            except KgError as e:
                reply = Failure(type(e).__name__, str(e))
            except MemoryError:
                reply = Failure(OUT_OF_MEMORY, "the query ran out of the worker's memory")
            except Exception as e:  # noqa: BLE001 — a bug must not kill the worker silently
                reply = Failure("QueryError", f"internal error while running the query: {e!r}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
        if isinstance(reply, Failure) and reply.error == OUT_OF_MEMORY:
            return
