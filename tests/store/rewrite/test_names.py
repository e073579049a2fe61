"""Prefixed names with dots in their local part reach the engine as the IRIs they stand for.

pyoxigraph 0.5.13 rejects ``fw:3.A.7`` (two dots or more in a local name, valid SPARQL 1.1:
§19.8 [169] PN_LOCAL); ``rewrite`` writes such names as ``<IRI>`` and leaves every other token
as it is (docs/perf/queries.md has the reproduction).
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.store import RESULT_FORMATS, check_query, execute
from kg.store.rewrite import rewrite
from kg.store.rewrite.names import expand_dotted_names

from .engines import on_oxigraph, on_rdflib, oxigraph_store, rdflib_dataset

FW = "https://w3id.org/renkei/id/framework/"
TRIG = f"""
<https://example.org/g> {{
  <https://example.org/i1> <https://w3id.org/renkei/ns#category> <{FW}3.A.7> , <{FW}3.A> .
  <https://example.org/i2> <https://w3id.org/renkei/ns#category> <{FW}1.b.2.c> .
}}
"""
QUERY = f"""PREFIX fw: <{FW}>
PREFIX r: <https://w3id.org/renkei/ns#>
SELECT ?i ?c {{ VALUES ?c {{ fw:3.A.7 fw:1.b.2.c fw:3.A }} ?i r:category ?c }}"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return oxigraph_store(TRIG)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return rdflib_dataset(TRIG)


def test_the_engine_rejects_the_name_as_written(store: ox.Store) -> None:
    # The defect this works around; the day pyoxigraph reads it, this fails as a reminder that
    # expand_dotted_names can go.
    with pytest.raises(SyntaxError):
        store.query(QUERY)


def test_rewritten_query_answers_as_rdflib_reads_the_original(store: ox.Store, dataset: Dataset) -> None:
    answer = on_oxigraph(store, rewrite(QUERY))
    assert answer == on_rdflib(dataset, QUERY)
    assert isinstance(answer, tuple) and sum(answer[1].values()) == 3


def test_only_names_with_two_dots_are_expanded() -> None:
    assert rewrite(QUERY).splitlines()[-1] == (
        f"SELECT ?i ?c {{ VALUES ?c {{ <{FW}3.A.7> <{FW}1.b.2.c> fw:3.A }} ?i r:category ?c }}")


@pytest.mark.parametrize(("written", "expanded"), [
    # A local name cannot end with '.': the dot after it ends the triple.
    ("?s ?p fw:1.2.3.", f"?s ?p <{FW}1.2.3>."),
    ("?s ?p fw:1.2.3 .", f"?s ?p <{FW}1.2.3> ."),
    # An escaped character stands for itself (§19.8 [173] PN_LOCAL_ESC), an escaped final dot too.
    (r"?s ?p fw:a\-b.c.d", f"?s ?p <{FW}a-b.c.d>"),
    (r"?s ?p fw:a.b.c\.", f"?s ?p <{FW}a.b.c.>"),
    # Strings, comments, IRIs and names with fewer dots are not names to expand.
    ('?s ?p "fw:1.2.3" # fw:1.2.3\n', '?s ?p "fw:1.2.3" # fw:1.2.3\n'),
    ("?s fw:p fw:1.2", "?s fw:p fw:1.2"),
    # An undeclared prefix is left for the engine to report.
    ("?s ?p zz:1.2.3", "?s ?p zz:1.2.3"),
])
def test_expansion(written: str, expanded: str) -> None:
    prologue = f"PREFIX fw: <{FW}>\nSELECT * {{ "
    assert expand_dotted_names(prologue + written + " }") == prologue + expanded + " }"


def test_a_relative_prefix_is_resolved_against_the_base_in_force() -> None:
    query = "BASE <https://example.org/a/> PREFIX x: <b/> SELECT * { ?s ?p x:1.2.3 }"
    assert expand_dotted_names(query).endswith("{ ?s ?p <https://example.org/a/b/1.2.3> }")


def test_a_query_without_such_names_is_the_same_object() -> None:
    query = f"PREFIX fw: <{FW}>\nSELECT * {{ ?s ?p fw:3.A }}"
    assert expand_dotted_names(query) is query
    assert rewrite(query) is query


def test_the_query_path_answers_a_dotted_name(store: ox.Store) -> None:
    # What /sparql and kg query run: the guard, then the executor, which rewrites before the engine.
    result = execute(store, check_query(QUERY), RESULT_FORMATS[0], limit=100)
    bindings = json.loads(result.body)["results"]["bindings"]
    assert sorted(b["c"]["value"].removeprefix(FW) for b in bindings) == ["1.b.2.c", "3.A", "3.A.7"]
