"""The "lacking a category" family: every way of writing it gives the same answers after ``rewrite``.

Each form is rewritten (the test fails if the rewriter left it alone) and answers exactly as
before on pyoxigraph and on rdflib's engine, over a fixture with the cases where anti-joins
differ (tests/store/rewrite/fixture.trig).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.store.rewrite import explain, rewrite

from .engines import FIXTURE, PREFIXES, on_oxigraph, on_rdflib, oxigraph_store, rdflib_dataset

OTHERS = "?other r:area ?area ; r:initiative/r:category ?category .\n  ?agreement a r:Agreement ; r:area ?area ."

#: name → query; each must be rewritten, and answer as the MINUS form does.
FORMS = {
    "not_exists_path": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }}
}}""",
    "not_exists_bgp": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative ?i . ?i r:category ?category }}
}}""",
    "not_exists_bracketted": f"""SELECT DISTINCT ?agreement ?category {{
  {OTHERS}
  FILTER (NOT EXISTS {{ ?agreement r:initiative ?i . ?i r:category ?category . }})
}}""",
    "negated_exists": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER (!EXISTS {{ ?agreement r:initiative/r:category ?category }})
}}""",
    "not_exists_written_first": f"""SELECT ?agreement ?category {{
  FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }}
  {OTHERS}
}}""",
    "not_exists_between_triples": """SELECT ?agreement ?category {
  ?other r:area ?area ; r:initiative/r:category ?category
  FILTER NOT EXISTS { ?agreement r:initiative/r:category ?category }
  ?agreement a r:Agreement ; r:area ?area
}""",
    "optional_not_bound": f"""SELECT ?agreement ?category {{
  {OTHERS}
  OPTIONAL {{ ?agreement r:initiative ?i . ?i r:category ?category }}
  FILTER (!BOUND(?i))
}}""",
    "optional_not_bound_filter_first": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER(!bound(?i)) .
  OPTIONAL {{ ?agreement r:initiative ?i . ?i r:category ?category }}
}}""",
    "not_exists_same_term": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative ?i . ?i r:category ?c FILTER(sameTerm(?c, ?category)) }}
}}""",
    "not_exists_equal_on_subject": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?a r:initiative ?i . ?i r:category ?category FILTER(?a = ?agreement) }}
}}""",
    "not_exists_inner_filter_own_vars": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative ?i . ?i r:category ?category ; r:number ?n FILTER(?n < 5) }}
}}""",
    "not_exists_with_other_filters": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER (?agreement != ?other)
  FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }}
  FILTER (STRSTARTS(STR(?category), "https://"))
}}""",
    "not_exists_over_subselect": """SELECT ?area ?agreement ?category ?n {
  { SELECT ?area ?category (COUNT(DISTINCT ?other) AS ?n)
    { ?other r:area ?area ; r:initiative ?i . ?i r:category ?category } GROUP BY ?area ?category }
  ?agreement a r:Agreement ; r:area ?area .
  FILTER NOT EXISTS { ?agreement r:initiative ?j . ?j r:category ?category }
}""",
    "not_exists_in_graph": """SELECT ?g ?agreement ?category {
  ?c a skos:Concept .
  GRAPH ?g { ?agreement a r:Agreement ; r:initiative/r:category ?category
             FILTER NOT EXISTS { ?agreement r:initiative/r:category ?category ; r:number 1.0 } }
}""",
    "two_sites": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }}
  OPTIONAL {{ ?agreement r:areaName ?name }} FILTER(!BOUND(?name))
}}""",
    # "No initiative of the agreement such that it has the category": the nested spelling.
    "not_exists_nested_exists": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative ?i FILTER EXISTS {{ ?i r:category ?category }} }}
}}""",
    "not_exists_nested_exists_bracketted": f"""SELECT ?agreement ?category {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative ?i . FILTER (EXISTS {{ ?i r:category ?category . }}) . }}
}}""",
    # The counting spelling: a group of (agreement, category) rows in which the OPTIONAL never matched.
    "group_by_having_count_zero": f"""SELECT ?agreement ?category {{
  {OTHERS}
  OPTIONAL {{ ?agreement r:initiative ?i . ?i r:category ?category }}
}}
GROUP BY ?agreement ?category
HAVING (COUNT(?i) = 0)""",
    "group_by_having_count_distinct_with_other_aggregates": f"""SELECT ?agreement ?category (COUNT(?other) AS ?n)
    (SAMPLE(?area) AS ?a) {{
  {OTHERS}
  OPTIONAL {{ ?agreement r:initiative ?i . ?i r:category ?category }}
}} GROUP BY ?agreement ?category HAVING (COUNT(DISTINCT ?i) = 0) ORDER BY ?agreement ?category""",
    "ask": f"""ASK {{ {OTHERS} FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }} }}""",
    "construct": f"""CONSTRUCT {{ ?agreement r:lacks ?category }} WHERE {{
  {OTHERS}
  FILTER NOT EXISTS {{ ?agreement r:initiative/r:category ?category }}
}}""",
}
MINUS_FORM = PREFIXES + f"""SELECT ?agreement ?category {{
  {OTHERS}
  MINUS {{ ?agreement r:initiative/r:category ?category }}
}}"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return oxigraph_store(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return rdflib_dataset(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FORMS)
def test_form_is_rewritten_to_minus(name: str) -> None:
    query = PREFIXES + FORMS[name]
    text, decisions = explain(query)
    assert decisions and all(d.rewritten for d in decisions), decisions
    assert "MINUS" in text and "NOT EXISTS" not in text and "BOUND" not in text.upper().replace("UNBOUND", "")


@pytest.mark.parametrize("name", FORMS)
def test_form_answers_the_same_on_pyoxigraph(name: str, store: ox.Store) -> None:
    query = PREFIXES + FORMS[name]
    assert on_oxigraph(store, rewrite(query)) == on_oxigraph(store, query)


@pytest.mark.parametrize("name", FORMS)
def test_form_answers_the_same_on_rdflib(name: str, dataset: Dataset) -> None:
    query = PREFIXES + FORMS[name]
    assert on_rdflib(dataset, rewrite(query)) == on_rdflib(dataset, query)


def test_minus_form_is_left_byte_for_byte() -> None:
    assert rewrite(MINUS_FORM) is MINUS_FORM


def test_the_family_finds_what_the_fixture_lacks(store: ox.Store) -> None:
    # Guard against a fixture where every form is trivially empty: a3 lacks c1 and c2 (its
    # neighbours have them), a2 lacks c2, b2 lacks c4.
    result = on_oxigraph(store, MINUS_FORM)
    assert isinstance(result, tuple)
    pairs = {tuple(v.rsplit("/", 1)[-1].rstrip(">") for _k, v in sorted(row)) for row in result[1]}
    assert pairs == {("a3", "c1"), ("a3", "c2"), ("a2", "c2"), ("b2", "c4")}
