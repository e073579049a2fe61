"""Run one query on pyoxigraph and on rdflib over the same dataset, as comparable result multisets.

Rows are compared as multisets of variable→term maps (SPARQL 1.1 Query §18.1.8: a solution
sequence's order means nothing without ORDER BY), plus the set of variable names in the header.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

FIXTURE = Path(__file__).with_name("fixture.trig")
PREFIXES = """PREFIX r: <https://w3id.org/renkei/ns#>
PREFIX id: <https://w3id.org/renkei/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

Result = tuple[frozenset[str], Counter[frozenset[tuple[str, str]]]] | bool | Counter[str]


def oxigraph_store(trig: str) -> ox.Store:
    """An in-memory store holding ``trig``'s named graphs."""
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    return store


def rdflib_dataset(trig: str) -> Dataset:
    """The same data in rdflib, the default graph being the union of the named graphs (as kg serves it)."""
    ds = Dataset(default_union=True)
    ds.parse(data=trig, format="trig")
    return ds


def on_oxigraph(store: ox.Store, query: str) -> Result:
    """The result of ``query`` with the union of all graphs as the default graph."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: Counter[frozenset[tuple[str, str]]] = Counter(
            frozenset((n, str(s[n])) for n in names if s[n] is not None) for s in result)
        return frozenset(names), rows
    return Counter(str(t) for t in result)


def on_rdflib(ds: Dataset, query: str) -> Result:
    """The result of ``query`` evaluated by rdflib's own engine."""
    result = ds.query(query)
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type == "SELECT":
        names = [str(v) for v in result.vars or []]
        rows: Counter[frozenset[tuple[str, str]]] = Counter(
            frozenset((n, row[n].n3()) for n in names if row[n] is not None) for row in result)  # type: ignore[index,union-attr]
        return frozenset(names), rows
    return Counter(" ".join(t.n3() for t in triple) for triple in result)  # type: ignore[union-attr]
