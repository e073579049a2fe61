"""Reference graphs (kg/refdata.py): municipalities, areas and memberships as RDF."""

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.namespaces import ORG, RENKEI
from kg.refdata import areas_graph, municipalities_graph
from kg.settings import Settings

S = Settings()
ID = S.ids


@pytest.fixture(scope="module")
def areas():
    return areas_graph(S)


def test_municipality_graph_covers_the_code_list_and_links_prefectures() -> None:
    g = municipalities_graph(S)
    koriyama = ID.municipality("072036")
    assert len(set(g.subjects(RDF.type, RENKEI.Municipality))) == 1788
    assert len(set(g.subjects(RDF.type, RENKEI.Prefecture))) == 47
    assert (koriyama, RENKEI.localGovernmentCode, Literal("072036")) in g
    assert (koriyama, RENKEI.prefecture, ID.municipality("070009")) in g
    assert (koriyama, RDFS.label, Literal("Koriyama City", lang="en")) in g


def test_municipality_subset_brings_its_prefecture() -> None:
    g = municipalities_graph(S, {"072109"})
    assert set(g.subjects(RDF.type, RENKEI.Municipality)) == {ID.municipality("072109"),
                                                              ID.municipality("070009")}


def test_areas_graph_has_memberships_with_roles_dates_and_sources(areas) -> None:
    mem = ID.membership("koriyama", "072109")
    assert (ID.area("koriyama"), ORG.hasMembership, mem) in areas
    assert (mem, ORG.role, RENKEI.PartnerRole) in areas
    assert (mem, RENKEI.agreementDate, Literal("2019-10-18", datatype=XSD.date)) in areas
    assert any(True for _ in areas.objects(mem, URIRef("http://purl.org/dc/terms/source")))
    assert len(set(areas.subjects(RDF.type, ORG.Membership))) == 351


def test_two_central_cities_of_yamaguchi_kenou_are_both_kept(areas) -> None:
    assert len(set(areas.objects(ID.area("yamaguchi-kenou"), RENKEI.centralCity))) == 2


def test_reference_graphs_serialise_and_parse_in_pyoxigraph(areas) -> None:
    for g in (areas, municipalities_graph(S, {"072036"})):
        data = g.serialize(format="nt", encoding="utf-8")
        assert len(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))) == len(g)
