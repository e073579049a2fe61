"""What a public, read-only endpoint refuses, decided from the query's tokens before it runs.

pyoxigraph evaluates ``SERVICE`` by fetching the remote endpoint (it resolves the host name even
for a query that never succeeds), so the refusal must happen before the query reaches the store.
The check works on SPARQL tokens, not on raw text: a keyword inside a string, an IRI, a comment,
a variable (``?service``) or a prefixed name (``ex:LOAD``) is not a keyword (SPARQL 1.1 Query
§19.8 lexical rules). Codepoint escapes (§19.2) are decoded first, as the grammar prescribes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from kg.errors import QueryError, QueryRefused
from kg.sparql_lexer import TOKEN as _TOKEN
from kg.store.formats import QueryKind

__all__ = ["CheckedQuery", "check_query"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# SPARQL 1.1 Update operations (§3): none of these words is a keyword or built-in of the query
# language, so any of them outside strings, IRIs and comments means the text is an update.
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FORMS = {k.value: k for k in QueryKind}


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the checks: its form and the graphs its ``FROM`` clauses name."""

    text: str
    kind: QueryKind
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    line: int


def _tokens(text: str) -> Iterator[_Token]:
    line = 1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "op"
        if kind not in ("ws", "comment"):
            yield _Token(kind, m.group(), line)
        line += m.group().count("\n")


def _decode_escapes(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _ESCAPE.sub(repl, text)


def _resolve(token: _Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        iri = token.text[1:-1]
        return urljoin(base, iri) if base else iri
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def check_query(text: str, known_graphs: Collection[str] | None = None) -> CheckedQuery:
    """Find the query form and refuse updates, ``SERVICE`` and ``FROM`` graphs outside the dataset.

    ``known_graphs`` is the set of named graphs in the store; ``None`` skips the ``FROM`` check.

    >>> check_query("SELECT * { ?s ?p 'DROP GRAPH' } # LOAD <x>").kind.value
    'SELECT'
    """
    if not text.strip():
        raise QueryError("the query is empty")
    # Long texts are rare and would crowd the cache's memory: analyse them every time.
    kind, froms, named = _analyse(text) if len(text) <= _CACHED_TEXT else _analyse.__wrapped__(text)
    if known_graphs is not None:
        for iri in (*froms, *named):
            if iri not in known_graphs:
                raise QueryRefused(
                    f"FROM <{iri}>: no such graph in this dataset; the endpoint never fetches or "
                    "reads anything outside its store (list the graphs with "
                    "SELECT DISTINCT ?g { GRAPH ?g {} })"
                )
    return CheckedQuery(text, kind, froms, named)


# The pages ask the same few queries of every resource: tokenising each once is enough.
_CACHED_TEXT = 16_384  # characters: 1,024 such texts are at most 64 MB (4 bytes a character)


@lru_cache(maxsize=1024)
def _analyse(text: str) -> tuple[QueryKind, tuple[str, ...], tuple[str, ...]]:
    """The query's form and its FROM and FROM NAMED graphs; QueryRefused or QueryError as above."""
    tokens = list(_tokens(_decode_escapes(text)))
    prefixes: dict[str, str] = {}
    base: str | None = None
    kind: QueryKind | None = None
    froms: list[str] = []
    named: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if word in _UPDATE_WORDS:
            raise QueryRefused(
                f"SPARQL Update ({word}) is not allowed: this endpoint is read-only", where=f"line {tok.line}"
            )
        if word == "SERVICE":
            raise QueryRefused(
                "SERVICE is not allowed: this endpoint never queries other endpoints",
                where=f"line {tok.line}",
            )
        if word == "PREFIX" and nxt is not None and i + 2 < len(tokens):
            iri = _resolve(tokens[i + 2], prefixes, base)
            if nxt.kind == "pname" and iri is not None:
                prefixes[nxt.text[:-1]] = iri
        elif word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = _resolve(nxt, prefixes, base)
        elif word in _FORMS and kind is None:
            kind = _FORMS[word]
        elif word == "FROM" and nxt is not None:
            is_named = nxt.kind == "word" and nxt.text.upper() == "NAMED"
            target = tokens[i + 2] if is_named and i + 2 < len(tokens) else nxt
            iri = _resolve(target, prefixes, base)
            if iri is not None:
                (named if is_named else froms).append(iri)
    if kind is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return kind, tuple(froms), tuple(named)
