"""The VoID statistics of a release's union graph: counted over the whole store, or updated from the previous release's.

VoID (W3C Interest Group Note, 2011, §4.5) gives the dataset's triples, distinct subjects, properties,
distinct objects, entities (subjects under ``{base}id/``) and classes. The union is every named graph
but the catalogue (kg.release.catalogue describes the dumps, which it is not part of).

Counting them is a scan of the union: 13.6 s at 4,000 agreements (docs/perf/build.md). A warm build
changes a few graphs, so :func:`updated` counts only what can have changed: a term (or triple) is
counted in one release and not in the other only if a triple holding it was added to or removed from
a graph, so for each such candidate it asks both stores whether it occurs in any graph of the union
(an index look-up that stops at the first hit) and adds the difference to the previous release's
counts. The answer is the full count's, exactly (tests/release/test_incremental.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

__all__ = ["NAMES", "counted", "updated"]

#: The counts, in the order the catalogue states them.
NAMES = ("triples", "distinctSubjects", "properties", "distinctObjects", "entities", "classes")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def counted(store: ox.Store, catalog: ox.NamedNode, base: str) -> dict[str, int]:
    """The counts over the union of ``store``'s named graphs but ``catalog``, one count a query: one scan
    counting all at once held 1.4 GB at 4,000 agreements, one a query 676 MB at most."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [g for g in store.named_graphs() if g != catalog]
    if not graphs:
        return dict.fromkeys(NAMES, 0)
    counts = {
        "triples": "COUNT(DISTINCT *)", "distinctSubjects": "COUNT(DISTINCT ?s)",
        "properties": "COUNT(DISTINCT ?p)", "distinctObjects": "COUNT(DISTINCT ?o)",
    }
    queries = {name: f"SELECT ({count} AS ?n) {{ ?s ?p ?o }}" for name, count in counts.items()}
    queries["entities"] = f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{base}id/')) }}"
    queries["classes"] = "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }"
    found: dict[str, int] = {}
    for name, query in queries.items():
        solutions = store.query(query, default_graph=graphs)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            value = row["n"]
            found[name] = int(value.value) if value is not None else 0
    return {name: found.get(name, 0) for name in NAMES}


def _triples(store: ox.Store, graph: ox.NamedNode) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, graph)}


def _occurs(store: ox.Store, catalog: ox.NamedNode, s: Term | None, p: ox.NamedNode | None,
            o: Term | None) -> bool:
    """Whether a triple matching (s, p, o) is in a named graph of ``store`` other than ``catalog``."""
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name != catalog
               for q in store.quads_for_pattern(s, p, o, None))


def updated(before: ox.Store, after: ox.Store, previous: dict[str, int], graphs: Iterable[ox.NamedNode],
            catalog: ox.NamedNode, base: str) -> dict[str, int]:
    """The counts of ``after``, from ``previous`` (the counts of ``before``), when only ``graphs``
    differ between the two stores (a graph may be in one store only)."""
    changed: set[ox.Triple] = set()
    for g in graphs:
        if g == catalog:
            continue
        old, new = _triples(before, g), _triples(after, g)
        changed |= old ^ new
    entity = base + "id/"
    candidates: dict[str, set[tuple[Term | None, ox.NamedNode | None, Term | None]]] = {n: set() for n in NAMES}
    for t in changed:
        candidates["triples"].add((t.subject, t.predicate, t.object))
        candidates["distinctSubjects"].add((t.subject, None, None))
        candidates["properties"].add((None, t.predicate, None))
        candidates["distinctObjects"].add((None, None, t.object))
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(entity):
            candidates["entities"].add((t.subject, None, None))
        if t.predicate == _TYPE:
            candidates["classes"].add((None, _TYPE, t.object))
    counts = dict(previous)
    for name, patterns in candidates.items():
        for s, p, o in patterns:
            counts[name] += _occurs(after, catalog, s, p, o) - _occurs(before, catalog, s, p, o)
    return counts
