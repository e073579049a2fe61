"""The demo dataset (``kg demo``, kg.release.demo): every example query answers with rows there, and the
dataset cannot be mistaken for the real one (its own base IRI, build folder, catalogue and marks).

Built once per session into a temporary directory by :func:`kg.release.demo.build_demo`, as ``kg demo``
builds it into ``build/demo/``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import KgError
from kg.namespaces import DEFAULT_BASE
from kg.querylib import QueryDoc, load_queries
from kg.release.demo import BANNER_JA, DEMO_BASE, build_demo, composed_sources, demo_settings
from kg.store.release import Release

from .dataset import KG, QUERIES_DIR, fixture_settings
from .results import answer_size, expected_size

NUMBERS = [d.number for d in load_queries(QUERIES_DIR)]

PROV = "http://www.w3.org/ns/prov#"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"
#: The one composed agreement of the founding agreement's area (tests/data/queries/README.md).
SUKAGAWA = DEMO_BASE + "id/agreement/072036-072079-2019-01-23"
FOUNDING = DEMO_BASE + "id/agreement/072036-072109-2019-10-18"


def _doc(number: str) -> QueryDoc:
    return next(d for d in load_queries(QUERIES_DIR) if d.number == number)


@pytest.mark.parametrize("number", NUMBERS)
def test_every_example_answers_with_rows_on_the_demo(demo_store: ox.Store, number: str) -> None:
    """With the query's IRIs moved to the demo base (as the query page does), each query answers,
    and answers what docs/queries.md gives as its fixture answer."""
    doc = _doc(number)
    demo_doc = QueryDoc(doc.number, doc.slug, doc.path, doc.title_ja, doc.title_en, doc.description_ja,
                        doc.description_en, doc.tags, doc.params, doc.text, doc.for_base(DEMO_BASE), doc.form)
    answer = answer_size(demo_store, demo_doc)
    if doc.form != "ASK":
        assert answer, f"{doc.path.name} answers no rows on the demo dataset"
    assert answer == expected_size(doc), f"{doc.path.name}: the demo answers {answer}, the fixture {expected_size(doc)}"


def test_demo_iris_all_start_with_the_demo_base(demo_store: ox.Store) -> None:
    """Every graph and every IRI under w3id.org/renkei/ is the demo's, but the shared vocabulary."""
    graphs = [g.value for g in demo_store.named_graphs() if isinstance(g, ox.NamedNode)]
    assert graphs and all(g.startswith(DEMO_BASE + "graph/") for g in graphs), graphs
    vocabulary = DEFAULT_BASE + "ns"
    stray = set()
    for quad in demo_store:
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(vocabulary):
            continue  # the vocabulary's own statements (its rdfs:seeAlso names the published framework)
        for term in (quad.subject, quad.object):
            if (isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE)
                    and not term.value.startswith((DEMO_BASE, vocabulary))):
                stray.add(term.value)
    assert not stray, f"IRIs outside the demo base: {sorted(stray)[:5]}"
    minted = demo_store.query(f"ASK {{ GRAPH ?g {{ <{SUKAGAWA}> ?p ?o }} }}")
    assert bool(minted)


def test_demo_catalogue_says_composed(demo_release: Release, demo_store: ox.Store) -> None:
    catalogue = Graph().parse(demo_release.dumps_path / "catalog.ttl", format="turtle")
    dataset, catalog = URIRef(DEMO_BASE + "id/dataset"), URIRef(DEMO_BASE + "id/catalog")
    for node in (dataset, catalog):
        titles = {str(t) for t in catalogue.objects(node, DCTERMS.title) if isinstance(t, Literal)}
        assert any(t.startswith("【デモ】") for t in titles) and any(t.startswith("[Demo]") for t in titles), titles
        descriptions = [d for d in catalogue.objects(node, DCTERMS.description) if isinstance(d, Literal)]
        assert {d.language for d in descriptions} == {"ja", "en"}
        assert all("作例" in d or "composed" in d for d in descriptions), descriptions
    # The store's catalogue graph (what /sparql sees) says the same.
    said = demo_store.query(f"""ASK {{ GRAPH <{DEMO_BASE}graph/catalog> {{
        <{dataset}> <{DCTERMS.title}> ?t FILTER(STRSTARTS(?t, "【デモ】")) }} }}""")
    assert bool(said)
    assert demo_release.manifest.demo.composed == [p.name for p in composed_sources(fixture_settings())]
    assert demo_release.manifest.base_iri == DEMO_BASE


def test_composed_texts_are_marked_and_the_real_one_is_not(demo_store: ox.Store) -> None:
    def notes(agreement: str) -> list[str]:
        rows = demo_store.query(f"""SELECT ?note {{ GRAPH ?g {{ <{agreement}> <{PROV}wasDerivedFrom> ?doc .
            ?doc <{PROV}wasGeneratedBy> <{DEMO_BASE}id/activity/composition> ; <{SKOS_NOTE}> ?note .
            <{agreement}> <{SKOS_NOTE}> ?note }} }}""")
        assert isinstance(rows, ox.QuerySolutions)
        return [str(r["note"].value) for r in rows if r["note"] is not None]

    sukagawa = notes(SUKAGAWA)
    assert any(n.startswith("作例：") for n in sukagawa) and any(n.startswith("Composed:") for n in sukagawa)
    assert notes(FOUNDING) == [], "the published agreement is real: it must not be marked as composed"
    marked = demo_store.query(f"""SELECT (COUNT(DISTINCT ?doc) AS ?n) {{ GRAPH ?g {{
        ?doc a <{DEFAULT_BASE}ns#SourceDocument> ;
            <{PROV}wasGeneratedBy> <{DEMO_BASE}id/activity/composition> }} }}""")
    assert isinstance(marked, ox.QuerySolutions)
    assert [int(r["n"].value) for r in marked if r["n"] is not None] == [len(composed_sources(fixture_settings()))]


def test_dumps_carry_the_marks(demo_release: Release) -> None:
    nq = (demo_release.dumps_path / "dataset.nq").read_text(encoding="utf-8")
    assert f"<{DEMO_BASE}id/activity/composition>" in nq and "作例：" in nq
    assert f"<{DEFAULT_BASE}id/agreement/" not in nq and f"<{DEFAULT_BASE}graph/" not in nq


def test_demo_settings_keep_the_demo_apart(tmp_path: Path) -> None:
    settings = fixture_settings().model_copy(update={"build_dir": tmp_path})
    demo = demo_settings(settings)
    assert demo.base_iri == DEMO_BASE and demo.build_path == tmp_path / "demo"
    assert demo.data_path == tmp_path / "demo" / "data" and settings.base_iri == DEFAULT_BASE


def test_kg_demo_help() -> None:
    r = subprocess.run([KG, "demo", "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    for option in ("--port", "--host", "--build-only"):
        assert option in r.stdout
    assert "デモデータ" in r.stdout and "composed" in r.stdout


def test_kg_demo_serves_the_demo_under_its_base(demo_url: str) -> None:
    doc = _doc("002")
    r = httpx.post(demo_url + "/sparql", data={"query": doc.for_base(DEMO_BASE)},
                   headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    rows = r.json()["results"]["bindings"]
    assert len(rows) == expected_size(doc)
    page = httpx.get(demo_url + "/id/agreement/072036-072079-2019-01-23", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "作例：" in page.text
    catalogue = httpx.get(demo_url + "/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    assert catalogue.status_code == 200 and "【デモ】" in catalogue.text


def test_every_page_of_the_demo_shows_the_banner(demo_url: str) -> None:
    for path in ("/", "/sparql", "/id/agreement/072036-072079-2019-01-23"):
        page = httpx.get(demo_url + path, headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and BANNER_JA in page.text, path


def test_without_the_composed_texts_the_demo_says_where_they_should_be(tmp_path: Path) -> None:
    settings = fixture_settings().model_copy(update={"root": tmp_path, "build_dir": tmp_path / "build"})
    with pytest.raises(KgError) as e:
        build_demo(settings)
    assert str(tmp_path / "tests" / "data" / "queries" / "sources") in str(e.value)
    assert e.value.ja is not None and "作例" in e.value.ja
    assert not (tmp_path / "build" / "demo" / "current").exists()
