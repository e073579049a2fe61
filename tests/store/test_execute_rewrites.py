"""The query path rewrites slow anti-joins (kg.store.rewrite) before pyoxigraph evaluates them."""

from __future__ import annotations

import importlib
import json

import pyoxigraph as ox
import pytest

from kg.store import RESULT_FORMATS, QueryResult, check_query, execute

# The module, not the function kg.store re-exports under the same name.
execute_module = importlib.import_module("kg.store.execute")

R = "https://w3id.org/renkei/ns#"
G = ox.NamedNode("https://w3id.org/renkei/graph/g")
NOT_EXISTS = (f"PREFIX r: <{R}> SELECT ?a ?c {{ {{ SELECT DISTINCT ?c {{ ?x r:category ?c }} }} "
              "?a a r:Agreement FILTER NOT EXISTS { ?a r:initiative/r:category ?c } }")


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    n = ox.NamedNode
    for a, cats in {"a1": ["c1", "c2"], "a2": ["c1"], "a3": []}.items():
        s.add(ox.Quad(n(R + a), n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(R + "Agreement"), G))
        for i, c in enumerate(cats):
            s.add(ox.Quad(n(R + a), n(R + "initiative"), n(f"{R}{a}-{i}"), G))
            s.add(ox.Quad(n(f"{R}{a}-{i}"), n(R + "category"), n(R + c), G))
    return s


def _rows(result: QueryResult) -> set[tuple[str, str]]:
    bindings = json.loads(result.body)["results"]["bindings"]
    return {(b["a"]["value"].rsplit("#", 1)[1], b["c"]["value"].rsplit("#", 1)[1]) for b in bindings}


def test_not_exists_reaches_the_store_as_minus_and_answers_the_same(store: ox.Store,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    real = execute_module.rewrite
    monkeypatch.setattr(execute_module, "rewrite", lambda q: sent.append(real(q)) or sent[-1])
    result = execute(store, check_query(NOT_EXISTS), RESULT_FORMATS[0], limit=100)
    assert "MINUS" in sent[0] and "NOT EXISTS" not in sent[0]
    assert _rows(result) == {("a2", "c2"), ("a3", "c1"), ("a3", "c2")}
    as_written = store.query(NOT_EXISTS, use_default_graph_as_union=True)
    assert {(s["a"].value.rsplit("#", 1)[1], s["c"].value.rsplit("#", 1)[1]) for s in as_written} == _rows(result)
