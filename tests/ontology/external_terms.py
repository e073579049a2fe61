"""External terms the published data uses, and their declarations in ontology/external.ttl.

Issue 12, point 3: every term of ELI, ORG, PROV-O, SKOS, DCTERMS, DCAT 3, CNT, Web Annotation,
OWL-Time and vCard that the dataset uses is declared in ``ontology/external.ttl`` with the kind,
domain and range its vocabulary gives (the files in ``shared/reference/vocabularies/``), so that a
tool that reads only our ontology (owlready2, Protégé) sees them as the properties and classes
they are. The file is generated from those vocabulary files; regenerate it after a change in what
the data uses::

    .venv/bin/python -m tests.ontology.external_terms

The published data is the fixture dataset of the query tests (every reference graph, the
published agreement and the fixture texts, through the real pipeline), with its query catalogue
and its DCAT catalogue.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.querylib import catalog_graph as queries_graph  # noqa: E402
from kg.querylib import load_queries  # noqa: E402
from kg.release.catalogue import catalog_graph  # noqa: E402
from kg.release.dumps import store_parts, write_dumps  # noqa: E402
from kg.release.manifest import Manifest  # noqa: E402
from tests.queries.dataset import fixture_graphs, fixture_settings, oxigraph_store, with_statistics  # noqa: E402
from tests.shared import shared_dir  # noqa: E402

EXTERNAL = ROOT / "ontology" / "external.ttl"
VOCABULARIES = shared_dir() / "reference" / "vocabularies"

#: Namespace → the vocabulary file that defines it.
VOCABULARY_FILES: dict[str, str] = {
    "http://data.europa.eu/eli/ontology#": "eli.nt",
    "http://www.w3.org/ns/org#": "org.ttl",
    "http://www.w3.org/ns/prov#": "prov.nt",
    "http://www.w3.org/2004/02/skos/core#": "skos.nt",
    "http://purl.org/dc/terms/": "dcterms.nt",
    "http://www.w3.org/ns/dcat#": "dcat3.ttl",
    "http://www.w3.org/2011/content#": "cnt.nt",
    "http://www.w3.org/ns/oa#": "oa.nt",
    "http://www.w3.org/2006/time#": "time.nt",
    "http://www.w3.org/2006/vcard/ns#": "vcard.nt",
}

#: Namespaces the data uses that have no vocabulary file in shared/reference, and why that is fine.
WITHOUT_VOCABULARY_FILE: dict[str, str] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "RDF itself",
    "http://www.w3.org/2000/01/rdf-schema#": "RDF Schema itself",
    "http://www.w3.org/2002/07/owl#": "OWL itself",
    "http://www.w3.org/2001/XMLSchema#": "XML Schema datatypes",
    "http://xmlns.com/foaf/0.1/": "FOAF (people, documents, agents); no copy in shared/reference",
    "http://rdfs.org/ns/void#": "VoID (the catalogue's statistics); no copy in shared/reference",
    "http://spdx.org/rdf/terms#": "SPDX (checksums, as DCAT-AP 3 prescribes); no copy in shared/reference",
    "http://www.w3.org/ns/sparql-service-description#": "SPARQL 1.1 Service Description; no copy",
    "http://purl.org/vocab/vann/": "VANN (the ontology header); no copy in shared/reference",
    "http://www.w3.org/ns/shacl#": "SHACL (the query catalogue as sh:SPARQLExecutable); a language",
    "https://schema.org/": "schema.org keywords of the query catalogue; no copy in shared/reference",
    "http://schema.org/": "schema.org keywords of the query catalogue; no copy in shared/reference",
    "http://www.opengis.net/ont/geosparql#": "GeoSPARQL (wktLiteral of dcat:bbox, dcat:centroid; geo:Geometry, "
                                             "geo:hasGeometry, geo:asWKT and geo:sfTouches of graph/geometry)",
    "http://data.europa.eu/r5r/": "DCAT-AP's own properties (dcatap:availability)",
    "http://purl.org/linked-data/cube#": "RDF Data Cube (graph/statistics, kg.release.statistics); no copy",
    "http://purl.org/linked-data/sdmx/2009/dimension#": "SDMX dimensions of graph/statistics (refArea); no copy",
    "http://purl.org/linked-data/sdmx/2009/measure#": "SDMX measures of graph/statistics (obsValue); no copy",
}

#: Terms declared before the data uses them: the ingester (kg/ingest/excerpts.py, SourceWriter.source_document)
#: is to state each source document's encoding with cnt:characterEncoding (issue 12, point 3).
PLANNED: dict[URIRef, set[str]] = {URIRef("http://www.w3.org/2011/content#characterEncoding"): {"literal"}}

#: SPDX has no vocabulary file in shared/reference: its checksum terms (DCAT-AP 3's choice, and the
#: ingester's for source documents) are declared by hand from the SPDX 2.3 RDF ontology. Their
#: kinds and ranges are SPDX's; spdx:checksum's domain is left out: SPDX gives it spdx:File (or
#: spdx:Package), which would make every distribution and source document an spdx:File.
SPDX_DECLARATIONS = """
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
spdx:Checksum a owl:Class ; rdfs:label "Checksum"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
spdx:ChecksumAlgorithm a owl:Class ; rdfs:label "ChecksumAlgorithm"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
spdx:checksumAlgorithm_sha256 a owl:NamedIndividual , spdx:ChecksumAlgorithm ;
    rdfs:label "checksumAlgorithm_sha256"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
spdx:checksum a owl:ObjectProperty ; rdfs:range spdx:Checksum ;
    rdfs:label "checksum"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
spdx:algorithm a owl:ObjectProperty ; rdfs:domain spdx:Checksum ; rdfs:range spdx:ChecksumAlgorithm ;
    rdfs:label "algorithm"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
spdx:checksumValue a owl:DatatypeProperty ; rdfs:domain spdx:Checksum ; rdfs:range xsd:hexBinary ;
    rdfs:label "checksumValue"@en ; rdfs:isDefinedBy <http://spdx.org/rdf/terms> .
"""

_KINDS = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def namespace_of(term: str) -> str | None:
    for ns in (*VOCABULARY_FILES, *WITHOUT_VOCABULARY_FILE):
        if term.startswith(ns):
            return ns
    return None


@cache
def vocabulary(ns: str) -> Graph:
    name = VOCABULARY_FILES[ns]
    return Graph().parse(VOCABULARIES / name, format="nt" if name.endswith(".nt") else "turtle")


def vocabularies() -> Graph:
    """All ten vocabulary files in one graph."""
    g = Graph()
    for ns in VOCABULARY_FILES:
        g += vocabulary(ns)
    return g


@cache
def published_graphs() -> dict[URIRef, Graph]:
    """The fixture dataset, its query catalogue and its DCAT catalogue, by graph name."""
    settings = fixture_settings()
    graphs = with_statistics(dict(fixture_graphs(settings)), settings)  # as kg.release.publish publishes it
    graphs[settings.ids.graph("queries")] = queries_graph(load_queries(settings.queries_path), settings)
    store = oxigraph_store(graphs)
    with tempfile.TemporaryDirectory() as tmp:
        write_dumps(store_parts(store, settings.base_iri), Path(tmp))
        graphs[settings.ids.graph("catalog")] = catalog_graph(
            store, Path(tmp), Manifest(version="fixture", created=datetime(2026, 1, 1, tzinfo=UTC),
                              base_iri=settings.base_iri, generator="tests/ontology"), settings)
    del store
    return graphs


def used_terms(graphs: Iterable[Graph]) -> dict[URIRef, set[str]]:
    """Every IRI used as a predicate or a class (rdf:type, and the targets of the ontology's
    alignments), with how it is used: 'class', 'literal' (a property with literal values) or
    'iri' (a property with IRI or blank-node values)."""
    used: dict[URIRef, set[str]] = {}
    alignments = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass)
    for g in graphs:
        for _s, p, o in g:
            used.setdefault(URIRef(p), set()).add("literal" if isinstance(o, Literal) else "iri")
            if p == RDF.type and isinstance(o, URIRef):
                used.setdefault(o, set()).add("class")
            if p in alignments and isinstance(o, URIRef):
                used.setdefault(o, set()).add("class" if p != RDFS.subPropertyOf else "iri")
    return used


def external_terms() -> dict[URIRef, set[str]]:
    """The used terms of the ten vocabularies (the declarations of external.ttl, published in
    graph/ontology, are not a use: else each domain or range declared would become a term)."""
    settings = fixture_settings()
    graphs = dict(published_graphs())
    ontology = graphs[settings.ids.graph("ontology")]
    if EXTERNAL.exists():
        ontology = ontology - Graph().parse(EXTERNAL)
    graphs[settings.ids.graph("ontology")] = ontology
    used = {t: how for t, how in used_terms(graphs.values()).items() if namespace_of(str(t)) in VOCABULARY_FILES}
    for term, how in PLANNED.items():
        used.setdefault(term, set()).update(how)
    return used


def expected_external() -> Graph:
    """What ontology/external.ttl must hold: the generated declarations and SPDX's."""
    g = declarations(external_terms())
    g.parse(data=SPDX_DECLARATIONS, format="turtle")
    g.bind("spdx", "http://spdx.org/rdf/terms#")
    return g


def _copy(source: Graph, target: Graph, node: BNode) -> None:
    """Copy a blank node's description (an owl:unionOf and its list) from ``source``."""
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy(source, target, o)


def declarations(terms: dict[URIRef, set[str]]) -> Graph:
    """Each term as its vocabulary declares it: kinds, domain and range, English label, defined by."""
    out = Graph()
    for prefix, ns in (("eli", "http://data.europa.eu/eli/ontology#"), ("org", "http://www.w3.org/ns/org#"),
                       ("prov", "http://www.w3.org/ns/prov#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
                       ("dct", "http://purl.org/dc/terms/"), ("dcat", "http://www.w3.org/ns/dcat#"),
                       ("cnt", "http://www.w3.org/2011/content#"), ("oa", "http://www.w3.org/ns/oa#"),
                       ("time", "http://www.w3.org/2006/time#"), ("vcard", "http://www.w3.org/2006/vcard/ns#"),
                       ("owl", str(OWL)), ("rdfs", str(RDFS))):
        out.bind(prefix, ns)
    for term, how in sorted(terms.items()):
        ns = namespace_of(str(term))
        assert ns is not None
        vocab = vocabulary(ns)
        kinds = {k for k in vocab.objects(term, RDF.type) if k in _KINDS}
        if "class" in how:
            kinds.add(OWL.Class)
        elif not kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}:
            # DCTERMS and SKOS declare most terms only as rdf:Property: the OWL kind follows use.
            kinds.add(OWL.DatatypeProperty if how == {"literal"} else OWL.ObjectProperty
                      if how == {"iri"} else OWL.AnnotationProperty)
        for kind in sorted(kinds):
            out.add((term, RDF.type, kind))
        for p in (RDFS.domain, RDFS.range):
            for o in vocab.objects(term, p):
                out.add((term, p, o))
                if isinstance(o, BNode):
                    _copy(vocab, out, o)
        labels = [lit for lit in vocab.objects(term, RDFS.label) if isinstance(lit, Literal)
                  and lit.language in (None, "en")]
        if labels:
            out.add((term, RDFS.label, min(labels)))
        out.add((term, RDFS.isDefinedBy, URIRef(ns.rstrip("#/") if ns.endswith("#") else ns)))
    return out


HEADER = """\
# External terms the published data uses, declared as their vocabularies give them (issue 12, point 3):
# the kind (an OWL kind chosen by use where the vocabulary gives only rdf:Property), rdfs:domain and
# rdfs:range exactly as in the vocabulary file (shared/reference/vocabularies/), an English label and
# rdfs:isDefinedBy. Loaded with renkei.ttl into graph/ontology, so that a tool reading only our
# ontology sees them. Generated: .venv/bin/python -m tests.ontology.external_terms (do not edit).
"""


def main() -> int:
    text = expected_external().serialize(format="turtle")
    EXTERNAL.write_text(HEADER + "\n" + text, encoding="utf-8")
    print(f"wrote {EXTERNAL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
