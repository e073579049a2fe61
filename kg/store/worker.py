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
"""

from __future__ import annotations

import contextlib
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import KgError, QueryError
from kg.formats import Format
from kg.store.execute import QueryResult, execute
from kg.store.guard import CheckedQuery
from kg.store.release import open_read_only

__all__ = ["Failure", "Handler", "Internal", "Job", "Ready", "limit_memory", "queries", "serve"]

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


def queries(store_path: str) -> Handler:
    """A query worker's handler: each :class:`Job` run on the store at ``store_path``, opened read-only now."""
    store = open_read_only(Path(store_path))

    def run(job: Job) -> QueryResult:
        return execute(store, job.query, job.fmt, limit=job.limit, default_graphs=job.default_graphs,
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
