"""The vocabulary as ``/ns`` shows it: the ontology's header and every term with its labels, definition,
notes, examples and relations, each related term a link (to its anchor, to this server, or out).

Written the way W3C DCAT 3's specification is (a table of contents, then each class and property under
an anchor equal to its local name); :mod:`kg.server.vocabulary` serves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.namespaces import RENKEI, SH, VANN
from kg.server.rdf_answers import jsonld_context

__all__ = ["KINDS", "ONTOLOGY", "Fact", "Linker", "Ref", "Term", "curie", "texts", "vocabulary_document"]

ONTOLOGY = URIRef(str(RENKEI)[:-1])  # https://w3id.org/renkei/ns


@dataclass
class Ref:
    """A link to a term from a document: its IRI, where it goes, its compact name, its Japanese label
    (or its only one) and its English label, which the English page shows (issue 11, point 7)."""

    iri: str
    href: str
    curie: str
    label: str = ""
    label_en: str = ""


@dataclass
class Fact:
    """One row of a term's table: a relation named in Japanese and English, and the terms it links."""

    ja: str
    en: str
    refs: list[Ref]


@dataclass
class Term:
    """A class, property or individual of the vocabulary as its section of the document shows it."""

    iri: str
    name: str  #: the local name: the HTML anchor
    kind: str  #: class / object / datatype / annotation / individual
    label: dict[str, str]
    definition: dict[str, str]
    notes: list[dict[str, str]] = field(default_factory=list)  #: scope and editorial notes, by language
    examples: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    deprecated: bool = False


KINDS = {  # kind → (ja, en, plural en)
    "class": ("クラス", "Class", "Classes"),
    "object": ("オブジェクトプロパティ", "Object property", "Object properties"),
    "datatype": ("データ型プロパティ", "Datatype property", "Datatype properties"),
    "annotation": ("注釈プロパティ", "Annotation property", "Annotation properties"),
    "individual": ("個体", "Individual", "Individuals"),
}
_KIND_OF = {
    OWL.Class: "class", RDFS.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype",
    OWL.AnnotationProperty: "annotation", RDF.Property: "object",
}
# Relations shown in a term's table, in this order (DCAT 3 §6: sub-class of, domain, range, …).
_FACTS: tuple[tuple[URIRef, str, str], ...] = (
    (RDF.type, "型", "Type"),
    (RDFS.subClassOf, "上位クラス", "Sub-class of"),
    (RDFS.subPropertyOf, "上位プロパティ", "Sub-property of"),
    (OWL.equivalentClass, "同値クラス", "Equivalent class"),
    (OWL.equivalentProperty, "同値プロパティ", "Equivalent property"),
    (OWL.inverseOf, "逆プロパティ", "Inverse of"),
    (RDFS.domain, "定義域", "Domain"),
    (RDFS.range, "値域", "Range"),
    (OWL.disjointWith, "排他クラス", "Disjoint with"),
    (SKOS.exactMatch, "完全一致", "Exact match"),
    (SKOS.closeMatch, "近似一致", "Close match"),
    (SKOS.broadMatch, "広義一致", "Broad match"),
    (SKOS.narrowMatch, "狭義一致", "Narrow match"),
    (SKOS.relatedMatch, "関連一致", "Related match"),
    (DCTERMS.isReplacedBy, "後継", "Replaced by"),
    (RDFS.seeAlso, "参照", "See also"),
)
_INVERSE_FACTS: tuple[tuple[URIRef, str, str], ...] = (
    (RDFS.subClassOf, "下位クラス", "Super-class of"),
    (RDFS.subPropertyOf, "下位プロパティ", "Super-property of"),
    (RDFS.domain, "この型を定義域とするプロパティ", "Properties with this domain"),
    (RDFS.range, "この型を値域とするプロパティ", "Properties with this range"),
)
_BORING_TYPES = {OWL.NamedIndividual, OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def texts(g: Graph, s: Node, p: URIRef) -> dict[str, str]:
    """The literals of ``s`` by ``p``, one per language tag (``""`` for none): the first of each."""
    out: dict[str, str] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


def curie(iri: str, context: dict[str, str]) -> str:
    """``iri`` as a compact name by the longest namespace of ``context`` it starts with, else whole."""
    for prefix, ns in sorted(context.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


class Linker:
    """Turns IRIs into links: vocabulary terms to their anchor, our own IRIs to this server, others out."""

    def __init__(self, g: Graph, base: str, anchors: dict[str, str]) -> None:
        self.g, self.base, self.anchors, self.context = g, base, anchors, jsonld_context(base)

    def href(self, iri: str) -> str:
        if iri in self.anchors:
            return self.anchors[iri]
        for ours in (self.base, "https://w3id.org/renkei/"):
            if iri.startswith(ours):
                return "/" + iri[len(ours):]
        return iri

    def ref(self, node: Node) -> list[Ref]:
        if isinstance(node, URIRef):
            label = texts(self.g, node, RDFS.label)
            return [Ref(str(node), self.href(str(node)), curie(str(node), self.context),
                        label.get("ja") or label.get("en") or label.get("", ""), label.get("en", ""))]
        members = [*self.g.objects(node, OWL.unionOf), *self.g.objects(node, SH["or"])]
        if members:  # owl:unionOf ( … ): each member
            return [r for m in Collection(self.g, members[0]) for r in self.ref(m)]
        return []


def _kind(g: Graph, s: URIRef) -> str:
    for t in g.objects(s, RDF.type):
        if t in _KIND_OF:
            return _KIND_OF[t]  # type: ignore[index]
    return "individual"


def vocabulary_document(g: Graph, base: str) -> dict[str, Any]:
    """What ``/ns`` shows: the ontology's header and every term of the ``renkei:`` namespace, by kind,
    then the external terms the data uses (ontology/external.ttl)."""
    ns = str(RENKEI)
    own = sorted({s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(ns) and len(s) > len(ns)},
                 key=lambda s: (s[len(ns):].lower(), s))
    anchors = {str(s): "#" + s[len(ns):] for s in own}
    link = Linker(g, base, anchors)
    terms = [_term(g, s, s[len(ns):], link) for s in own]
    external = sorted({s for s in g.subjects(RDFS.isDefinedBy, None)
                       if isinstance(s, URIRef) and not s.startswith(ns)}, key=str)
    header = {
        "title": texts(g, ONTOLOGY, DCTERMS.title),
        "description": texts(g, ONTOLOGY, DCTERMS.description),
        "note": texts(g, ONTOLOGY, SKOS.editorialNote),
        "version": next((str(v) for v in g.objects(ONTOLOGY, OWL.versionInfo)), ""),
        "version_iri": next((str(v) for v in g.objects(ONTOLOGY, OWL.versionIRI)), ""),
        "created": next((str(v) for v in g.objects(ONTOLOGY, DCTERMS.created)), ""),
        "modified": next((str(v) for v in g.objects(ONTOLOGY, DCTERMS.modified)), ""),
        "license": next((str(v) for v in g.objects(ONTOLOGY, DCTERMS.license)), ""),
        "prefix": next((str(v) for v in g.objects(ONTOLOGY, VANN.preferredNamespacePrefix)), "renkei"),
        "namespace": next((str(v) for v in g.objects(ONTOLOGY, VANN.preferredNamespaceUri)), ns),
        "see_also": [r for o in g.objects(ONTOLOGY, RDFS.seeAlso) for r in link.ref(o)],
    }
    groups = [
        {"kind": kind, "ja": ja, "en": plural, "terms": [t for t in terms if t.kind == kind]}
        for kind, (ja, _en, plural) in KINDS.items()
    ]
    return {
        "iri": str(ONTOLOGY),
        "header": header,
        "groups": [grp for grp in groups if grp["terms"]],
        "terms": terms,
        "external": [
            {"ref": link.ref(s)[0], "kind": KINDS[_kind(g, s)],
             "domain": [r for o in g.objects(s, RDFS.domain) for r in link.ref(o)],
             "range": [r for o in g.objects(s, RDFS.range) for r in link.ref(o)],
             "defined_by": [r for o in g.objects(s, RDFS.isDefinedBy) for r in link.ref(o)]}
            for s in external
        ],
    }


def _term(g: Graph, s: URIRef, name: str, link: Linker) -> Term:
    term = Term(
        iri=str(s), name=name, kind=_kind(g, s),
        label=texts(g, s, RDFS.label), definition=texts(g, s, SKOS.definition),
        deprecated=any(o == Literal(True) for o in g.objects(s, OWL.deprecated)),
    )
    for p in (SKOS.scopeNote, SKOS.editorialNote, SKOS.note, RDFS.comment):
        note = texts(g, s, p)
        if note:
            term.notes.append(note)
    term.examples = sorted(str(o) for o in g.objects(s, SKOS.example))
    for p, ja, en in _FACTS:
        objects = [o for o in g.objects(s, p) if not (p == RDF.type and o in _BORING_TYPES)]
        refs = [r for o in sorted(objects, key=str) for r in link.ref(o)]
        if refs:
            term.facts.append(Fact(ja, en, refs))
    for p, ja, en in _INVERSE_FACTS:
        refs = [r for o in sorted(g.subjects(p, s), key=str) for r in link.ref(o)]
        if refs:
            term.facts.append(Fact(ja, en, refs))
    return term
