"""kg.publish: dumps that parse back to the same data, and a catalogue that passes DCAT-AP 3.0.1."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, SH

from kg.dumps import DUMPS
from kg.publish import CATALOG_FILE
from tests.shared import shared_dir

DCAT_AP = shared_dir() / "reference" / "dcat-ap" / "3.0.1" / "shacl"
CATALOG = "https://w3id.org/renkei/graph/catalog"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def published_quads(release: Path) -> list[ox.Quad]:
    store = ox.Store.read_only(str(release / "store"))
    return [q for q in store if q.graph_name != ox.NamedNode(CATALOG)]


def canonical(quads: list[ox.Quad]) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.mark.parametrize("dump", DUMPS, ids=[d.name for d in DUMPS])
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_dump_parses_back_to_the_same_data_with_pyoxigraph(
    fixture_release: Path, dump: object, gz: bool
) -> None:
    assert hasattr(dump, "name")
    path = fixture_release / "dumps" / (dump.name + (".gz" if gz else ""))  # type: ignore[attr-defined]
    data = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
    parsed = list(ox.parse(data, format=dump.fmt))  # type: ignore[attr-defined]
    expected = published_quads(fixture_release)
    if dump.datasets:  # type: ignore[attr-defined]
        assert canonical(parsed) == canonical(expected)
    else:
        union = {ox.Quad(q.subject, q.predicate, q.object) for q in expected}
        assert canonical(parsed) == canonical(list(union))


@pytest.mark.parametrize("dump", DUMPS, ids=[d.name for d in DUMPS])
def test_dump_parses_back_to_the_same_data_with_rdflib(fixture_release: Path, dump: object) -> None:
    rdflib_format = {
        "dataset.ttl": "turtle",
        "dataset.nt": "nt",
        "dataset.nq": "nquads",
        "dataset.trig": "trig",
        "dataset.jsonld": "json-ld",
    }[dump.name]  # type: ignore[attr-defined]
    path = fixture_release / "dumps" / dump.name  # type: ignore[attr-defined]
    expected = rdflib.Dataset()
    expected.parse(data="".join(str(q) + " .\n" for q in published_quads(fixture_release)), format="nquads")
    if dump.datasets:  # type: ignore[attr-defined]
        parsed = rdflib.Dataset()
        parsed.parse(path, format=rdflib_format)
        names = {str(g.identifier) for g in expected.graphs() if len(g)}
        assert names == {str(g.identifier) for g in parsed.graphs() if len(g)}
        for name in names:
            assert isomorphic(parsed.graph(rdflib.URIRef(name)), expected.graph(rdflib.URIRef(name))), name
    else:
        union = rdflib.Graph()
        for s, p, o, _ in expected.quads((None, None, None, None)):
            union.add((s, p, o))
        assert isomorphic(rdflib.Graph().parse(path, format=rdflib_format), union)


def dcat_ap_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph().parse(DCAT_AP / "dcat-ap-SHACL.ttl").parse(DCAT_AP / "ranges.ttl")
    # DCAT-AP 3.0.1's files name property shapes they never define (sh:property to an IRI with no
    # sh:path); pySHACL rightly refuses such shapes, so the dangling links are dropped here.
    dangling = [(s, o) for s, o in shapes.subject_objects(SH.property) if (o, SH.path, None) not in shapes]
    for s, o in dangling:
        shapes.remove((s, SH.property, o))
    return shapes


def test_catalogue_conforms_to_dcat_ap_3_shapes(fixture_release: Path) -> None:
    """DCAT-AP 3.0.1 (shacl/dcat-ap-SHACL.ttl + ranges.ttl) with pySHACL.

    Left out: the controlled-vocabulary shapes (html-shacl/mdr-vocabularies.shape.ttl), which need
    the EU Publications Office tables (file types, languages, licences, themes) that are not in
    shared/reference. We use IANA media types and the EU language authority IRIs without them.
    """
    catalogue = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    conforms, _, text = validate(catalogue, shacl_graph=dcat_ap_shapes())
    assert conforms, text


def test_catalogue_describes_each_dump_with_size_and_checksum(fixture_release: Path) -> None:
    catalogue = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    distributions = set(catalogue.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(distributions) == 2 * len(DUMPS)
    for dist in distributions:
        name = str(dist).rsplit("/", 1)[1]
        data = (fixture_release / "dumps" / name).read_bytes()
        assert int(catalogue.value(dist, DCAT.byteSize)) == len(data)
        checksum = catalogue.value(catalogue.value(dist, SPDX.checksum), SPDX.checksumValue)
        assert str(checksum) == hashlib.sha256(data).hexdigest()


def test_catalogue_graph_is_in_the_store_but_not_in_the_dumps(fixture_release: Path) -> None:
    store = ox.Store.read_only(str(fixture_release / "store"))
    assert store.contains_named_graph(ox.NamedNode(CATALOG))
    nq = (fixture_release / "dumps" / "dataset.nq").read_text(encoding="utf-8")
    assert CATALOG not in nq


def test_void_counts_match_the_published_data(fixture_release: Path) -> None:
    catalogue = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    dataset = next(catalogue.subjects(rdflib.RDF.type, DCAT.Dataset))
    union = {(q.subject, q.predicate, q.object) for q in published_quads(fixture_release)}
    assert int(catalogue.value(dataset, rdflib.VOID.triples)) == len(union)
    subsets = list(catalogue.objects(dataset, rdflib.VOID.subset))
    assert len(subsets) == 5  # agreement, municipalities, areas, framework, ontology


def test_dumps_are_deterministic(fixture_release: Path, tmp_path: Path, release_factory: Any) -> None:
    trig = (Path(__file__).parent / "data" / "release.trig").read_bytes()
    again = release_factory(tmp_path, trig, "fixture-1")
    for name in ("dataset.nq.gz", "dataset.ttl"):
        assert (again / "dumps" / name).read_bytes() == (fixture_release / "dumps" / name).read_bytes()
