"""Every query of ``queries/`` answers the fixture dataset as its expected file says, on both engines."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.querylib import QueryDoc, load_queries

from .dataset import EXPECTED_DIR, QUERIES_DIR, fixture_sources
from .results import differences, expected_path, is_ordered, run_oxigraph, run_rdflib, solutions

DOCS = load_queries(QUERIES_DIR)
IDS = [d.name for d in DOCS]

#: Queries whose expected answer is empty on purpose, and why. An entry here is a debt: the
#: test below xfails strictly, so it fails as soon as the answer is no longer empty.
EMPTY_ON_PURPOSE: dict[str, str] = {}
#: Known differences between rdflib's SPARQL engine and pyoxigraph that are rdflib's bugs.
RDFLIB_BUGS: dict[str, str] = {}


def test_library_is_not_empty() -> None:
    assert len(DOCS) >= 15, f"only {len(DOCS)} queries in {QUERIES_DIR}"


def test_queries_folder_holds_only_query_files() -> None:
    strays = [p.name for p in QUERIES_DIR.iterdir() if p.suffix != ".rq" and p != EXPECTED_DIR]
    assert not strays, f"not NNN_slug.rq files, so never loaded: {strays}"


def test_every_query_has_an_expected_answer_and_no_answer_is_orphaned() -> None:
    missing = [d.name for d in DOCS if not expected_path(d).is_file()]
    assert not missing, f"no expected answer for {missing}: run python -m tests.queries.regen"
    names = {d.name for d in DOCS}
    orphans = [p.name for p in EXPECTED_DIR.iterdir() if p.stem not in names]
    assert not orphans, f"expected answers without a query: {orphans}"


def test_fixture_dataset_has_a_graph_per_text(graphs: dict[URIRef, Graph]) -> None:
    texts = [g for g in graphs if "/graph/agreement/" in str(g) or "/graph/amendment/" in str(g)]
    assert len(fixture_sources()) >= 5
    assert len(texts) == len(fixture_sources())


def test_each_query_declares_only_prefixes_it_uses() -> None:
    unused = {}
    for d in DOCS:
        declared = re.findall(r"^PREFIX\s+([\w-]*):", d.body, re.MULTILINE)
        code = re.sub(r"^PREFIX[^\n]*$|#[^\n>]*$", "", d.body, flags=re.MULTILINE)
        idle = [p for p in declared if not re.search(rf"(?<![\w-]){p}:", code)]
        if idle:
            unused[d.name] = idle
    assert not unused, f"PREFIX declared but never used: {unused}"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_query_answers_as_expected(doc: QueryDoc, store: ox.Store) -> None:
    expected = expected_path(doc).read_bytes()
    diff = differences(doc, expected, run_oxigraph(store, doc), is_ordered(doc))
    assert diff is None, f"{doc.path.name}: {diff}"


@pytest.mark.parametrize("doc", [
    pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=RDFLIB_BUGS[d.name]))
    if d.name in RDFLIB_BUGS else d for d in DOCS], ids=IDS)
def test_rdflib_engine_gives_the_same_answer(doc: QueryDoc, rdflib_engine: Dataset) -> None:
    expected = expected_path(doc).read_bytes()
    diff = differences(doc, expected, run_rdflib(rdflib_engine, doc), is_ordered(doc))
    assert diff is None, f"{doc.path.name} on rdflib: {diff}"


@pytest.mark.parametrize("doc", [
    pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=EMPTY_ON_PURPOSE[d.name]))
    if d.name in EMPTY_ON_PURPOSE else d for d in DOCS], ids=IDS)
def test_expected_answer_is_not_empty(doc: QueryDoc) -> None:
    body = expected_path(doc).read_bytes()
    if doc.form == "CONSTRUCT":
        assert len(Graph().parse(data=body, format="turtle")) > 0
        return
    answer = solutions(body)
    if isinstance(answer, bool):
        return
    assert answer[1], f"{doc.path.name}: the expected answer has no rows"


def test_missing_role_check_answers_true_when_a_role_is_missing(graphs: dict[URIRef, Graph]) -> None:
    """022 answers false on the fixture; it must answer true once one party's role is gone and the
    statistics graph, which 022 reads, is counted again (as every build does)."""
    from kg.namespaces import RENKEI

    from .dataset import fixture_settings, oxigraph_store, with_statistics

    [doc] = [d for d in DOCS if d.number == "022"]
    name, graph = next((n, g) for n, g in graphs.items() if "/graph/agreement/" in str(n))
    role = next(iter(graph.objects(None, RENKEI.role)))
    damaged = {n: g for n, g in graphs.items() if n != fixture_settings().ids.graph("statistics")}
    damaged[name] = Graph()
    for t in graph:
        if t[0] != role:
            damaged[name].add(t)
    assert solutions(run_oxigraph(oxigraph_store(damaged), doc)) is False  # not counted: no answer
    recounted = with_statistics(damaged, fixture_settings())
    assert solutions(run_oxigraph(oxigraph_store(recounted), doc)) is True
