"""Hygiene of ontology/renkei.ttl: queries that must return nothing, and the DESIGN contract."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from ontology_files import FRAMEWORK, LAW, NS, ONTOLOGY
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

PREFIXES = f"""
PREFIX renkei: <{NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX vann: <http://purl.org/vocab/vann/>
"""

# A term is any IRI in the renkei namespace that the vocabulary says something about.
_TERM = f'?term ?p ?o . FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{NS}"))'

#: Each query lists offenders; a conforming vocabulary gives no rows.
HYGIENE: dict[str, str] = {
    "term-without-declared-kind": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term a ?kind .
            VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:NamedIndividual }} }} }}""",
    "term-without-ja-label": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term rdfs:label ?l . FILTER(LANG(?l) = "ja") }} }}""",
    "term-without-en-label": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term rdfs:label ?l . FILTER(LANG(?l) = "en") }} }}""",
    "term-without-ja-definition": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term skos:definition ?d . FILTER(LANG(?d) = "ja") }} }}""",
    "term-without-en-definition": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term skos:definition ?d . FILTER(LANG(?d) = "en") }} }}""",
    "term-not-defined-by-the-vocabulary": f"""
        SELECT DISTINCT ?term WHERE {{ {_TERM}
          FILTER NOT EXISTS {{ ?term rdfs:isDefinedBy <https://w3id.org/renkei/ns> }} }}""",
    "term-with-two-labels-in-one-language": f"""
        SELECT DISTINCT ?term ?a ?b WHERE {{ {_TERM}
          ?term rdfs:label ?a, ?b . FILTER(LANG(?a) = LANG(?b) && STR(?a) < STR(?b)) }}""",
    # Case-insensitive, so that a class "Role" and a property "role" cannot both be labelled so.
    "two-terms-sharing-a-label": f"""
        SELECT ?a ?b ?label WHERE {{
          ?a rdfs:label ?label . ?b rdfs:label ?other .
          FILTER(STRSTARTS(STR(?a), "{NS}") && STRSTARTS(STR(?b), "{NS}") && STR(?a) < STR(?b))
          FILTER(LANG(?label) = LANG(?other) && LCASE(STR(?label)) = LCASE(STR(?other))) }}""",
    "property-without-range": f"""
        SELECT ?term WHERE {{ {_TERM} ?term a ?kind .
          VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
          FILTER(?term != renkei:changes)
          FILTER NOT EXISTS {{ ?term rdfs:range ?r }} }}""",
    "datatype-property-with-class-range": """
        SELECT ?term ?r WHERE { ?term a owl:DatatypeProperty ; rdfs:range ?r .
          FILTER(!STRSTARTS(STR(?r), "http://www.w3.org/2001/XMLSchema#") && ?r != rdf:langString) }""",
    "object-property-with-datatype-range": """
        SELECT ?term ?r WHERE { ?term a owl:ObjectProperty ; rdfs:range ?r .
          FILTER(STRSTARTS(STR(?r), "http://www.w3.org/2001/XMLSchema#") || ?r = rdf:langString) }""",
}


def _store(*paths: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def vocabulary_store() -> pyoxigraph.Store:
    return _store(ONTOLOGY)


@pytest.mark.parametrize("name", sorted(HYGIENE))
def test_vocabulary_hygiene_query_returns_nothing(vocabulary_store: pyoxigraph.Store, name: str) -> None:
    rows = [[str(v) for v in row] for row in vocabulary_store.query(PREFIXES + HYGIENE[name])]  # type: ignore[union-attr]
    assert rows == [], f"{name}: {rows}"


@pytest.mark.parametrize("path", [ONTOLOGY, FRAMEWORK, LAW], ids=lambda p: p.name)
def test_rdflib_and_pyoxigraph_read_the_same_number_of_triples(path: Path) -> None:
    with_rdflib = len(Graph().parse(path, format="turtle"))
    with_oxigraph = len(set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)))
    assert with_rdflib == with_oxigraph > 0


@pytest.mark.parametrize("path", [ONTOLOGY, FRAMEWORK, LAW], ids=lambda p: p.name)
def test_no_literal_has_leading_or_trailing_whitespace(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    stray = sorted({str(o) for o in graph.objects() if isinstance(o, Literal) and str(o) != str(o).strip()})
    assert stray == []


def test_ontology_header_is_complete(ontology: Graph) -> None:
    """The header DCAT 3 and ORG carry: titles, versions, dates, licence, creator, vann prefix."""
    head = URIRef("https://w3id.org/renkei/ns")
    assert (head, RDF.type, OWL.Ontology) in ontology
    query = PREFIXES + """
        ASK { ?o dct:title ?tja, ?ten ; dct:description ?dja, ?den ; owl:versionIRI ?v ; owl:versionInfo ?i ;
                dct:created ?c ; dct:modified ?m ; dct:creator ?who ;
                dct:license <https://creativecommons.org/licenses/by/4.0/> ;
                vann:preferredNamespacePrefix "renkei" ; vann:preferredNamespaceUri ?uri ;
                skos:editorialNote ?note .
              FILTER(LANG(?tja) = "ja" && LANG(?ten) = "en" && LANG(?dja) = "ja" && LANG(?den) = "en")
              FILTER(STR(?uri) = "https://w3id.org/renkei/ns#") }"""
    assert ontology.query(query, initBindings={"o": head}).askAnswer


ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"

#: The alignments DESIGN.md and the brief fix (term, super-class).
SUBCLASSES = [
    ("Agreement", ELI + "LegalResource"),
    ("Amendment", ELI + "LegalResource"),
    ("Article", ELI + "LegalResourceSubdivision"),
    ("Paragraph", ELI + "LegalResourceSubdivision"),
    ("Item", ELI + "LegalResourceSubdivision"),
    ("Annex", ELI + "LegalResourceSubdivision"),
    ("AnnexSection", ELI + "LegalResourceSubdivision"),
    ("Initiative", ELI + "LegalResourceSubdivision"),
    ("Municipality", ORG + "Organization"),
    ("Prefecture", NS + "LocalGovernment"),
    ("Prefecture", ORG + "Organization"),
    ("Municipality", NS + "LocalGovernment"),
    ("Area", ORG + "OrganizationalCollaboration"),
    ("SourceDocument", PROV + "Entity"),
    ("SourceDocument", FOAF + "Document"),
]


@pytest.mark.parametrize(("term", "parent"), SUBCLASSES, ids=[f"{t}-{p.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"
                                                              for t, p in SUBCLASSES])
def test_contract_class_is_aligned(ontology: Graph, term: str, parent: str) -> None:
    assert (URIRef(NS + term), RDFS.subClassOf, URIRef(parent)) in ontology


#: Every term of the DESIGN contract and of docs/model.md, with the kind it must be declared as.
CONTRACT: dict[str, URIRef] = {
    **{c: OWL.Class for c in (
        "Agreement", "Amendment", "Article", "Paragraph", "Item", "Annex", "AnnexSection", "Initiative",
        "Role", "Signatory", "SourceDocument", "SourceExcerpt", "Municipality", "Prefecture", "Area",
        "Change")},
    **{p: OWL.ObjectProperty for p in (
        "initiative", "pillar", "category", "role", "actor", "prefecture", "party", "centralCity", "area",
        "signatory", "onBehalfOf", "identifiedAs", "relatesTo", "sourceDocument", "agreement", "change",
        "changes")},
    **{p: OWL.DatatypeProperty for p in (
        "number", "heading", "text", "content", "lead", "localGovernmentCode", "standardAreaCode", "areaName",
        "printedDate", "preamble", "closingFormula", "printedTitle", "printedName", "identificationNote",
        "layout", "sha256", "encoding", "lineCount", "firstLine", "lastLine", "agreementDate", "confirmed",
        "oldText", "newText")},
}


@pytest.mark.parametrize("term", sorted(CONTRACT))
def test_contract_term_is_declared_with_its_kind(ontology: Graph, term: str) -> None:
    assert (URIRef(NS + term), RDF.type, CONTRACT[term]) in ontology


@pytest.mark.parametrize("role", ["CentralCityRole", "PartnerRole", "PrefecturePartnerRole", "UnstatedRole"])
def test_membership_roles_are_org_roles(ontology: Graph, role: str) -> None:
    assert (URIRef(NS + role), RDF.type, URIRef(ORG + "Role")) in ontology


@pytest.mark.parametrize(("term", "datatype"), [
    ("number", "integer"), ("lead", "boolean"), ("confirmed", "boolean"), ("agreementDate", "date"),
    ("firstLine", "integer"), ("lastLine", "integer"), ("lineCount", "integer"),
    ("localGovernmentCode", "string"),
])
def test_datatype_property_has_the_contract_range(ontology: Graph, term: str, datatype: str) -> None:
    assert (URIRef(NS + term), RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#" + datatype)) in ontology


#: A vocabulary that breaks every hygiene rule at least once, to prove the queries can fail.
BROKEN = f"""
@prefix renkei: <{NS}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
renkei:Bad a owl:Class ; rdfs:label "悪い"@ja , "不良"@ja .
renkei:Kindless rdfs:label "Same"@en .
renkei:Twin a owl:Class ; rdfs:label "same"@en .
renkei:literalObject a owl:ObjectProperty ; rdfs:range xsd:string .
renkei:rangeless a owl:DatatypeProperty .
renkei:classValued a owl:DatatypeProperty ; rdfs:range renkei:Bad .
"""


@pytest.mark.parametrize("name", sorted(HYGIENE))
def test_vocabulary_hygiene_query_catches_a_broken_vocabulary(name: str) -> None:
    store = pyoxigraph.Store()
    store.load(BROKEN.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert list(store.query(PREFIXES + HYGIENE[name])), name  # type: ignore[arg-type]
