"""``/ns``, ``/shapes``, ``/context.jsonld``: the vocabulary and the shapes as documents for people
and for machines (issue 11, point 1: every IRI we mint resolves).

``/ns`` is the vocabulary (``ontology/renkei.ttl`` with the external terms it declares, as
:func:`kg.reference.graphs.ontology_graph` loads them into graph/ontology) written the way W3C DCAT 3's
specification is: a table of contents, then each class and property with its labels, definition,
domain, range, super-terms, alignments and examples, under an anchor equal to its local name, so
that ``https://w3id.org/renkei/ns#Agreement`` lands on it. ``/shapes`` does the same for the SHACL
rules of ``shapes/*.ttl`` (``…/shapes#AG-01-…``). Programs get Turtle, JSON-LD (with the project's
``@context``), RDF/XML or N-Triples of the same IRI by Accept or by extension (``/ns.ttl``).

This module routes and caches; the pages' facts are made by :mod:`kg.server.terms` (``/ns``) and
:mod:`kg.server.shape_rules` (``/shapes``), the RDF answers by :mod:`kg.server.rdf_answers`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph

from kg.errors import NotInVocabulary
from kg.reference.graphs import ontology_graph
from kg.server.context import Ctx, ServerContext
from kg.server.http import validators
from kg.server.negotiate import Representation, link_header, split_extension
from kg.server.rdf_answers import jsonld_context, represent, representation_for, serialize
from kg.server.shape_rules import shapes_document
from kg.server.sparql import graph_response
from kg.server.terms import KINDS, ONTOLOGY, vocabulary_document
from kg.store import GRAPH_FORMATS
from kg.validation.validate import load_shapes

__all__ = ["router"]

router = APIRouter()
_JSONLD_FORMAT = next(f for f in GRAPH_FORMATS if f.name == "jsonld")


def _page(request: Request, ctx: ServerContext, template: str, links: str, key: tuple[object, ...],
          **data: Any) -> Response:
    data.setdefault("base", ctx.base)
    data.setdefault("version", ctx.release.version)
    headers = {**validators(ctx, *key, "html"), "Vary": "Accept", "Link": links}
    response: Response = ctx.templates.TemplateResponse(request, template, data, headers=headers)
    return response


@router.get("/context.jsonld", response_model=None)
async def context(request: Request, ctx: Ctx) -> Response:
    """The JSON-LD ``@context`` every JSON-LD answer carries, at a stable URL to reference."""
    body = json.dumps({"@context": jsonld_context(ctx.base)}, ensure_ascii=False, indent=2).encode()
    response = graph_response(request, ctx, body, _JSONLD_FORMAT, ("context",))
    response.headers["Link"] = '</ns>; rel="describedby"'
    return response


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

