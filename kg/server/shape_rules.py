"""The SHACL rules as ``/shapes`` shows them: each rule with its severity, message, targets, path and
constraint parameters, and each shared constraint (a SPARQL ``SELECT``) under its anchor.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.namespaces import SH
from kg.server.rdf_answers import jsonld_context
from kg.server.terms import Linker, curie, texts
from kg.validation.validate import SHAPES_NS

__all__ = ["SHAPES", "shapes_document"]

SHAPES = URIRef(SHAPES_NS[:-1])  # https://w3id.org/renkei/shapes

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
        return curie(str(node), context)
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
        return curie(str(node), context)
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
    link = Linker(g, base, anchors)
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
            "title": texts(g, s, SH.name), "message": texts(g, s, SH.message),
            "description": texts(g, s, SH.description),
            "severity": _SEVERITY.get(severity, ("", curie(str(severity), context))),  # type: ignore[call-overload]
            "severity_key": str(severity).rsplit("#", 1)[-1].lower(),
            "targets": [{"kind": curie(str(p), context), "refs": link.ref(o)}
                        for p in _TARGETS for o in sorted(g.objects(s, p), key=str)],
            "path": _path(g, path, context) if path is not None else "",
            "parameters": parameters,
            "deactivated": any(o == Literal(True) for o in g.objects(s, SH.deactivated)),
        })
    counts = {key: sum(1 for r in rules if r["severity_key"] == key) for key in ("violation", "warning", "info")}
    return {
        "iri": str(SHAPES),
        "title": texts(g, SHAPES, RDFS.label),
        "comment": texts(g, SHAPES, RDFS.comment),
        "version": next((str(v) for v in g.objects(SHAPES, OWL.versionInfo)), ""),
        "rules": rules,
        "constraints": constraints,
        "counts": counts,
    }
