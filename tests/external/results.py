"""Query answers from the embedded store and from a remote endpoint, in one comparable form.

Both answers become a multiset of rows (order is not compared: SPARQL 1.1 Query §15.1 leaves the
order of unordered solutions to the engine, and the two engines break ties differently). Each RDF term
is normalised only where the two stores legitimately differ in *form*, never in *value*:

1. **Blank nodes** compare as "a blank node": labels are local to one result document
   (SPARQL 1.1 Results JSON §3.2.2), so ``_:b1`` here and ``nodeID://b10003`` there are not comparable.
2. **Simple literals and xsd:string** are the same term (RDF 1.1 Concepts §3.3). Virtuoso keeps the
   RDF 1.0 difference and answers ``"x"`` without a datatype; pyoxigraph answers ``xsd:string``.
3. **Language tags** compare lower-cased (RDF 1.1 Concepts §3.3: tags are case-insensitive, BCP 47).
   Virtuoso lower-cases them on load (``en-GB`` → ``en-gb``).
4. **Numbers** compare by value, not lexical form or numeric datatype: Virtuoso stores values, not
   lexical forms (``"03"^^xsd:integer`` comes back as ``"3"``), and types some aggregates differently
   (``AVG`` of integers is xsd:decimal on both, but other arithmetic may be xsd:double on one side).
   Doubles are rounded to 12 significant digits, beyond which the two engines' float printing differs.
5. **Booleans** compare by value: Virtuoso writes ``"true"^^xsd:boolean`` as ``"1"``, one of the
   lexical forms XSD 1.1 §3.3.2 allows for true.
6. **WKT geometries** (the catalogue's ``dcat:bbox`` and ``dcat:centroid``, ``geo:wktLiteral``) compare
   by shape and coordinates to 4 decimals (about 10 m): Virtuoso loads them as its own
   ``virtrdf:Geometry`` with single-precision coordinates (``140.2227`` comes back ``140.22270202637``;
   docs/deploy.md).

Not normalised, so they fail the comparison when a query meets them (docs/deploy.md lists them):
Virtuoso's integer division (``1/3`` is ``0``, SPARQL 1.1 §17.4.2 says xsd:decimal), its booleans
from expressions (``(?x > 1 AS ?b)`` is ``xsd:integer`` 1/0), and ``GROUP_CONCAT`` order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

__all__ = ["Answer", "from_oxigraph", "from_sparql_json", "from_triples", "term"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGERS = {f"{XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_DECIMALS = _INTEGERS | {f"{XSD}decimal"}
_FLOATS = {f"{XSD}double", f"{XSD}float"}

Term = tuple[str, ...]


def _number(lexical: str, datatype: str) -> Term | None:
    """A numeric literal's value as text, or None when the lexical form is not a number."""
    try:
        value = Decimal(lexical.strip())
    except InvalidOperation:
        return None
    if datatype in _FLOATS:
        if not value.is_finite():
            return ("number", str(value))
        value = Decimal(f"{float(value):.12g}")
    # normalize() makes 2.50 and 2.5, 3 and 3.0 one text; 0 and -0 too.
    return ("number", "0" if value == 0 else format(value.normalize(), "f"))


_GEOMETRIES = frozenset({"http://www.opengis.net/ont/geosparql#wktLiteral",
                         "http://www.openlinksw.com/schemas/virtrdf#Geometry"})
_WKT_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def term(kind: str, value: str, datatype: str | None = None, language: str | None = None) -> Term:
    """One RDF term in comparable form (see the module docstring for each rule)."""
    if kind == "iri":
        return ("iri", value)
    if kind == "bnode":
        return ("bnode",)
    if language:
        return ("lang", value, language.lower())
    datatype = datatype or f"{XSD}string"
    if datatype in _GEOMETRIES:
        return ("wkt", _WKT_NUMBER.sub(lambda m: repr(round(float(m[0]), 4)), value).replace(" ", ""))
    if datatype in _DECIMALS or datatype in _FLOATS:
        number = _number(value, datatype)
        if number is not None:
            return number
    if datatype == f"{XSD}boolean" and value.strip() in ("true", "false", "1", "0"):
        return ("boolean", "true" if value.strip() in ("true", "1") else "false")
    return ("literal", value, datatype)


@dataclass(frozen=True)
class Answer:
    """A query's answer: a boolean (ASK), or variables and a multiset of rows (SELECT, CONSTRUCT)."""

    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    rows: Counter[tuple[Term | None, ...]] | None = None

    def describe(self, limit: int = 5) -> str:
        """A short text for an assertion message."""
        if self.boolean is not None:
            return str(self.boolean)
        rows = self.rows or Counter()
        head = list(rows.items())[:limit]
        return f"{sum(rows.values())} rows over {self.variables}: {head}"


def _ox_term(t: Any) -> Term:
    if isinstance(t, ox.NamedNode):
        return term("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return term("literal", t.value, t.datatype.value, t.language)
    raise TypeError(f"not an RDF term: {t!r}")  # RDF-star triples are not in this dataset


def from_triples(triples: Iterable[ox.Triple]) -> Answer:
    """A CONSTRUCT answer as a multiset of normalised triples."""
    rows: Counter[tuple[Term | None, ...]] = Counter(
        (_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object)) for t in triples)
    return Answer(variables=("subject", "predicate", "object"), rows=rows)


def from_oxigraph(result: Any) -> Answer:
    """The embedded store's answer (pyoxigraph ``Store.query``)."""
    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return from_triples(result)
    variables = tuple(v.value for v in result.variables)
    rows: Counter[tuple[Term | None, ...]] = Counter()
    for solution in result:
        rows[tuple(None if solution[v] is None else _ox_term(solution[v]) for v in variables)] += 1
    return Answer(variables=tuple(sorted(variables)), rows=_reorder(rows, variables))


Rows = Counter[tuple[Term | None, ...]]


def _reorder(rows: Rows, variables: tuple[str, ...]) -> Rows:
    """Rows with their cells in sorted-variable order, so that projection order does not matter."""
    order = sorted(range(len(variables)), key=lambda i: variables[i])
    return Counter({tuple(row[i] for i in order): n for row, n in rows.items()})


def _json_term(cell: Mapping[str, str]) -> Term:
    kind = cell["type"]
    if kind == "uri":
        return term("iri", cell["value"])
    if kind == "bnode":
        return term("bnode", cell["value"])
    # "typed-literal" is the pre-Recommendation JSON form Virtuoso still writes.
    return term("literal", cell["value"], cell.get("datatype"), cell.get("xml:lang"))


def from_sparql_json(result: Mapping[str, Any]) -> Answer:
    """A remote answer in SPARQL 1.1 Query Results JSON (what SPARQLWrapper returns for JSON)."""
    if "boolean" in result:
        return Answer(boolean=bool(result["boolean"]))
    variables = tuple(result["head"]["vars"])
    rows: Counter[tuple[Term | None, ...]] = Counter()
    for binding in result["results"]["bindings"]:
        rows[tuple(_json_term(binding[v]) if v in binding else None for v in variables)] += 1
    return Answer(variables=tuple(sorted(variables)), rows=_reorder(rows, variables))
