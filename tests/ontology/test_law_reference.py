"""data/reference/law.ttl: 地方自治法 and the provisions agreements cite, linked up to the act."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.namespaces import ELI, LOCAL_AUTONOMY_ACT, Ids

IDS = Ids()
ACT = IDS.law()
ARTICLE = IDS.law_provision("252-2")
BASIS = IDS.law_provision("252-2", 1)
CHANGES = IDS.law_provision("252-2", 4)

LABELS = {
    ARTICLE: ("地方自治法第252条の2", "Local Autonomy Act, Article 252-2"),
    BASIS: ("地方自治法第252条の2第1項", "Local Autonomy Act, Article 252-2, paragraph 1"),
    CHANGES: ("地方自治法第252条の2第4項", "Local Autonomy Act, Article 252-2, paragraph 4"),
}


def test_the_act_is_a_legal_resource_with_its_e_gov_page(law: Graph) -> None:
    assert (ACT, RDF.type, ELI.LegalResource) in law
    assert str(ACT).endswith("/id/law/322AC0000000067") and LOCAL_AUTONOMY_ACT == "322AC0000000067"
    assert (ACT, RDFS.seeAlso, URIRef("https://laws.e-gov.go.jp/law/322AC0000000067")) in law
    assert (ACT, RDFS.label, Literal("地方自治法", lang="ja")) in law


@pytest.mark.parametrize("provision", list(LABELS), ids=lambda p: str(p).split("/law/")[-1])
def test_provision_is_a_subdivision_labelled_in_both_languages(law: Graph, provision: URIRef) -> None:
    ja, en = LABELS[provision]
    assert (provision, RDF.type, ELI.LegalResourceSubdivision) in law
    assert (provision, RDFS.label, Literal(ja, lang="ja")) in law
    assert (provision, RDFS.label, Literal(en, lang="en")) in law


@pytest.mark.parametrize("provision", list(LABELS), ids=lambda p: str(p).split("/law/")[-1])
def test_provision_links_up_to_the_act(law: Graph, provision: URIRef) -> None:
    node, path = provision, [provision]
    while node != ACT:
        parents = [p for p in law.objects(node, ELI.is_part_of) if isinstance(p, URIRef)]
        assert len(parents) == 1, f"{node} has parents {parents}"
        assert (parents[0], ELI.has_part, node) in law, f"{parents[0]} does not list {node} as a part"
        node = parents[0]
        assert node not in path, f"cycle through {node}"
        path.append(node)


def test_every_subdivision_in_the_file_is_one_the_model_names(law: Graph) -> None:
    assert set(law.subjects(RDF.type, ELI.LegalResourceSubdivision)) == set(LABELS)
