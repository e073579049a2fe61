"""A remote SPARQL 1.1 endpoint as the store behind ``kg serve --store sparql:URL``.

Queries that passed :func:`kg.store.check_query` go to the endpoint through SPARQLWrapper (the
project's client for remote endpoints) as form-encoded POSTs (SPARQL 1.1 Protocol §2.1.2).
Results come back as SPARQL JSON, never CSV/TSV (Virtuoso prints non-ASCII constants of the
query there as ``??``), and graphs as N-Triples or Turtle; both are re-written by our own writers
(:mod:`kg.store.execute`), so clients get the same formats and the same row cap as on the embedded
store. A :class:`RemoteStore` is what routes call ``ctx.pool`` (``run``); it is also a
:class:`kg.compare.SparqlSource` (``query``) for ``/compare`` and ``/charts``.

The release's version and date, behind ``ETag``/``Last-Modified`` and ``/health``, come from the
remote's ``graph/catalog`` (see :mod:`kg.store.remote_release`), re-read every ``refresh`` seconds
so that a new ``kg push`` shows.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import math
import re
import threading
import time
import urllib.error
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, QueryError, QueryTimeout, RemoteStoreError
from kg.settings import Settings
from kg.store.execute import QueryResult, _graph, _select
from kg.store.formats import Format, QueryKind
from kg.store.guard import CheckedQuery, check_query
from kg.store.remote_release import RemoteRelease, read_release

__all__ = ["NO_GRAPH", "SCHEME", "RemoteStore", "remote_url"]

log = logging.getLogger(__name__)

SCHEME = "sparql:"
#: A graph no store holds. Virtuoso makes every graph a named graph unless the request names some,
#: where SPARQL 1.1 Protocol §2.1.4 (and Query §13.2 for FROM) give such a dataset none: naming
#: this one gives the dataset no named graphs on every store.
NO_GRAPH = "urn:x-renkei-kg:no-graph"
_AGENT = "renkei-kg (kg serve --store)"
#: Largest answer read from the remote: a query without LIMIT on a large store is cut by the
#: remote's own row limit (Virtuoso's ResultSetMaxRows), this bounds what one request can cost us.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1 (Virtuoso 6, 4store)
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
}
#: Virtuoso's words for "stopped at my own time limit": SQL states S1T00 (timeout) and SR171
#: (transaction timed out), and the refusal of a query whose estimated cost exceeds
#: MaxQueryCostEstimationTime.
_REMOTE_TIMEOUT = re.compile(r"\bS1T00\b|\bSR171\b|estimated execution time", re.IGNORECASE)
_DESCRIBE_ONE = re.compile(r"\s*DESCRIBE\s*<([^<>\"{}|^`\\\x00-\x20]*)>\s*", re.IGNORECASE)


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


@dataclass(frozen=True)
class _Answer:
    """The remote's bytes, their media type, and whether the remote itself cut the rows."""

    body: bytes
    media_type: str
    cut: bool


def _server_words(error: Exception) -> str:
    """The endpoint's own message, from a SPARQLWrapper exception (which keeps it only in its text)."""
    text = str(error)
    raw = text.split("Response:\n", 1)[1] if "Response:\n" in text else text
    if raw.startswith(("b'", 'b"')):
        try:
            import ast

            raw = ast.literal_eval(raw).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    raw = raw.split("\n\nSPARQL query:", 1)[0]  # Virtuoso echoes the whole query after its message
    raw = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", raw).strip()[:500] or type(error).__name__


def _protocol_dataset(
    query: CheckedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str]
) -> tuple[list[str], list[str]]:
    """``default-graph-uri``/``named-graph-uri`` that give the remote the dataset §2.1.4 prescribes."""
    defaults, named = list(default_graphs), list(named_graphs)
    if (defaults or named) and not named:
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
    ) -> QueryResult:
        """Run one checked query on the remote; QueryTimeout past ``timeout``, RemoteStoreError if it fails."""
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
        answer = self._fetch(text, kind, defaults, named, deadline)
        try:
            if kind.is_graph:
                triples = (q.triple for q in ox.parse(answer.body, format=_GRAPH_TYPES[answer.media_type]))
                body, count, truncated = _graph(triples, fmt, limit)
            else:
                parsed = ox.parse_query_results(answer.body, format=_RESULT_TYPES[answer.media_type])
                if isinstance(parsed, ox.QueryBoolean):
                    return QueryResult(
                        parsed.serialize(format=fmt.results_format) or b"", fmt.media_type, query.kind, 1, False, limit
                    )
                body, count, truncated = _select(parsed, fmt, limit)
        except SyntaxError as e:
            raise RemoteStoreError(
                f"the remote store answered with unreadable {answer.media_type}: {e}", where=self.url
            ) from None
        return QueryResult(body, fmt.media_type, query.kind, count, truncated or answer.cut, limit)

    def _rows(self, sparql: str, deadline: float | None = None) -> list[dict[str, str]]:
        query = check_query(sparql)
        if query.kind is not QueryKind.SELECT:
            raise QueryError("only SELECT queries can be read as rows", where=self.url)
        deadline = time.monotonic() + self.timeout if deadline is None else deadline
        answer = self._fetch(query.text, query.kind, *_protocol_dataset(query, (), ()), deadline)
        try:
            data = json.loads(answer.body) if answer.media_type.endswith("json") else None
        except ValueError as e:
            raise RemoteStoreError(f"the remote store answered with unreadable JSON: {e}", where=self.url) from None
        if not isinstance(data, dict) or "results" not in data:
            raise RemoteStoreError("the remote store did not answer with SPARQL JSON results", where=self.url)
        return [{v: b["value"] for v, b in row.items()} for row in data["results"]["bindings"]]

    def _fetch(self, text: str, kind: QueryKind, defaults: list[str], named: list[str], deadline: float) -> _Answer:
        """POST one query with SPARQLWrapper; every failure becomes QueryTimeout, QueryError or RemoteStoreError."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper import SPARQLExceptions as sx

        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout("the time limit passed while the query waited for a connection", where=self.url)
        client = SPARQLWrapper(self.url, agent=_AGENT)
        # Set the form directly: SPARQLWrapper's own sniffing of the query text warns on a leading BASE.
        client.queryString, client.queryType = text, kind.value
        client.setMethod(POST)
        client.setOnlyConneg(True)  # no format=/output= parameters: Accept says it (Protocol §2.1.6)
        client.setReturnFormat(TURTLE if kind.is_graph else JSON)
        client.addCustomHttpHeader("Accept", _ACCEPT_GRAPH if kind.is_graph else _ACCEPT_RESULTS)
        for graph in defaults:
            client.addDefaultGraph(graph)
        for graph in named:
            client.addNamedGraph(graph)
        client.setTimeout(math.ceil(left))
        where = f"POST {self.url}"
        try:
            response = client.query().response
            body = response.read(MAX_ANSWER_BYTES + 1)
            headers = response.headers
            response.close()
        except sx.QueryBadFormed as e:
            raise QueryError(f"the remote store refused the query: {_server_words(e)}", where=self.url) from None
        except sx.SPARQLWrapperException as e:
            words = _server_words(e)
            if _REMOTE_TIMEOUT.search(words):
                raise QueryTimeout(
                    f"the remote store stopped the query at its own time limit: {words}", where=self.url
                ) from None
            raise RemoteStoreError(f"{type(e).__name__}: {words}", where=where) from None
        except urllib.error.HTTPError as e:  # statuses SPARQLWrapper has no class for (403, 502, 503, 504 …)
            words = _server_words(Exception(e.read().decode("utf-8", "replace")))
            if e.code == 504 or _REMOTE_TIMEOUT.search(words):
                raise QueryTimeout(f"HTTP {e.code} from the remote store: {words}", where=self.url) from None
            raise RemoteStoreError(f"HTTP {e.code}: {words}", where=where) from None
        except TimeoutError:
            raise QueryTimeout(
                f"no answer from the remote store within {left:.3g} s (KG_QUERY_TIMEOUT)", where=self.url
            ) from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                raise QueryTimeout(f"no connection to the remote store within {left:.3g} s", where=self.url) from None
            raise RemoteStoreError(f"cannot reach the remote store: {e.reason}", where=where) from None
        except (OSError, HTTPException) as e:
            raise RemoteStoreError(f"the connection to the remote store failed: {e!r}", where=where) from None
        if len(body) > MAX_ANSWER_BYTES:
            raise QueryError(f"the remote store's answer exceeds {MAX_ANSWER_BYTES} bytes; add a LIMIT", where=self.url)
        if headers.get("X-SQL-State", "").upper() == "S1TAT":
            # Virtuoso's "anytime" answer: what it found before its time limit, which is not the answer.
            raise QueryTimeout(
                "the remote store stopped the query at its own time limit "
                "(Virtuoso MaxQueryExecutionTime) and its answer is incomplete",
                where=self.url,
            )
        media_type = headers.get_content_type()
        if media_type not in (_GRAPH_TYPES if kind.is_graph else _RESULT_TYPES):
            raise RemoteStoreError(f"the remote store answered a {kind.value} with {media_type}", where=where)
        # Virtuoso announces that its ResultSetMaxRows cut the rows (there is no standard way to).
        return _Answer(body, media_type, "X-SPARQL-MaxRows" in headers)
