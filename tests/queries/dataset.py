"""The fixture dataset the query library is tested on, built by the real pipeline.

Texts (tests/data/queries/README.md says which are composed) go through ``kg.ingest.ingest_file``;
the reference graphs come from ``kg.reference.graphs.reference_graphs``. Each graph is a named graph, as
in a build (docs/model.md, "Named graphs"), and queries see their union as the default graph.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from kg.ingest import ingest_file
from kg.namespaces import DEFAULT_BASE
from kg.reference.graphs import reference_graphs
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DIR = ROOT / "tests" / "data" / "queries"
QUERIES_DIR = ROOT / "queries"
EXPECTED_DIR = QUERIES_DIR / "expected"
#: The ``kg`` command of this environment (the CLI as users run it).
KG = str(Path(sys.executable).parent / "kg")
#: The founding agreement is read where it is published; the rest are test fixtures.
FOUNDING_TEXT = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"


def fixture_settings() -> Settings:
    """Settings pinned to the repository and the default base IRI, whatever KG_* says."""
    return Settings(base_iri=DEFAULT_BASE, root=ROOT, data_dir=ROOT / "data")


def fixture_sources() -> list[Path]:
    """The texts of the fixture dataset: the founding agreement, then the fixtures by name."""
    return [FOUNDING_TEXT, *sorted((FIXTURE_DIR / "sources").glob("*.txt"))]


def fixture_graphs(settings: Settings) -> dict[URIRef, Graph]:
    """Every named graph of the fixture dataset, by graph name."""
    graphs: dict[URIRef, Graph] = dict(reference_graphs(settings))
    for path in fixture_sources():
        result = ingest_file(path, settings)
        if result.graph_name in graphs:
            raise AssertionError(f"{path.name} gives the graph {result.graph_name} a second time")
        graphs[result.graph_name] = result.graph
    return graphs


def with_statistics(graphs: dict[URIRef, Graph], settings: Settings) -> dict[URIRef, Graph]:
    """``graphs`` and the statistics graph counted over them, as a release publishes it
    (kg.release.statistics; kg.release.publish.publish adds it to every build)."""
    from kg.release.statistics import statistics_quads

    counted = Graph()
    for quad in statistics_quads(oxigraph_store(graphs), settings):
        counted.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return {**graphs, settings.ids.graph("statistics"): counted}


def _term(term: object) -> URIRef | Literal:
    """An rdflib term for a pyoxigraph IRI or literal (the statistics graph holds no blank node)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    assert isinstance(term, ox.Literal)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))


def published_store(build_dir: Path) -> ox.Store:
    """The published dataset: ``kg build`` of the project's ``data/`` into ``build_dir`` (as the
    server tests build it), opened read-only; queries see the union of its graphs, as on /sparql."""
    from kg.release.build import build

    release = build(fixture_settings().model_copy(update={"build_dir": build_dir}))
    return ox.Store.read_only(str(release.store_path))


def oxigraph_store(graphs: dict[URIRef, Graph]) -> ox.Store:
    """An in-memory pyoxigraph store holding ``graphs`` as named graphs (as kg.release.build loads them)."""
    store = ox.Store()
    for name, graph in graphs.items():
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"),
                        format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
    return store


def rdflib_dataset(graphs: dict[URIRef, Graph]) -> Dataset:
    """The same named graphs in an rdflib Dataset whose default graph is their union."""
    ds = Dataset(default_union=True)
    for name, graph in graphs.items():
        target = ds.graph(name)
        for triple in graph:
            target.add(triple)
    return ds
