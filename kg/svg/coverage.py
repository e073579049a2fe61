"""The coverage matrix: agreements (or areas) × framework categories, a filled cell per category covered.

Columns are the framework's finest concepts (those without narrower ones) plus any broader
concept an initiative is filed under directly (an initiative may sit at 3.C when no sub-field of
3.C fits), grouped under their pillar. A cell is filled when the agreement has an initiative in
that category; in the areas view its opacity is the share of the area's agreements that do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kg.compare import PREFIXES, SparqlSource, notation_key
from kg.namespaces import Ids
from kg.svg.draw import PALETTE, document, esc, fit, text, text_width

__all__ = ["Cell", "Column", "Coverage", "MatrixRow", "coverage", "coverage_svg"]

By = Literal["agreements", "areas"]
CELL, GAP, FONT = 18, 2, 12
LABEL_MAX = 260  # widest row label, px; longer ones are shortened with a tooltip


@dataclass(frozen=True)
class Column:
    """A framework category shown as a column."""

    iri: str
    notation: str
    label: str
    pillar: str  # the pillar's notation, "1" to "3"
    pillar_label: str = ""


@dataclass(frozen=True)
class Cell:
    """A covered cell: how strongly (0–1), how many initiatives, and what its tooltip says."""

    value: float
    count: int
    tooltip: str


@dataclass(frozen=True)
class MatrixRow:
    """An agreement or an area, with its covered cells by column IRI."""

    iri: str
    label: str
    tooltip: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """What the matrix shows."""

    by: By
    rows: tuple[MatrixRow, ...]
    columns: tuple[Column, ...]
    note: str = ""


def _columns(source: SparqlSource, ids: Ids, used: set[str]) -> tuple[Column, ...]:
    rows = source.query(PREFIXES + f"""
SELECT ?c ?notation ?label ?pillarNotation ?pillarLabel ?narrower {{
  ?c skos:inScheme <{ids.framework()}> ; skos:notation ?notation .
  FILTER NOT EXISTS {{ ?c skos:topConceptOf ?scheme }}
  OPTIONAL {{ ?c skos:prefLabel ?label FILTER (lang(?label) = "ja") }}
  OPTIONAL {{ ?c (skos:broader|^skos:narrower)+ ?pillar . ?pillar skos:topConceptOf <{ids.framework()}> ;
             skos:notation ?pillarNotation
             OPTIONAL {{ ?pillar skos:prefLabel ?pillarLabel FILTER (lang(?pillarLabel) = "ja") }} }}
  # A sub-select, not BIND(EXISTS …): some stores (Virtuoso 7.2) write computed booleans as 1/0.
  OPTIONAL {{ SELECT ?c (SAMPLE(?n) AS ?narrower) {{ ?n skos:broader|^skos:narrower ?c }} GROUP BY ?c }}
}}""")
    cols = {r["c"]: Column(r["c"], r["notation"], r.get("label", r["notation"]), r.get("pillarNotation", ""),
                           r.get("pillarLabel", ""))
            for r in rows if "narrower" not in r or r["c"] in used}
    return tuple(sorted(cols.values(), key=lambda c: notation_key(c.notation)))


def coverage(source: SparqlSource, ids: Ids, by: By = "agreements") -> Coverage:
    """Read the matrix from ``source``: one row per agreement, or per area that has agreements."""
    hits = source.query(PREFIXES + """
SELECT ?a ?title ?date ?central ?partner ?area ?areaName ?i ?iTitle ?c {
  ?a a renkei:Agreement .
  OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a eli:date_document ?date }
  OPTIONAL { ?a renkei:centralCity/skos:prefLabel ?central FILTER (lang(?central) = "ja") }
  OPTIONAL { ?a renkei:party ?p . FILTER NOT EXISTS { ?a renkei:centralCity ?p }
             ?p skos:prefLabel ?partner FILTER (lang(?partner) = "ja") }
  OPTIONAL { ?a renkei:area ?area
             OPTIONAL { ?area skos:prefLabel ?areaName FILTER (lang(?areaName) = "ja") } }
  OPTIONAL { ?a renkei:initiative ?i . ?i renkei:category ?c OPTIONAL { ?i dct:title ?iTitle } }
}""")
    columns = _columns(source, ids, {h["c"] for h in hits if "c" in h})
    names = {c.iri: f"{c.notation} {c.label}" for c in columns}
    agreements: dict[str, dict[str, str]] = {}
    found: dict[str, dict[str, list[str]]] = {}  # agreement → column → initiative titles
    for h in hits:
        agreements.setdefault(h["a"], h)
        if "c" in h:
            found.setdefault(h["a"], {}).setdefault(h["c"], []).append(h.get("iTitle", h["i"]))
    if by == "agreements":
        rows = [_agreement_row(a, h, found.get(a, {}), names) for a, h in agreements.items()]
        rows.sort(key=lambda r: r.label)
        return Coverage(by, tuple(rows), columns)
    return Coverage(by, _area_rows(agreements, found, names), columns,
                    note="圏域のない協約は含まない（agreements without an area are left out）" if any(
                        "area" not in h for h in agreements.values()) else "")


def _agreement_row(a: str, h: dict[str, str], cats: dict[str, list[str]], names: dict[str, str]) -> MatrixRow:
    label = f"{h.get('central', '?')}–{h.get('partner', '?')} {h.get('date', '')}".strip()
    cells = {c: Cell(1.0, len(titles), f"{label} × {names.get(c, c)}: " + "、".join(sorted(set(titles))))
             for c, titles in cats.items()}
    return MatrixRow(a, label, h.get("title", label), cells)


def _area_rows(agreements: dict[str, dict[str, str]], found: dict[str, dict[str, list[str]]],
               names: dict[str, str]) -> tuple[MatrixRow, ...]:
    by_area: dict[str, list[str]] = {}
    for a, h in agreements.items():
        if "area" in h:
            by_area.setdefault(h["area"], []).append(a)
    rows = []
    for area, members in by_area.items():
        label = agreements[members[0]].get("areaName", area)
        cells = {}
        for c in {c for a in members for c in found.get(a, {})}:
            n = sum(c in found.get(a, {}) for a in members)
            cells[c] = Cell(n / len(members), n, f"{label} × {names.get(c, c)}: "
                            f"{n} / {len(members)} 協約")
        rows.append(MatrixRow(area, label, f"{label}（協約 {len(members)} 件）", cells))
    return tuple(sorted(rows, key=lambda r: r.label))


def coverage_svg(cov: Coverage) -> str:
    """The matrix as an accessible SVG document."""
    label_w = min(LABEL_MAX, max([text_width(r.label, FONT) for r in cov.rows] + [80])) + 12
    # every column label whole: the header is as tall as the longest (labels are never cut)
    head_h = max([text_width(f"{c.notation} {c.label}", FONT) for c in cov.columns] + [40]) + 34
    step = CELL + GAP
    width = label_w + step * len(cov.columns) + 60
    pillars = list(dict.fromkeys((c.pillar, c.pillar_label) for c in cov.columns))
    height = head_h + step * len(cov.rows) + 56 + 18 * len(pillars)
    width = max(width, label_w + max([text_width(f"{p} {lab}", FONT - 1) for p, lab in pillars] + [0]) + 30)
    body = _header(cov.columns, label_w, head_h)
    for n, row in enumerate(cov.rows):
        y = head_h + n * step
        body.append(text(label_w - 8, y + CELL - 5, fit(row.label, FONT, label_w - 12), size=FONT,
                         anchor="end", tooltip=row.tooltip))
        for k, col in enumerate(cov.columns):
            body.append(_cell(label_w + k * step, y, col, row.cells.get(col.iri), f"{row.label} × "
                              f"{col.notation} {col.label}: なし"))
        body.append(text(label_w + len(cov.columns) * step + 6, y + CELL - 5, str(len(row.cells)),
                         size=FONT - 1, extra=' fill="#444444"',
                         tooltip=f"{row.label}: {len(row.cells)} / {len(cov.columns)} 分類"))
    filled = sum(len(r.cells) for r in cov.rows)
    legend_y = head_h + step * len(cov.rows) + 22
    legend = ("■ 取組あり　□ なし　右端の数字は取組のある分類の数" if cov.by == "agreements" else
              "■ 取組のある協約の割合（濃いほど多い）　□ なし　右端の数字は取組のある分類の数")
    body.append(text(label_w, legend_y, legend, size=FONT - 1, extra=' fill="#444444"'))
    for n, (pillar, name) in enumerate(pillars):  # each pillar named whole under the chart: its band may be
        y = legend_y + 18 * (n + 1)                # one column wide, too narrow for its name
        colour = PALETTE.get(pillar, "#666")
        body.append(f'<rect x="{label_w:.1f}" y="{y - 10}" width="14" height="12" fill="{colour}"/>')
        body.append(text(label_w + 20, y, f"{pillar} {name}".strip(), size=FONT - 1, extra=' fill="#444444"'))
    if cov.note:
        body.append(text(label_w, legend_y + 18 * (len(pillars) + 1), cov.note, size=FONT - 2,
                         extra=' fill="#666666"'))
    what = "連携協約" if cov.by == "agreements" else "圏域"
    title = f"{what}ごとの取組の分類（連携中枢都市圏構想推進要綱の政策分野）"
    desc = (f"{what} {len(cov.rows)} × 分類 {len(cov.columns)}、取組のあるセル {filled}。"
            f"Coverage matrix: {len(cov.rows)} {cov.by} × {len(cov.columns)} framework categories; "
            f"{filled} cells filled where the {cov.by[:-1]} has an initiative in that category.")
    return document(width, height, title, desc, body, id_prefix="coverage")


def _header(columns: tuple[Column, ...], label_w: float, head_h: float) -> list[str]:
    """Pillar bands over their columns, and each column's label turned upright (-90°)."""
    out: list[str] = []
    step = CELL + GAP
    k = 0
    while k < len(columns):
        pillar = columns[k].pillar
        end = k
        while end < len(columns) and columns[end].pillar == pillar:
            end += 1
        x = label_w + k * step
        w = (end - k) * step - GAP
        full = f"{pillar} {columns[k].pillar_label}".strip()
        out.append(f'<rect x="{x:.1f}" y="4" width="{w}" height="16" fill="{PALETTE.get(pillar, "#666")}">'
                   f"<title>{esc(full)}</title></rect>")
        label = full if text_width(full, FONT - 2) <= w - 4 else pillar  # the legend names it whole
        out.append(text(x + w / 2, 16, label, size=FONT - 2, anchor="middle",
                        extra=' fill="#ffffff" font-weight="bold"', tooltip=full))
        k = end
    for k, col in enumerate(columns):
        x = label_w + k * step + CELL / 2 + 4
        full = f"{col.notation} {col.label}"
        out.append(f'<g transform="translate({x:.1f},{head_h - 6:.1f}) rotate(-90)">'
                   + text(0, 0, full, size=FONT, tooltip=full) + "</g>")
    return out


def _cell(x: float, y: float, col: Column, cell: Cell | None, empty_tip: str) -> str:
    if cell is None:
        return (f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{CELL}" height="{CELL}" fill="#f4f4f4" '
                f'stroke="#dddddd"><title>{esc(empty_tip)}</title></rect>')
    opacity = 0.25 + 0.75 * cell.value
    return (f'<rect class="cell filled" x="{x:.1f}" y="{y:.1f}" width="{CELL}" height="{CELL}" '
            f'fill="{PALETTE.get(col.pillar, "#666")}" fill-opacity="{opacity:.2f}" '
            f'data-count="{cell.count}">'
            f"<title>{esc(cell.tooltip)}</title></rect>")
