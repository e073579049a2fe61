"""The body of one query worker process: open the store read-only, answer jobs from a pipe.

pyoxigraph cannot cancel a running query, so the server runs queries here and kills the process
when one overruns (kg.server.pool). Nothing in this module imports the web stack: a respawn
after a timeout must be quick.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import KgError
from kg.store.execute import QueryResult, execute
from kg.store.formats import Format
from kg.store.guard import CheckedQuery
from kg.store.release import open_read_only

__all__ = ["Failure", "Job", "Ready", "serve_jobs"]


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


def serve_jobs(store_path: str, conn: Connection) -> None:
    """Say when ready, then answer jobs until the pipe closes (the server went away) or the server kills us."""
    # Ctrl-C in `kg serve` reaches the whole process group; the parent shuts workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
            except Exception as e:  # noqa: BLE001 — a bug must not kill the worker silently
                reply = Failure("QueryError", f"internal error while running the query: {e!r}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
