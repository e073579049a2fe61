"""What each kind of resource page shows, as SPARQL over the store (through the worker pool).

One function per page kind returns plain dicts for the templates; the queries name only terms of
docs/model.md, so a page shows exactly what a SPARQL user would find.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kg.namespaces import PREFIXES
from kg.server.context import ServerContext
from kg.server.drawings import ROLE_JA, area_timeline, english_svg, inline, map_areas, wkt_geometry
from kg.server.rows import Row, select
from kg.svg.map import bounds, map_svg

__all__ = ["KINDS", "kind_of", "view"]

# A resource's label: the Japanese one first, as printed (DESIGN.md: labels stay in Japanese).
_LABEL = (
    "OPTIONAL {{ {v} skos:prefLabel|rdfs:label|eli:title|dct:title|foaf:name ?{n}_ja "
    "FILTER(LANGMATCHES(LANG(?{n}_ja), 'ja') || LANG(?{n}_ja) = '') }}\n"
    "OPTIONAL {{ {v} skos:prefLabel|rdfs:label|eli:title|dct:title|foaf:name ?{n}_en "
    "FILTER(LANGMATCHES(LANG(?{n}_en), 'en')) }}\n"
)


def _label(var: str, name: str) -> str:
    return _LABEL.format(v=var, n=name)


KINDS = {  # rdf:type → page kind, most specific first
    PREFIXES["renkei"] + "Agreement": "agreement",
    PREFIXES["renkei"] + "Initiative": "initiative",
    PREFIXES["renkei"] + "Area": "area",
    PREFIXES["renkei"] + "Municipality": "municipality",
    PREFIXES["renkei"] + "Prefecture": "municipality",
    PREFIXES["skos"] + "Concept": "concept",
    PREFIXES["skos"] + "ConceptScheme": "concept",
    PREFIXES["renkei"] + "SourceDocument": "source",
}


async def kind_of(ctx: ServerContext, iri: str) -> tuple[str, list[str]] | None:
    """The page kind of ``iri`` and its types, or None if the dataset never mentions it."""
    rows = await select(
        ctx,
        f"SELECT ?t ?in {{ {{ <{iri}> ?p ?o OPTIONAL {{ <{iri}> a ?t }} }} "
        f"UNION {{ ?s ?p <{iri}> BIND(true AS ?in) }} }} LIMIT 200",
    )
    if not rows:
        return None
    types = sorted({r["t"] for r in rows if "t" in r})
    for t, kind in KINDS.items():
        if t in types:
            return kind, types
    return "resource", types


async def _properties(ctx: ServerContext, iri: str) -> dict[str, Any]:
    out = await select(
        ctx,
        f"SELECT ?p ?o ?ol_ja ?ol_en {{ <{iri}> ?p ?o {_label('?o', 'ol')} }} ORDER BY ?p ?o",
        limit=2000,
        key=("p", "o"),
    )
    incoming = await select(
        ctx,
        f"SELECT ?s ?p {{ ?s ?p <{iri}> {_label('?s', 'sl')} }} ORDER BY ?p ?s",
        limit=500,
        key=("p", "s"),
    )
    return {"properties": out, "incoming": incoming}


async def _agreement(ctx: ServerContext, iri: str) -> dict[str, Any]:
    main = await select(
        ctx,
        f"""SELECT ?title ?date ?printed ?area ?area_ja ?area_en ?central ?preamble ?closing ?source ?file {{
      <{iri}> dct:title ?title .
      OPTIONAL {{ <{iri}> eli:date_document ?date }} OPTIONAL {{ <{iri}> renkei:printedDate ?printed }}
      OPTIONAL {{ <{iri}> renkei:area ?area OPTIONAL {{ ?area skos:prefLabel ?area_ja
      FILTER(LANG(?area_ja) = 'ja') }}
      OPTIONAL {{ ?area skos:prefLabel|rdfs:label ?area_en FILTER(LANG(?area_en) = 'en') }} }}
      OPTIONAL {{ <{iri}> renkei:centralCity ?central }} OPTIONAL {{ <{iri}> renkei:preamble ?preamble }}
      OPTIONAL {{ <{iri}> renkei:closingFormula ?closing }}
      OPTIONAL {{ <{iri}> prov:wasDerivedFrom ?source OPTIONAL {{ ?source dct:title ?file }} }}
    }} LIMIT 1""",
    )
    parties = await select(
        ctx,
        f"""SELECT ?party ?party_ja ?party_en ?code {{ <{iri}> renkei:party ?party .
      OPTIONAL {{ ?party renkei:localGovernmentCode ?code }} {_label("?party", "party")} }} ORDER BY ?code""",
        key=("party",),
    )
    articles = await select(
        ctx,
        f"""SELECT ?article ?number ?heading ?text ?first ?last {{
      <{iri}> eli:has_part ?article . ?article a renkei:Article ; renkei:number ?number .
      OPTIONAL {{ ?article renkei:heading ?heading }} OPTIONAL {{ ?article renkei:text ?text }}
      OPTIONAL {{ ?article prov:wasDerivedFrom ?ex . ?ex renkei:firstLine ?first ; renkei:lastLine ?last }}
    }} ORDER BY ?number""",
    )
    initiatives = await select(
        ctx,
        f"""SELECT ?i ?id ?title ?content ?pillar ?pnot ?number ?cat ?cat_ja ?cat_en ?first ?last {{
      <{iri}> renkei:initiative ?i . ?i dct:title ?title .
      OPTIONAL {{ ?i dct:identifier ?id }} OPTIONAL {{ ?i renkei:content ?content }}
      OPTIONAL {{ ?i renkei:number ?number }}
      OPTIONAL {{ ?i renkei:pillar ?pillar OPTIONAL {{ ?pillar skos:notation ?pnot }} }}
      OPTIONAL {{ ?i renkei:category ?cat OPTIONAL {{ ?cat skos:prefLabel ?cat_ja
      FILTER(LANG(?cat_ja) = 'ja') }}
      OPTIONAL {{ ?cat skos:prefLabel|rdfs:label ?cat_en FILTER(LANG(?cat_en) = 'en') }} }}
      OPTIONAL {{ ?i prov:wasDerivedFrom ?ex . ?ex renkei:firstLine ?first ; renkei:lastLine ?last }}
    }} ORDER BY ?pnot ?number ?cat""",  # ?cat: the same category first on every store and engine
        key=("i",),
    )
    roles = await select(
        ctx,
        f"""SELECT ?i ?actor ?text ?lead {{
      <{iri}> renkei:initiative ?i . ?i renkei:role ?r . ?r renkei:actor ?actor .
      OPTIONAL {{ ?r renkei:text ?text }} OPTIONAL {{ ?r renkei:lead ?lead }} }}""",
    )
    pillars = await select(
        ctx,
        """SELECT ?pillar ?pnot ?pillar_ja ?pillar_en { ?pillar skos:topConceptOf ?s ; skos:notation ?pnot .
      OPTIONAL { ?pillar skos:prefLabel ?pillar_ja FILTER(LANG(?pillar_ja) = 'ja') }
      OPTIONAL { ?pillar skos:prefLabel|rdfs:label ?pillar_en FILTER(LANG(?pillar_en) = 'en') } } ORDER BY ?pnot""",
    )
    signatories = await select(
        ctx,
        f"""SELECT ?sig ?for ?title ?name ?person ?person_ja ?person_en {{
      <{iri}> renkei:signatory ?sig . OPTIONAL {{ ?sig renkei:onBehalfOf ?for }}
      OPTIONAL {{ ?sig renkei:printedTitle ?title }} OPTIONAL {{ ?sig renkei:printedName ?name }}
      OPTIONAL {{ ?sig renkei:identifiedAs ?person {_label("?person", "person")} }} }} ORDER BY ?for""",
        key=("sig",),
    )
    by_initiative: dict[str, dict[str, Row]] = {}
    for role in roles:
        by_initiative.setdefault(role["i"], {})[role["actor"]] = role
    for row in initiatives:
        row["roles"] = by_initiative.get(row["i"], {})  # type: ignore[assignment]
    sections = [
        {"pillar": p, "initiatives": [i for i in initiatives if i.get("pillar") == p["pillar"]]}
        for p in pillars
    ]
    sections = [s for s in sections if s["initiatives"]]
    unplaced = [i for i in initiatives if not any(i in s["initiatives"] for s in sections)]
    if unplaced:
        sections.append({"pillar": {}, "initiatives": unplaced})
    return {
        "main": main[0] if main else {},
        "parties": parties,
        "articles": articles,
        "sections": sections,
        "signatories": signatories,
        "initiative_count": len(initiatives),
    }


async def _initiative(ctx: ServerContext, iri: str) -> dict[str, Any]:
    main = await select(
        ctx,
        f"""SELECT ?title ?id ?content ?pillar ?pillar_ja ?pillar_en ?cat ?cat_ja ?cat_en ?agreement
      ?agreement_ja ?first ?last {{
      <{iri}> dct:title ?title . OPTIONAL {{ <{iri}> dct:identifier ?id }}
      OPTIONAL {{ <{iri}> renkei:content ?content }}
      OPTIONAL {{ <{iri}> renkei:pillar ?pillar OPTIONAL {{ ?pillar skos:prefLabel ?pillar_ja
      FILTER(LANG(?pillar_ja)='ja') }}
      OPTIONAL {{ ?pillar skos:prefLabel|rdfs:label ?pillar_en FILTER(LANG(?pillar_en)='en') }} }}
      OPTIONAL {{ <{iri}> renkei:category ?cat OPTIONAL {{ ?cat skos:prefLabel ?cat_ja
      FILTER(LANG(?cat_ja)='ja') }}
      OPTIONAL {{ ?cat skos:prefLabel|rdfs:label ?cat_en FILTER(LANG(?cat_en)='en') }} }}
      OPTIONAL {{ ?agreement renkei:initiative <{iri}> ; dct:title ?agreement_ja }}
      OPTIONAL {{ <{iri}> prov:wasDerivedFrom ?ex . ?ex renkei:firstLine ?first ; renkei:lastLine ?last }}
    }} LIMIT 1""",
    )
    roles = await select(
        ctx,
        f"""SELECT ?actor ?actor_ja ?actor_en ?text ?lead {{ <{iri}> renkei:role ?r . ?r renkei:actor ?actor .
      OPTIONAL {{ ?r renkei:text ?text }} OPTIONAL {{ ?r renkei:lead ?lead }} {_label("?actor", "actor")}
      }} ORDER BY ?actor""",
        key=("actor",),
    )
    return {"main": main[0] if main else {}, "roles": roles}


async def _municipality(ctx: ServerContext, iri: str) -> dict[str, Any]:
    main = await select(
        ctx,
        f"""SELECT ?code ?sac ?pref ?pref_ja ?pref_en ?label_ja ?label_en {{
      OPTIONAL {{ <{iri}> renkei:localGovernmentCode ?code }}
      OPTIONAL {{ <{iri}> renkei:standardAreaCode ?sac }}
      OPTIONAL {{ <{iri}> renkei:prefecture ?pref {_label("?pref", "pref")} }} {_label(f"<{iri}>", "label")}
      }} LIMIT 1""",
    )
    agreements = await select(
        ctx,
        f"""SELECT ?a ?title ?date {{ ?a renkei:party <{iri}> ; dct:title ?title .
      OPTIONAL {{ ?a eli:date_document ?date }} }} ORDER BY ?date""",
    )
    areas = await select(
        ctx,
        f"""SELECT ?area ?area_ja ?area_en ?role ?date {{ ?m org:member <{iri}> ; org:organization ?area .
      OPTIONAL {{ ?m org:role ?role }} OPTIONAL {{ ?m renkei:agreementDate ?date }}
      {_label("?area", "area")} }} ORDER BY ?area""",
        key=("area",),
    )
    return {"main": main[0] if main else {}, "agreements": agreements, "areas": areas, "roles_ja": ROLE_JA}


async def _area(ctx: ServerContext, iri: str) -> dict[str, Any]:
    main = await select(ctx, f"SELECT ?label_ja ?label_en {{ {_label(f'<{iri}>', 'label')} }} LIMIT 1")
    members = await select(
        ctx,
        f"""SELECT ?m ?member ?member_ja ?member_en ?code ?role ?date ?agreement ?source {{
      ?m org:organization <{iri}> ; org:member ?member .
      OPTIONAL {{ ?member renkei:localGovernmentCode ?code }}
      OPTIONAL {{ ?m org:role ?role }} OPTIONAL {{ ?m renkei:agreementDate ?date }}
      OPTIONAL {{ ?m renkei:agreement ?agreement }} OPTIONAL {{ ?m dct:source ?source }}
      {_label("?member", "member")} }} ORDER BY DESC(?role = renkei:CentralCityRole) ?date ?code""",
        key=("m",),
    )
    shapes = await select(
        ctx,
        f"""SELECT ?s ?wkt {{ ?m org:organization <{iri}> ; org:member ?s . ?s geo:hasGeometry/geo:asWKT ?wkt
      FILTER NOT EXISTS {{ ?s a renkei:Prefecture }} }}""",
        key=("s",),
    )
    neighbours = await select(
        ctx,
        f"""SELECT ?s ?s_ja ?wkt {{
      {{ SELECT DISTINCT ?s {{ ?m org:organization <{iri}> ; org:member ?x . ?x geo:sfTouches ?s
        FILTER NOT EXISTS {{ ?m2 org:organization <{iri}> ; org:member ?s }} }} }}
      ?s geo:hasGeometry/geo:asWKT ?wkt {_label("?s", "s")} }} ORDER BY ?s""",
        key=("s",),
    )
    label = (main[0].get("label_ja") if main else None) or iri
    areas = map_areas([{**r, "area": iri, "area_ja": label} for r in members])
    geometry = wkt_geometry(shapes) | wkt_geometry(neighbours)
    drawn = areas[0].members if areas else ()
    draw = partial(
        map_svg, areas, geometry, background=[(r["s"], r.get("s_ja") or r["s"]) for r in neighbours],
        frame=bounds(geometry[m.iri] for m in drawn if m.iri in geometry), width=560, label_central=True,
        href=lambda i: ctx.local_path(i) or i, id_prefix="area-map")
    area_map = draw(
        title=f"{label}の構成団体の地図",
        desc=(f"{label}の構成団体 {len(drawn)}（地図に描いたもの {sum(m.iri in geometry for m in drawn)}）"
              f"と、隣接する市町村 {len(neighbours)}（灰色）。"),
    ) if drawn else ""
    # the page picks the drawings of its language (a view has no request: both are made, the English
    # one by swapping the words of the Japanese one)
    label_en = (main[0].get("label_en") if main else None) or label
    area_map_en = english_svg(
        draw(title="", desc="", lang="en"), "area-map", f"Map of the members of {label_en}",
        f"The {len(drawn)} members of the area ({sum(m.iri in geometry for m in drawn)} drawn) and, in grey, "
        f"the {len(neighbours)} municipalities bordering them.",
    ) if area_map else ""
    timeline = area_timeline(iri, label, members)
    dated = sum(1 for r in members if r.get("date"))
    timeline_en = english_svg(
        area_timeline(iri, label, members, "en"), "timeline", f"Dates of the cooperation agreements of {label_en}",
        f"The agreement dates of the {dated} dated members of {label_en}, those signed the same day together.",
    ) if timeline else ""
    timeline = english_svg(  # kg.svg.timeline describes it in both languages: the Japanese page says it in one
        timeline, "timeline", f"{label}の連携協約の締結日",
        f"{label}の構成団体のうち締結日のわかる {dated} 団体の協約締結日（同じ日のものはまとめて示す）。", lang="ja",
    ) if timeline else ""
    return {"main": main[0] if main else {}, "members": members, "map": inline(area_map), "roles_ja": ROLE_JA,
            "map_en": inline(area_map_en), "timeline": inline(timeline), "timeline_en": inline(timeline_en)}


async def _concept(ctx: ServerContext, iri: str) -> dict[str, Any]:
    main = await select(
        ctx,
        f"""SELECT ?notation ?label_ja ?label_en ?definition ?note ?broader ?broader_ja ?broader_en {{
      OPTIONAL {{ <{iri}> skos:notation ?notation }} OPTIONAL {{ <{iri}> skos:definition ?definition }}
      OPTIONAL {{ <{iri}> skos:editorialNote ?note }}
      OPTIONAL {{ <{iri}> skos:broader ?broader {_label("?broader", "broader")} }}
      {_label(f"<{iri}>", "label")} }} LIMIT 1""",
    )
    narrower = await select(
        ctx,
        f"""SELECT ?c ?notation ?c_ja ?c_en {{ {{ <{iri}> skos:narrower ?c }} UNION
      {{ ?c skos:broader <{iri}> }} UNION {{ ?c skos:topConceptOf <{iri}> }}
      OPTIONAL {{ ?c skos:notation ?notation }} {_label("?c", "c")} }} ORDER BY ?notation""",
        key=("c",),
    )
    initiatives = await select(
        ctx,
        f"""SELECT DISTINCT ?i ?title ?id ?a ?a_ja {{ ?i renkei:pillar|renkei:category <{iri}> ;
      dct:title ?title . OPTIONAL {{ ?i dct:identifier ?id }}
      OPTIONAL {{ ?a renkei:initiative ?i ; dct:title ?a_ja }} }} ORDER BY ?a ?id""",
        key=("i",),
    )
    # a scheme lists every concept in it, nested by skos:broader (the pillars, then their categories)
    scheme = await select(
        ctx,
        f"""SELECT ?c ?notation ?c_ja ?c_en ?broader {{ ?c skos:inScheme <{iri}>
      FILTER NOT EXISTS {{ ?c skos:topConceptOf <{iri}> }}
      OPTIONAL {{ ?c skos:notation ?notation }} OPTIONAL {{ ?c skos:broader ?broader }} {_label("?c", "c")} }}
      ORDER BY ?notation""",
        key=("c",),
    )
    under: dict[str, list[Row]] = {}
    for row in scheme:
        under.setdefault(row.get("broader", ""), []).append(row)

    def nest(row: Row, depth: int = 0) -> dict[str, Any]:
        children = under.get(row["c"], []) if depth < 8 else []
        return {**row, "children": [nest(c, depth + 1) for c in children]}

    tree = [nest(top) for top in narrower] if scheme else []
    return {"main": main[0] if main else {}, "narrower": narrower, "initiatives": initiatives, "tree": tree}


async def _source(ctx: ServerContext, iri: str) -> dict[str, Any]:
    """A source document's excerpts, each under the anchor its IRI's fragment names (「#L13-L15」), with
    what was read from it: the targets of every provenance link into the document land on the page."""
    excerpts = await select(
        ctx,
        f"""SELECT ?e ?first ?last ?x ?x_ja ?x_en {{ ?e renkei:sourceDocument <{iri}> ;
      renkei:firstLine ?first ; renkei:lastLine ?last .
      OPTIONAL {{ ?x prov:wasDerivedFrom ?e {_label("?x", "x")} }} }} ORDER BY ?first ?last ?e ?x""",
        limit=5000,
    )
    grouped: dict[str, dict[str, Any]] = {}
    for row in excerpts:
        entry = grouped.setdefault(row["e"], {"e": row["e"], "anchor": row["e"].partition("#")[2],
                                               "first": row["first"], "last": row["last"], "read": []})
        if "x" in row:
            entry["read"].append(row)
    return {"excerpts": list(grouped.values())}


_VIEWS = {
    "agreement": _agreement,
    "initiative": _initiative,
    "municipality": _municipality,
    "area": _area,
    "concept": _concept,
    "source": _source,
}


async def view(ctx: ServerContext, kind: str, iri: str) -> dict[str, Any]:
    """The data of the page for ``iri``: the kind's own view plus every property (the fallback)."""
    data = await _properties(ctx, iri)
    if kind in _VIEWS:
        data.update(await _VIEWS[kind](ctx, iri))
    return data
