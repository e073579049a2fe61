"""One SPARQL 1.1 Protocol request to a remote endpoint with SPARQLWrapper, every failure typed.

The query goes as a form-encoded POST (Protocol §2.1.2: no URL length limit), the wanted media
types in ``Accept`` only (no ``format=``/``output=`` parameters, which endpoints read differently).
What comes back is checked and handed on as bytes; :mod:`kg.store.remote` parses and re-writes it.

Failures map onto the exception tree: the endpoint's or our own time limit → :class:`QueryTimeout`
(HTTP 503), a query the endpoint rejects as malformed → :class:`QueryError` (400), anything else
(refused connection, 401/403/404/5xx, an answer in the wrong format) → :class:`RemoteStoreError`
(503). Each message quotes the endpoint's own words, without the copy of the query Virtuoso appends.

This is the one SPARQL client of the package: the remote store (:mod:`kg.store.remote`) and
``kg push``'s counts (:mod:`kg.store.push`) both ask through :func:`fetch`. With credentials it logs
in as the endpoint asks: without credentials first (a query endpoint is often open to all, as
Virtuoso's /sparql), then Digest, then Basic, unless the scheme is named.
"""

from __future__ import annotations

import ast
import contextlib
import math
import re
import time
import urllib.error
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPException

from kg.errors import QueryError, QueryTimeout, RemoteStoreError
from kg.formats import QueryKind, by_name

#: Login attempts in order, by the scheme asked for (None: no credentials sent).
LOGINS: dict[str, tuple[str | None, ...]] = {"auto": (None, "DIGEST", "BASIC"), "digest": ("DIGEST",),
                                             "basic": ("BASIC",)}

__all__ = ["GRAPH_TYPES", "LOGINS", "MAX_ANSWER_BYTES", "RESULT_TYPES", "Answer", "fetch", "server_words"]

_AGENT = "renkei-kg (kg serve --store)"
#: Largest answer read: a query without LIMIT is cut by the endpoint's own row limit (Virtuoso's
#: ResultSetMaxRows); this bounds what one request can cost us whatever the endpoint's settings.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
_NTRIPLES, _TURTLE = by_name("ntriples"), by_name("turtle")
_ACCEPT_GRAPH = f"{_NTRIPLES.media_type}, {_TURTLE.media_type};q=0.9"
#: The media types read, by query form (never CSV/TSV: Virtuoso prints non-ASCII constants there as ??).
RESULT_TYPES = ("application/sparql-results+json", "application/json", "application/sparql-results+xml")
#: N-Triples' and Turtle's media types, with text/plain (N-Triples before RDF 1.1: Virtuoso 6, 4store).
GRAPH_TYPES = (*_NTRIPLES.media_types, *_TURTLE.media_types)
#: Virtuoso's words for "stopped at my own limit": SQL states S1T00 (timeout) and SR171 (transaction
#: timed out), and the refusal of a query whose estimated cost exceeds MaxQueryCostEstimationTime.
_REMOTE_TIMEOUT = re.compile(r"\bS1T00\b|\bSR171\b|estimated execution time", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    """The endpoint's bytes, their media type, and whether the endpoint itself cut the rows."""

    body: bytes
    media_type: str
    cut: bool


def server_words(text: str) -> str:
    """The endpoint's own message: SPARQLWrapper's wrapping, HTML tags and the echoed query removed.

    >>> server_words("QueryBadFormed: A bad request. \\n\\nResponse:\\nb'Virtuoso 37000 Error SP030: "
    ...              "syntax error\\\\n\\\\nSPARQL query:\\\\nSELECT'")
    'Virtuoso 37000 Error SP030: syntax error'
    """
    raw = text.split("Response:\n", 1)[1] if "Response:\n" in text else text
    if raw.startswith(("b'", 'b"')):  # SPARQLWrapper 2.0 keeps the body only as the repr of bytes
        with contextlib.suppress(ValueError, SyntaxError):
            raw = ast.literal_eval(raw).decode("utf-8", "replace")
    raw = raw.split("\n\nSPARQL query:", 1)[0]
    raw = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", raw).strip()[:500]


def fetch(
    url: str, text: str, kind: QueryKind, defaults: Sequence[str], named: Sequence[str], deadline: float,
    *, auth: tuple[str, str] | None = None, auth_scheme: str = "auto", agent: str = _AGENT,
) -> Answer:
    """POST ``text`` to ``url`` with the dataset ``defaults``/``named``, answering by ``deadline``;
    with ``auth``, logging in as :data:`LOGINS` says for ``auth_scheme``."""
    from SPARQLWrapper import SPARQLExceptions as sx

    logins = LOGINS[auth_scheme] if auth is not None else (None,)
    for i, login in enumerate(logins):
        try:
            return _fetch(url, text, kind, defaults, named, deadline, auth, login, agent)
        except sx.Unauthorized:
            if i + 1 == len(logins):
                raise RemoteStoreError("HTTP 401: the endpoint refused the credentials" if auth else
                                       "HTTP 401: the endpoint asks for credentials", where=f"POST {url}") from None
    raise AssertionError("unreachable: LOGINS has no empty entry")


def _fetch(url: str, text: str, kind: QueryKind, defaults: Sequence[str], named: Sequence[str], deadline: float,
           auth: tuple[str, str] | None, login: str | None, agent: str) -> Answer:
    """One attempt of :func:`fetch`, logging in with ``login`` (``DIGEST``, ``BASIC`` or None)."""
    import SPARQLWrapper as sw
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper import SPARQLExceptions as sx

    left = deadline - time.monotonic()
    if left <= 0:
        raise QueryTimeout("the time limit passed while the query waited for a connection", where=url)
    client = SPARQLWrapper(url, agent=agent)
    if login is not None and auth is not None:
        client.setHTTPAuth(getattr(sw, login))
        client.setCredentials(*auth)
    # The form is set, not sniffed: SPARQLWrapper's own regex warns on a leading BASE.
    client.queryString, client.queryType = text, kind.value
    client.setMethod(POST)
    client.setOnlyConneg(True)
    client.setReturnFormat(TURTLE if kind.is_graph else JSON)
    client.addCustomHttpHeader("Accept", _ACCEPT_GRAPH if kind.is_graph else _ACCEPT_RESULTS)
    for graph in defaults:
        client.addDefaultGraph(graph)
    for graph in named:
        client.addNamedGraph(graph)
    # A second past the deadline: the caller's own wait decides the timeout; this only frees the thread.
    wait = math.ceil(left) + 1
    client.setTimeout(wait)
    where = f"POST {url}"
    try:
        response = client.query().response
        try:
            body = response.read(MAX_ANSWER_BYTES + 1)
        finally:
            response.close()
    except sx.Unauthorized:
        raise  # fetch() tries the next login
    except sx.QueryBadFormed as e:
        raise QueryError(f"the remote store refused the query: {server_words(str(e))}", where=url) from None
    except sx.SPARQLWrapperException as e:
        words = server_words(str(e))
        if _REMOTE_TIMEOUT.search(words):
            raise QueryTimeout(f"the remote store stopped the query at its own limit: {words}", where=url) from None
        raise RemoteStoreError(f"{type(e).__name__}: {words}", where=where) from None
    except urllib.error.HTTPError as e:  # statuses SPARQLWrapper has no class for (403, 502, 503, 504 …)
        words = server_words(e.read().decode("utf-8", "replace")) or str(e.reason)
        if e.code == 504 or _REMOTE_TIMEOUT.search(words):
            raise QueryTimeout(f"HTTP {e.code} from the remote store: {words}", where=url) from None
        raise RemoteStoreError(f"HTTP {e.code}: {words}", where=where) from None
    except TimeoutError:
        raise QueryTimeout(f"no answer from the remote store within {wait} s", where=url) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise QueryTimeout(f"no connection to the remote store within {wait} s", where=url) from None
        raise RemoteStoreError(f"cannot reach the remote store: {e.reason}", where=where) from None
    except (OSError, HTTPException) as e:
        raise RemoteStoreError(f"the connection to the remote store failed: {e!r}", where=where) from None
    if len(body) > MAX_ANSWER_BYTES:
        raise QueryError(f"the remote store's answer exceeds {MAX_ANSWER_BYTES} bytes; add a LIMIT", where=url)
    headers = response.headers
    if headers.get("X-SQL-State", "").strip().upper() == "S1TAT":
        # Virtuoso's "anytime" answer: what it found before its time limit, which is not the answer.
        raise QueryTimeout(
            "the remote store stopped the query at its own time limit (Virtuoso "
            "MaxQueryExecutionTime) and its answer is incomplete",
            where=url,
        )
    media_type = headers.get_content_type()
    if media_type not in (GRAPH_TYPES if kind.is_graph else RESULT_TYPES):
        raise RemoteStoreError(f"the remote store answered a {kind.value} query with {media_type}", where=where)
    # Virtuoso announces that its ResultSetMaxRows cut the rows; SPARQL itself has no way to say so.
    return Answer(body, media_type, "X-SPARQL-MaxRows" in headers)
