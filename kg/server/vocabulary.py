"""``/ns``, ``/shapes``, ``/context.jsonld``: the vocabulary and the shapes as documents for people
and for machines (issue 11, point 1: every IRI we mint resolves).

``/ns`` is the vocabulary (``ontology/renkei.ttl`` with the external terms it declares, as
:func:`kg.reference.graphs.ontology_graph` loads them into graph/ontology) written the way W3C DCAT 3's
specification is: a table of contents, then each class and property with its labels, definition,
domain, range, super-terms, alignments and examples, under an anchor equal to its local name, so
that ``https://w3id.org/renkei/ns#Agreement`` lands on it. ``/shapes`` does the same for the SHACL
rules of ``shapes/*.ttl`` (``…/shapes#AG-01-…``). Programs get Turtle, JSON-LD (with the project's
``@context``), RDF/XML or N-Triples of the same IRI by Accept or by extension (``/ns.ttl``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.errors import NotInVocabulary
from kg.namespaces import PREFIXES, RENKEI, SH, VANN
from kg.reference.graphs import ontology_graph
from kg.server.context import Ctx, ServerContext
from kg.server.http import not_acceptable, validators
from kg.server.negotiate import EXTENSIONS, Representation, choose_representation, link_header, split_extension
from kg.server.sparql import graph_response
from kg.store import GRAPH_FORMATS
from kg.validation.validate import SHAPES_NS, load_shapes

__all__ = [
    "ONTOLOGY", "SHAPES", "Fact", "Ref", "Term", "compact_jsonld", "jsonld_context", "represent",
    "representation_for", "router", "serialize", "shapes_document", "vocabulary_document",
]

router = APIRouter()
ONTOLOGY = URIRef(str(RENKEI)[:-1])  # https://w3id.org/renkei/ns
SHAPES = URIRef(SHAPES_NS[:-1])  # https://w3id.org/renkei/shapes
_JSONLD = EXTENSIONS[".jsonld"]
_JSONLD_FORMAT = next(f for f in GRAPH_FORMATS if f.name == "jsonld")



# ── JSON-LD context and RDF answers ──────────────────────────────────────────────────────────────


def jsonld_context(base: str) -> dict[str, str]:
    """The compact JSON-LD context of every JSON-LD answer: the project's prefixes, ``rid:`` for the
    data under ``base`` and ``shapes:`` for the rules (each ends in ``/`` or ``#``, so each is a prefix
    in JSON-LD 1.1 §4.1.3)."""
    return {**PREFIXES, "rid": base + "id/", "shapes": SHAPES_NS}


def serialize(graph: Graph, rep: Representation, base: str) -> bytes:
    """``graph`` written as ``rep`` (JSON-LD compacted with :func:`jsonld_context`)."""
    assert rep.fmt is not None, "HTML is rendered from a template, not serialised"
    if rep.fmt.name == "jsonld":
        text = graph.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True)
        return text.encode()
    out = Graph()  # a copy to bind the prefixes on: the graphs served are shared (cached, the validator's)
    for prefix, ns in jsonld_context(base).items():
        out.bind(prefix, ns, override=True, replace=True)
    out += graph
    return out.serialize(format=rep.fmt.rdflib, encoding="utf-8")


def compact_jsonld(ntriples: bytes, base: str) -> bytes:
    """An N-Triples description as JSON-LD with the project's ``@context`` (issue 11)."""
    graph = Graph().parse(data=ntriples, format="nt")
    return serialize(graph, _JSONLD, base)


def represent(request: Request, ctx: ServerContext, body: bytes, rep: Representation, key: tuple[object, ...],
              links: str) -> Response:
    """An RDF answer: validators, Vary, a 304 when the client has it, the media type ``rep`` names
    (TriG or N3 for a Turtle body) and the ``Link`` header ``links``."""
    assert rep.fmt is not None
    response = graph_response(request, ctx, body, rep.fmt, (*key, rep.media_type))
    if rep.media_type != rep.fmt.media_type and response.status_code == 200:
        response.headers["content-type"] = f"{rep.media_type}; charset=utf-8"
    response.headers["Link"] = links
    return response


def _page(request: Request, ctx: ServerContext, template: str, links: str, key: tuple[object, ...],
          **data: Any) -> Response:
    data.setdefault("base", ctx.base)
    data.setdefault("version", ctx.release.version)
    headers = {**validators(ctx, *key, "html"), "Vary": "Accept", "Link": links}
    response: Response = ctx.templates.TemplateResponse(request, template, data, headers=headers)
    return response


def representation_for(request: Request, rep: Representation | None, url: str, extensions: bool = True
                       ) -> Representation | Response:
    """The representation asked for by extension (``rep``) or by Accept (RDF for ``*/*``), or a 406
    listing the offers."""
    if rep is not None:
        return rep
    chosen = choose_representation(request.headers.get("accept"), machines_first=True)
    return chosen if chosen is not None else not_acceptable(request, url, extensions=extensions)


@router.get("/context.jsonld", response_model=None)
async def context(request: Request, ctx: Ctx) -> Response:
    """The JSON-LD ``@context`` every JSON-LD answer carries, at a stable URL to reference."""
    body = json.dumps({"@context": jsonld_context(ctx.base)}, ensure_ascii=False, indent=2).encode()
    response = graph_response(request, ctx, body, _JSONLD_FORMAT, ("context",))
    response.headers["Link"] = '</ns>; rel="describedby"'
    return response


# ── The vocabulary ───────────────────────────────────────────────────────────────────────────────


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


def _texts(g: Graph, s: Node, p: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


def _curie(iri: str, context: dict[str, str]) -> str:
    for prefix, ns in sorted(context.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


class _Linker:
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
            label = _texts(self.g, node, RDFS.label)
            return [Ref(str(node), self.href(str(node)), _curie(str(node), self.context),
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
    link = _Linker(g, base, anchors)
    terms = [_term(g, s, s[len(ns):], link) for s in own]
    external = sorted({s for s in g.subjects(RDFS.isDefinedBy, None)
                       if isinstance(s, URIRef) and not s.startswith(ns)}, key=str)
    header = {
        "title": _texts(g, ONTOLOGY, DCTERMS.title),
        "description": _texts(g, ONTOLOGY, DCTERMS.description),
        "note": _texts(g, ONTOLOGY, SKOS.editorialNote),
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


def _term(g: Graph, s: URIRef, name: str, link: _Linker) -> Term:
    term = Term(
        iri=str(s), name=name, kind=_kind(g, s),
        label=_texts(g, s, RDFS.label), definition=_texts(g, s, SKOS.definition),
        deprecated=any(o == Literal(True) for o in g.objects(s, OWL.deprecated)),
    )
    for p in (SKOS.scopeNote, SKOS.editorialNote, SKOS.note, RDFS.comment):
        texts = _texts(g, s, p)
        if texts:
            term.notes.append(texts)
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


_DOCUMENTS: dict[tuple[Path, str], tuple[Graph, dict[str, Any]]] = {}
_SERIALIZED: dict[tuple[str, str, str], bytes] = {}


def _vocabulary(ctx: ServerContext) -> tuple[Graph, dict[str, Any]]:
    key = (ctx.settings.ontology_path, ctx.base)
    if key not in _DOCUMENTS:
        g = ontology_graph(ctx.settings)
        _DOCUMENTS[key] = (g, vocabulary_document(g, ctx.base))
    return _DOCUMENTS[key]


def _answer(request: Request, ctx: ServerContext, rep: Representation | None, url: str, template: str,
            loaded: tuple[Graph, dict[str, Any]], **extra: Any) -> Response:
    """A document (/ns, /shapes) as the HTML page ``template`` or as RDF, with its Link header."""
    chosen = representation_for(request, rep, url)
    if isinstance(chosen, Response):
        return chosen
    g, doc = loaded
    links = link_header(url, chosen)
    if chosen.is_html:
        return _page(request, ctx, template, links, (url,), doc=doc, **extra)
    key = (url, ctx.base, chosen.media_type)
    if key not in _SERIALIZED:  # the files do not change while the server runs
        _SERIALIZED[key] = serialize(g, chosen, ctx.base)
    return represent(request, ctx, _SERIALIZED[key], chosen, (url,), links)


@router.get("/ns", response_model=None)
async def vocabulary(request: Request, ctx: Ctx) -> Response:
    """The vocabulary: HTML for browsers (``/ns#Agreement`` is an anchor), RDF for programs."""
    return _answer(request, ctx, None, "/ns", "vocabulary.html", _vocabulary(ctx), kinds=KINDS)


@router.get("/ns{suffix:path}", response_model=None)
async def vocabulary_as(suffix: str, request: Request, ctx: Ctx) -> Response:
    """``/ns.ttl``, ``/ns.jsonld``, … and the version IRI ``/ns/0.1.0`` (the version being served)."""
    loaded = _vocabulary(ctx)
    doc = loaded[1]
    stem, rep = split_extension(suffix)
    version = doc["header"]["version_iri"]
    if (stem == "" and rep is not None) or (version and str(ONTOLOGY) + stem == version):
        return _answer(request, ctx, rep, "/ns", "vocabulary.html", loaded, kinds=KINDS)
    raise NotInVocabulary(
        f"/ns{suffix} is not published: the vocabulary is at /ns (version {doc['header']['version']}, "
        f"{version}) and its formats at /ns.ttl, /ns.jsonld, /ns.rdf, /ns.nt",
        ja=f"/ns{suffix} は公開していません。語彙は /ns（版 {doc['header']['version']}）にあり、"
        "形式ごとに /ns.ttl・/ns.jsonld・/ns.rdf・/ns.nt で取得できます。",
    )


# ── The shapes ───────────────────────────────────────────────────────────────────────────────────

_SEVERITY = {
    SH.Violation: ("違反", "Violation"), SH.Warning: ("警告", "Warning"), SH.Info: ("情報", "Info"),
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Constraint parameters shown as ``sh:minCount 1`` (SHACL §4); the rest (sh:sparql, sh:or, …) by link.
_SHOWN = ("minCount", "maxCount", "class", "datatype", "nodeKind", "minLength", "maxLength", "pattern",
          "minInclusive", "maxInclusive", "hasValue", "in", "languageIn", "uniqueLang", "lessThanOrEquals",
          "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShape", "or", "sparql", "deactivated")


def _path(g: Graph, node: Node, context: dict[str, str]) -> str:
    """A SHACL property path (SHACL §2.3.1) in SPARQL's notation."""
    if isinstance(node, URIRef):
        return _curie(str(node), context)
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _path(g, inverse, context)
    alternative = g.value(node, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(_path(g, m, context) for m in Collection(g, alternative)) + ")"
    for p, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(node, p)
        if inner is not None:
            return _path(g, inner, context) + mark
    if g.value(node, RDF.first) is not None:
        return "/".join(_path(g, m, context) for m in Collection(g, node))
    return "[…]"


def _value(g: Graph, node: Node, context: dict[str, str]) -> str:
    if isinstance(node, URIRef):
        return _curie(str(node), context)
    if isinstance(node, Literal):
        return json.dumps(str(node), ensure_ascii=False) if isinstance(node.value, str) or node.value is None \
            else str(node)
    if g.value(node, RDF.first) is not None:
        return "(" + " ".join(_value(g, m, context) for m in Collection(g, node)) + ")"
    return "[…]"


def shapes_document(g: Graph, base: str) -> dict[str, Any]:
    """What ``/shapes`` shows: every rule (a shape with a severity) and every shared constraint."""
    context = jsonld_context(base)
    named = sorted({s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(SHAPES_NS)}, key=str)
    anchors = {str(s): "#" + s[len(SHAPES_NS):] for s in named}
    link = _Linker(g, base, anchors)
    rules, constraints = [], []
    for s in named:
        name = s[len(SHAPES_NS):]
        severity = g.value(s, SH.severity)
        if severity is None:
            select = g.value(s, SH.select)
            constraints.append({"name": name, "iri": str(s), "select": str(select or "").strip()})
            continue
        parameters = []
        for local in _SHOWN:
            for o in sorted(g.objects(s, SH[local]), key=str):
                refs = link.ref(o) if isinstance(o, URIRef) else []
                parameters.append({"name": "sh:" + local, "value": _value(g, o, context),
                                   "href": refs[0].href if refs else ""})
        path = g.value(s, SH.path)
        rules.append({
            "name": name, "iri": str(s),
            "title": _texts(g, s, SH.name), "message": _texts(g, s, SH.message),
            "description": _texts(g, s, SH.description),
            "severity": _SEVERITY.get(severity, ("", _curie(str(severity), context))),  # type: ignore[call-overload]
            "severity_key": str(severity).rsplit("#", 1)[-1].lower(),
            "targets": [{"kind": _curie(str(p), context), "refs": link.ref(o)}
                        for p in _TARGETS for o in sorted(g.objects(s, p), key=str)],
            "path": _path(g, path, context) if path is not None else "",
            "parameters": parameters,
            "deactivated": any(o == Literal(True) for o in g.objects(s, SH.deactivated)),
        })
    counts = {key: sum(1 for r in rules if r["severity_key"] == key) for key in ("violation", "warning", "info")}
    return {
        "iri": str(SHAPES),
        "title": _texts(g, SHAPES, RDFS.label),
        "comment": _texts(g, SHAPES, RDFS.comment),
        "version": next((str(v) for v in g.objects(SHAPES, OWL.versionInfo)), ""),
        "rules": rules,
        "constraints": constraints,
        "counts": counts,
    }


def _shapes(ctx: ServerContext) -> tuple[Graph, dict[str, Any]]:
    key = (ctx.settings.shapes_path, "shapes:" + ctx.base)
    if key not in _DOCUMENTS:
        g = load_shapes(ctx.settings.shapes_path.resolve(), ctx.base).graph
        _DOCUMENTS[key] = (g, shapes_document(g, ctx.base))
    return _DOCUMENTS[key]


@router.get("/shapes", response_model=None)
async def shapes(request: Request, ctx: Ctx) -> Response:
    """The SHACL rules: HTML for browsers (``/shapes#AG-01-…`` is an anchor), RDF for programs."""
    return _answer(request, ctx, None, "/shapes", "shapes.html", _shapes(ctx))


@router.get("/shapes{suffix:path}", response_model=None)
async def shapes_as(suffix: str, request: Request, ctx: Ctx) -> Response:
    """``/shapes.ttl``, ``/shapes.jsonld``, …"""
    stem, rep = split_extension(suffix)
    if stem == "" and rep is not None:
        return _answer(request, ctx, rep, "/shapes", "shapes.html", _shapes(ctx))
    raise NotInVocabulary(f"/shapes{suffix} is not published: the shapes are at /shapes (and /shapes.ttl, …)",
                          ja=f"/shapes{suffix} は公開していません。検査規則は /shapes（/shapes.ttl など）にあります。")

