"""Run a library query on either engine and compare answers with the expected files.

Answers are compared as SPARQL 1.1 JSON results (W3C "SPARQL 1.1 Query Results JSON Format")
for SELECT and ASK, and as graphs (``rdflib.compare.isomorphic``) for CONSTRUCT. Rows compare
as a multiset unless the query's outermost operator is ORDER BY (SPARQL 1.1 Query §15.1: only
then is the order part of the answer), as the W3C test suite does.

The only normalisations, each because the specification allows both forms:
- ``"x"`` and ``"x"^^xsd:string`` are one term (RDF 1.1 Concepts §3.3: simple literals *are*
  xsd:string);
- a language tag is case-insensitive (BCP 47; RDF 1.1 Concepts §3.3);
- numbers of the same XSD numeric type compare by value (``"01"`` and ``"1"`` as xsd:integer).
"""

from __future__ import annotations

import json
from collections import Counter
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import prepareQuery

from kg.querylib import QueryDoc

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "nonNegativeInteger",
                              "positiveInteger", "negativeInteger", "nonPositiveInteger")}

Term = tuple[str, ...]
Row = tuple[tuple[str, Term], ...]


def expected_path(doc: QueryDoc) -> Path:
    """Where the expected answer of ``doc`` lives (``.ttl`` for CONSTRUCT, else ``.srj``)."""
    suffix = ".ttl" if doc.form == "CONSTRUCT" else ".srj"
    return doc.path.parent / "expected" / (doc.name + suffix)


def is_ordered(doc: QueryDoc) -> bool:
    """Whether the query's answer is a sequence: its outermost operator (under slicing,
    DISTINCT/REDUCED and projection) is ORDER BY. An ORDER BY inside a subquery does not count."""
    node = prepareQuery(doc.body).algebra["p"]
    while node.name in ("Slice", "Distinct", "Reduced", "Project", "ToMultiSet"):
        node = node["p"]
    return bool(node.name == "OrderBy")


# ── running ──────────────────────────────────────────────────────────────────────────────────

def run_oxigraph(store: ox.Store, doc: QueryDoc) -> bytes:
    """The answer of pyoxigraph: SPARQL JSON (indented, for review) or Turtle for CONSTRUCT."""
    result = store.query(doc.body, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        nt = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        return canonical_turtle(Graph().parse(data=nt.decode(), format="nt"))
    assert isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))
    doc_json = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    return (json.dumps(doc_json, ensure_ascii=False, indent=1) + "\n").encode()


def run_rdflib(dataset: Dataset, doc: QueryDoc) -> bytes:
    """The answer of rdflib's own SPARQL engine, in the same formats as :func:`run_oxigraph`."""
    result = dataset.query(doc.body)
    if doc.form == "CONSTRUCT":
        assert result.graph is not None
        return canonical_turtle(result.graph)
    body = result.serialize(format="json")
    assert body is not None
    return body


def canonical_turtle(g: Graph) -> bytes:
    """Turtle with the project's prefixes: stable enough to diff by eye, compared by isomorphism."""
    from kg.namespaces import bind_prefixes

    out = Graph()
    bind_prefixes(out)
    out += g
    return out.serialize(format="turtle", encoding="utf-8")


def answer_size(store: ox.Store, doc: QueryDoc) -> int | bool:
    """How much ``doc`` answers on ``store`` (pyoxigraph): its rows, its distinct triples for a
    CONSTRUCT, its boolean for an ASK. ``doc``'s header states this for the published dataset."""
    result = store.query(doc.body, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return len(set(result))
    return sum(1 for _ in result)


def expected_size(doc: QueryDoc) -> int | bool:
    """The same for the expected answer on the fixture dataset (``queries/expected``)."""
    body = expected_path(doc).read_bytes()
    if doc.form == "CONSTRUCT":
        return len(Graph().parse(data=body, format="turtle"))
    parsed = solutions(body)
    return parsed if isinstance(parsed, bool) else len(parsed[1])


# ── comparing ────────────────────────────────────────────────────────────────────────────────

def _term(t: dict[str, Any]) -> Term:
    kind = t["type"]
    if kind == "uri":
        return ("uri", t["value"])
    if kind in ("literal", "typed-literal"):  # "typed-literal": SPARQL XML-era JSON writers
        if "xml:lang" in t:
            return ("lang", t["value"], t["xml:lang"].lower())
        datatype = t.get("datatype", XSD + "string")
        value = t["value"]
        if datatype in _NUMERIC:
            with suppress(InvalidOperation):  # an ill-typed literal compares as written
                value = str(Decimal(value).normalize())
        return ("typed", value, datatype)
    if kind == "bnode":
        return ("bnode",)  # bnode labels are local to one answer (SPARQL JSON §3.2.2)
    raise AssertionError(f"unexpected term {t}")


def solutions(body: bytes) -> tuple[list[str], list[Row]] | bool:
    """A SPARQL JSON answer as (variables, rows) or, for ASK, its boolean."""
    parsed = json.loads(body)
    if "boolean" in parsed:
        return bool(parsed["boolean"])
    variables = list(parsed["head"]["vars"])
    rows = [tuple(sorted((v, _term(b[v])) for v in b)) for b in parsed["results"]["bindings"]]
    return variables, rows


def differences(doc: QueryDoc, expected: bytes, actual: bytes, ordered: bool) -> str | None:
    """What differs between two answers of ``doc`` (None when they are the same answer)."""
    if doc.form == "CONSTRUCT":
        a, b = Graph().parse(data=expected, format="turtle"), Graph().parse(data=actual, format="turtle")
        if isomorphic(a, b):
            return None
        return f"graphs differ: {len(a)} expected triples, {len(b)} answered"
    want, got = solutions(expected), solutions(actual)
    if isinstance(want, bool) or isinstance(got, bool):
        return None if want == got else f"expected {want}, answered {got}"
    if want[0] != got[0]:
        return f"variables differ: expected {want[0]}, answered {got[0]}"
    if ordered:
        if want[1] == got[1]:
            return None
        for i, (w, g) in enumerate(zip(want[1], got[1], strict=False)):
            if w != g:
                return f"row {i + 1} differs:\n  expected {dict(w)}\n  answered {dict(g)}"
        return f"expected {len(want[1])} rows, answered {len(got[1])}"
    missing, extra = Counter(want[1]) - Counter(got[1]), Counter(got[1]) - Counter(want[1])
    if not missing and not extra:
        return None
    lines = [f"{len(missing)} expected rows missing, {len(extra)} unexpected rows"]
    lines += [f"  missing {dict(r)}" for r in list(missing)[:5]]
    lines += [f"  extra   {dict(r)}" for r in list(extra)[:5]]
    return "\n".join(lines)
