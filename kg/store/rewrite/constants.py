"""Write a one-value ``VALUES`` (or constant ``BIND``) variable as its value in its group's FILTERs.

pyoxigraph 0.5.13 applies a FILTER that reads a variable bound by ``VALUES`` (or ``BIND``) only
after every join of its group, where the same FILTER with a constant is applied right after the
triple pattern it tests: queries/008 with ``VALUES ?word { "災害" }`` took 5× longer than with the
word in the FILTER at 4,000 agreements (docs/perf/queries.md, "Session 6", with a minimal
reproduction). A ``VALUES`` line holding its default is how the library gives a parameter
(docs/queries.md), so users write exactly this.

>>> inline_constants('SELECT ?i { VALUES ?w { "x"@ja } ?i ?p ?c FILTER (CONTAINS(?c, ?w)) }')
'SELECT ?i { VALUES ?w { "x"@ja } ?i ?p ?c FILTER (CONTAINS(?c, "x"@ja)) }'

Why it is the same query (SPARQL 1.1 Query §18.2.2.6): a group's ``VALUES`` block is joined with
its other patterns, so when it has one variable and one row that is not ``UNDEF``, every
solution of the group binds ``?v`` to that term; the group's FILTERs apply to those solutions
(§18.2.2.6 ends with ``Filter(FS, G)``; in an OPTIONAL's group they are the LeftJoin's condition,
over merged solutions that bind ``?v`` too); so the expression has the same value with the term
written for ``?v``. The ``VALUES`` stays: ``?v`` keeps its binding for the rest of the query.
``BIND (term AS ?v)`` with a constant term is the same case: it extends every solution of the
patterns before it with ``?v``, which no pattern before binds (§18.2.1), and the later ones are
joined to those (§18.2.2.6), so every solution of the group binds ``?v`` to the term.

Left alone: a query whose text is read with doubt (unbalanced, or an ambiguous ``<…>``), a
VALUES with several variables or rows, ``UNDEF`` or a signed number; a FILTER in
another group than the VALUES (it may see ``?v`` unbound); a FILTER holding a group (an
``EXISTS``: a sub-select there may scope its own ``?v``) or ``BOUND(?v)`` (BOUND takes a variable).
"""

from __future__ import annotations

from kg.store.rewrite.text import AMBIGUOUS_IRI, Text, apply_edits

__all__ = ["inline_constants"]

#: Token kinds a one-term VALUES row may be made of: a string (with its language or datatype), an
#: IRI, a prefixed name, a number or a boolean.
_TERMS = (["string"], ["string", "lang"], ["string", "^^", "iri"], ["string", "^^", "pname"], ["iri"],
          ["pname"], ["number"], ["true"], ["false"])


def _one_value(q: Text, i: int) -> tuple[str, str] | None:
    """(variable name, the term's text) of a ``VALUES ?v { term }`` or ``BIND (term AS ?v)``
    starting at token ``i``, or None."""
    if q.toks[i].word("BIND") and q.at(i + 1).text == "(" and i + 1 in q.pair:
        close = q.pair[i + 1]
        if not (q.at(close - 2).word("AS") and q.at(close - 1).kind == "var"):
            return None
        name, row = q.at(close - 1).name, q.toks[i + 2:close - 2]
    elif q.toks[i].word("VALUES") and q.at(i + 1).kind == "var" and q.at(i + 2).text == "{" and i + 2 in q.pair:
        name, row = q.at(i + 1).name, q.toks[i + 3:q.pair[i + 2]]
    else:
        return None
    shape = [t.text if t.text == "^^" else t.text.lower() if t.kind == "word" else t.kind for t in row]
    if shape not in _TERMS:
        return None
    return name, q.text[row[0].start:row[-1].end]


def inline_constants(query: str) -> str:
    """``query`` with each one-value VALUES or constant BIND variable written as its value in its
    group's FILTERs."""
    q = Text(query)
    if not q.balanced or any(t.kind == "iri" and AMBIGUOUS_IRI.search(t.text[1:-1]) for t in q.toks):
        return query  # read with doubt (kg.store.rewrite.text): left as written
    edits: list[tuple[int, int, str]] = []
    for open_ in (i for i, t in enumerate(q.toks) if t.text == "{" and i in q.pair):
        children = list(q.children(open_))
        values = [v for i in children if (v := _one_value(q, i))]
        constants = dict(values) if len({name for name, _ in values}) == len(values) else {}
        for i in children:
            if not (constants and q.toks[i].word("FILTER") and q.at(i + 1).text == "("):
                continue
            body = q.toks[i + 2:q.pair[i + 1]]
            if any(t.text == "{" for t in body) or any(t.word("BOUND") for t in body):
                continue
            edits += [(t.start, t.end, constants[t.name]) for t in body if t.kind == "var" and t.name in constants]
    return apply_edits(query, edits) if edits else query
