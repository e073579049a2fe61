"""What a group binds — certainly or possibly — read from rdflib's algebra of the group alone.

rdflib's SPARQL parser is imported on first use: most queries have no site and never need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.term import Literal, URIRef, Variable

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["Refused", "Triple", "algebra", "all_vars", "analyse_inner", "certainly_bound", "possibly_bound"]

_VOLATILE = {"Builtin_RAND", "Builtin_BNODE", "Builtin_UUID", "Builtin_STRUUID"}
Triple = tuple[object, object, object]


class Refused(Exception):
    """A site does not meet a condition; the message says which (it goes into a Decision)."""


def algebra(prologue: str, group: str) -> CompValue:
    """The algebra of ``SELECT * { group }`` under the query's prologue, below its projection."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        query = translateQuery(parseQuery(f"{prologue}\nSELECT * {{\n{group}\n}}"))
    except Exception as e:  # noqa: BLE001 — rdflib raises pyparsing's and its own errors alike
        raise Refused(f"rdflib cannot parse the group ({type(e).__name__})") from None
    project: CompValue = query.algebra.p
    return project.p  # type: ignore[no-any-return]


def all_vars(node: object) -> set[Variable]:
    """Every variable mentioned anywhere below ``node`` (a safe over-estimate of what it binds)."""
    if isinstance(node, Variable):
        return {node}
    if isinstance(node, dict):
        return set().union(*(all_vars(v) for k, v in node.items() if k != "_vars"))
    if isinstance(node, (list, tuple, set)):
        return set().union(*(all_vars(v) for v in node))
    return set()


def _triple_vars(triples: Iterable[tuple[object, object, object]]) -> set[Variable]:
    """The variables of a list of triple patterns (blank nodes are not variables of a solution)."""
    return {t for triple in triples for t in triple if isinstance(t, Variable)}


def possibly_bound(n: CompValue) -> set[Variable]:
    """Variables that may be bound in some solution of ``n`` (in scope, §18.2.1)."""
    name = n.name
    if name == "BGP":
        return _triple_vars(n.triples)
    if name in ("Join", "LeftJoin", "Union"):
        return possibly_bound(n.p1) | possibly_bound(n.p2)
    if name == "Minus":
        return possibly_bound(n.p1)
    if name in ("Filter", "ToMultiSet", "Distinct", "Reduced", "OrderBy", "Slice"):
        return possibly_bound(n.p)
    if name == "Extend":
        return possibly_bound(n.p) | {n.var}
    if name == "Graph":
        return possibly_bound(n.p) | ({n.term} if isinstance(n.term, Variable) else set())
    if name == "Project":
        return set(n.PV) & possibly_bound(n.p)
    if name == "values":
        return {v for row in n.res for v in row}
    return all_vars(n)


def certainly_bound(n: CompValue) -> set[Variable]:
    """Variables bound in *every* solution of ``n``; an under-estimate where unsure."""
    name = n.name
    if name == "BGP":
        return _triple_vars(n.triples)
    if name == "Join":
        return certainly_bound(n.p1) | certainly_bound(n.p2)
    if name in ("LeftJoin", "Minus"):
        return certainly_bound(n.p1)
    if name == "Union":
        return certainly_bound(n.p1) & certainly_bound(n.p2)
    if name in ("Filter", "ToMultiSet", "Distinct", "Reduced", "OrderBy", "Slice"):
        return certainly_bound(n.p)
    if name == "Graph":
        return certainly_bound(n.p) | ({n.term} if isinstance(n.term, Variable) else set())
    if name == "Project":
        return set(n.PV) & certainly_bound(n.p)
    if name == "values":
        return set.intersection(*({v for v, x in row.items() if x != "UNDEF"} for row in n.res)) if n.res else set()
    if name == "Extend":
        # BIND(expr AS ?v) leaves ?v unbound when expr errs (§18.5 Extend); a constant or a
        # certainly bound variable cannot err. rdflib also writes a sub-select's GROUP BY keys so.
        inner = certainly_bound(n.p)
        sure = isinstance(n.expr, (URIRef, Literal)) or (isinstance(n.expr, Variable) and n.expr in inner)
        return inner | ({n.var} if sure else set())
    if name == "AggregateJoin":
        keys = set(n.p.expr or []) & certainly_bound(n.p.p) if n.p.name == "Group" else set()
        # COUNT always yields a number; SAMPLE of a group key is that key (§18.5 Aggregates).
        return {a.res for a in n.A if a.name == "Aggregate_Count"
                or (a.name == "Aggregate_Sample" and a.vars in keys)}
    return set()


def _path_ok(p: object) -> bool:
    """Property paths that match only existing edges (no zero-length step, §18.4)."""
    if isinstance(p, (URIRef, Variable, NegatedPath)):
        return True
    if isinstance(p, InvPath):
        return _path_ok(p.arg)
    if isinstance(p, (SequencePath, AlternativePath)):
        return all(_path_ok(a) for a in p.args)
    if isinstance(p, MulPath):
        return p.mod == "+" and _path_ok(p.path)
    return False


def _bgp(n: CompValue) -> list[tuple[object, object, object]]:
    """The triples of a pattern that is one basic graph pattern (joined BGPs are one), or refuse."""
    if n.name == "BGP":
        return list(n.triples)
    if n.name == "Join":
        return _bgp(n.p1) + _bgp(n.p2)
    raise Refused(f"the inner group is not a basic graph pattern (holds {n.name}); §18.6 and §18.5 differ there")


def _names(node: object) -> set[str]:
    """The names of the algebra nodes (CompValue: a dict with a ``name``) under ``node``."""
    if isinstance(node, dict) and isinstance(getattr(node, "name", None), str):
        return {node.name} | _names(dict(node))  # type: ignore[attr-defined]
    if isinstance(node, dict):
        return set().union(*(_names(v) for v in node.values()))
    if isinstance(node, (list, tuple)):
        return set().union(*(_names(v) for v in node))
    return set()


def analyse_inner(prologue: str, text: str) -> tuple[list[Triple], set[Variable], set[Variable]]:
    """G's triples, the variables they bind, and the variables its FILTERs read beyond those."""
    n = algebra(prologue, text)
    expr = None
    if n.name == "Filter":
        expr, n = n.expr, n.p
    triples = _bgp(n)
    for _s, p, _o in triples:
        if isinstance(p, Path) and not _path_ok(p):
            raise Refused("the inner group has a path that may have length zero ('*' or '?'), §18.4")
    own = _triple_vars(triples)
    if expr is not None and _names(expr) & {"Builtin_EXISTS", "Builtin_NOTEXISTS"}:
        raise Refused("a FILTER in the inner group holds another EXISTS, evaluated per row with the "
                       "outer values substituted (§18.6)")
    if expr is not None and _names(expr) & _VOLATILE:
        raise Refused("a FILTER in the inner group calls RAND, BNODE, UUID or STRUUID, which give a "
                       "new value at each evaluation (§17.4)")
    return triples, own, (all_vars(expr) - own if expr is not None else set())
