"""The statistics graph (kg.release.statistics): its counts, its Data Cube structure, and publishing it.

The counts are checked against a count made here in Python over the fixture dataset's graphs (not
with SPARQL, which is how the module counts); publishing is checked on a release made from the
fixture store: the graph is in the store, at the end of every dump (each of which still parses)
and a VoID subset of the catalogue.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, VOID

from kg.namespaces import RENKEI
from kg.release.catalogue import CATALOG_FILE
from kg.release.dumps import DUMPS, store_parts, write_dumps
from kg.release.manifest import Manifest
from kg.release.publish import publish
from kg.release.statistics import CUBES, QB, SDMX_DIMENSION, SDMX_MEASURE

from .dataset import fixture_settings, oxigraph_store

QB_ = Namespace(QB)
REF_AREA = URIRef(SDMX_DIMENSION + "refArea")
OBS_VALUE = URIRef(SDMX_MEASURE + "obsValue")


@pytest.fixture(scope="module")
def statistics(graphs: dict[URIRef, Graph]) -> Graph:
    return graphs[fixture_settings().ids.graph("statistics")]


@pytest.fixture(scope="module")
def data(graphs: dict[URIRef, Graph]) -> Graph:
    """The union of the fixture's graphs but the statistics graph."""
    union = Graph()
    for name, graph in graphs.items():
        if name != fixture_settings().ids.graph("statistics"):
            union += graph
    return union


def _observed(statistics: Graph, cube: str) -> dict[tuple[URIRef, ...], int]:
    """The observations of one data set: dimension values (in the structure's order) → count."""
    ds = fixture_settings().ids.id(f"statistics/{cube}")
    dims = [prop for _var, prop in next(c for c in CUBES if c.name == cube).dimensions]
    out: dict[tuple[URIRef, ...], int] = {}
    for obs in statistics.subjects(QB_.dataSet, ds):
        key = tuple(statistics.value(obs, URIRef(p)) for p in dims)
        assert all(isinstance(k, URIRef) for k in key), obs
        value = statistics.value(obs, OBS_VALUE)
        assert isinstance(value, Literal) and key not in out
        out[key] = int(value)  # type: ignore[assignment]
    return out


def test_agreements_per_area_are_counted(statistics: Graph, data: Graph) -> None:
    expected: dict[tuple[URIRef, ...], set[URIRef]] = defaultdict(set)
    for agreement in data.subjects(RDF.type, RENKEI.Agreement):
        for area in data.objects(agreement, RENKEI.area):
            expected[(area,)].add(agreement)  # type: ignore[index,arg-type]
    assert expected, "the fixture holds no agreement with an area: the test would be vacuous"
    assert _observed(statistics, "area-agreements") == {k: len(v) for k, v in expected.items()}


def test_agreements_per_area_and_category_are_counted(statistics: Graph, data: Graph) -> None:
    expected: dict[tuple[URIRef, ...], set[URIRef]] = defaultdict(set)
    for agreement, area in data.subject_objects(RENKEI.area):
        for initiative in data.objects(agreement, RENKEI.initiative):
            for category in data.objects(initiative, RENKEI.category):
                expected[(area, category)].add(agreement)  # type: ignore[index,arg-type]
    assert len(expected) > 10
    observed = _observed(statistics, "area-category")
    assert observed == {k: len(v) for k, v in expected.items()}
    assert min(observed.values()) > 0 and max(observed.values()) > 1  # no zero rows; some area has two


def _lacking_a_role(data: Graph) -> int:
    """Initiatives with no role for one of their agreement's parties, counted in Python."""
    lacking = set()
    for agreement, initiative in data.subject_objects(RENKEI.initiative):
        actors = {data.value(role, RENKEI.actor) for role in data.objects(initiative, RENKEI.role)}
        if any(party not in actors for party in data.objects(agreement, RENKEI.party)):
            lacking.add(initiative)
    return len(lacking)


def test_initiatives_lacking_a_role_are_counted_even_when_none(statistics: Graph, data: Graph) -> None:
    assert _lacking_a_role(data) == 0, "the fixture is expected to be well read"
    assert _observed(statistics, "initiatives-lacking-a-role") == {(): 0}  # written though it is 0


def test_initiatives_lacking_a_role_count_a_removed_role(graphs: dict[URIRef, Graph], data: Graph) -> None:
    """With one role removed, the count says 1, as the count made here does."""
    from .dataset import with_statistics

    role = next(iter(data.objects(None, RENKEI.role)))
    damaged = {n: g for n, g in graphs.items() if n != fixture_settings().ids.graph("statistics")}
    for name, graph in damaged.items():
        if (None, RENKEI.role, role) in graph:
            damaged[name] = Graph()
            for t in graph:
                if role not in (t[0], t[2]):
                    damaged[name].add(t)
    union = Graph()
    for graph in damaged.values():
        union += graph
    recounted = with_statistics(damaged, fixture_settings())[fixture_settings().ids.graph("statistics")]
    assert _lacking_a_role(union) == 1
    assert _observed(recounted, "initiatives-lacking-a-role") == {(): 1}


def test_every_data_set_is_described_in_both_languages(statistics: Graph) -> None:
    for cube in CUBES:
        ds = fixture_settings().ids.id(f"statistics/{cube.name}")
        assert (ds, RDF.type, QB_.DataSet) in statistics
        for p in (RDFS.label, RDFS.comment):
            assert {o.language for o in statistics.objects(ds, p) if isinstance(o, Literal)} == {"ja", "en"}


def test_every_observation_has_each_component_of_its_structure_once(statistics: Graph) -> None:
    # The Data Cube's integrity constraints IC-1, IC-11 and IC-14 (W3C RDF Data Cube §11.1).
    observations = set(statistics.subjects(RDF.type, QB_.Observation))
    assert observations
    for obs in observations:
        sets = list(statistics.objects(obs, QB_.dataSet))
        assert len(sets) == 1, obs
        structure = statistics.value(sets[0], QB_.structure)
        components = [statistics.value(c, QB_.dimension) or statistics.value(c, QB_.measure)
                      for c in statistics.objects(structure, QB_.component)]
        cube = next(c for c in CUBES if sets[0] == fixture_settings().ids.id(f"statistics/{c.name}"))
        assert sorted(components) == sorted([URIRef(prop) for _var, prop in cube.dimensions] + [OBS_VALUE])
        for prop in components:
            assert len(list(statistics.objects(obs, prop))) == 1, (obs, prop)  # type: ignore[arg-type]


def test_publish_adds_the_graph_to_the_store_the_dumps_and_the_catalogue(graphs: dict[URIRef, Graph],
                                                                        tmp_path: Path) -> None:
    settings = fixture_settings()
    name = settings.ids.graph("statistics")
    store = oxigraph_store({g: graph for g, graph in graphs.items() if g != name})
    write_dumps(store_parts(store, settings.base_iri), tmp_path / "dumps")
    manifest = Manifest(version="t", created=datetime(2026, 1, 2, tzinfo=UTC), base_iri=settings.base_iri,
                        generator="tests/queries/test_statistics.py")
    publish(store, tmp_path, manifest, settings)
    stats = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))}
    assert len(stats) == len(graphs[name])
    for dump in DUMPS:
        for file in (tmp_path / "dumps" / dump.name, tmp_path / "dumps" / (dump.name + ".gz")):
            data = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
            quads = list(ox.parse(data, format=dump.fmt))
            inside = {(q.subject, q.predicate, q.object) for q in quads
                      if not dump.datasets or q.graph_name == ox.NamedNode(name)}
            assert stats <= inside, file.name
            if dump.datasets:  # the other graphs are all still there
                assert {q.graph_name for q in quads} >= {ox.NamedNode(str(g)) for g in graphs}, file.name
    catalogue = Dataset().parse(tmp_path / "dumps" / CATALOG_FILE)
    subset = settings.ids.id("dataset/subset/statistics")
    assert (settings.ids.id("dataset"), VOID.subset, subset) in catalogue
    assert int(catalogue.value(subset, VOID.triples)) == len(stats)  # type: ignore[arg-type]
    assert (settings.ids.id("dataset"), VOID.vocabulary, URIRef(QB)) in catalogue
