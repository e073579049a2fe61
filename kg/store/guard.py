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
from kg.formats import QueryKind
from kg.store.lexer import TOKEN as _TOKEN

__all__ = ["MAX_NESTING", "CheckedQuery", "check_query"]

#: How deep groups (``{}``), parentheses and blank-node brackets (``[]``) may nest in a query. The
#: example queries nest at most 14 deep; the engine's parser recurses once per level, and 3,000
#: levels crash the worker (issue 14, point 3).
MAX_NESTING = 128

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


def check_query(text: str, known_graphs: Collection[str] | None = None, *,
                allow_service: bool = False, how_to_allow: str | None = None) -> CheckedQuery:
    """Find the query form and refuse updates, ``SERVICE``, ``FROM`` graphs outside the dataset and
    nesting deeper than :data:`MAX_NESTING`.

    ``known_graphs`` is the set of named graphs in the store; ``None`` skips the ``FROM`` check.
    ``allow_service`` lets ``SERVICE`` through (``kg query --allow-service``: the user asked for
    the fetch); ``how_to_allow`` is added to the refusal to say how (the endpoint never allows it).

    >>> check_query("SELECT * { ?s ?p 'DROP GRAPH' } # LOAD <x>").kind.value
    'SELECT'
    """
    if not text.strip():
        raise QueryError("the query is empty")
    # Long texts are rare and would crowd the cache's memory: analyse them every time.
    kind, froms, named, service = _analyse(text) if len(text) <= _CACHED_TEXT else _analyse.__wrapped__(text)
    if service is not None and not allow_service:
        how = f" ({how_to_allow})" if how_to_allow else ""
        raise QueryRefused(f"SERVICE is not allowed: this endpoint never queries other endpoints{how}",
                           where=f"line {service}",
                           ja="SERVICE は使えません。この問合せ窓口は他のエンドポイントに問い合わせません"
                              + (f"（{how_to_allow}）。" if how_to_allow else "。"))
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
def _analyse(text: str) -> tuple[QueryKind, tuple[str, ...], tuple[str, ...], int | None]:
    """The query's form, its FROM and FROM NAMED graphs and the line of its first SERVICE (None if
    none); QueryRefused or QueryError as above."""
    tokens = list(_tokens(_decode_escapes(text)))
    _check_nesting(tokens)
    service: int | None = None
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
        if word == "SERVICE" and service is None:
            service = tok.line
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
    return kind, tuple(froms), tuple(named), service


_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


def _check_nesting(tokens: list[_Token]) -> None:
    """Refuse a query nested deeper than MAX_NESTING, before the engine's parser recurses into it."""
    depth = 0
    for tok in tokens:
        if tok.kind != "op":
            continue
        if tok.text in _OPEN:
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(
                    f"the query nests groups, parentheses or brackets more than {MAX_NESTING} deep; the limit is "
                    f"{MAX_NESTING} (kg.store.guard.MAX_NESTING)", where=f"line {tok.line}",
                    ja=f"問合せの {{}}・()・[] の入れ子が {MAX_NESTING} 段を超えています。上限は {MAX_NESTING} 段です"
                       "（kg.store.guard.MAX_NESTING）。",
                    fix="write the query with fewer nested groups", fix_ja="入れ子の少ない問合せに書き直してください。")
        elif tok.text in _CLOSE:
            depth -= 1
