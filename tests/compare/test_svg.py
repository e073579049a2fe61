"""The coverage matrix and the timeline are valid, accessible SVG showing exactly the data."""

from __future__ import annotations

import csv
from xml.etree import ElementTree

import pytest

from kg.compare import StoreSource
from kg.namespaces import Ids
from kg.svg import (
    Cell,
    Column,
    Coverage,
    Mark,
    MatrixRow,
    Timeline,
    TimelineRow,
    coverage,
    coverage_svg,
    timeline,
    timeline_svg,
)
from kg.svg.draw import FONT_FAMILY

from .conftest import ROOT

NS = {"svg": "http://www.w3.org/2000/svg"}
REFERENCE = ROOT / "data" / "reference"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg.encode("utf-8"))


def cells(root: ElementTree.Element, filled: bool | None = None) -> list[ElementTree.Element]:
    found = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "cell" in r.get("class", "").split()]
    if filled is None:
        return found
    return [r for r in found if ("filled" in r.get("class", "").split()) == filled]


def marks(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "mark"]


def assert_accessible(root: ElementTree.Element) -> None:
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None and title.text and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "IPAGothic" in (root.get("font-family") or "") and FONT_FAMILY.endswith("sans-serif")


# ─── the coverage matrix ─────────────────────────────────────────────────────────────────────

def test_coverage_has_a_cell_per_agreement_and_category(source: StoreSource, ids: Ids) -> None:
    cov = coverage(source, ids)
    root = parse(coverage_svg(cov))
    assert_accessible(root)
    assert len(cov.rows) == 3
    assert len(cells(root)) == len(cov.rows) * len(cov.columns)
    notations = [c.notation for c in cov.columns]
    assert notations[:4] == ["1.a", "1.b", "1.c", "1.d"] and "3.B.5" in notations
    assert "3.C" in notations  # broader, but the founding agreement files an initiative under it
    assert "1" not in notations  # pillars are the bands above, never columns
    assert "3.A" in notations  # broader, but the I1 sample files an initiative under it


def test_coverage_fills_exactly_the_categories_agreements_have(source: StoreSource, ids: Ids) -> None:
    expected = source.query("""PREFIX renkei: <https://w3id.org/renkei/ns#>
        SELECT DISTINCT ?a ?c { ?a a renkei:Agreement ; renkei:initiative/renkei:category ?c }""")
    root = parse(coverage_svg(coverage(source, ids)))
    assert len(cells(root, filled=True)) == len(expected) > 0


def test_coverage_labels_are_japanese_with_tooltips(source: StoreSource, ids: Ids) -> None:
    text = "".join(parse(coverage_svg(coverage(source, ids))).itertext())
    assert "郡山市–二本松市 2019-10-18" in text and "熊本市–山鹿市 2022-03-28" in text
    assert "郡山市と二本松市との連携中枢都市圏形成に係る連携協約" in text  # the row's <title>
    assert "3.B.2 ICTインフラ整備" in text


def test_coverage_by_area_shades_by_share_of_agreements(source: StoreSource, ids: Ids) -> None:
    cov = coverage(source, ids, "areas")
    assert sorted(r.label for r in cov.rows) == ["こおりやま広域連携中枢都市圏", "播磨圏域連携中枢都市圏",
                                                 "熊本連携中枢都市圏"]
    assert all(cell.value == 1.0 for row in cov.rows for cell in row.cells.values())  # one agreement each
    assert len(cells(parse(coverage_svg(cov)))) == 3 * len(cov.columns)


def test_coverage_escapes_labels_and_shortens_only_the_row_labels() -> None:
    cols = (Column("c1", "1.a", "<経済> & 戦略" * 5, "1"), Column("c2", "2.a", "医療", "2"))
    row = MatrixRow("r1", "甲市–乙町 2020-01-01" * 4, "全文", {"c1": Cell(1, 2, "a & b")})
    cov = Coverage("agreements", (row,), cols)
    root = parse(coverage_svg(cov))
    assert len(cells(root)) == 2 and len(cells(root, filled=True)) == 1
    shown = {}  # what each <text> displays: its content after the <title> tooltip, if any
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        tip = t.find("svg:title", NS)
        shown[t] = (tip.tail if tip is not None else t.text) or ""
    shortened = [t for t, s in shown.items() if s.endswith("…")]
    assert len(shortened) == 1  # the row label; a column's label is written whole, however long
    tips = [t.find("svg:title", NS) for t in shortened]
    assert all(tip is not None and (tip.text or "").startswith("全文") for tip in tips)
    assert "1.a " + "<経済> & 戦略" * 5 in shown.values()
    assert 200 < float(root.get("width", 0)) < 1200


# ─── the timeline ────────────────────────────────────────────────────────────────────────────

def registry_dates() -> tuple[set[str], set[tuple[str, str]], int]:
    """Areas, distinct (area, date) pairs, and dated memberships, read from the CSV files themselves."""
    with (REFERENCE / "areas.csv").open(encoding="utf-8") as f:
        areas = {r["slug"] for r in csv.DictReader(f)}
    with (REFERENCE / "memberships.csv").open(encoding="utf-8") as f:
        dated = [(r["area"], r["agreement_date"]) for r in csv.DictReader(f) if r["agreement_date"]]
    return areas, set(dated), len(dated)


def test_timeline_has_a_row_per_area_and_a_mark_per_signing_day(registry_only: StoreSource) -> None:
    areas, days, dated = registry_dates()
    tl = timeline(registry_only)
    assert len(tl.rows) == len(areas) == 37  # the registry's areas and its additions
    root = parse(timeline_svg(tl))
    assert_accessible(root)
    found = marks(root)
    assert {(g.get("data-area", "").rsplit("/", 1)[-1], g.get("data-date")) for g in found} == days
    assert len(found) == len(days)
    assert sum(int(g.get("data-count", 0)) for g in found) == dated > 300
    assert not any(g.get("data-in-dataset") == "true" for g in found)


def test_timeline_rings_the_days_whose_agreement_text_is_in_the_dataset(source: StoreSource) -> None:
    ringed = {(g.get("data-area", "").rsplit("/", 1)[-1], g.get("data-date"))
              for g in marks(parse(timeline_svg(timeline(source)))) if g.get("data-in-dataset") == "true"}
    assert ringed == {("koriyama", "2019-10-18"), ("kumamoto", "2022-03-28"), ("harima", "2015-04-05")}


def test_timeline_years_span_the_dates() -> None:
    import datetime as dt

    tl = Timeline((TimelineRow("a", "甲圏域", (Mark(dt.date(2016, 7, 1), ("乙町", "丙村"), False),)),
                   TimelineRow("b", "乙圏域", ())))
    root = parse(timeline_svg(tl))
    years = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if (t.text or "").isdigit()]
    assert years[:1] == ["2016"]
    [mark] = marks(root)
    assert mark.get("data-count") == "2" and "2" in "".join(mark.itertext())


@pytest.mark.parametrize("name", ["coverage", "timeline"])
def test_committed_screenshots_exist(name: str) -> None:
    assert (ROOT / "docs" / "screenshots" / f"{name}.png").stat().st_size > 10_000


def test_no_pillar_or_category_name_is_cut(source: StoreSource, ids: Ids) -> None:
    """Issue 11: 「the coverage chart cuts pillar names」 — each pillar and category is written whole."""
    cov = coverage(source, ids)
    text = "".join(parse(coverage_svg(cov)).itertext())
    for col in cov.columns:
        assert f"{col.notation} {col.label}" in text
        assert f"{col.pillar} {col.pillar_label}".strip() in text
    assert "…" not in "".join(t for t in text.splitlines() if any(c.label in t for c in cov.columns))
