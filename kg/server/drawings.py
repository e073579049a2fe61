"""The drawings of the pages: maps of areas and their members, an area's timeline, and their English form.

Made from rows the views asked (kg.server.views) with kg.svg's drawing functions.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.reference.geo import MultiPolygon, parse_wkt
from kg.server.rows import Row
from kg.svg.draw import esc
from kg.svg.map import MapArea, MapMember
from kg.svg.timeline import Mark, Timeline, TimelineRow, timeline_svg

__all__ = ["ROLE_JA", "area_timeline", "english_svg", "inline", "map_areas", "wkt_geometry"]


#: A membership's role in words, as the maps and the area page name it.
ROLE_JA = {"CentralCityRole": "中心市", "PartnerRole": "連携市町村", "PrefecturePartnerRole": "連携する県",
           "UnstatedRole": "役割の記載なし"}


def map_areas(rows: list[Row]) -> list[MapArea]:
    """Areas and their members for a map, from rows of ``?area ?area_ja ?member ?member_ja ?role``
    (a prefecture partner is named in its area's title, not drawn: it would cover the others)."""
    areas: dict[str, tuple[str, list[MapMember]]] = {}
    for r in rows:
        role = r.get("role", "").rpartition("#")[2]
        members = areas.setdefault(r["area"], (r.get("area_ja") or r["area"], []))[1]
        members.append(MapMember(r["member"], r.get("member_ja") or r["member"],
                                 ROLE_JA.get(role, ROLE_JA["UnstatedRole"]), central=role == "CentralCityRole",
                                 prefecture=role == "PrefecturePartnerRole"))
    return [MapArea(iri, label, tuple(sorted(members, key=lambda m: not m.central)))
            for iri, (label, members) in areas.items()]


def wkt_geometry(rows: list[Row], var: str = "s") -> dict[str, MultiPolygon]:
    """``?{var} ?wkt`` rows as polygons by IRI (the boundaries the graph publishes, kg.reference.geo)."""
    return {r[var]: parse_wkt(r["wkt"]) for r in rows if "wkt" in r}


def english_svg(svg: str, id_prefix: str, title: str, desc: str, lang: str = "en") -> str:
    """A drawing for the English page (``?lang=en``): its title and description (what a screen reader
    says) in English, and its links to our /id/ pages keeping ``?lang=en``. The names drawn, and their
    tooltips, are the data's: they stay in Japanese, as the drawing's ``lang`` says. With ``lang="ja"``,
    only the title and description are replaced (a drawing whose description was in both languages)."""
    mark = ' lang="en"' if lang == "en" else ""
    svg = re.sub(rf'<title id="{id_prefix}-title">.*?</title>',
                 lambda _: f'<title id="{id_prefix}-title"{mark}>{esc(title)}</title>', svg, count=1, flags=re.S)
    svg = re.sub(rf'<desc id="{id_prefix}-desc">.*?</desc>',
                 lambda _: f'<desc id="{id_prefix}-desc"{mark}>{esc(desc)}</desc>', svg, count=1, flags=re.S)
    return re.sub(r'href="(/id/[^"#?]*)', r'href="\1?lang=en', svg) if lang == "en" else svg


def inline(svg: str) -> str:
    """A standalone SVG document as an element to put in a page (the XML declaration dropped)."""
    return svg.split("\n", 1)[1] if svg.startswith("<?xml") else svg


def area_timeline(iri: str, label: str, members: list[Row], lang: str = "ja") -> str:
    """The area's row of the timeline (kg.svg.timeline): its members' agreement dates, those
    signed on the same day together; empty when the registry gives no date."""
    days: dict[dt.date, list[Row]] = {}
    for r in members:
        try:
            days.setdefault(dt.date.fromisoformat(r.get("date", "")[:10]), []).append(r)
        except ValueError:
            continue  # no date, or a month only: the table says it
    marks = tuple(Mark(day, tuple(r.get("member_ja") or r["member"] for r in rows), any("agreement" in r for r in rows))
                  for day, rows in sorted(days.items()))
    return timeline_svg(Timeline((TimelineRow(iri, label, marks),)), lang) if marks else ""
