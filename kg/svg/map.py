"""Maps of the areas, drawn server-side as SVG from the boundaries the graph publishes (``geo:asWKT``).

No tile server and no map library: a map is the areas' member municipalities as filled paths in
an equirectangular projection (longitude scaled by the cosine of the middle latitude, which is
true enough over Japan's extent), the prefectures or the neighbouring municipalities in grey
behind, each central city marked with a disc. Each area is a link to its page; each municipality
carries a ``<title>`` (its name, role and area: the browser's tooltip), each area's link one
naming all its members. Every map prints the credit the boundaries' terms require (:data:`kg.reference.geo.CREDIT`).

Reading is the caller's (the server's views run SPARQL); ``map_svg`` draws data made anywhere,
so tests draw maps of data made in the test.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.reference.geo import CREDIT, CREDIT_EN, MultiPolygon
from kg.svg.draw import attr, document, esc, text

__all__ = ["AREA_COLOURS", "JAPAN", "MapArea", "MapMember", "area_colours", "bounds", "centroid", "map_svg"]

#: The frame of the map of Japan (west, south, east, north): the four main islands and those
#: near them; Okinawa and the Ogasawara islands, where no area of the registry lies, are outside.
JAPAN = (128.6, 30.9, 146.0, 45.6)
#: Okabe–Ito colours and two more, for areas; neighbouring areas get different ones.
AREA_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999933")
_GREY, _EDGE, _MARK = "#e4e4e4", "#ffffff", "#222222"

Frame = tuple[float, float, float, float]


@dataclass(frozen=True)
class MapMember:
    """A member of an area as the map shows it: its IRI, name and role (in words, Japanese).

    A prefecture partner is named, not drawn: its shape would cover the area's municipalities."""

    iri: str
    name: str
    role: str
    central: bool = False
    prefecture: bool = False


@dataclass(frozen=True)
class MapArea:
    """An area and its members."""

    iri: str
    label: str
    members: tuple[MapMember, ...]


def area_colours(areas: Sequence[MapArea], neighbours: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A colour per area, different for areas that border each other (greedy, most neighbours first).

    >>> a, b, c = (MapArea(x, x, ()) for x in "abc")
    >>> area_colours([a, b, c], [("a", "b"), ("b", "c")])
    {'b': '#0072B2', 'a': '#E69F00', 'c': '#E69F00'}
    """
    adjacent: dict[str, set[str]] = {a.iri: set() for a in areas}
    for x, y in neighbours:
        if x in adjacent and y in adjacent and x != y:
            adjacent[x].add(y)
            adjacent[y].add(x)
    colours: dict[str, str] = {}
    for iri in sorted(adjacent, key=lambda i: (-len(adjacent[i]), i)):
        taken = {colours[n] for n in adjacent[iri] if n in colours}
        free = [c for c in AREA_COLOURS if c not in taken]
        colours[iri] = free[0] if free else AREA_COLOURS[len(colours) % len(AREA_COLOURS)]
    return colours


def centroid(polygons: MultiPolygon) -> tuple[float, float] | None:
    """The centroid of the largest polygon's outer ring (where a municipality's mark goes).

    >>> centroid([[[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]]])
    (1.0, 1.0)
    """
    best: tuple[float, float, float] | None = None
    for polygon in polygons:
        ring = polygon[0]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > abs(best[0])):
            best = (a, cx / (3 * a), cy / (3 * a))
    return (best[1], best[2]) if best else None


def bounds(polygons: Iterable[MultiPolygon], margin: float = 0.08) -> Frame | None:
    """The frame around ``polygons``, widened by ``margin`` of its size on each side."""
    points = [p for mp in polygons for polygon in mp for p in polygon[0]]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    if not xs:
        return None
    dx, dy = max(max(xs) - min(xs), 0.05), max(max(ys) - min(ys), 0.05)
    return (min(xs) - dx * margin, min(ys) - dy * margin, max(xs) + dx * margin, max(ys) + dy * margin)


class _Projection:
    """Longitude/latitude to pixels: equirectangular, x scaled by cos(middle latitude)."""

    def __init__(self, frame: Frame, width: float) -> None:
        self.west, self.south, self.east, self.north = frame
        self.k = math.cos(math.radians((self.south + self.north) / 2))
        self.scale = width / ((self.east - self.west) * self.k)
        self.width, self.height = width, (self.north - self.south) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.k * self.scale, (self.north - lat) * self.scale

    def outside(self, polygons: MultiPolygon) -> bool:
        lons = [x for polygon in polygons for x, _ in polygon[0]]
        lats = [y for polygon in polygons for _, y in polygon[0]]
        return (not lons or max(lons) < self.west or min(lons) > self.east
                or max(lats) < self.south or min(lats) > self.north)


def _path(polygons: MultiPolygon, proj: _Projection, step: float) -> str:
    """SVG path data of ``polygons``; points nearer than ``step`` px to the last kept are skipped,
    and positions are written to the pixel when a step is a pixel or more (a map of Japan). A
    shape smaller than that (北方町 on the map of Japan) is drawn with every point, so none vanishes."""
    digits = 0 if step >= 1 else 1
    parts = []
    for polygon in polygons:
        for ring in polygon:
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = proj(lon, lat)
                if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= step:
                    kept.append((x, y))
            if len(kept) >= 3:
                xs, ys = [x for x, _ in kept], [y for _, y in kept]
                fine = max(digits, 1 if min(max(xs) - min(xs), max(ys) - min(ys)) < 3 else 0)  # a sliver
                parts.append("M" + " ".join(f"{x:.{fine}f} {y:.{fine}f}" for x, y in kept) + "Z")
    return "".join(parts) or (_path(polygons, proj, 0) if step else "")


#: The roles' words (kg.server.drawings.ROLE_JA) in English, for a drawing on an English page.
_ROLES_EN = {"中心市": "central city", "連携市町村": "partner", "連携する県": "partner prefecture",
             "役割の記載なし": "role not stated"}


def _role_en(role: str) -> str:
    return _ROLES_EN.get(role, role)


def _role(role: str, en: bool) -> str:
    """「（中心市）」, or 「 (central city)」 on an English page."""
    return f" ({esc(_role_en(role))})" if en else f"（{esc(role)}）"


def map_svg(areas: Sequence[MapArea], geometry: Mapping[str, MultiPolygon], *,
            background: Sequence[tuple[str, str]] = (), colours: Mapping[str, str] | None = None,
            frame: Frame | None = None, width: float = 720, label_central: bool = False,
            href: Callable[[str], str] = str, title: str, desc: str, id_prefix: str = "map",
            lang: str = "ja") -> str:
    """The areas on a map: each member's shape filled in its area's colour, central cities marked.

    ``geometry`` maps IRIs to polygons; ``background`` is ``(iri, name)`` of shapes drawn in grey
    behind (prefectures, or an area's neighbours); ``frame`` is (west, south, east, north), by
    default the members' extent; ``href`` makes an area's link from its IRI. Members without
    geometry are named in the area's title only. The drawing's own words (the legend, the tooltips'
    「（3 団体）」 and roles) are in ``lang`` (``ja`` or ``en``); the names are the data's, as printed.
    """
    en = lang == "en"
    colours = colours or {a.iri: AREA_COLOURS[n % len(AREA_COLOURS)] for n, a in enumerate(areas)}
    frame = frame or bounds(geometry[m.iri] for a in areas for m in a.members
                            if m.iri in geometry and not m.prefecture) or JAPAN
    proj = _Projection(frame, width)
    step = 1.0 if len(areas) > 1 else 0.4
    legend_h = 72
    body = [f'<g class="background" fill="{_GREY}" stroke="{_EDGE}" stroke-width="0.6">']
    for iri, name in background:
        if iri in geometry and not proj.outside(geometry[iri]):
            body.append(f'<path class="place" data-iri={attr(iri)} d="{_path(geometry[iri], proj, step)}">'
                        f"<title>{esc(name)}</title></path>")
    body.append("</g>")
    marks = []
    for area in areas:
        drawn = [m for m in area.members
                 if m.iri in geometry and not m.prefecture and not proj.outside(geometry[m.iri])]
        if en:
            names = ", ".join(f"{m.name} ({_role_en(m.role)})" if m.central else m.name for m in area.members)
            heading = f"{area.label} ({len(area.members)} members): {names}"
        else:
            names = "、".join(f"{m.name}（{m.role}）" if m.central else m.name for m in area.members)
            heading = f"{area.label}（{len(area.members)} 団体）：{names}"
        body.append(f'<a class="area" href={attr(href(area.iri))} data-area={attr(area.iri)} '
                    f'data-members="{len(area.members)}">'
                    f"<title>{esc(heading)}</title>"
                    f'<g fill="{colours.get(area.iri, AREA_COLOURS[0])}" fill-opacity="0.8" stroke="{_EDGE}" '
                    'stroke-width="0.5">')
        for m in drawn:
            body.append(f'<path class="member" data-iri={attr(m.iri)} d="{_path(geometry[m.iri], proj, step)}">'
                        f"<title>{esc(m.name)}{_role(m.role, en)} — {esc(area.label)}</title></path>")
        body.append("</g>")
        for m in drawn:  # in the link: the mark of a central city leads to its area too
            point = centroid(geometry[m.iri]) if m.central else None
            if point:
                x, y = proj(*point)
                body.append(f'<circle class="central" data-iri={attr(m.iri)} cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                            f'fill="{_MARK}" stroke="#ffffff" stroke-width="1.2">'
                            f"<title>{esc(m.name)}{_role('中心市', en)} — {esc(area.label)}</title></circle>")
                if label_central:
                    marks.append(text(x + 6, y - 5, m.name, size=12, extra=' font-weight="bold" fill="#222222" '
                                      'stroke="#ffffff" stroke-width="3" paint-order="stroke" pointer-events="none"'))
        body.append("</a>")
    body += marks
    y = proj.height + 16
    body.append(f'<circle cx="10" cy="{y - 4:.1f}" r="3.5" fill="{_MARK}" stroke="#ffffff" stroke-width="1.2"/>')
    legend = ("central city; coloured: the members of an area (hover a shape for its name)" if en else
              "中心市　色の付いた市町村：圏域の構成団体（形に重ねると名前）")
    body.append(text(18, y, legend, size=11, extra=' fill="#444444"'))
    # the source's terms require the Japanese credit on every map; an English page adds its translation
    body.append(text(10, y + 35, CREDIT, size=10, extra=' fill="#444444" class="credit" lang="ja"'))
    if en:
        body.append(text(10, y + 50, CREDIT_EN, size=9, extra=' fill="#444444"'))
    return document(width, proj.height + legend_h, title, desc, body, id_prefix=id_prefix)
