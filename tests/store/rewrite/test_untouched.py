"""What ``rewrite`` must not touch, and the library's queries before and after it.

A query without a candidate site comes back as the very same string; one the rewriter cannot
read with certainty (SERVICE, an ambiguous '<…>', a syntax rdflib refuses) too, with the reason.
The query library (queries/*.rq) answers the same after ``rewrite`` on its fixture dataset.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.querylib import QueryDoc, load_queries
from kg.store.rewrite import explain, rewrite
from tests.queries.dataset import QUERIES_DIR, fixture_graphs, fixture_settings
from tests.queries.dataset import oxigraph_store as library_store
from tests.queries.dataset import rdflib_dataset as library_dataset

from .engines import PREFIXES, on_oxigraph, on_rdflib

LIBRARY = load_queries(QUERIES_DIR)

#: Texts where the words of a site appear but no site is: strings, comments, IRIs, MINUS already.
NO_SITE = {
    "in_a_string": 'SELECT ?s { ?s ?p "FILTER NOT EXISTS { ?s ?p ?o }" }',
    "in_a_long_string": 'SELECT ?s { ?s ?p """x\nOPTIONAL { ?s ?p ?o } FILTER(!BOUND(?o))""" }',
    "in_a_comment": "SELECT ?s { ?s ?p ?o # FILTER NOT EXISTS { ?s ?q ?o }\n}",
    "in_an_iri": "SELECT ?s { ?s <http://example.org/FILTER/NOT/EXISTS> ?o }",
    "already_minus": "SELECT ?s { ?s ?p ?o MINUS { ?s ?q ?o } }",
    "exists_not_negated": "SELECT ?s { ?s ?p ?o FILTER EXISTS { ?s ?q ?o } }",
    "not_exists_in_a_disjunction": "SELECT ?s { ?s ?p ?o FILTER (?o = 1 || NOT EXISTS { ?s ?q ?o }) }",
    "not_exists_in_bind": "SELECT ?s ?x { ?s ?p ?o BIND (NOT EXISTS { ?s ?q ?o } AS ?x) }",
    "bound_not_negated": "SELECT ?s { ?s ?p ?o OPTIONAL { ?s ?q ?x } FILTER(BOUND(?x)) }",
    "not_bound_of_no_optional": "SELECT ?s { ?s ?p ?o FILTER(!BOUND(?x)) }",
    "update_text": "DELETE WHERE { ?s ?p ?o }",
    "empty": "",
}

#: Queries with a site the rewriter refuses as a whole, and the phrase of the reason.
REFUSED_WHOLE = {
    "service": ("SELECT ?s { SERVICE <http://example.org/sparql> { ?s ?p ?o } "
                "?s ?p ?o FILTER NOT EXISTS { ?s ?q ?o } }", "SERVICE"),
    "ambiguous_iri": ("SELECT ?s { ?s ?p ?o FILTER NOT EXISTS { ?s ?q ?o FILTER(?o<?s&&?s>?o) } }",
                      "ambiguous"),
    "syntax_error": ("SELECT ?s { ?s ?p ?o FILTER NOT EXISTS { ?s ?q } }", "cannot parse"),
}


@pytest.mark.parametrize("name", NO_SITE)
def test_text_without_a_site_is_returned_as_given(name: str) -> None:
    query = PREFIXES + NO_SITE[name]
    text, decisions = explain(query)
    assert text is query and decisions == []


@pytest.mark.parametrize("name", REFUSED_WHOLE)
def test_query_read_with_doubt_is_returned_as_given(name: str) -> None:
    query, reason = REFUSED_WHOLE[name]
    text, decisions = explain(PREFIXES + query)
    assert text == PREFIXES + query
    assert decisions and all(not d.rewritten and reason in d.reason for d in decisions), decisions


def test_decision_names_the_line_of_the_site() -> None:
    query = PREFIXES + "SELECT ?s {\n  ?s ?p ?o\n  FILTER NOT EXISTS { ?s ?q ?o }\n}"
    assert [d.line for d in explain(query)[1]] == [query.splitlines().index("  FILTER NOT EXISTS { ?s ?q ?o }") + 1]


def test_library_is_not_empty() -> None:
    assert len(LIBRARY) >= 15


@pytest.fixture(scope="module")
def library_data() -> tuple[ox.Store, Dataset]:
    graphs = fixture_graphs(fixture_settings())
    return library_store(graphs), library_dataset(graphs)


@pytest.mark.parametrize("doc", LIBRARY, ids=lambda d: d.name)
def test_library_query_answers_the_same_after_rewrite(doc: QueryDoc, library_data: tuple[ox.Store, Dataset]) -> None:
    text = doc.text
    rewritten = rewrite(text)
    if rewritten is text:
        return  # nothing to rewrite: the same string, so the same answer
    store, dataset = library_data
    assert on_oxigraph(store, rewritten) == on_oxigraph(store, text)
    assert on_rdflib(dataset, rewritten) == on_rdflib(dataset, text)


#: The library's anti-joins are written with MINUS (docs/queries.md); a user would as likely write
#: FILTER NOT EXISTS. Each such variant must be rewritten and answer as the library's own text.
WITH_MINUS = [d for d in LIBRARY if "MINUS {" in d.text]


def test_library_has_anti_joins_to_vary() -> None:
    assert WITH_MINUS, "no library query uses MINUS: the variants below test nothing"


@pytest.mark.parametrize("doc", WITH_MINUS, ids=lambda d: d.name)
def test_library_anti_join_written_as_not_exists_is_rewritten_and_answers_the_same(
        doc: QueryDoc, library_data: tuple[ox.Store, Dataset]) -> None:
    variant = doc.text.replace("MINUS {", "FILTER NOT EXISTS {")
    text, decisions = explain(variant)
    assert decisions and all(d.rewritten for d in decisions), decisions
    store, dataset = library_data
    assert on_oxigraph(store, text) == on_oxigraph(store, doc.text)
    assert on_rdflib(dataset, text) == on_rdflib(dataset, doc.text)
