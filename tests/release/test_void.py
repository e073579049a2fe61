"""kg.release.void.counted gives the numbers of the six ``COUNT(DISTINCT …)`` queries it replaced.

It counts the triples as the quads less the duplicates found under the subjects of two graphs or more,
and the entities over the distinct subjects: each case where that could go wrong is in the store
below (a triple in two graphs, in the catalogue too, in the default graph; blank nodes; literals the
store holds as one value; subjects outside ``id/``), and the answer is compared with the queries'.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.release.void import NAMES, counted

BASE = "https://example.org/renkei/"
CATALOG = ox.NamedNode(BASE + "graph/catalog")


def _by_six_queries(store: ox.Store, catalog: ox.NamedNode, base: str) -> dict[str, int]:
    """The counts as kg.release.void counted them before (one ``COUNT(DISTINCT …)`` a count)."""
    graphs = [g for g in store.named_graphs() if g != catalog]
    if not graphs:
        return dict.fromkeys(NAMES, 0)
    queries = {
        "triples": "SELECT (COUNT(DISTINCT *) AS ?n) { ?s ?p ?o }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }",
        "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
        "entities": f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{base}id/')) }}",
        "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }",
    }
    out = {}
    for name, query in queries.items():
        solutions = store.query(query, default_graph=graphs)
        assert isinstance(solutions, ox.QuerySolutions)
        out[name] = int(next(iter(solutions))["n"].value)
    return out


def _graph(name: str) -> str:
    return f"<{BASE}graph/{name}>"


# Each graph's N-Quads, loaded by one bulk load each unless said otherwise.
_A = f"""
<{BASE}id/agreement/1> <{BASE}ns#party> <{BASE}id/municipality/1> {_graph("a")} .
<{BASE}id/agreement/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}ns#Agreement> {_graph("a")} .
<{BASE}id/agreement/1> <{BASE}ns#count> "01"^^<http://www.w3.org/2001/XMLSchema#integer> {_graph("a")} .
<{BASE}id/agreement/1> <{BASE}ns#note> _:n {_graph("a")} .
_:n <http://www.w3.org/2000/01/rdf-schema#label> "note"@ja {_graph("a")} .
<{BASE}id/municipality/1> <http://www.w3.org/2000/01/rdf-schema#label> "A town"@en {_graph("a")} .
<{BASE}id/municipality/1> <{BASE}ns#code> "1" {_graph("a")} .
"""
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_B = f"""
<{BASE}id/agreement/2> <{BASE}ns#party> <{BASE}id/municipality/1> {_graph("b")} .
<{BASE}id/agreement/2> <{BASE}ns#count> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {_graph("b")} .
<{BASE}id/agreement/2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}ns#Agreement> {_graph("b")} .
<{BASE}id/municipality/1> <http://www.w3.org/2000/01/rdf-schema#label> "A town"@en {_graph("b")} .
<{BASE}id/municipality/1> <{BASE}ns#code> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {_graph("b")} .
<{BASE}id/municipality/1> <{BASE}ns#count> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {_graph("b")} .
<{BASE}ns#Agreement> {_TYPE} <http://www.w3.org/2002/07/owl#Class> {_graph("b")} .
"""
_REFERENCE = f"""
<{BASE}id/municipality/1> <http://www.w3.org/2000/01/rdf-schema#label> "A town"@en {_graph("ref")} .
<{BASE}id/municipality/1> <{BASE}ns#count> "01"^^<http://www.w3.org/2001/XMLSchema#integer> {_graph("ref")} .
<{BASE}ns#Agreement> {_TYPE} <http://www.w3.org/2002/07/owl#Class> {_graph("ref")} .
<{BASE}ns#Agreement> <http://www.w3.org/2000/01/rdf-schema#label> "Agreement"@en {_graph("ref")} .
_:r <{BASE}ns#of> <{BASE}id/municipality/1> {_graph("ref")} .
"""
_CATALOG = f"""
<{BASE}id/agreement/1> <{BASE}ns#party> <{BASE}id/municipality/1> {CATALOG} .
<{BASE}dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdfs.org/ns/void#Dataset> {CATALOG} .
<{BASE}dataset> <http://rdfs.org/ns/void#triples> "9" {CATALOG} .
"""
_DEFAULT = f"""
<{BASE}id/agreement/9> <{BASE}ns#party> <{BASE}id/municipality/9> .
<{BASE}id/agreement/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}ns#Other> .
"""


def _store(*bulk_loads: str) -> ox.Store:
    store = ox.Store()
    for nquads in bulk_loads:
        store.bulk_load(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.mark.parametrize("loads", [
    pytest.param((_A, _B, _REFERENCE, _CATALOG, _DEFAULT), id="duplicates-catalogue-default-graph"),
    pytest.param((_A,), id="one-graph"),
    pytest.param((_A, _CATALOG), id="catalogue-besides"),
    pytest.param((_CATALOG,), id="only-the-catalogue"),
    pytest.param((), id="empty"),
    # one bulk load, and the blank node label _:n in two graphs: one node in both (the fallback)
    pytest.param((_A + _A.replace(_graph("a"), _graph("c")),), id="a-blank-node-in-two-graphs"),
])
def test_the_counts_are_the_six_queries(loads: tuple[str, ...]) -> None:
    store = _store(*loads)
    assert counted(store, CATALOG, BASE) == _by_six_queries(store, CATALOG, BASE)


def test_the_duplicates_are_counted_once() -> None:
    """The case above, by hand: the shared triples are counted once, the store's one value "01" = "1"."""
    counts = counted(_store(_A, _B, _REFERENCE, _CATALOG, _DEFAULT), CATALOG, BASE)
    # 7 + 7 + 5 quads; the same triple twice or three times: label ×3 (−2), Agreement a owl:Class ×2 (−1),
    # municipality count "1" in b and "01" in ref, one integer 1 (−1); code "1" and code 1 differ
    assert counts["triples"] == 19 - 4
    assert counts["entities"] == 3  # agreement/1, agreement/2, municipality/1 (not ns#Agreement, not _:)
    assert counts["distinctSubjects"] == 6  # those, ns#Agreement, _:n, _:r
    assert counts["classes"] == 2  # renkei:Agreement, owl:Class (not void:Dataset, not renkei:Other)


def test_many_subjects_in_two_graphs_are_asked_in_several_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.release.void

    monkeypatch.setattr(kg.release.void, "_VALUES", 1)
    store = _store(_A, _B, _REFERENCE)
    assert counted(store, CATALOG, BASE) == _by_six_queries(store, CATALOG, BASE)
