"""The framework scheme (ontology/framework.ttl) is a well-formed SKOS scheme with sourced labels."""

from __future__ import annotations

import re

import pytest
from framework_rule import normalise
from ontology_files import NS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

SCHEME = URIRef("https://w3id.org/renkei/id/framework")
CONCEPT_BASE = "https://w3id.org/renkei/id/framework/"
CONFIRMED = URIRef(NS + "confirmed")

#: The notations the DESIGN contract and docs/model.md rely on.
REQUIRED = {
    "1", "1.a", "1.b", "1.c", "1.d",
    "2", "2.a", "2.b", "2.c", "2.z",
    "3", "3.A", "3.B", "3.C",
    *(f"3.A.{i}" for i in range(1, 9)), *(f"3.B.{i}" for i in range(1, 6)),
}
#: Wording no stored source confirms (docs/framework.md, "Gaps").
UNCONFIRMED = {"3.B.4", "3.B.5", "3.C.1"}


def concepts(graph: Graph) -> dict[str, URIRef]:
    """Notation → concept IRI for every concept of the scheme."""
    found = {str(graph.value(c, SKOS.notation)): c for c in graph.subjects(SKOS.inScheme, SCHEME)
             if isinstance(c, URIRef)}
    assert found, "the scheme has no concepts"  # guard for every test that iterates over them
    return found


def lang_values(graph: Graph, node: URIRef, prop: URIRef, lang: str) -> list[str]:
    return [str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang]


def test_scheme_has_exactly_the_three_pillars_as_top_concepts(framework: Graph) -> None:
    tops = set(framework.objects(SCHEME, SKOS.hasTopConcept))
    assert tops == set(framework.subjects(SKOS.topConceptOf, SCHEME))
    notations = {framework.value(t, SKOS.notation) for t in tops}
    assert notations == {Literal("1"), Literal("2"), Literal("3")}  # plain literals, no datatype


def test_scheme_describes_itself_in_both_languages(framework: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in framework
    for prop in (DCTERMS.title, SKOS.definition, SKOS.note):
        assert lang_values(framework, SCHEME, prop, "ja") and lang_values(framework, SCHEME, prop, "en"), prop
    assert list(framework.objects(SCHEME, DCTERMS.source))


def test_scheme_has_every_notation_the_contract_names(framework: Graph) -> None:
    missing = REQUIRED - set(concepts(framework))
    assert missing == set()


def test_every_typed_concept_is_in_the_scheme(framework: Graph) -> None:
    typed = set(framework.subjects(RDF.type, SKOS.Concept))
    assert typed == set(concepts(framework).values())


def test_concept_iri_is_the_base_plus_its_notation(framework: Graph) -> None:
    wrong = {n: str(c) for n, c in concepts(framework).items() if str(c) != CONCEPT_BASE + n}
    assert wrong == {}


def test_notation_extends_the_notation_of_its_broader_concept(framework: Graph) -> None:
    for notation, concept in concepts(framework).items():
        parents = list(framework.objects(concept, SKOS.broader))
        if "." not in notation:
            assert parents == [], notation
            continue
        assert len(parents) == 1, notation
        assert notation.rsplit(".", 1)[0] == str(framework.value(parents[0], SKOS.notation)), notation


def test_broader_and_narrower_are_stated_both_ways(framework: Graph) -> None:
    up = set(framework.subject_objects(SKOS.broader))
    down = {(child, parent) for parent, child in framework.subject_objects(SKOS.narrower)}
    assert up == down and up


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_concept_has_one_pref_label_and_a_definition_per_language(framework: Graph, lang: str) -> None:
    for notation, concept in concepts(framework).items():
        assert len(lang_values(framework, concept, SKOS.prefLabel, lang)) == 1, notation
        assert lang_values(framework, concept, SKOS.definition, lang), notation


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_two_concepts_share_a_pref_label(framework: Graph, lang: str) -> None:
    labels = [lang_values(framework, c, SKOS.prefLabel, lang)[0] for c in concepts(framework).values()]
    assert len(labels) == len(set(labels))


def test_every_english_label_is_flagged_as_a_project_translation(framework: Graph) -> None:
    for notation, concept in concepts(framework).items():
        en = lang_values(framework, concept, SKOS.editorialNote, "en")
        ja = lang_values(framework, concept, SKOS.editorialNote, "ja")
        assert any("project translation, not an official MIC term" in n for n in en), notation
        assert any("本プロジェクトによる訳" in n for n in ja), notation


def test_every_concept_cites_a_source(framework: Graph) -> None:
    unsourced = [n for n, c in concepts(framework).items()
                 if not any(str(s).startswith("http") for s in framework.objects(c, DCTERMS.source))]
    assert unsourced == []


def test_every_concept_says_whether_its_wording_is_confirmed(framework: Graph) -> None:
    for notation, concept in concepts(framework).items():
        values = list(framework.objects(concept, CONFIRMED))
        assert len(values) == 1 and isinstance(values[0], Literal), notation
        assert values[0].toPython() is (notation not in UNCONFIRMED), notation


@pytest.mark.parametrize("notation", sorted(UNCONFIRMED))
def test_unconfirmed_concept_says_what_is_unconfirmed(framework: Graph, notation: str) -> None:
    concept = concepts(framework)[notation]
    en = lang_values(framework, concept, SKOS.editorialNote, "en")
    ja = lang_values(framework, concept, SKOS.editorialNote, "ja")
    assert any(n.startswith("Unconfirmed:") for n in en) and any(n.startswith("未確認") for n in ja)


@pytest.mark.parametrize("notation", ["1", "2", "3"])
def test_pillar_carries_municipal_glosses_with_their_source(framework: Graph, notation: str) -> None:
    notes = lang_values(framework, concepts(framework)[notation], SKOS.scopeNote, "ja")
    assert notes and all(re.search(r"出典: https?://", n) for n in notes)


def test_pref_alt_and_hidden_labels_of_a_concept_are_disjoint(framework: Graph) -> None:
    """SKOS integrity condition S13."""
    for notation, concept in concepts(framework).items():
        seen: list[tuple[str, str]] = []
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            labels = [o for o in framework.objects(concept, prop) if isinstance(o, Literal)]
            seen += [(o.language or "", str(o)) for o in labels]
        assert len(seen) == len(set(seen)), notation


def test_hidden_labels_are_japanese_and_already_normalised(framework: Graph) -> None:
    for label in framework.objects(None, SKOS.hiddenLabel):
        assert isinstance(label, Literal) and label.language == "ja", label
        assert normalise(str(label)) == str(label), label


def test_no_keyword_points_at_two_concepts_of_one_pillar(framework: Graph) -> None:
    """A keyword shared inside a pillar would be decided by notation order, not by meaning."""
    owner: dict[tuple[str, str], str] = {}
    clashes = []
    for notation, concept in concepts(framework).items():
        if "." not in notation:
            continue
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in lang_values(framework, concept, prop, "ja"):
                slot = (notation[0], normalise(label))
                if slot in owner and owner[slot] != notation:
                    clashes.append((slot[1], owner[slot], notation))
                owner.setdefault(slot, notation)
    assert clashes == []


def test_every_concept_except_the_residual_one_has_matching_keywords(framework: Graph) -> None:
    """2.z is the catch-all of pillar 2; keywords on it would steal from 2.a–2.c."""
    bare = [n for n, c in concepts(framework).items() if not list(framework.objects(c, SKOS.hiddenLabel))]
    assert bare == ["2.z"]
