"""Write data/reference/prefecture-extents.csv: each prefecture's bounding box and centroid, and
Japan's (the row coded ``JPN``: all 47 together).

The DCAT-AP 3.0.1 recommended shapes ask a dct:Location (the catalogue's spatial coverage: Japan
and each prefecture the registry covers) for dcat:bbox and dcat:centroid. Both are computed once
from the prefecture boundaries in shared/domain/geo/prefectures.topojson (国土数値情報 N03, 2021,
simplified; see that folder's README for the credit its terms require) and kept here, so that a
build needs nothing outside the repository. The centroid is the area-weighted centroid of the
prefecture's polygons in longitude/latitude (good to the simplification's precision). Run:

    python scripts/prefecture_extents.py [path/to/prefectures.topojson]
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "domain" / "geo" / "prefectures.topojson"
OUT = ROOT / "data" / "reference" / "prefecture-extents.csv"

Point = tuple[float, float]


def decode_arcs(topo: dict) -> list[list[Point]]:
    """TopoJSON arcs, delta-encoded and quantised, as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def extent(code: str, name: str, xs: list[float], ys: list[float], area: float, cx: float,
           cy: float) -> dict[str, str]:
    cx, cy = cx / (3 * area), cy / (3 * area)
    w, e, s, n = min(xs), max(xs), min(ys), max(ys)
    return {"code": code, "name": name,
            "bbox": f"POLYGON(({w:.4f} {s:.4f},{e:.4f} {s:.4f},{e:.4f} {n:.4f},{w:.4f} {n:.4f},{w:.4f} {s:.4f}))",
            "centroid": f"POINT({cx:.4f} {cy:.4f})"}


def main() -> None:
    topo = json.loads(SRC.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    with (ROOT / "data" / "reference" / "municipalities.csv").open(encoding="utf-8") as f:
        codes = {r["name"]: r["code"] for r in csv.DictReader(f) if r["kind"] == "prefecture"}
    rows = []
    total = [[], [], 0.0, 0.0, 0.0]  # Japan: every prefecture's points and area sums together
    for geometry in topo["objects"]["prefectures"]["geometries"]:
        name = geometry["properties"]["N03_001"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        xs, ys, area, cx, cy = [], [], 0.0, 0.0, 0.0
        for polygon in polygons:
            for r in polygon:  # outer ring, then holes (opposite winding: their area subtracts)
                pts = ring(arcs, r)
                xs += [p[0] for p in pts]
                ys += [p[1] for p in pts]
                for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
                    cross = x0 * y1 - x1 * y0
                    area += cross
                    cx += (x0 + x1) * cross
                    cy += (y0 + y1) * cross
        for i, v in enumerate((xs, ys, area, cx, cy)):
            total[i] += v  # type: ignore[operator]
        rows.append(extent(codes[name], name, xs, ys, area, cx, cy))
    rows.sort(key=lambda r: r["code"])
    rows.append(extent("JPN", "日本", *total))  # type: ignore[arg-type]
    assert len(rows) == 48, len(rows)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} prefectures to {OUT}")


if __name__ == "__main__":
    main()
