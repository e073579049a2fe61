"""Boundaries of municipalities and prefectures, and which municipalities border which (GeoSPARQL).

The boundaries are the simplified 国土数値情報 N03 (2021) in ``data/reference/geo/`` (README there):
TopoJSON, wards of designated cities merged into their city. ``geometry_graph`` makes the named
graph ``graph/geometry``: each local government ``geo:hasGeometry`` a ``geo:Geometry`` whose
``geo:asWKT`` is its (multi)polygon in WGS 84 longitude/latitude, rounded to :data:`DECIMALS`
places (about 100 m: a map of a prefecture needs no more, and the dump stays small), and
``geo:sfTouches`` between municipalities whose boundaries touch. Eleven small municipalities (利島村,
向日市, 大治町…) have no boundary: the source's 0.1 % simplification left them without a shape.

TopoJSON is decoded here rather than by a library: the one on PyPI that reads it (pytopojson,
last released 2022) converts to GeoJSON dicts only, and the part needed is twenty lines — arcs
are delta-encoded integer positions, scaled by the file's ``transform``, and a ring is its arcs
end to end (``~i`` is arc ``i`` reversed; each arc after the first repeats the previous end
point). TopoJSON also gives the adjacency without geometry operations: two municipalities touch
when their rings share an arc, since the topology stores a shared boundary once. (Two that meet
at a single point only share no arc and are not said to touch; at this simplification such
point contacts are artefacts anyway.)

>>> wkt([[[(139.0, 35.0), (139.5, 35.0), (139.0, 35.5), (139.0, 35.0)]]])
'MULTIPOLYGON(((139 35,139.5 35,139 35.5,139 35)))'
>>> parse_wkt(wkt([[[(139.0, 35.0), (139.5, 35.0), (139.0, 35.5), (139.0, 35.0)]]]))
[[[(139.0, 35.0), (139.5, 35.0), (139.0, 35.5), (139.0, 35.0)]]]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import cast

from rdflib import RDF, Graph, Literal, URIRef

from kg.errors import ReferenceDataError
from kg.namespaces import GEO, bind_prefixes
from kg.reference.codes import check_digit
from kg.reference.tables import load_registry
from kg.settings import Settings

__all__ = [
    "CREDIT", "CREDIT_EN", "DECIMALS", "MultiPolygon", "Shape", "geometry_graph", "parse_wkt", "read_topojson",
    "shapes", "touching", "wkt",
]

#: The credit the source's terms require wherever a map made from it is shown.
CREDIT = "出典：国土交通省国土数値情報ダウンロードサイト（行政区域データ）を加工して作成"
CREDIT_EN = "Source: MLIT National Land Numerical Information (administrative areas, N03), processed"
MUNICIPALITIES_FILE = "municipalities-2021-designated-city.topojson"
PREFECTURES_FILE = "prefectures.topojson"
#: Decimal places of the published coordinates: 0.001° is about 90 m east–west, 110 m north–south.
DECIMALS = 3

Point = tuple[float, float]
Ring = list[Point]
#: Polygons, each an outer ring and its holes; rings closed (first point repeated last).
MultiPolygon = list[list[Ring]]


@dataclass(frozen=True)
class Shape:
    """One local government's boundary: its 6-digit code, name, polygons and the arcs they use."""

    code: str
    name: str
    polygons: MultiPolygon
    arcs: frozenset[int]


def _decode_arcs(topology: dict[str, object]) -> list[list[Point]]:
    """Every arc as absolute longitude/latitude points (quantized arcs are delta-encoded)."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = ((transform["scale"], transform["translate"]) if isinstance(transform, dict)
                          else ((1.0, 1.0), (0.0, 0.0)))
    arcs = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform is not None:
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """A ring from its arcs (``~i``, i.e. ``-i - 1``, is arc ``i`` reversed), rounded, repeats dropped."""
    ring: Ring = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        for lon, lat in points[1:] if ring else points:
            p = (round(lon, DECIMALS), round(lat, DECIMALS))
            if not ring or ring[-1] != p:
                ring.append(p)
    return ring


def _closed(ring: Ring) -> bool:
    return len(ring) >= 4 and ring[0] == ring[-1]


def _polygons(geometry: dict[str, object], arcs: list[list[Point]]) -> tuple[MultiPolygon, set[int]]:
    kind, raw = geometry.get("type"), geometry.get("arcs") or []
    nested = cast(list[list[list[int]]], [raw] if kind == "Polygon" else raw if kind == "MultiPolygon" else [])
    polygons: MultiPolygon = []
    used: set[int] = set()
    for polygon in nested:
        used.update(i if i >= 0 else ~i for r in polygon for i in r)
        outer, *holes = [_ring(r, arcs) for r in polygon]
        if _closed(outer):  # a ring too small to survive rounding is dropped (a hole too)
            polygons.append([outer, *(h for h in holes if _closed(h))])
    return polygons, used


def read_topojson(path: Path) -> list[tuple[dict[str, str], MultiPolygon, frozenset[int]]]:
    """Every geometry of the file's (first) object: its properties, polygons and the arcs it uses."""
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        arcs = _decode_arcs(topology)
        (collection,) = list(topology["objects"].values())[:1]
        out = []
        for geometry in collection["geometries"]:
            polygons, used = _polygons(geometry, arcs)
            out.append(({k: v for k, v in (geometry.get("properties") or {}).items() if v is not None},
                        polygons, frozenset(used)))
        return out
    except OSError as e:
        raise ReferenceDataError(f"cannot read boundaries: {e.strerror}", file=path,
                                 ja=f"境界データを読めません：{e.strerror}") from e
    except (ValueError, KeyError, TypeError, IndexError) as e:
        raise ReferenceDataError(f"not a TopoJSON topology: {e}", file=path,
                                 ja=f"TopoJSON として読めません：{e}") from e


@cache
def shapes(ref_dir: Path) -> dict[str, Shape]:
    """The boundary of every local government of the registry that the files have, by code.

    Municipalities are matched by code (the file's 5 digits and the check digit); prefectures by
    name. A code of the files that the registry lacks (a municipality merged after 2021) is left out.
    """
    reg = load_registry(ref_dir)
    out: dict[str, Shape] = {}
    for props, polygons, used in read_topojson(ref_dir / "geo" / MUNICIPALITIES_FILE):
        five = props.get("N03_007", "")
        code = five + check_digit(five) if re.fullmatch(r"\d{5}", five) else ""
        if code in reg.municipalities and polygons:
            out[code] = Shape(code, reg.municipalities[code].name, polygons, used)
    prefectures = {m.name: m.code for m in reg.municipalities.values() if m.kind == "prefecture"}
    for props, polygons, used in read_topojson(ref_dir / "geo" / PREFECTURES_FILE):
        code = prefectures.get(props.get("N03_001", ""), "")
        if code and polygons:
            out[code] = Shape(code, props["N03_001"], polygons, used)
    return out


def touching(by_code: dict[str, Shape]) -> set[tuple[str, str]]:
    """Pairs (a, b), a < b, of municipalities (not prefectures) whose boundaries share an arc."""
    users: dict[int, set[str]] = {}
    for code, shape in by_code.items():
        if not code.endswith("000", 0, 5):  # a prefecture's code is its 2 digits and "000"
            for arc in shape.arcs:
                users.setdefault(arc, set()).add(code)
    return {pair for codes in users.values() if len(codes) > 1 for pair in combinations(sorted(codes), 2)}


def _number(value: float) -> str:
    return f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")


def wkt(polygons: MultiPolygon) -> str:
    """Polygons as an OGC Simple Features WKT ``MULTIPOLYGON`` (longitude first, as CRS84)."""
    return "MULTIPOLYGON(" + ",".join(
        "(" + ",".join("(" + ",".join(f"{_number(x)} {_number(y)}" for x, y in ring) + ")" for ring in polygon) + ")"
        for polygon in polygons) + ")"


_NUMBER_PAIR = re.compile(r"(-?[\d.]+(?:[eE][-+]?\d+)?)\s+(-?[\d.]+(?:[eE][-+]?\d+)?)")


def parse_wkt(text: str) -> MultiPolygon:
    """A WKT ``POLYGON`` or ``MULTIPOLYGON`` (optionally after a ``<CRS IRI>``) as polygons.

    A map draws what the graph publishes, so it reads the WKT back; anything else (a point, a
    line, an empty geometry) gives no polygons.
    """
    body = re.sub(r"^\s*<[^>]*>\s*", "", text).strip()
    kind, _, rest = body.partition("(")
    kind = kind.strip().upper()
    if kind not in ("POLYGON", "MULTIPOLYGON"):
        return []
    polygons: MultiPolygon = []
    for chunk in re.split(r"\)\s*\)\s*,\s*\(\s*\(", "(" + rest) if kind == "MULTIPOLYGON" else ["(" + rest]:
        rings = [[(float(x), float(y)) for x, y in _NUMBER_PAIR.findall(r)]
                 for r in re.split(r"\)\s*,\s*\(", chunk)]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polygons.append(rings)
    return polygons


def geometry_graph(settings: Settings) -> Graph:
    """The named graph of boundaries: ``geo:hasGeometry``/``geo:asWKT`` for every local government
    with a boundary, ``geo:sfTouches`` (both ways) between municipalities that border each other."""
    ref = settings.data_path / "reference"
    by_code = shapes(ref)
    ids = settings.ids
    g = Graph()
    bind_prefixes(g, settings.base_iri)
    for code, shape in sorted(by_code.items()):
        s = ids.municipality(code)
        geometry = URIRef(f"{s}/geometry")
        g.add((s, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        g.add((geometry, GEO.asWKT, Literal(wkt(shape.polygons), datatype=GEO.wktLiteral)))
    for a, b in sorted(touching(by_code)):
        g.add((ids.municipality(a), GEO.sfTouches, ids.municipality(b)))
        g.add((ids.municipality(b), GEO.sfTouches, ids.municipality(a)))
    return g
