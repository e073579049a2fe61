"""Reference graphs (kg/reference/graphs.py): municipalities, prefectures, areas and memberships as RDF."""

import csv

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, TIME, XSD

from kg.namespaces import ORG, RENKEI
from kg.reference.codes import check_digit
from kg.reference.graphs import areas_graph, e_gov_page, e_stat_iri, law_graph, municipalities_graph
from kg.settings import Settings

S = Settings()
ID = S.ids
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


@pytest.fixture(scope="module")
def areas():
    return areas_graph(S)


@pytest.fixture(scope="module")
def municipalities():
    return municipalities_graph(S)


def test_municipality_graph_covers_the_code_list_and_links_prefectures(municipalities) -> None:
    g = municipalities
    koriyama = ID.municipality("072036")
    assert len(set(g.subjects(RDF.type, RENKEI.Municipality))) == 1741
    assert len(set(g.subjects(RDF.type, RENKEI.Prefecture))) == 47
    assert len(set(g.subjects(RDF.type, RENKEI.LocalGovernment))) == 1788
    assert (koriyama, RENKEI.localGovernmentCode, Literal("072036")) in g
    assert (koriyama, RENKEI.prefecture, ID.municipality("070009")) in g
    assert (koriyama, RDFS.label, Literal("Koriyama City", lang="en")) in g


def test_no_prefecture_is_a_municipality(municipalities) -> None:
    """Issue 12, point 2: 1,741 municipalities, not 1,788."""
    prefectures = set(municipalities.subjects(RDF.type, RENKEI.Prefecture))
    assert not prefectures & set(municipalities.subjects(RDF.type, RENKEI.Municipality))
    assert all(not any(municipalities.objects(p, RENKEI.prefecture)) for p in prefectures)


def test_municipality_subset_brings_its_prefecture() -> None:
    g = municipalities_graph(S, {"072109"})
    assert set(g.subjects(RDF.type, RENKEI.LocalGovernment)) == {ID.municipality("072109"),
                                                                 ID.municipality("070009")}
    assert set(g.subjects(RDF.type, RENKEI.Prefecture)) == {ID.municipality("070009")}


def _codes() -> list[tuple[str, str]]:
    with (S.data_path / "reference" / "municipalities.csv").open(encoding="utf-8") as f:
        return [(r["code"], r["kind"]) for r in csv.DictReader(f)]


def test_every_local_government_matches_its_e_stat_code(municipalities) -> None:
    """Issue 12, point 4: C + the 6-digit code without its check digit; a prefecture's is its
    2-digit code and "000"; checked for every code of the list, against the code's own digits."""
    codes = _codes()
    assert len(codes) == 1788
    for code, kind in codes:
        assert check_digit(code[:5]) == code[5], code
        five = code[:2] + "000" if kind == "prefecture" else code[:5]
        if kind == "prefecture":
            assert code[2:5] == "000", code
        expected = URIRef(f"http://data.e-stat.go.jp/lod/sac/C{five}")
        assert e_stat_iri(code) == expected
        assert list(municipalities.objects(ID.municipality(code), SKOS.exactMatch)) == [expected], code


def test_e_stat_iri_of_koriyama_and_fukushima_prefecture() -> None:
    assert str(e_stat_iri("072036")) == "http://data.e-stat.go.jp/lod/sac/C07203"
    assert str(e_stat_iri("070009")) == "http://data.e-stat.go.jp/lod/sac/C07000"


def test_statute_and_provisions_link_to_their_e_gov_anchor() -> None:
    g = law_graph(S)
    law = ID.law()
    assert (law, FOAF.page, URIRef("https://laws.e-gov.go.jp/law/322AC0000000067")) in g
    assert (ID.law_provision("252-2"), FOAF.page,
            URIRef("https://laws.e-gov.go.jp/law/322AC0000000067#Mp-At_252_2")) in g
    for m in (1, 4):
        assert (ID.law_provision("252-2", m), FOAF.page, e_gov_page("322AC0000000067", "252-2", str(m))) in g
    assert str(e_gov_page("322AC0000000067", "252-2", "4")).endswith("#Mp-At_252_2-Pa_4")


def test_areas_graph_has_memberships_with_roles_dates_and_sources(areas) -> None:
    mem = ID.membership("koriyama", "072109")
    assert (mem, ORG.organization, ID.area("koriyama")) in areas
    assert (ID.municipality("072109"), ORG.hasMembership, mem) in areas
    assert not list(areas.objects(ID.area("koriyama"), ORG.hasMembership))  # ORG: the member's side only
    assert (mem, ORG.role, RENKEI.PartnerRole) in areas
    assert (mem, RENKEI.agreementDate, Literal("2019-10-18", datatype=XSD.date)) in areas
    assert any(True for _ in areas.objects(mem, DCT_SOURCE))
    assert len(set(areas.subjects(RDF.type, ORG.Membership))) == 385


def test_every_membership_has_a_role_and_a_period(areas) -> None:
    for mem in set(areas.subjects(RDF.type, ORG.Membership)):
        assert len(list(areas.objects(mem, ORG.role))) == 1, mem
        periods = list(areas.objects(mem, ORG.memberDuring))
        assert periods == [URIRef(f"{mem}/period")], mem
        assert (periods[0], RDF.type, TIME.Interval) in areas
    assert not [n for n in areas.all_nodes() if n.__class__.__name__ == "BNode"]


def test_membership_period_begins_on_the_agreement_date(areas) -> None:
    period = URIRef(f"{ID.membership('koriyama', '072109')}/period")
    instant = ID.id("instant/2019-10-18")
    assert (period, TIME.hasBeginning, instant) in areas
    assert (instant, TIME.inXSDDate, Literal("2019-10-18", datatype=XSD.date)) in areas
    yamanashi = URIRef(f"{ID.membership('yamanashi-kenou', '192074')}/period")
    assert (yamanashi, TIME.hasBeginning, ID.id("instant/2023-03")) in areas
    assert (ID.id("instant/2023-03"), TIME.inXSDgYearMonth, Literal("2023-03", datatype=XSD.gYearMonth)) in areas


def test_central_city_membership_begins_with_the_areas_first_agreement(areas) -> None:
    period = URIRef(f"{ID.membership('koriyama', '072036')}/period")
    assert (period, TIME.hasBeginning, ID.id("instant/2019-01-23")) in areas


def test_prefecture_partner_has_its_own_role(areas) -> None:
    mem = ID.membership("kochi", "390003")
    assert (mem, ORG.role, RENKEI.PrefecturePartnerRole) in areas


def test_toyama_gosei_memberships_say_the_role_is_not_stated(areas) -> None:
    mems = set(areas.subjects(ORG.organization, ID.area("toyama-gosei")))
    assert len(mems) == 6
    assert {r for m in mems for r in areas.objects(m, ORG.role)} == {RENKEI.UnstatedRole}
    period = URIRef(f"{ID.membership('toyama-gosei', '162027')}/period")
    assert (period, TIME.hasBeginning, ID.id("instant/2016-10-03")) in areas


def test_kochi_grant_only_rows_are_published_unconfirmed(areas) -> None:
    mems = set(areas.subjects(ORG.organization, ID.area("kochi")))
    unconfirmed = {m for m in mems if (m, RENKEI.confirmed, Literal(False)) in areas}
    assert len(unconfirmed) == 11
    assert ID.membership("kochi", "392022") in unconfirmed  # 室戸市
    for m in unconfirmed:
        assert {lit.language for lit in areas.objects(m, SKOS.editorialNote)} == {"ja", "en"}


def test_additions_and_the_single_city_area_are_published(areas) -> None:
    for slug, members in (("fukushima-denen", 9), ("asahikawa-taisetsu", 9), ("yamanashi-kenou", 12),
                          ("miyazaki-kyoso", 3), ("shimonoseki", 1)):
        assert len(set(areas.subjects(ORG.organization, ID.area(slug)))) == members, slug
    assert (ID.area("miyazaki-kyoso"), RENKEI.confirmed, Literal(False)) in areas
    assert any(True for _ in areas.objects(ID.area("miyazaki-kyoso"), DCT_SOURCE))
    assert list(areas.objects(ID.area("shimonoseki"), RENKEI.centralCity)) == [ID.municipality("352012")]


def test_municipality_in_two_areas_has_two_memberships(areas) -> None:
    nihonmatsu = ID.municipality("072109")
    assert {areas.value(m, ORG.organization) for m in areas.subjects(ORG.member, nihonmatsu)} == {
        ID.area("koriyama"), ID.area("fukushima-denen")}


def test_two_central_cities_of_yamaguchi_kenou_are_both_kept(areas) -> None:
    assert len(set(areas.objects(ID.area("yamaguchi-kenou"), RENKEI.centralCity))) == 2


def test_reference_graphs_serialise_and_parse_in_pyoxigraph(areas) -> None:
    for g in (areas, municipalities_graph(S, {"072036"})):
        data = g.serialize(format="nt", encoding="utf-8")
        assert len(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))) == len(g)
