"""Write prefixed names with dots inside their local part (``fw:3.A.7``) as full IRIs.

SPARQL 1.1 allows dots inside a local name (§19.8 [169] PN_LOCAL: any of them but the last
character), and every category of the framework has that shape (``fw:3.A.7``). pyoxigraph 0.5.13
rejects a local name holding two dots or more with a syntax error (``fw:3.A`` and ``fw:a..b``
pass, ``fw:a.b.c`` does not; docs/perf/queries.md has the reproduction), so such a name is
expanded to the ``<IRI>`` it stands for before the engine reads the query: the same term (§4.1.1.1:
a prefixed name *is* the IRI of its prefix followed by its local part, with the ``\\`` of each
PN_LOCAL_ESC removed), so the answer is the same. Every other token is kept as written.

>>> print(expand_dotted_names("PREFIX fw: <https://w3id.org/renkei/id/framework/>\\n"
...                           "SELECT * { ?i ?p fw:3.A.7. ?i ?q fw:3.A }"))
PREFIX fw: <https://w3id.org/renkei/id/framework/>
SELECT * { ?i ?p <https://w3id.org/renkei/id/framework/3.A.7>. ?i ?q fw:3.A }
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from kg.store.lexer import TOKEN

__all__ = ["expand_dotted_names"]

# A PN_LOCAL_ESC (§19.8 [173]): the character after the backslash stands for itself.
_LOCAL_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _local_end(local: str) -> int:
    """How much of ``local`` is the local name: the lexer's token may end with dots that are not
    part of it (a local name cannot end with an unescaped '.', so ``fw:x.`` is ``fw:x`` then '.')."""
    end = len(local)
    while end and local[end - 1] == ".":
        backslashes = len(local[:end - 1]) - len(local[:end - 1].rstrip("\\"))
        if backslashes % 2:  # "\." ends the name: an escaped dot is part of it
            break
        end -= 1
    return end


def expand_dotted_names(query: str) -> str:
    """``query`` with each prefixed name whose local part holds two dots or more written as its IRI.

    Names with an undeclared prefix are left alone (the engine reports them); so is every name in a
    query holding none (the common case: the text is returned as it came).
    """
    if "." not in query or ":" not in query:
        return query
    prefixes: dict[str, str] = {}
    base: str | None = None
    edits: list[tuple[int, int, str]] = []
    tokens = [m for m in TOKEN.finditer(query) if m.lastgroup not in ("ws", "comment")]
    for k, m in enumerate(tokens):
        kind, text = m.lastgroup, m.group()
        previous = tokens[k - 1].group().upper() if k else ""
        if kind == "iri" and previous == "BASE":
            base = urljoin(base, text[1:-1]) if base else text[1:-1]
        elif kind == "iri" and k >= 2 and tokens[k - 2].group().upper() == "PREFIX":
            iri = text[1:-1]
            prefixes[tokens[k - 1].group()[:-1]] = urljoin(base, iri) if base else iri
        elif kind == "pname" and previous != "PREFIX":
            prefix, _, local = text.partition(":")
            end = _local_end(local)
            name = local[:end]
            if name.count(".") < 2 or prefix not in prefixes:
                continue
            iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", name)
            edits.append((m.start(), m.start() + len(prefix) + 1 + end, f"<{iri}>"))
    for start, end, new in reversed(edits):
        query = query[:start] + new + query[end:]
    return query
