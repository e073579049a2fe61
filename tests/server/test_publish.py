"""kg.release.catalogue: dumps that parse back to the same data, and a catalogue that passes DCAT-AP 3.0.1."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, SH

from kg.release.catalogue import CATALOG_FILE
from kg.release.dumps import DUMPS
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
    assert len(subsets) == 6  # agreement, municipalities, areas, framework, ontology, statistics


def test_dumps_are_deterministic(fixture_release: Path, tmp_path: Path, release_factory: Any) -> None:
    trig = (Path(__file__).parent / "data" / "release.trig").read_bytes()
    again = release_factory(tmp_path, trig, "fixture-1")
    for name in ("dataset.nq.gz", "dataset.ttl"):
        assert (again / "dumps" / name).read_bytes() == (fixture_release / "dumps" / name).read_bytes()


# ── DCAT-AP 3.0.1 recommended shapes and links that work under any base IRI (issue 12, point 6) ──

HTML_SHACL = shared_dir() / "reference" / "dcat-ap" / "3.0.1" / "html-shacl"
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"


def _shapes(*paths: Path) -> rdflib.Graph:
    shapes = rdflib.Graph()
    for path in paths:
        shapes.parse(path)
    dangling = [(s, o) for s, o in shapes.subject_objects(SH.property) if (o, SH.path, None) not in shapes]
    for s, o in dangling:
        shapes.remove((s, SH.property, o))
    return shapes


def _top_results(report: rdflib.Graph) -> set[tuple[str, str, str]]:
    """(severity, focus node, path) of each result that is not the detail of another."""
    details = set(report.objects(None, SH.detail))
    return {(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[1], str(report.value(r, SH.focusNode)),
             str(report.value(r, SH.resultPath)))
            for r in report.subjects(rdflib.RDF.type, SH.ValidationResult) if r not in details}


def test_catalogue_passes_the_mandatory_and_recommended_dcat_ap_shapes(fixture_release: Path) -> None:
    """Every shape of DCAT-AP 3.0.1 but the controlled-vocabulary ones: no violation, no warning."""
    catalogue = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    shapes = _shapes(DCAT_AP / "dcat-ap-SHACL.ttl", DCAT_AP / "ranges.ttl", HTML_SHACL / "shapes.ttl",
                     HTML_SHACL / "shapes_recommended.ttl", HTML_SHACL / "range.ttl",
                     HTML_SHACL / "deprecateduris.ttl")
    _, report, text = validate(catalogue, shacl_graph=shapes, allow_warnings=False)
    assert not _top_results(report), text


def test_controlled_vocabulary_shapes_fail_only_where_the_eu_tables_cannot_help(fixture_release: Path) -> None:
    """html-shacl/mdr-vocabularies.shape.ttl: the results left are the ones docs/deploy.md lists.

    The values taken from EU tables say which scheme they are in (skos:inScheme), so those pass
    without the tables; left are values no EU table holds (our publisher, a Japanese theme, the
    prefectures) and the checksum algorithm, which the shape wants under https://spdx.org/ while
    SPDX's own namespace, and DCAT-AP's range shape for spdx:ChecksumAlgorithm, are http."""
    catalogue = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    _, report, _ = validate(catalogue, shacl_graph=_shapes(HTML_SHACL / "mdr-vocabularies.shape.ttl"))
    base = "https://w3id.org/renkei/id/"
    spdx_algorithm = str(SPDX.algorithm)
    found = _top_results(report)
    checksums = {r for r in found if r[2] == spdx_algorithm}
    assert checksums == {("Violation", f"{base}dataset/distribution/{d.name}{gz}/checksum", spdx_algorithm)
                         for d in DUMPS for gz in ("", ".gz")}
    dct, dcat = "http://purl.org/dc/terms/", str(DCAT)
    assert found - checksums == {
        ("Warning", f"{base}catalog", dct + "publisher"),
        ("Warning", f"{base}dataset", dct + "publisher"),
        ("Warning", f"{base}service/sparql", dct + "publisher"),
        ("Warning", f"{base}dataset", dct + "spatial"),
        ("Warning", f"{base}dataset", dcat + "theme"),
        ("Warning", f"{base}service/sparql", dcat + "theme"),
    }


def test_catalogue_says_who_to_contact_what_where_when_and_in_which_format(fixture_release: Path) -> None:
    g = rdflib.Graph().parse(fixture_release / "dumps" / CATALOG_FILE)
    base = rdflib.URIRef("https://w3id.org/renkei/")
    dataset = rdflib.URIRef(base + "id/dataset")
    publisher = g.value(dataset, rdflib.DCTERMS.publisher)
    assert (publisher, rdflib.RDF.type, rdflib.FOAF.Agent) in g
    assert g.value(publisher, rdflib.FOAF.homepage) == base and g.value(publisher, rdflib.FOAF.name)
    contact = g.value(dataset, DCAT.contactPoint)
    assert (contact, rdflib.RDF.type, VCARD.Kind) in g and g.value(contact, VCARD.hasURL) == base
    themes = set(g.objects(dataset, DCAT.theme))
    assert rdflib.URIRef(EU + "data-theme/GOVE") in themes and len(themes) == 2
    spatial = set(g.objects(dataset, rdflib.DCTERMS.spatial))
    assert rdflib.URIRef(EU + "country/JPN") in spatial
    assert rdflib.URIRef("http://data.e-stat.go.jp/lod/sac/C07000") in spatial  # 福島県 (郡山市, 二本松市)
    for place in spatial:
        assert g.value(place, DCAT.bbox) is not None and g.value(place, DCAT.centroid) is not None
    period = g.value(dataset, rdflib.DCTERMS.temporal)
    assert g.value(period, DCAT.startDate) is not None and g.value(period, DCAT.endDate) is not None
    for dist in g.objects(dataset, DCAT.distribution):
        assert str(g.value(dist, rdflib.DCTERMS.format)).startswith(EU + "file-type/")
        assert str(g.value(dist, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
        assert g.value(dist, DCATAP.availability) == rdflib.URIRef(EU + "planned-availability/STABLE")
        assert isinstance(g.value(dist, SPDX.checksum), rdflib.URIRef)  # no blank node


def test_under_a_local_base_every_url_in_the_catalogue_points_at_the_deployment(
        fixture_release: Path, tmp_path: Path) -> None:
    """KG_BASE_IRI other than w3id: downloads, landing page, endpoint, home page and contact all
    point at the deployment; nothing a harvester follows leads to w3id.org."""
    from kg.release.catalogue import catalog_graph
    from kg.release.manifest import Manifest
    from kg.settings import Settings

    local = "http://localhost:8765/renkei/"
    store = ox.Store.read_only(str(fixture_release / "store"))
    manifest = Manifest(version="x", created=datetime(2026, 1, 2, tzinfo=UTC), base_iri=local, generator="test")
    g = catalog_graph(store, fixture_release / "dumps", manifest, Settings(base_iri=local, build_dir=tmp_path))
    followed = (DCAT.accessURL, DCAT.downloadURL, DCAT.landingPage, DCAT.endpointURL, DCAT.endpointDescription,
                rdflib.FOAF.homepage, VCARD.hasURL, rdflib.VOID.sparqlEndpoint, rdflib.VOID.dataDump)
    urls = [o for p in followed for o in g.objects(None, p)]
    assert len(urls) > 2 * len(DUMPS)
    assert all(str(u).startswith(local) for u in urls), [u for u in urls if not str(u).startswith(local)]
    described = {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and "renkei" in str(s)}
    assert all(str(s).startswith(local) for s in described), described
