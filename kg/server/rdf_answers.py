"""RDF answers for programs: the project's JSON-LD ``@context``, a graph written in the format asked
for, and the response that carries it (validators, Vary, 304, media type and ``Link`` header).

The vocabulary (``/ns``), the shapes (``/shapes``), the pages' descriptions and the dumps answer RDF
through these, so every JSON-LD answer is compacted with the same context (issue 11).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from rdflib import Graph

from kg.namespaces import PREFIXES
from kg.server.context import ServerContext
from kg.server.http import not_acceptable
from kg.server.negotiate import EXTENSIONS, Representation, choose_representation
from kg.server.sparql import graph_response
from kg.validation.validate import SHAPES_NS

__all__ = ["compact_jsonld", "jsonld_context", "represent", "representation_for", "serialize"]

_JSONLD = EXTENSIONS[".jsonld"]


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


def representation_for(request: Request, rep: Representation | None, url: str, extensions: bool = True
                       ) -> Representation | Response:
    """The representation asked for by extension (``rep``) or by Accept (RDF for ``*/*``), or a 406
    listing the offers."""
    if rep is not None:
        return rep
    chosen = choose_representation(request.headers.get("accept"), machines_first=True)
    return chosen if chosen is not None else not_acceptable(request, url, extensions=extensions)
