"""What the shapes can read (kg.validation.reads): the engine is given only the context's triples with
one of those predicates, and that changes no result; where the reading cannot be sure, it gives up
(None) and the engine gets the whole context."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, SKOS, Graph

from kg.namespaces import ELI, RENKEI
from kg.reference.graphs import context_ntriples
from kg.settings import Settings
from kg.validation.reads import only_read, predicates_read
from kg.validation.validate import load_shapes
from tests.shapes.test_engines import graphs, outcome

SETTINGS = Settings()
SHAPES = load_shapes(SETTINGS.shapes_path, SETTINGS.base_iri)
GRAPHS = graphs()

_PROLOGUE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex: a owl:Ontology ;
    sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
"""


def _sparql(select: str, path: str = "") -> Graph:
    """A shapes graph with one SPARQL-based constraint (on a property shape when ``path`` is given)."""
    kind = f"sh:PropertyShape ; sh:path {path}" if path else "sh:NodeShape"
    return Graph().parse(data=_PROLOGUE + f'''
ex:S a {kind} ; sh:targetClass ex:C ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:prefixes ex: ; sh:select """{select}""" ] .''', format="turtle")


def test_our_shapes_read_the_framework_structure_not_its_notes() -> None:
    reads = SHAPES.reads
    fresh = load_shapes.__wrapped__(SETTINGS.shapes_path, SETTINGS.base_iri)  # not the cached graph others use
    assert reads is not None and reads == predicates_read(fresh.graph)
    for p in (RDF.type, RDFS.subClassOf, SKOS.broader, SKOS.prefLabel, RENKEI.party, RENKEI.localGovernmentCode,
              ELI.has_part):
        assert str(p) in reads, p
    for p in (SKOS.hiddenLabel, SKOS.editorialNote, SKOS.definition, SKOS.scopeNote):
        assert str(p) not in reads, p


def test_the_engine_gets_well_under_half_the_context() -> None:
    data = next(g for name, g in GRAPHS if name == "koriyama-nihonmatsu-2019.txt")
    full = context_ntriples(data, SETTINGS).count(b"\n")
    sliced = context_ntriples(data, SETTINGS, predicates=SHAPES.reads).count(b"\n")
    assert 0 < sliced < full / 2, (sliced, full)


@pytest.mark.parametrize(("name", "data"), GRAPHS, ids=lambda v: v if isinstance(v, str) else "")
def test_the_sliced_context_gives_the_same_results(name: str, data: Graph) -> None:
    """Every shape's valid and invalid example, the base graphs, real and composed agreements."""
    assert outcome(data, "turbo", SHAPES.reads) == outcome(data, "turbo"), name


def test_the_comparison_can_fail() -> None:
    """A context sliced too thin (no predicate at all) does change results: the shapes do read it."""
    changed = [name for name, data in GRAPHS if outcome(data, "turbo", frozenset()) != outcome(data, "turbo")]
    assert changed


def test_path_is_the_shapes_own_predicate() -> None:
    reads = predicates_read(_sparql("SELECT $this ?value WHERE { $this $PATH ?value . ?value ex:q ?x }", "ex:p"))
    assert reads is not None and {"http://example.org/p", "http://example.org/q"} <= reads


@pytest.mark.parametrize("select", [
    "SELECT $this WHERE { $this ?p ?o }",  # a variable predicate: any triple
    "SELECT $this WHERE { $this !ex:p ?o }",  # a negated property set: any other triple
    "SELECT $this WHERE { FILTER NOT EXISTS { $this ex:p/?q ?o } }",  # does not parse
    "SELECT $this WHERE { FILTER EXISTS { ?x ex:a ?y , ?w ; ?p ?z } }",  # a run of triples, as parsed
])
def test_queries_that_can_read_anything_give_up(select: str) -> None:
    assert predicates_read(_sparql(select)) is None


def test_a_variable_predicate_inside_exists_gives_up() -> None:
    assert predicates_read(_sparql("SELECT $this WHERE { FILTER EXISTS { ?x ?p $this } }")) is None


@pytest.mark.parametrize("extra", ["sh:closed true", "sh:rule [ a sh:TripleRule ]"])
def test_closed_shapes_and_rules_give_up(extra: str) -> None:
    g = Graph().parse(data=_PROLOGUE + f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; {extra} .", format="turtle")
    assert predicates_read(g) is None


def test_a_plain_shape_reads_its_paths() -> None:
    g = Graph().parse(data=_PROLOGUE + """
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:c ex:d ) ] ; sh:equals ex:e ] .""", format="turtle")
    reads = predicates_read(g)
    assert reads is not None and {f"http://example.org/{x}" for x in "abcde"} <= reads
    assert "http://example.org/z" not in reads


def test_only_the_lines_with_a_predicate_read_are_kept() -> None:
    nt = (b'<urn:a> <urn:p> "x y z" .\n\n# a comment\n_:b <urn:q> <urn:c> .\n<urn:a> <urn:q> "1" .\n'
          b'<urn:a> <urn:r> <urn:p> .\n')
    assert only_read(nt, frozenset({"urn:q"})) == b'_:b <urn:q> <urn:c> .\n<urn:a> <urn:q> "1" .\n'
    assert only_read(nt, None) == nt
    assert only_read(nt, frozenset()) == b""
