"""``/``: the front page — what the dataset holds, a map of every area, and every agreement."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.server.context import Ctx, ServerContext
from kg.server.drawings import english_svg, map_areas, wkt_geometry
from kg.server.http import page_lang
from kg.server.rows import Row, select
from kg.svg.map import JAPAN, area_colours, map_svg

__all__ = ["router"]

router = APIRouter()

#: The map of the release being served, by language (a release never changes: drawn once per version).
_MAPS: dict[tuple[str, str], str] = {}


async def _counts(ctx: ServerContext) -> Row:
    """How many areas, memberships, member municipalities, municipalities and agreement texts."""
    rows = await select(
        ctx,
        """SELECT ?areas ?memberships ?members ?municipalities ?bordered ?agreements {
      { SELECT (COUNT(?a) AS ?areas) { ?a a renkei:Area } }
      { SELECT (COUNT(?m) AS ?memberships) { ?m a org:Membership } }
      { SELECT (COUNT(DISTINCT ?x) AS ?members) { ?m a org:Membership ; org:member ?x . ?x a renkei:Municipality } }
      { SELECT (COUNT(?x) AS ?municipalities) { ?x a renkei:Municipality } }
      { SELECT (COUNT(?x) AS ?bordered) { ?x a renkei:Municipality ; geo:hasGeometry ?g } }
      { SELECT (COUNT(?t) AS ?agreements) { ?t a renkei:Agreement } } }""",
    )
    return rows[0] if rows else {}


async def _map(ctx: ServerContext, lang: str = "ja") -> str:
    """Every area of the registry on the map of Japan, over the prefectures; its title and description
    (what a screen reader says) in ``lang``."""
    version = ctx.release.version
    if (version, lang) in _MAPS:
        return _MAPS[(version, lang)]
    members = await select(
        ctx,
        """SELECT ?area ?area_ja ?member ?member_ja ?role { ?m org:organization ?area ; org:member ?member .
      ?area a renkei:Area . OPTIONAL { ?m org:role ?role }
      OPTIONAL { ?area skos:prefLabel ?area_ja FILTER(LANG(?area_ja) = 'ja') }
      OPTIONAL { ?member skos:prefLabel ?member_ja FILTER(LANG(?member_ja) = 'ja') } } ORDER BY ?area ?member""",
        key=("area", "member"),
    )
    shapes = await select(
        ctx,
        """SELECT ?s ?s_ja ?wkt ?prefecture {
      { SELECT DISTINCT ?s { { ?m org:member ?s } UNION { ?s a renkei:Prefecture } } }
      ?s geo:hasGeometry/geo:asWKT ?wkt BIND(EXISTS { ?s a renkei:Prefecture } AS ?prefecture)
      OPTIONAL { ?s skos:prefLabel ?s_ja FILTER(LANG(?s_ja) = 'ja') } }""",
        key=("s",),
    )
    neighbours = await select(
        ctx,
        """SELECT DISTINCT ?x ?y { ?m1 org:organization ?x ; org:member ?a . ?a geo:sfTouches? ?b .
      ?m2 org:member ?b ; org:organization ?y . FILTER(STR(?x) < STR(?y)) }""",
    )
    areas = map_areas(members)
    # Virtuoso 7.2.5 answers BIND(EXISTS {…}) as the integer 1 (docs/deploy.md)
    prefectures = [(r["s"], r.get("s_ja") or r["s"]) for r in shapes if r.get("prefecture") in ("true", "1")]
    draw = partial(
        map_svg, areas, wkt_geometry(shapes), background=prefectures,
        colours=area_colours(areas, ((r["x"], r["y"]) for r in neighbours)), frame=JAPAN, width=680,
        href=lambda i: ctx.local_path(i) or i, id_prefix="japan-map")
    svg = draw(title="連携中枢都市圏の地図",
               desc=f"連携中枢都市圏 {len(areas)} 圏域の構成団体を圏域ごとの色で示し、中心市を黒い点で示す。")
    english = english_svg(draw(title="", desc="", lang="en"), "japan-map", "Map of the cooperative central urban areas",
                          f"Map of Japan: the members of the {len(areas)} areas of the registry, coloured by "
                          "area; central cities marked with a black disc.")
    _MAPS.clear()  # only the release being served is kept
    for key, drawing in ((version, "ja"), svg), ((version, "en"), english):
        _MAPS[key] = drawing.split("\n", 1)[1]  # inline in the page: without the XML declaration
    return _MAPS[(version, lang)]


@router.get("/", response_model=None, include_in_schema=False)
async def home(request: Request, ctx: Ctx) -> Response:
    """The front page: what is here, the map, and every agreement."""
    agreements = await select(
        ctx,
        """SELECT ?a ?title ?date ?area_ja ?area_en { ?a a renkei:Agreement ; dct:title ?title .
      OPTIONAL { ?a eli:date_document ?date } OPTIONAL { ?a renkei:area ?area .
      ?area skos:prefLabel ?area_ja FILTER(LANG(?area_ja) = 'ja')
      OPTIONAL { ?area skos:prefLabel|rdfs:label ?area_en FILTER(LANG(?area_en) = 'en') } } } ORDER BY ?date ?a""",
        key=("a",),
    )
    areas = await select(
        ctx,
        """SELECT ?area ?area_ja (SAMPLE(?a_en) AS ?area_en)
      (GROUP_CONCAT(DISTINCT ?c_ja; SEPARATOR='|') AS ?central_ja) (COUNT(DISTINCT ?m) AS ?members)
      { ?area a renkei:Area .
      OPTIONAL { ?area skos:prefLabel ?area_ja FILTER(LANG(?area_ja) = 'ja') }
      OPTIONAL { ?area skos:prefLabel|rdfs:label ?a_en FILTER(LANG(?a_en) = 'en') }
      OPTIONAL { ?area renkei:centralCity ?c . ?c skos:prefLabel ?c_ja FILTER(LANG(?c_ja) = 'ja') }
      OPTIONAL { ?m org:organization ?area } } GROUP BY ?area ?area_ja ORDER BY ?area""",
        key=("area",),
    )
    for row in areas:  # joined here: Virtuoso 7.2.5 turns a non-ASCII separator into 「?」, and orders at will
        if row.get("central_ja"):
            row["central_ja"] = "、".join(sorted(row["central_ja"].split("|")))
    page: Response = ctx.templates.TemplateResponse(
        request,
        "index.html",
        {
            "agreements": agreements,
            "areas": areas,
            "counts": await _counts(ctx),
            "map": await _map(ctx, page_lang(request)),
            "graphs": ctx.graphs,
            "base": ctx.base,
            "version": ctx.release.version,
            "created": ctx.release.created,
        },
    )
    return page
