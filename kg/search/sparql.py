"""The property function ``renkei:search``: answered from the search index before the engine runs the query.

In the spirit of jena-text's ``text:query``, a triple pattern of its own in a query's WHERE clause ::

    ?hit renkei:search "災害 応援" .
    (?hit ?score ?snippet ?property ?text) renkei:search (renkei:content "災害 応援" 50) .

binds ``?hit`` to each subject whose printed text holds every word (kg.search.index), best first;
``?score`` (xsd:double, higher is better, derived), ``?snippet`` (the printed text around the hits, each
between 【 and 】, derived), ``?property`` (the property of the text found) and ``?text`` (that text, as
printed) are optional, in that order. The
object is the query string, or a list of a property to search only (one of kg.search.index.PRINTED),
the query string and the most hits to take (default :data:`DEFAULT_LIMIT`), the first and last optional.
The pattern is replaced by a ``VALUES`` block of the hits, found with the store's lexer (kg.store.lexer),
never with a regular expression over the raw text, so the engine joins them with the rest of the query.

>>> class Fake:
...     def search(self, query, limit, predicate):
...         from kg.search.index import Hit
...         return [Hit("http://x", "http://p", "ja", "http://g", "大規模災害に備える", 2.5, ("災害",))]
>>> print(expand_search('PREFIX r: <https://w3id.org/renkei/ns#> SELECT * { (?i ?t) r:search "災害" . }',
...                     lambda: Fake()).replace(" (<", "\\n(<"))
PREFIX r: <https://w3id.org/renkei/ns#> SELECT * { VALUES (?i ?t) {
(<http://x> "2.5"^^<http://www.w3.org/2001/XMLSchema#double>) } . }
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from kg.errors import QueryError
from kg.search.index import Hit
from kg.store.lexer import TOKEN

__all__ = ["DEFAULT_LIMIT", "SEARCH", "Searcher", "expand_search", "string_literal", "uses_search"]

#: The property function's IRI.
SEARCH = "https://w3id.org/renkei/ns#search"
#: How many hits a pattern takes when its object does not say (jena-text's default too).
DEFAULT_LIMIT = 10_000
_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
#: What may stand before a triple pattern that starts a triple of its own.
_STARTS = frozenset({"{", ".", "}", ")"})
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_HOW = ('write it as a triple of its own: ?hit renkei:search "words" . or '
        '(?hit ?score ?snippet ?property ?text) renkei:search (renkei:content "words" 50) . (docs/search.md)')
_HOW_JA = ('独立したトリプルとして書いてください：?hit renkei:search "語" . または '
           '(?hit ?score ?snippet ?property ?text) renkei:search (renkei:content "語" 50) .（docs/search.md）')


class Searcher(Protocol):
    """What the expansion needs of an index (kg.search.index.SearchIndex)."""

    def search(self, query: str, limit: int, predicate: str | None = None) -> list[Hit]: ...


#: One token of the query: a match of kg.store.lexer.TOKEN (``lastgroup`` is its kind).
_Tok = re.Match[str]


def _tokens(text: str) -> list[_Tok]:
    return [m for m in TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]


def uses_search(text: str) -> bool:
    """Whether the query ``text`` may use ``renkei:search`` (a cheap test before tokenising)."""
    return "search" in text


def _iri(tok: _Tok, prefixes: dict[str, str]) -> str | None:
    if tok.lastgroup == "iri":
        return tok.group()[1:-1]
    if tok.lastgroup == "pname":
        prefix, _, local = tok.group().partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def _string(tok: _Tok) -> str:
    """The value of a SPARQL string token (§19.7 escapes)."""
    quote = 3 if tok.group()[:3] in ('"""', "'''") else 1
    body = tok.group()[quote:-quote]
    out: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def string_literal(value: str, lang: str = "") -> str:
    """``value`` as a SPARQL string literal."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _error(message: str, ja: str, tok: _Tok, text: str) -> QueryError:
    line = text.count("\n", 0, tok.start()) + 1
    return QueryError(f"renkei:search: {message}", where=f"line {line}", ja=f"renkei:search：{ja}",
                      fix=_HOW, fix_ja=_HOW_JA)


def _subject(toks: list[_Tok], i: int, text: str) -> tuple[int, list[str]] | None:
    """Where the subject of the predicate at ``i`` starts and its variables; None if ``i`` is no predicate."""
    before = toks[i - 1] if i > 0 else None
    if before is None:
        return None
    if before.group() == ";":  # after ',' it is an object, not a predicate
        raise _error("it cannot share its subject with other triples (after ';' or ',')",
                     "「;」「,」で他のトリプルと主語を共有できません", toks[i], text)
    if before.lastgroup == "var":
        start, names = i - 1, [before.group()]
    elif before.group() == ")":
        j = i - 2
        while j >= 0 and toks[j].group() != "(":
            j -= 1
        if j < 0 or j == i - 2:
            return None
        start, names = j, [t.group() for t in toks[j + 1:i - 1]]
        if any(t.lastgroup != "var" for t in toks[j + 1:i - 1]):
            raise _error("the subject list holds only variables: (?hit ?score ?snippet ?property ?text)",
                         "主語のリストには変数だけを書きます：(?hit ?score ?snippet ?property ?text)", before, text)
    else:
        return None
    lead = toks[start - 1].group() if start > 0 else "{"
    if lead in (";", ","):
        raise _error("it cannot share its subject with other triples (after ';' or ',')",
                     "「;」「,」で他のトリプルと主語を共有できません", toks[i], text)
    if lead not in _STARTS:
        return None
    if len(names) > len(_COLUMNS) or len(set(names)) != len(names):
        raise _error("the subject is ?hit, or a list of up to five distinct variables "
                     "(?hit ?score ?snippet ?property ?text)",
                     "主語は ?hit、または異なる変数5つまでのリスト (?hit ?score ?snippet ?property ?text) です",
                     toks[i], text)
    return start, names


def _object(toks: list[_Tok], i: int, text: str, prefixes: dict[str, str]) -> tuple[int, str, int, str | None]:
    """The index of the object's last token, the query string, the limit and the property searched (None: all)."""

    def at(k: int) -> str:
        return toks[k].group() if k < len(toks) else ""

    def kind(k: int) -> str | None:
        return toks[k].lastgroup if k < len(toks) else None

    obj = toks[i + 1] if i + 1 < len(toks) else toks[i]
    limit = DEFAULT_LIMIT
    predicate: str | None = None
    if obj.lastgroup == "string":
        end, query = i + 1, _string(obj)
    elif obj.group() == "(":
        end = i + 2
        if kind(end) in ("iri", "pname"):
            predicate = _iri(toks[end], prefixes)
            if predicate is None:
                raise _error(f"unknown prefix in {at(end)}", f"{at(end)} の接頭辞が宣言されていません", obj, text)
            end += 1
        if kind(end) != "string":
            raise _error('the object list is ([property] "words" [limit])',
                         'リストの目的語は ([プロパティ] "語" [件数]) です', obj, text)
        query = _string(toks[end])
        end += 1
        if kind(end) == "lang":
            end += 1
        if kind(end) == "number" and at(end).isdigit():
            limit = int(at(end))
            end += 1
        if at(end) != ")":
            raise _error('the object list is ([property] "words" [limit]), the limit a whole number',
                         'リストの目的語は ([プロパティ] "語" [件数]) で、件数は整数です', obj, text)
    else:
        raise _error('the object is the words to look for, as a string: "災害 応援"',
                     '目的語には検索する語を文字列で書きます："災害 応援"', obj, text)
    if kind(end + 1) == "lang":
        end += 1
    if at(end + 1) in (";", ","):
        raise _error("it cannot share its subject with other triples (before ';' or ',')",
                     "「;」「,」で他のトリプルと主語を共有できません", toks[end + 1], text)
    return end, query, limit, predicate


#: How each variable of the subject list is written, in order (a snippet is cut only when asked for).
_COLUMNS: tuple[Callable[[Hit], str], ...] = (
    lambda hit: f"<{hit.subject}>",
    lambda hit: f'"{hit.score:.6g}"^^<{_DOUBLE}>',
    lambda hit: string_literal(hit.snippet.marked(), hit.language),
    lambda hit: f"<{hit.predicate}>",
    lambda hit: string_literal(hit.text, hit.language),
)


def _values(names: list[str], hits: list[Hit]) -> str:
    columns = _COLUMNS[:len(names)]
    rows = ("(" + " ".join(column(hit) for column in columns) + ")" for hit in hits)
    return f"VALUES ({' '.join(names)}) {{ {' '.join(rows)} }}"


def _template(toks: list[_Tok]) -> range:
    """The token indexes of a CONSTRUCT query's template (``CONSTRUCT { … }``), or an empty range."""
    for i, tok in enumerate(toks):
        if tok.lastgroup == "word" and tok.group().upper() == "CONSTRUCT":
            if i + 1 >= len(toks) or toks[i + 1].group() != "{":
                break
            depth = 0
            for j in range(i + 1, len(toks)):
                depth += {"{": 1, "}": -1}.get(toks[j].group(), 0)
                if depth == 0:
                    return range(i + 1, j + 1)
            break
    return range(0)


def expand_search(text: str, index: Callable[[], Searcher]) -> str:
    """``text`` with each ``renkei:search`` pattern replaced by a VALUES block of its hits.

    ``index`` is called once, only if the query uses the function (it raises SearchUnavailable when
    the release has no index). A query without it is returned as it is."""
    if not uses_search(text):
        return text
    toks = _tokens(text)
    prefixes: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    searcher: Searcher | None = None
    template = _template(toks)
    for i, tok in enumerate(toks):
        if i in template:  # a CONSTRUCT template states triples; it matches nothing
            continue
        if tok.lastgroup == "word" and tok.group().upper() == "PREFIX" and i + 2 < len(toks):
            iri = _iri(toks[i + 2], prefixes)
            if toks[i + 1].lastgroup == "pname" and iri is not None:
                prefixes[toks[i + 1].group()[:-1]] = iri
            continue
        if tok.lastgroup not in ("iri", "pname") or _iri(tok, prefixes) != SEARCH:
            continue
        subject = _subject(toks, i, text)
        if subject is None:
            continue
        start, names = subject
        end, query, limit, predicate = _object(toks, i, text, prefixes)
        if searcher is None:
            searcher = index()
        hits = searcher.search(query, limit, predicate)
        edits.append((toks[start].start(), toks[end].end(), _values(names, hits)))
    for a, b, replacement in reversed(edits):
        text = text[:a] + replacement + text[b:]
    return text
