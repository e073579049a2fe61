"""The VoID statistics of a release's union graph: counted over the whole store, or updated from the previous release's.

VoID (W3C Interest Group Note, 2011, §4.5) gives the dataset's triples, distinct subjects, properties,
distinct objects, entities (subjects under ``{base}id/``) and classes. The union is every named graph
but the catalogue (kg.release.catalogue describes the dumps, which it is not part of).

Counting them takes three scans of the union (:func:`counted`: 15 CPU-s at 4,000 agreements under
load, where six ``COUNT(DISTINCT …)`` took 27; docs/perf/build.md). A warm build changes a few
graphs, so :func:`updated` counts only what can have changed: a term (or triple) is counted in one
release and not in the other only if a triple holding it was added to or removed from a graph, so for
each such candidate it asks both stores whether it occurs in any graph of the union (an index look-up
that stops at the first hit) and adds the difference to the previous release's counts. The answer is
the full count's, exactly (tests/release/test_incremental.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

__all__ = ["NAMES", "counted", "updated"]

#: The counts, in the order the catalogue states them.
NAMES = ("triples", "distinctSubjects", "properties", "distinctObjects", "entities", "classes")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Subject = ox.NamedNode | ox.BlankNode | ox.Triple


def counted(store: ox.Store, catalog: ox.NamedNode, base: str) -> dict[str, int]:
    """The counts over the union of ``store``'s named graphs but ``catalog``, in three scans and no
    hash set of the triples.

    The six ``COUNT(DISTINCT …)`` one a query took ≈ 28 CPU-s at 4,000 agreements under load, and
    held 676 MB for the distinct triples (7.9 GB at 40,000); two of them were most of it: the
    distinct triples, and the entities, whose filter read every quad's subject as text. Here:

    - one scan counts the quads (each graph's triples are distinct in it) with the distinct
      properties and objects;
    - one groups the quads by subject: the distinct subjects, the entities (each subject read as
      text once, not once a quad), and the subjects found in two graphs or more;
    - a triple is counted twice in the quads only if it is in two graphs, so its subject is one of
      those: their quads are counted, with and without duplicates, by index look-ups; the triples are
      the quads less the duplicates;
    - the classes, from the ``rdf:type`` index.

    The same numbers as the six queries (tests/release/test_void.py compares them); a blank node in
    two graphs (one bulk load's label used by two graphs) cannot be named in a query, and sends the
    triples to the distinct count of them all."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [g for g in store.named_graphs() if g != catalog]
    if not graphs:
        return dict.fromkeys(NAMES, 0)
    others = f"FILTER(?g != {catalog})"
    # Three queries at once: the engine lets go of the GIL while it evaluates (5.5 s one after the
    # other at 4,000 agreements, 3.8 s together: the second one's time; docs/perf/build.md).
    with ThreadPoolExecutor(3, thread_name_prefix="void") as pool:
        by_subject = pool.submit(_row, store, f"""
        SELECT (COUNT(*) AS ?distinctSubjects)
               (SUM(IF(isIRI(?s) && STRSTARTS(STR(?s), {_literal(base + "id/")}), 1, 0)) AS ?entities)
               (SUM(IF(?k > 1 && !isIRI(?s), 1, 0)) AS ?blank)
               (GROUP_CONCAT(IF(?k > 1 && isIRI(?s), STR(?s), ""); SEPARATOR=" ") AS ?shared)
        {{ SELECT ?s (COUNT(DISTINCT ?g) AS ?k) {{ GRAPH ?g {{ ?s ?p ?o }} {others} }} GROUP BY ?s }}""")
        by_quad = pool.submit(_row, store, "SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?p) AS ?properties) "
                              "(COUNT(DISTINCT ?o) AS ?distinctObjects) { ?s ?p ?o }", default_graph=graphs)
        by_class = pool.submit(_row, store, "SELECT (COUNT(DISTINCT ?c) AS ?classes) { ?s a ?c }",
                               default_graph=graphs)
        first, subjects, classes = by_quad.result(), by_subject.result(), by_class.result()
    if int(subjects["blank"]):
        triples = _number(store, "SELECT (COUNT(DISTINCT *) AS ?n) { ?s ?p ?o }", default_graph=graphs)
    else:
        shared = subjects["shared"].split()
        duplicates = 0
        for i in range(0, len(shared), _VALUES):
            values = " ".join(str(ox.NamedNode(s)) for s in shared[i:i + _VALUES])
            where = f"VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {others}"
            duplicates += (_number(store, f"SELECT (COUNT(*) AS ?n) {{ {where} }}")
                           - _number(store, f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?p ?o {{ {where} }} }}"))
        triples = int(first["quads"]) - duplicates
    found = {**first, **subjects, **classes, "triples": str(triples)}
    return {name: int(found[name]) for name in NAMES}


#: Subjects named in one query's VALUES.
_VALUES = 2000


def _literal(text: str) -> str:
    return str(ox.Literal(text))


def _row(store: ox.Store, query: str, **dataset: object) -> dict[str, str]:
    """The one row of an aggregate query: each value's lexical form."""
    solutions = store.query(query, **dataset)  # type: ignore[arg-type]
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    row = next(iter(solutions))
    out: dict[str, str] = {}
    for name in names:
        value = row[name]
        if value is None:  # an aggregate left unbound: an error in it, never a count of nothing
            raise ValueError(f"the VoID query left ?{name} unbound: {query}")
        out[name] = value.value
    return out


def _number(store: ox.Store, query: str, **dataset: object) -> int:
    return int(_row(store, query, **dataset)["n"])


def _triples(store: ox.Store, graph: ox.NamedNode) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, graph)}


def _occurs(store: ox.Store, catalog: ox.NamedNode, s: Subject | None, p: ox.NamedNode | None,
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
    candidates: dict[str, set[tuple[Subject | None, ox.NamedNode | None, Term | None]]] = {n: set() for n in NAMES}
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
