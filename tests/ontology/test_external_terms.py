"""Every external term the published data uses is declared as its vocabulary declares it (issue 12, point 3).

The vocabularies are the files in shared/reference/vocabularies/ (ELI, ORG, PROV-O, SKOS, DCTERMS,
DCAT 3, CNT, Web Annotation, OWL-Time, vCard); ontology/external.ttl declares each term the data
uses with the domain and range given there (regenerate it with
``.venv/bin/python -m tests.ontology.external_terms``).
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from kg.reference.graphs import reference_graphs
from kg.settings import Settings
from tests.ontology.external_terms import (
    EXTERNAL,
    PLANNED,
    VOCABULARY_FILES,
    WITHOUT_VOCABULARY_FILE,
        expected_external,
    external_terms,
    namespace_of,
    published_graphs,
    used_terms,
    vocabulary,
)

RENKEI = "https://w3id.org/renkei/ns#"
TERMS = sorted(external_terms())
_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def external() -> Graph:
    return Graph().parse(EXTERNAL)


def _iris(g: Graph, term: URIRef, p: URIRef) -> set[URIRef]:
    return {o for o in g.objects(term, p) if isinstance(o, URIRef)}


def test_the_published_data_uses_terms_of_every_kind_checked() -> None:
    """A guard: the scan sees the graphs (agreements, registry, statute, catalogue)."""
    spaces = {namespace_of(str(t)) for t in TERMS}
    assert len(TERMS) > 60
    for ns in ("http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/dcat#",
               "http://www.w3.org/2006/time#", "http://www.w3.org/2006/vcard/ns#", "http://purl.org/dc/terms/"):
        assert ns in spaces, ns


def test_every_namespace_the_data_uses_has_a_vocabulary_file_or_a_reason() -> None:
    strays = sorted(str(t) for t in used_terms(published_graphs().values())
                    if not str(t).startswith(RENKEI) and namespace_of(str(t)) is None)
    assert not strays, f"terms of a namespace with no vocabulary file and no reason given: {strays}"
    assert not set(VOCABULARY_FILES) & set(WITHOUT_VOCABULARY_FILE)


@pytest.mark.parametrize("term", TERMS, ids=[str(t).rsplit("/", 1)[-1] for t in TERMS])
def test_external_term_exists_in_its_vocabulary(term: URIRef) -> None:
    """A typo (ORG's own org:subOrganzationOf) or a term the vocabulary does not define fails here."""
    ns = namespace_of(str(term))
    assert ns is not None
    assert (term, None, None) in vocabulary(ns), f"{term} is not defined in {VOCABULARY_FILES[ns]}"


@pytest.mark.parametrize("term", TERMS, ids=[str(t).rsplit("/", 1)[-1] for t in TERMS])
def test_external_term_is_declared_with_its_vocabularys_domain_and_range(term: URIRef, external: Graph) -> None:
    ns = namespace_of(str(term))
    assert ns is not None
    vocab = vocabulary(ns)
    assert set(external.objects(term, RDF.type)) & _KINDS, f"{term} has no OWL kind in {EXTERNAL.name}"
    for kind in set(vocab.objects(term, RDF.type)) & _KINDS:
        assert (term, RDF.type, kind) in external, f"{term}: {VOCABULARY_FILES[ns]} says it is a {kind}"
    for p in (RDFS.domain, RDFS.range):
        assert _iris(external, term, p) == _iris(vocab, term, p), f"{term} {p}"
        blank = sum(1 for o in vocab.objects(term, p) if isinstance(o, BNode))
        assert sum(1 for o in external.objects(term, p) if isinstance(o, BNode)) == blank, f"{term} {p}"


def test_external_declarations_are_up_to_date(external: Graph) -> None:
    assert isomorphic(expected_external(), external), (
        f"{EXTERNAL.name} is stale: run .venv/bin/python -m tests.ontology.external_terms")


def test_the_ontology_graph_publishes_the_external_declarations(external: Graph) -> None:
    settings = Settings()
    ontology = reference_graphs(settings)[settings.ids.graph("ontology")]
    assert all(t in ontology for t in external if not any(isinstance(n, BNode) for n in t))


SPDX = "http://spdx.org/rdf/terms#"
CNT = "http://www.w3.org/2011/content#"


def _source_documents() -> list[tuple[Graph, URIRef]]:
    found = []
    for g in published_graphs().values():
        for s in g.subjects(RDF.type, URIRef(RENKEI + "SourceDocument")):
            assert isinstance(s, URIRef)
            found.append((g, s))
    assert found, "no source document in the published data"
    return found


def test_source_documents_state_their_sha256_with_spdx() -> None:
    """Issue 12, point 3: spdx:checksum [spdx:algorithm spdx:checksumAlgorithm_sha256; spdx:checksumValue]."""
    for g, doc in _source_documents():
        checksums = list(g.objects(doc, URIRef(SPDX + "checksum")))
        assert len(checksums) == 1, doc
        assert (checksums[0], URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")) in g
        value = g.value(checksums[0], URIRef(SPDX + "checksumValue"))
        assert value is not None and len(str(value)) == 64, doc


def test_source_documents_state_their_encoding_with_cnt() -> None:
    """Issue 12, point 3: cnt:characterEncoding, the encoding's name as a literal."""
    for g, doc in _source_documents():
        assert g.value(doc, URIRef(CNT + "characterEncoding")) is not None, doc


def test_planned_terms_are_declared_before_the_data_uses_them(external: Graph) -> None:
    for term in PLANNED:
        assert (term, RDFS.domain, None) in external, term
    hex_binary = URIRef("http://www.w3.org/2001/XMLSchema#hexBinary")
    assert (URIRef(SPDX + "checksumValue"), RDFS.range, hex_binary) in external
