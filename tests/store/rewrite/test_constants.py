"""A one-value VALUES or constant BIND variable is written as its value in its group's FILTERs, only there.

pyoxigraph 0.5.13 applies a FILTER reading a VALUES variable only after every join of its group
(kg.store.rewrite.constants; docs/perf/queries.md has the reproduction): the rewrite must give
the same answers on both engines, and leave alone every form where the value might not hold.
"""

from __future__ import annotations

import pytest

from kg.store.rewrite import rewrite
from kg.store.rewrite.constants import inline_constants

from .engines import FIXTURE, PREFIXES, on_oxigraph, on_rdflib, oxigraph_store, rdflib_dataset

#: Query → the same query with the value written in the FILTER.
INLINED = {
    "string": ('SELECT ?c { VALUES ?w { "災害" } ?c ?p ?l FILTER (CONTAINS(?l, ?w)) }',
               'SELECT ?c { VALUES ?w { "災害" } ?c ?p ?l FILTER (CONTAINS(?l, "災害")) }'),
    "language_tag_and_dollar": ('SELECT ?c { VALUES $w { "ICT"@ja } ?c ?p ?l FILTER (?l = ?w) }',
                                'SELECT ?c { VALUES $w { "ICT"@ja } ?c ?p ?l FILTER (?l = "ICT"@ja) }'),
    "iri_after_the_filter": ("SELECT ?a { ?a r:area ?x FILTER (?x != ?n) VALUES ?n { id:north } }",
                             "SELECT ?a { ?a r:area ?x FILTER (?x != id:north) VALUES ?n { id:north } }"),
    "typed_number": ('SELECT ?i { VALUES ?k { "1"^^xsd:integer } ?i r:number ?n FILTER (?n = ?k) }',
                     'SELECT ?i { VALUES ?k { "1"^^xsd:integer } ?i r:number ?n FILTER (?n = "1"^^xsd:integer) }'),
    "bind": ('SELECT ?c { BIND ("ICT"@ja AS ?w) ?c ?p ?l FILTER (?l = ?w) }',
             'SELECT ?c { BIND ("ICT"@ja AS ?w) ?c ?p ?l FILTER (?l = "ICT"@ja) }'),
    "in_an_optional_group": (
        'SELECT ?a ?l { ?a r:area ?x OPTIONAL { VALUES ?w { "北" } ?a r:areaName ?l FILTER (CONTAINS(?l, ?w)) } }',
        'SELECT ?a ?l { ?a r:area ?x OPTIONAL { VALUES ?w { "北" } ?a r:areaName ?l FILTER (CONTAINS(?l, "北")) } }'),
}

#: Forms where the variable may not hold the one value in the FILTER's solutions, or where a
#: value cannot stand for it: left as written.
UNTOUCHED = {
    "two_rows": 'SELECT ?c { VALUES ?w { "災害" "観光" } ?c ?p ?l FILTER (CONTAINS(?l, ?w)) }',
    "undef": "SELECT ?c { VALUES ?w { UNDEF } ?c ?p ?l FILTER (?l = ?w) }",
    "two_variables": 'SELECT ?c { VALUES (?w ?v) { ("a" "b") } ?c ?p ?l FILTER (?l = ?w) }',
    "filter_in_another_group": 'SELECT ?c { VALUES ?w { "a" } ?c ?p ?l OPTIONAL { ?c ?q ?m FILTER (?m = ?w) } }',
    "filter_in_the_outer_group": 'SELECT ?c { { VALUES ?w { "a" } ?c ?p ?l } FILTER (?l = ?w) }',
    "bound": 'SELECT ?c { VALUES ?w { "a" } ?c ?p ?l FILTER (BOUND(?w)) }',
    "exists_in_the_filter": 'SELECT ?c { VALUES ?w { "a" } ?c ?p ?l FILTER EXISTS { ?c ?q ?w } }',
    "exists_inside_parentheses": 'SELECT ?c { VALUES ?w { "a" } ?c ?p ?l FILTER (?l = ?w || EXISTS { ?c ?q ?w }) }',
    "signed_number": "SELECT ?c { VALUES ?w { -1 } ?c ?p ?l FILTER (?l = ?w) }",
    "trailing_values": 'SELECT ?c { ?c ?p ?l FILTER (?l = ?w) } VALUES ?w { "a" }',
    "bind_of_an_expression": 'SELECT ?c { BIND (STR(?x) AS ?w) ?c ?p ?l FILTER (?l = ?w) }',
    "bind_of_a_variable": "SELECT ?c { ?c ?p ?l BIND (?l AS ?w) FILTER (?l = ?w) }",
    "values_and_bind_of_one_variable": 'SELECT ?c { VALUES ?w { "a" } ?c ?p ?l BIND ("b" AS ?w) FILTER (?l = ?w) }',
    "in_a_string": 'SELECT ?c { ?c ?p "VALUES ?w { 1 } FILTER (?l = ?w)" }',
}


@pytest.mark.parametrize("name", INLINED)
def test_one_value_is_written_in_the_filter_of_its_group(name: str) -> None:
    query, expected = INLINED[name]
    assert inline_constants(PREFIXES + query) == PREFIXES + expected


@pytest.mark.parametrize("name", UNTOUCHED)
def test_value_that_may_not_hold_is_left_alone(name: str) -> None:
    query = PREFIXES + UNTOUCHED[name]
    assert inline_constants(query) is query


@pytest.mark.parametrize("name", INLINED)
def test_inlined_query_answers_the_same_on_both_engines(name: str) -> None:
    trig = FIXTURE.read_text(encoding="utf-8")
    store, dataset = oxigraph_store(trig), rdflib_dataset(trig)
    query = PREFIXES + INLINED[name][0]
    before = on_oxigraph(store, query)
    assert before == on_oxigraph(store, rewrite(query)) == on_rdflib(dataset, rewrite(query))
    assert isinstance(before, tuple) and sum(before[1].values()) > 0, "no row on the fixture: it would prove nothing"


def test_rewrite_inlines_the_library_parameter() -> None:
    """queries/008's parameter, ``VALUES ?word``, reaches the engine inside its FILTER."""
    query = PREFIXES + 'SELECT ?i { VALUES ?word { "災害" } ?i r:content ?c FILTER (CONTAINS(?c, ?word)) }'
    assert 'CONTAINS(?c, "災害")' in rewrite(query)
