"""Boundaries (kg.reference.geo: TopoJSON decoding, WKT, which municipalities touch) and maps (kg.svg.map)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import ReferenceDataError
from kg.namespaces import GEO
from kg.reference.geo import CREDIT, geometry_graph, parse_wkt, read_topojson, shapes, touching, wkt
from kg.reference.tables import load_registry
from kg.settings import Settings
from kg.svg.map import MapArea, MapMember, area_colours, map_svg

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT / "data" / "reference"
SVG = "{http://www.w3.org/2000/svg}"

#: Two squares side by side sharing arc 0 (x = 131), quantized with scale 0.5 and offset 130/30 (in
#: quanta the left is (0,0)–(2,2), the right (2,0)–(4,2)); the right square uses arc 0 reversed (~0 = -1).
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [130, 30]},
    "arcs": [
        [[2, 0], [0, 2]],  # shared edge (2,0)→(2,2), delta-encoded
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # left square's other sides: (2,2)→(0,2)→(0,0)→(2,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # right square's other sides: (2,0)→(4,0)→(4,2)→(2,2)
    ],
    "objects": {"m": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"N03_007": "07203", "N03_004": None}},
        {"type": "MultiPolygon", "arcs": [[[-1, 2]]], "properties": {"N03_007": "07210"}},
    ]}},
}


def test_topojson_arcs_are_delta_decoded_scaled_and_reversed(tmp_path: Path) -> None:
    path = tmp_path / "t.topojson"
    path.write_text(json.dumps(TOPOLOGY), encoding="utf-8")
    (left_props, left, left_arcs), (_, right, right_arcs) = read_topojson(path)
    assert left_props == {"N03_007": "07203"}  # null properties dropped
    assert left == [[[(131.0, 30.0), (131.0, 31.0), (130.0, 31.0), (130.0, 30.0), (131.0, 30.0)]]]
    assert right == [[[(131.0, 31.0), (131.0, 30.0), (132.0, 30.0), (132.0, 31.0), (131.0, 31.0)]]]
    assert left_arcs & right_arcs == {0}


def test_a_file_that_is_not_topojson_is_refused_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "bad.topojson"
    path.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    with pytest.raises(ReferenceDataError) as e:
        read_topojson(path)
    assert e.value.ja and "TopoJSON" in e.value.ja and e.value.file == str(path)


def test_wkt_round_trips_with_holes_and_several_polygons() -> None:
    polygons = [[[(139.0, 35.0), (140.0, 35.0), (140.0, 36.0), (139.0, 35.0)],
                 [(139.6, 35.2), (139.8, 35.2), (139.8, 35.4), (139.6, 35.2)]],
                [[(141.125, 37.5), (141.5, 37.5), (141.5, 38.0), (141.125, 37.5)]]]
    text = wkt(polygons)
    assert text.startswith("MULTIPOLYGON(((139 35,140 35,") and text.count("((") == 2
    assert parse_wkt(text) == polygons
    assert parse_wkt("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> " + text) == polygons
    assert parse_wkt("POINT(139 35)") == []


def test_every_registry_municipality_in_an_area_has_a_boundary() -> None:
    reg = load_registry(REF)
    by_code = shapes(REF)
    prefectures = [c for c, m in reg.municipalities.items() if m.kind == "prefecture"]
    assert all(c in by_code for c in prefectures)
    # The source's simplification lost eleven small municipalities (data/reference/geo/README.md).
    missing = {m.name for c, m in reg.municipalities.items() if c not in by_code}
    assert len(missing) == 11 and {"向日市", "大治町", "利島村"} <= missing
    members = {m.code for m in reg.memberships if reg.municipalities[m.code].kind != "prefecture"}
    assert len(members - set(by_code)) <= 1  # 上島町 (a partner of 今治) is one of the eleven
    for shape in by_code.values():  # rounded to DECIMALS, rings closed
        for polygon in shape.polygons:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(round(x, 3) == x and round(y, 3) == y for x, y in ring)


def test_touching_municipalities_share_a_boundary_and_islands_touch_nothing() -> None:
    pairs = touching(shapes(REF))
    assert ("072036", "072109") in pairs  # 郡山市 and 二本松市
    assert ("011002", "012050") not in pairs and ("011002", "012173") in pairs  # 札幌: not 室蘭, but 江別
    assert not any(p[0][:2] != p[1][:2] and "000" in (p[0][2:5], p[1][2:5]) for p in pairs)  # no prefecture
    islands = {"133604", "133817"}  # 大島町, 八丈町: alone in the sea
    assert not any(set(p) & islands for p in pairs)


def test_geometry_graph_publishes_wkt_and_symmetric_touches() -> None:
    g = geometry_graph(Settings(data_dir=ROOT / "data"))
    koriyama = URIRef("https://w3id.org/renkei/id/municipality/072036")
    (geometry,) = g.objects(koriyama, GEO.hasGeometry)
    (literal,) = g.objects(geometry, GEO.asWKT)
    assert isinstance(literal, Literal) and literal.datatype == GEO.wktLiteral
    assert str(literal).startswith("MULTIPOLYGON(((") and len(str(literal)) < 2000
    nihonmatsu = URIRef("https://w3id.org/renkei/id/municipality/072109")
    assert (koriyama, GEO.sfTouches, nihonmatsu) in g and (nihonmatsu, GEO.sfTouches, koriyama) in g
    for a, _, b in g.triples((None, GEO.sfTouches, None)):
        assert (b, GEO.sfTouches, a) in g


def _square(x: float, y: float) -> list[list[list[tuple[float, float]]]]:
    return [[[(x, y), (x + 0.2, y), (x + 0.2, y + 0.2), (x, y + 0.2), (x, y)]]]


def test_map_shows_each_area_as_a_link_naming_its_members_with_the_credit() -> None:
    a = MapArea("https://w3id.org/renkei/id/area/a", "甲圏域", (
        MapMember("m:1", "甲市", "中心市", central=True), MapMember("m:2", "乙町", "連携市町村"),
        MapMember("m:9", "丙県", "連携する県", prefecture=True)))
    b = MapArea("https://w3id.org/renkei/id/area/b", "丁圏域", (MapMember("m:3", "丁市", "中心市", central=True),))
    geometry = {"m:1": _square(139, 35), "m:2": _square(139.2, 35), "m:3": _square(139.4, 35),
                "m:9": _square(138, 34), "p:1": _square(139, 35.2)}
    colours = area_colours([a, b], [(a.iri, b.iri)])
    svg = map_svg([a, b], geometry, background=[("p:1", "灰色")], colours=colours, width=400,
                  href=lambda i: "/id/" + i.rpartition("/id/")[2], title="地図", desc="テスト")
    root = ET.fromstring(svg.encode())
    links = root.findall(f"{SVG}a")
    assert [x.get("href") for x in links] == ["/id/area/a", "/id/area/b"]
    title = links[0].find(f"{SVG}title")
    assert title is not None and title.text and all(n in title.text for n in ("甲市（中心市）", "乙町", "丙県"))
    members = links[0].findall(f".//{SVG}path")
    assert [p.get("data-iri") for p in members] == ["m:1", "m:2"]  # the prefecture is named, not drawn
    assert {links[0][1].get("fill"), links[1][1].get("fill")} == set(colours.values())
    assert len(set(colours.values())) == 2  # the two areas border each other
    assert len(root.findall(f".//{SVG}circle[@class='central']")) == 2
    assert any(t.text == CREDIT for t in root.iter(f"{SVG}text"))
    assert root.find(f".//{SVG}g[@class='background']/{SVG}path/{SVG}title").text == "灰色"  # type: ignore[union-attr]
