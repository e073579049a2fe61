"""Count the release's per-area statistics into the statistics graph, as RDF Data Cube observations.

How many agreements each area has, how many of them have an initiative in each category of
the framework, and how many initiatives lack a role for one of their agreement's parties:
questions such as queries/021 and 022 count them again from every initiative each time (2.5 s and
0.26 s at 4,000 agreements, docs/perf/queries.md), though they change only with a release. The
build counts them once, after the store is loaded, into the named graph ``{base}graph/statistics``
(:func:`add_statistics`, called by kg.release.publish.published_statistics), and the dumps and the VoID
description carry it like every other graph. docs/model.md ("The statistics graph") shows how to
query it.

Only standard terms: each data set is a ``qb:DataSet`` of the W3C RDF Data Cube vocabulary (2014)
with its ``qb:DataStructureDefinition``; an observation is a ``qb:Observation`` with its
dimensions — ``sdmx-dimension:refArea`` (the area) and ``dct:subject`` (the category; the data's
``renkei:category`` is a sub-property of it) — and one measure, ``sdmx-measure:obsValue`` (a
number of agreements, an ``xsd:integer``), whose meaning the data set's ``rdfs:comment`` states.
A data set is ``prov:wasDerivedFrom`` the release's dataset: its figures are derived, not printed
in any text. A combination that counts nothing has no observation (an area none of whose
agreements has an initiative in a category).

Counts per agreement (its categories, its initiatives per pillar) were measured too and are not
published: on pyoxigraph, reading an observation costs more index look-ups than counting the
initiatives again (queries/004 at 4,000 agreements: 6.4 s as written, 8.8 s from observations;
docs/perf/queries.md). Read instead with one sub-select per property (a scan each, joined by
hash), observations per agreement and pillar answered queries/003 in 0.39 of its time in memory
(Session 8 there: a prototype, not published; its agreement dimension needs a property chosen).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.settings import Settings

__all__ = ["CUBES", "QB", "SDMX_DIMENSION", "SDMX_MEASURE", "Cube", "add_statistics", "statistics_quads"]

log = logging.getLogger(__name__)

QB = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
_COMMENT = ox.NamedNode(PREFIXES["rdfs"] + "comment")
_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
_REF_AREA = SDMX_DIMENSION + "refArea"
_SUBJECT = PREFIXES["dct"] + "subject"
_OBS_VALUE = SDMX_MEASURE + "obsValue"


@dataclass(frozen=True)
class Cube:
    """One data set of the statistics graph: its name (``{base}id/statistics/{name}``), labels and
    comments, its dimensions as (variable, property) in order, and the query counting it over the
    union of the release's graphs: one row per observation, the dimensions' variables and ``?value``.
    A data set without dimensions has one observation, ``…/all``."""

    name: str
    label_ja: str
    label_en: str
    comment_ja: str
    comment_en: str
    dimensions: tuple[tuple[str, str], ...]
    query: str


_R = f"PREFIX renkei: <{PREFIXES['renkei']}>\n"
#: The data sets, in the order they are written.
CUBES: tuple[Cube, ...] = (
    Cube("area-agreements", "圏域ごとの連携協約の数", "Agreements per area",
         "連携中枢都市圏（sdmx-dimension:refArea）ごとの、その圏域の連携協約（renkei:Agreement で "
         "renkei:area がその圏域であるもの）の数（sdmx-measure:obsValue）。ビルドが数えた導出値。",
         "The number (sdmx-measure:obsValue) of agreements (renkei:Agreement whose renkei:area is the area) "
         "of each area (sdmx-dimension:refArea). A derived figure, counted by the build.",
         (("area", _REF_AREA),),
         _R + "SELECT ?area (COUNT(DISTINCT ?a) AS ?value) { ?a a renkei:Agreement ; renkei:area ?area } "
              "GROUP BY ?area"),
    Cube("area-category", "圏域×政策分野の連携協約の数", "Agreements per area and category",
         "連携中枢都市圏（sdmx-dimension:refArea）と政策分野（dct:subject）ごとの、その圏域の連携協約の"
         "うち、その政策分野に当たる取組（renkei:initiative/renkei:category）を持つものの数"
         "（sdmx-measure:obsValue）。0 の組合せには観測がない。ビルドが数えた導出値。",
         "The number (sdmx-measure:obsValue) of agreements of each area (sdmx-dimension:refArea) with an "
         "initiative falling under each category (renkei:initiative/renkei:category; dct:subject). A "
         "combination counting none has no observation. A derived figure, counted by the build.",
         (("area", _REF_AREA), ("category", _SUBJECT)),
         # Each pattern a sub-select: pyoxigraph reads it whole and joins by hash, where as patterns it
         # looked up each initiative's categories one by one (0.375 -> 0.077 s at 4,000, the same rows).
         _R + "SELECT ?area ?category (COUNT(DISTINCT ?a) AS ?value) "
              "{ { SELECT ?a ?area { ?a renkei:area ?area } } { SELECT ?a ?i { ?a renkei:initiative ?i } } "
              "{ SELECT ?i ?category { ?i renkei:category ?category } } } GROUP BY ?area ?category"),
    # A data-quality figure over the whole dataset, with no dimension: its one observation is
    # written even when it counts 0, so that 0 ("none") differs from "not counted". queries/022
    # asks it instead of the anti-join over every initiative and party (263 ms at 4,000).
    Cube("initiatives-lacking-a-role", "当事者の役割が欠けた取組の数", "Initiatives lacking a party's role",
         "連携協約の取組（renkei:initiative）のうち、その協約の当事者（renkei:party）のどれかについて、"
         "その当事者を主体（renkei:actor）とする役割（renkei:role）がないものの数（sdmx-measure:obsValue）。"
         "データセット全体で一つの観測で、0 でも書かれる。ビルドが数えた導出値。",
         "The number (sdmx-measure:obsValue) of agreements' initiatives (renkei:initiative) with no role "
         "(renkei:role) whose actor (renkei:actor) is one of the agreement's parties (renkei:party). One "
         "observation for the whole dataset, written even when it is 0. A derived figure, counted by the build.",
         (),
         # The same, sub-selects joined by hash on both sides of MINUS (0.66 -> 0.22 s at 4,000).
         _R + "SELECT (COUNT(DISTINCT ?i) AS ?value) { { SELECT ?a ?party { ?a renkei:party ?party } } "
              "{ SELECT ?a ?i { ?a renkei:initiative ?i } } MINUS { { SELECT ?i ?role { ?i renkei:role ?role } } "
              "{ SELECT ?role ?party { ?role renkei:actor ?party } } } }"),
)


def _segment(term: ox.NamedNode, base: str) -> str:
    """An observation IRI's segment for one dimension value: the last segment of a data IRI
    (``koriyama``, ``3.A.7``), or any other IRI percent-encoded whole."""
    return term.value.rsplit("/", 1)[-1] if term.value.startswith(base + "id/") else quote(term.value, safe="")


def _structure(cube: Cube, ds: ox.NamedNode, dataset: ox.NamedNode, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The data set's own description: type, structure, labels, comments and provenance."""
    dsd = ox.NamedNode(ds.value + "/structure")
    yield ox.Quad(ds, _RDF_TYPE, ox.NamedNode(QB + "DataSet"), graph)
    yield ox.Quad(ds, ox.NamedNode(QB + "structure"), dsd, graph)
    yield ox.Quad(ds, _DERIVED, dataset, graph)
    for p, text, lang in ((_LABEL, cube.label_ja, "ja"), (_LABEL, cube.label_en, "en"),
                          (_COMMENT, cube.comment_ja, "ja"), (_COMMENT, cube.comment_en, "en")):
        yield ox.Quad(ds, p, ox.Literal(text, language=lang), graph)
    yield ox.Quad(dsd, _RDF_TYPE, ox.NamedNode(QB + "DataStructureDefinition"), graph)
    components = [("dimension", prop) for _var, prop in cube.dimensions] + [("measure", _OBS_VALUE)]
    for order, (kind, prop) in enumerate(components, 1):
        component = ox.NamedNode(f"{dsd.value}/{order}")
        yield ox.Quad(dsd, ox.NamedNode(QB + "component"), component, graph)
        yield ox.Quad(component, _RDF_TYPE, ox.NamedNode(QB + "ComponentSpecification"), graph)
        yield ox.Quad(component, ox.NamedNode(QB + kind), ox.NamedNode(prop), graph)
        if kind == "dimension":
            yield ox.Quad(component, ox.NamedNode(QB + "order"), ox.Literal(str(order), datatype=_INTEGER), graph)


def statistics_quads(store: ox.Store, settings: Settings) -> Iterator[ox.Quad]:
    """Every quad of the statistics graph, counted over the union of the store's other graphs."""
    ids = settings.ids
    graph = ox.NamedNode(str(ids.graph("statistics")))
    dataset = ox.NamedNode(str(ids.id("dataset")))
    for cube in CUBES:
        ds = ox.NamedNode(str(ids.id(f"statistics/{cube.name}")))
        yield from _structure(cube, ds, dataset, graph)
        rows = store.query(cube.query, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            keys = [row[var] for var, _prop in cube.dimensions]
            named = [k for k in keys if isinstance(k, ox.NamedNode)]
            value = row["value"]
            if len(named) < len(keys) or value is None:  # a blank node where the model has an IRI
                continue
            path = "/".join(_segment(k, settings.base_iri) for k in named) or "all"  # no dimension: one
            obs = ox.NamedNode(ds.value + "/" + path)
            yield ox.Quad(obs, _RDF_TYPE, ox.NamedNode(QB + "Observation"), graph)
            yield ox.Quad(obs, ox.NamedNode(QB + "dataSet"), ds, graph)
            for (_var, prop), key in zip(cube.dimensions, named, strict=True):
                yield ox.Quad(obs, ox.NamedNode(prop), key, graph)
            yield ox.Quad(obs, ox.NamedNode(_OBS_VALUE), value, graph)


def add_statistics(store: ox.Store, settings: Settings) -> ox.NamedNode:
    """(Re)write the statistics graph ``{base}graph/statistics`` in ``store``; return its name."""
    graph = ox.NamedNode(str(settings.ids.graph("statistics")))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)  # counted from the data again, never from an earlier count
    quads = list(statistics_quads(store, settings))
    store.extend(quads)
    log.info("counted %d statistics triples into %s", len(quads), graph.value)
    return graph
