"""Push a release into any SPARQL 1.1 Graph Store Protocol endpoint: one PUT per named graph.

SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):
§5.3 PUT replaces a graph's content, so pushing the same release twice leaves the remote as the first
push left it (idempotent); §5.5 POST merges, used for the second and later chunks of a graph too large
for one request; §5.4 DELETE drops a graph, used only with ``prune``. Counting before and after goes
through the SPARQL 1.1 Protocol query endpoint with SPARQLWrapper (the project's client for remote
endpoints); without one, each graph's count comes from a GSP GET (§5.2) and stale graphs are not listed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
import pyoxigraph as ox

from kg.errors import KgError, RemoteStoreError
from kg.formats import QueryKind, by_name
from kg.store.remote_client import fetch

if TYPE_CHECKING:
    from kg.release.build import Release

__all__ = ["DEFAULT_CHUNK_BYTES", "AuthScheme", "Endpoint", "GraphChange", "PushReport", "graph_counts",
           "push", "push_release", "remote_counts"]

log = logging.getLogger(__name__)

AuthScheme = Literal["auto", "basic", "digest"]
#: Largest request body. Virtuoso holds a request body as one string and its strings stop at 10 MB
#: (Virtuoso issue #30); 4 MiB also keeps each load transaction short on stores that lock per request.
DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024
_NT = by_name("ntriples").media_type


@dataclass(frozen=True)
class Endpoint:
    """A remote store: its GSP URL (writes), its SPARQL query URL (counts), and credentials."""

    gsp: str
    query: str | None = None
    auth: tuple[str, str] | None = None
    auth_scheme: AuthScheme = "auto"
    timeout: float = 300.0


@dataclass(frozen=True)
class GraphChange:
    """One graph of the release: what the remote held before, what was sent, what it holds after."""

    graph: str
    before: int | None  # triples on the remote before the push; None: the graph was not there
    sent: int
    requests: int
    after: int | None = None  # triples on the remote after the push, when a query endpoint can tell

    @property
    def action(self) -> str:
        return "create" if not self.before else "replace"


@dataclass
class PushReport:
    """What a push did (or, with ``dry_run``, would do) to the remote."""

    gsp: str
    version: str
    dry_run: bool
    changes: list[GraphChange] = field(default_factory=list)
    stale: dict[str, int] | None = None  # remote graphs under the prefix the release lacks; None: unknown
    pruned: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``kg push --format json``)."""
        return {"endpoint": self.gsp, "version": self.version, "dry_run": self.dry_run,
                "graphs": [{"graph": c.graph, "action": c.action, "before": c.before, "sent": c.sent,
                            "after": c.after, "requests": c.requests} for c in self.changes],
                "stale": self.stale, "pruned": self.pruned}


class _ChallengeAuth(httpx.Auth):
    """Answer whichever challenge the server sends: Digest (Virtuoso) or Basic (Fuseki, GraphDB)."""

    requires_request_body = True  # a challenged PUT is sent again, body and all

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code != 401 or challenge not in ("digest", "basic"):
            return
        if challenge == "basic":
            self._chosen = self._basic
            yield from self._basic.auth_flow(request)
            return
        # Hand the challenge we already hold to DigestAuth rather than asking the server again.
        self._chosen = self._digest
        flow = self._digest.auth_flow(request)
        next(flow)
        try:
            retry = flow.send(response)
        except StopIteration:
            return
        final = yield retry
        with contextlib.suppress(StopIteration):
            flow.send(final)


def _server_message(response: httpx.Response) -> str:
    """The server's own words, tags stripped and shortened (Virtuoso answers errors in HTML)."""
    text = re.sub(r"<[^>]+>", " ", response.text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:500] or response.reason_phrase


class _Gsp:
    """The four Graph Store Protocol operations on one endpoint, errors mapped to RemoteStoreError."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.url = endpoint.gsp
        auth: httpx.Auth | None = None
        if endpoint.auth is not None:
            user, password = endpoint.auth
            auth = {"basic": httpx.BasicAuth, "digest": httpx.DigestAuth,
                    "auto": _ChallengeAuth}[endpoint.auth_scheme](user, password)
        self.client = httpx.Client(auth=auth, timeout=endpoint.timeout, follow_redirects=False,
                                   headers={"User-Agent": "renkei-kg push"})

    def request(self, method: str, graph: str, body: bytes | None = None,
                ok: tuple[int, ...] = (200, 201, 204)) -> httpx.Response:
        """Send one request about ``graph`` (§4.2 indirect identification: ``?graph=IRI``)."""
        # Only a GET asks for N-Triples: Virtuoso answers a DELETE that sends this Accept with 406.
        headers = {"Content-Type": _NT} if body is not None else {"Accept": _NT} if method == "GET" else {}
        where = f"{method} {self.url} graph <{graph}>"
        try:
            r = self.client.request(method, self.url, params={"graph": graph}, content=body, headers=headers)
        except httpx.TimeoutException as e:
            raise RemoteStoreError(f"no answer within {self.client.timeout.read} s ({e})", where=where) from e
        except httpx.HTTPError as e:
            raise RemoteStoreError(f"cannot reach the endpoint: {e}", where=where) from e
        log.debug("%s: HTTP %d, %d bytes sent", where, r.status_code, len(body or b""))
        if r.status_code in ok:
            return r
        hint = {401: " (check --auth user:password)", 403: " (the user may not write this graph)"}
        status = f"HTTP {r.status_code}{hint.get(r.status_code, '')}"
        raise RemoteStoreError(f"{status}: {_server_message(r)}", where=where)

    def count(self, graph: str) -> int | None:
        """Triples the remote holds in ``graph`` (§5.2 GET), or None when it has no such graph."""
        r = self.request("GET", graph, ok=(200, 404))
        if r.status_code == 404:
            return None
        try:
            return sum(1 for _ in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as e:
            raise RemoteStoreError(f"the endpoint answered GET with unreadable N-Triples: {e}",
                             where=f"GET {self.url} graph <{graph}>") from e


def _sparql_string(text: str) -> str:
    """A SPARQL string literal (SPARQL 1.1 Query §19.7 ECHAR escapes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def remote_counts(endpoint: Endpoint, prefix: str) -> dict[str, int]:
    """Every remote named graph whose IRI starts with ``prefix``, with its triple count (one query)."""
    return _counts(endpoint, f"FILTER(STRSTARTS(STR(?g), {_sparql_string(prefix)}))")


def graph_counts(endpoint: Endpoint, graphs: list[str]) -> dict[str, int]:
    """The triple count of each of ``graphs`` the remote holds (absent graphs are left out)."""
    if not graphs:
        return {}
    return _counts(endpoint, "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }")


def _counts(endpoint: Endpoint, restriction: str) -> dict[str, int]:
    """Run ``SELECT ?g (COUNT(*) AS ?n)`` over the named graphs the restriction admits (kg.store.remote_client)."""
    assert endpoint.query is not None
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {restriction} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    where = f"POST {endpoint.query}"
    try:
        answer = fetch(endpoint.query, query, QueryKind.SELECT, (), (), time.monotonic() + endpoint.timeout,
                       auth=endpoint.auth, auth_scheme=endpoint.auth_scheme, agent="renkei-kg push")
        result = json.loads(answer.body)
    except KgError as e:
        raise RemoteStoreError(f"cannot query the endpoint: {e.message}", where=where) from e
    except ValueError as e:
        raise RemoteStoreError(f"the query endpoint did not answer with SPARQL JSON results: {e}", where=where) from e
    if not isinstance(result, dict) or "results" not in result:
        raise RemoteStoreError("the query endpoint did not answer with SPARQL JSON results", where=where)
    return {row["g"]["value"]: int(row["n"]["value"]) for row in result["results"]["bindings"]}


def _chunks(store: ox.Store, graph: str, limit: int) -> Iterator[tuple[bytes, int]]:
    """N-Triples bodies of at most ``limit`` bytes (where triples allow), with their triple counts.

    Blank-node labels are scoped to one document (RDF 1.1 Concepts §3.4), so every triple with a blank
    node goes into the first body; the ground triples are split freely.
    """
    name = ox.NamedNode(graph)
    with_bnodes = [q.triple for q in store.quads_for_pattern(None, None, None, name)
                   if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    lines = [f"{t} .\n".encode() for t in with_bnodes]
    size = sum(map(len, lines))
    for q in store.quads_for_pattern(None, None, None, name):
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            continue
        line = f"{q.triple} .\n".encode()
        if lines and size + len(line) > limit:
            yield b"".join(lines), len(lines)
            lines, size = [], 0
        lines.append(line)
        size += len(line)
    if lines:
        yield b"".join(lines), len(lines)


def _open(store_path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(store_path))
    except OSError as e:
        raise RemoteStoreError(f"cannot open the release's store: {e}", file=store_path) from e


def _named_graphs(store: ox.Store, store_path: Path) -> list[str]:
    """Every named graph of the store, sorted; refuses a store with triples in its default graph."""
    stray = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if stray:
        # GSP's ?default names the remote's default graph, which Virtuoso and others make the union of
        # all graphs: there is no faithful place for these triples. kg build never writes any.
        message = f"the store's default graph holds {stray} triples; only named graphs can be pushed"
        raise RemoteStoreError(message, file=store_path)
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def push(store_path: Path, graphs: list[str] | None, endpoint: Endpoint, *, version: str, graph_prefix: str,
         prune: bool = False, dry_run: bool = False, chunk_bytes: int = DEFAULT_CHUNK_BYTES,
         progress: Callable[[GraphChange], None] | None = None) -> PushReport:
    """Replace each of ``graphs`` (None: every named graph of the store) on the remote with its content."""
    store = _open(store_path)
    if graphs is None:
        graphs = _named_graphs(store, store_path)
    gsp = _Gsp(endpoint)
    report = PushReport(endpoint.gsp, version, dry_run)
    try:
        before: dict[str, int] | None = None
        if endpoint.query is not None:
            before = graph_counts(endpoint, graphs)
            ours = set(graphs)
            report.stale = {g: n for g, n in sorted(remote_counts(endpoint, graph_prefix).items())
                            if g not in ours}
        for graph in graphs:
            old = before.get(graph) if before is not None else gsp.count(graph)
            sent = requests = 0
            for body, n in _chunks(store, graph, chunk_bytes):
                if not dry_run:
                    gsp.request("PUT" if requests == 0 else "POST", graph, body)
                sent += n
                requests += 1
            if requests == 0 and not dry_run:
                # An empty graph in the release: quad stores do not keep empty graphs, so drop it (§5.4).
                gsp.request("DELETE", graph, ok=(200, 204, 404))
            change = GraphChange(graph, old, sent, requests)
            report.changes.append(change)
            if progress is not None:
                progress(change)
        if prune and report.stale and not dry_run:
            for graph in report.stale:
                gsp.request("DELETE", graph, ok=(200, 204, 404))
            report.pruned = True
        if endpoint.query is not None and not dry_run:
            _verify(report, graph_counts(endpoint, graphs))
    finally:
        gsp.client.close()
        del store
    return report


def push_release(release: Release, endpoint: Endpoint, *, graph_prefix: str, **options: Any) -> PushReport:
    """Push every named graph of the release's store, the catalogue included (sorted, so reports compare).

    The store, not the manifest's ``graphs``, is the list: the catalogue graph is written after the
    manifest counts the others (kg.release.catalogue).
    """
    return push(release.store_path, None, endpoint, version=release.version, graph_prefix=graph_prefix,
                **options)


def _verify(report: PushReport, after: dict[str, int]) -> None:
    """Record what the remote holds now; a graph that lost triples on the way is an error."""
    report.changes = [GraphChange(c.graph, c.before, c.sent, c.requests, after.get(c.graph, 0))
                      for c in report.changes]
    wrong = [c for c in report.changes if c.after != c.sent]
    if wrong:
        lines = "; ".join(f"<{c.graph}> sent {c.sent}, holds {c.after}" for c in wrong[:10])
        raise RemoteStoreError(f"{len(wrong)} graph(s) differ from the release after the push: {lines}",
                         where=f"PUT {report.gsp}")
