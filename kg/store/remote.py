"""A remote SPARQL 1.1 endpoint as the store behind ``kg serve --store sparql:URL``.

Queries that passed :func:`kg.store.check_query` go to the endpoint through SPARQLWrapper
(:mod:`kg.store.remote_client`) and come back as SPARQL JSON results, N-Triples or Turtle; our own
writers (:mod:`kg.store.execute`) re-write them, so clients get the embedded store's formats and
row cap. A :class:`RemoteStore` is what routes call ``ctx.pool`` (``run``); it is also a
:class:`kg.compare.SparqlSource` (``query``) for ``/compare`` and ``/charts``. The release's version
and date come from the remote's ``graph/catalog`` (:mod:`kg.store.remote_release`), re-read every
``refresh`` seconds so that a new ``kg push`` shows.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, QueryError, QueryTimeout, RemoteStoreError
from kg.formats import Format, QueryKind, by_media_type
from kg.settings import Settings
from kg.store.execute import QueryResult, _graph, _select
from kg.store.guard import CheckedQuery, check_query
from kg.store.remote_client import Answer, fetch
from kg.store.remote_release import RemoteRelease, read_release

__all__ = ["NO_GRAPH", "SCHEME", "RemoteStore", "cbd_query", "remote_url"]

log = logging.getLogger(__name__)

SCHEME = "sparql:"
#: A graph no store holds. Virtuoso makes every graph a named graph unless the request names some,
#: where SPARQL 1.1 Protocol §2.1.4 (and Query §13.2 for FROM) give such a dataset none: naming
#: this one gives the dataset no named graphs on every store.
NO_GRAPH = "urn:x-renkei-kg:no-graph"
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_DESCRIBE_ONE = re.compile(r"\s*DESCRIBE\s*<([^<>\"{}|^`\\\x00-\x20]*)>\s*", re.IGNORECASE)
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: XSD 1.1 §3.3.2.2: "true"/"false" are the canonical forms. Virtuoso keeps booleans as integers and
#: writes "1"/"0"; the same values, but pages and clients compare the text.
_CANONICAL_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}


def remote_url(spec: str) -> str | None:
    """The endpoint URL of a ``sparql:URL`` store, None for anything else (a release directory).

    >>> remote_url("sparql:http://127.0.0.1:8890/sparql")
    'http://127.0.0.1:8890/sparql'
    >>> remote_url("build/current") is None
    True
    """
    if not spec.startswith(SCHEME):
        return None
    url = spec[len(SCHEME) :]
    if not re.match(r"https?://[^/\s]+", url):
        raise InputError(f"expected sparql:http://HOST[:PORT]/PATH, not {spec!r}", where="--store")
    return url


def cbd_query(iri: str, depth: int = 4) -> str:
    """A CONSTRUCT of the Concise Bounded Description of ``iri``, blank nodes followed ``depth`` deep.

    ``DESCRIBE`` is implementation-defined (SPARQL 1.1 Query §16.4): pyoxigraph answers the CBD, Virtuoso
    adds the triples that point at the resource. Pages ask ``DESCRIBE <iri>``; this keeps their answer.
    """
    pattern = ""
    for level in range(depth, 1, -1):
        pattern = f"OPTIONAL {{ ?o{level - 1} ?p{level} ?o{level} FILTER(isBlank(?o{level - 1})) {pattern}}} "
    template = " ".join(f"?o{n - 1} ?p{n} ?o{n} ." for n in range(2, depth + 1))
    return f"CONSTRUCT {{ <{iri}> ?p1 ?o1 . {template} }} WHERE {{ <{iri}> ?p1 ?o1 {pattern}}}"


def _canonical_json(body: bytes) -> bytes:
    """SPARQL JSON results with boolean literals in canonical form (most answers are untouched)."""
    if _XSD_BOOLEAN.encode() not in body:
        return body
    doc = json.loads(body)
    for row in doc.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _XSD_BOOLEAN and term.get("value") in _CANONICAL_BOOLEAN:
                term["value"] = _CANONICAL_BOOLEAN[term["value"]]
    return json.dumps(doc, ensure_ascii=False).encode()


def _canonical_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The triples of a parsed graph answer, boolean literals in canonical form."""
    for quad in quads:
        o = quad.object
        if isinstance(o, ox.Literal) and o.datatype.value == _XSD_BOOLEAN and o.value in _CANONICAL_BOOLEAN:
            yield ox.Triple(quad.subject, quad.predicate, ox.Literal(_CANONICAL_BOOLEAN[o.value], datatype=o.datatype))
        else:
            yield quad.triple


def _syntax(media_type: str) -> ox.RdfFormat:
    """The syntax of a graph answer (one of remote_client.GRAPH_TYPES, which fetch checked)."""
    fmt = by_media_type(media_type)
    assert fmt is not None  # fetch() refuses any other media type
    return fmt.rdf_format


def _write(answer: Answer, kind: QueryKind, fmt: Format, limit: int) -> tuple[bytes, int, bool]:
    """Re-write the remote's answer in ``fmt``, capped at ``limit`` rows or triples, as the embedded store does."""
    if kind.is_graph:
        return _graph(_canonical_triples(ox.parse(answer.body, format=_syntax(answer.media_type))), fmt, limit)
    body = answer.body
    if _RESULTS[answer.media_type] is ox.QueryResultsFormat.JSON:
        body = _canonical_json(body)
    parsed = ox.parse_query_results(body, format=_RESULTS[answer.media_type])
    if isinstance(parsed, ox.QueryBoolean):
        return parsed.serialize(format=fmt.results_format) or b"", 1, False
    return _select(parsed, fmt, limit)


def _protocol_dataset(
    query: CheckedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str]
) -> tuple[list[str], list[str]]:
    """``default-graph-uri``/``named-graph-uri`` that give the remote the dataset §2.1.4 prescribes."""
    defaults, named = list(default_graphs), list(named_graphs)
    if defaults and not named:
        named = [NO_GRAPH]  # the protocol names default graphs only: no named graphs
    elif not (defaults or named) and query.from_graphs and not query.from_named_graphs:
        named = [NO_GRAPH]  # FROM without FROM NAMED: no named graphs (Query §13.2)
    return defaults, named


class RemoteStore:
    """Queries on a remote endpoint for the routes (``run``) and for kg.compare (``query``)."""

    def __init__(self, url: str, settings: Settings, *, refresh: float = 60.0) -> None:
        self.url = url
        self.settings = settings
        self.size = max(1, settings.workers)
        self.timeout = settings.query_timeout
        self.refresh = refresh
        self.abandoned = 0
        # Threads, not processes: a remote query costs us a socket, not CPU. The pool bounds how
        # many requests are in flight; one left running past its deadline ends at its socket timeout.
        self._threads = concurrent.futures.ThreadPoolExecutor(self.size, thread_name_prefix="kg-remote")
        self._refreshing = threading.Lock()
        self.release: RemoteRelease = read_release(self._rows, url, settings)
        self._read_at = time.monotonic()

    @property
    def respawned(self) -> int:
        """Requests abandoned at the time limit (what a replaced worker is for the local pool)."""
        return self.abandoned

    def start(self) -> None:
        """Nothing to start: threads are made on demand (the release was read when the store opened)."""

    def close(self) -> None:
        """Stop taking requests (on server shutdown); ones in flight end at their socket timeout."""
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def run(
        self,
        query: CheckedQuery,
        fmt: Format,
        *,
        limit: int,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
        base_iri: str | None = None,
        first: bool = False,
    ) -> QueryResult:
        """Run one checked query on the remote; QueryTimeout past ``timeout``, RemoteStoreError if it fails.
        ``first`` (a probe) changes nothing here: the remote's queue is its own."""
        self._maybe_refresh()
        budget = self.timeout if timeout is None else timeout
        job = self._threads.submit(
            self._execute, query, fmt, limit, default_graphs, named_graphs, base_iri, time.monotonic() + budget
        )
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job), budget)
        except TimeoutError:
            raise self._overran(job, budget) from None

    def query(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT's rows as ``{variable: lexical value}`` (kg.compare.SparqlSource), within the time limit."""
        self._maybe_refresh()
        job = self._threads.submit(self._rows, sparql, time.monotonic() + self.timeout)
        try:
            return job.result(self.timeout)
        except TimeoutError:
            raise self._overran(job, self.timeout) from None

    def _overran(self, job: concurrent.futures.Future[Any], budget: float) -> QueryTimeout:
        if job.cancel():  # still queued: every connection was busy the whole time
            return QueryTimeout(f"every connection to the remote store stayed busy for {budget:g} s; try again later")
        self.abandoned += 1
        log.warning("remote query ran past %.3g s; abandoned (%s)", budget, self.url)
        return QueryTimeout(
            f"the remote store did not answer within the time limit of {budget:g} s (KG_QUERY_TIMEOUT)",
            where=self.url,
        )

    def _maybe_refresh(self) -> None:
        """Re-read the release in the background once it is ``refresh`` seconds old (a new push)."""
        if time.monotonic() - self._read_at < self.refresh or not self._refreshing.acquire(blocking=False):
            return

        def reread() -> None:
            try:
                self.release = read_release(self._rows, self.url, self.settings)
            except (QueryError, RemoteStoreError) as e:
                log.warning("kept release %s: re-reading the remote's catalogue failed: %s", self.release.version, e)
            finally:
                self._read_at = time.monotonic()
                self._refreshing.release()

        try:
            self._threads.submit(reread)
        except RuntimeError:  # shut down
            self._refreshing.release()

    # ─── in a worker thread ────────────────────────────────────────────────────────────────────

    def _execute(
        self,
        query: CheckedQuery,
        fmt: Format,
        limit: int,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        base_iri: str | None,
        deadline: float,
    ) -> QueryResult:
        text, kind = query.text, query.kind
        described = _DESCRIBE_ONE.fullmatch(text)
        if described:
            text, kind = cbd_query(described.group(1)), QueryKind.CONSTRUCT
        if base_iri:
            # Relative IRIs resolve against the endpoint's IRI, as on the embedded store (Query §4.1.1.1).
            # One line: the remote's error messages keep the client's line numbers.
            text = f"BASE <{base_iri}> {text}"
        defaults, named = _protocol_dataset(query, default_graphs, named_graphs)
        answer = fetch(self.url, text, kind, defaults, named, deadline)
        failure: RemoteStoreError | None = None
        try:
            body, count, truncated = _write(answer, kind, fmt, limit)
        except (SyntaxError, ValueError) as e:
            failure = RemoteStoreError(
                f"the remote store answered with unreadable {answer.media_type}: {e}", where=self.url)
        if failure is not None:
            # Raised outside the handler, so without the parser's error as its context: that error's
            # traceback holds pyoxigraph's parsed results, which may be freed only on this thread,
            # and the caller keeps this error (kg.store.execute does the same).
            raise failure
        return QueryResult(body, fmt.media_type, query.kind, count, truncated or answer.cut, limit)

    def _rows(self, sparql: str, deadline: float | None = None) -> list[dict[str, str]]:
        query = check_query(sparql)
        if query.kind is not QueryKind.SELECT:
            raise QueryError("only SELECT queries can be read as rows", where=self.url)
        deadline = time.monotonic() + self.timeout if deadline is None else deadline
        answer = fetch(self.url, query.text, query.kind, *_protocol_dataset(query, (), ()), deadline)
        try:
            data = json.loads(_canonical_json(answer.body)) if answer.media_type.endswith("json") else None
        except ValueError as e:
            raise RemoteStoreError(f"the remote store answered with unreadable JSON: {e}", where=self.url) from None
        if not isinstance(data, dict) or "results" not in data:
            raise RemoteStoreError("the remote store did not answer with SPARQL JSON results", where=self.url)
        return [{v: b["value"] for v, b in row.items()} for row in data["results"]["bindings"]]
