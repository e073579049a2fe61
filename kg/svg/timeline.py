"""The timeline: one row per area, a mark per date on which agreements of that area were signed.

Dates come from the registry (``renkei:agreementDate`` of each ``org:Membership`` in
``graph/areas``) and from the agreement texts in the dataset (``eli:date_document``), so the
picture is complete even where few texts are ingested. Partners that signed on the same day share
one mark, which grows with their number and prints it; a mark whose agreement text is in the dataset is
ringed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from kg.compare import PREFIXES, SparqlSource
from kg.svg.draw import ACCENT, PALETTE, attr, document, esc, fit, text, text_width

_LEGEND_DATE = "協約の締結日（同じ日の締結は一つにまとめ、数字はその件数）"
_LEGEND_DATE_EN = "date of signing (one mark a day; the number counts the agreements)"

__all__ = ["Mark", "Timeline", "TimelineRow", "timeline", "timeline_svg"]

ROW, FONT, YEAR = 22, 12, 72  # row height, font size, px per year
LABEL_MAX = 280


@dataclass(frozen=True)
class Mark:
    """The agreements one area signed on one day."""

    date: dt.date
    members: tuple[str, ...]  # the partners' names (or the agreements' titles)
    in_dataset: bool  # whether an agreement text signed that day is in the dataset


@dataclass(frozen=True)
class TimelineRow:
    """An area and its signing dates."""

    iri: str
    label: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Timeline:
    """What the timeline shows."""

    rows: tuple[TimelineRow, ...]

    @property
    def marks(self) -> int:
        return sum(len(r.marks) for r in self.rows)

    @property
    def agreements(self) -> int:
        return sum(len(m.members) for r in self.rows for m in r.marks)


def timeline(source: SparqlSource) -> Timeline:
    """Read every area and its signing dates from ``source``; areas without dates are kept, empty."""
    areas = {r["area"]: r.get("name", r["area"]) for r in source.query(PREFIXES + """
SELECT ?area ?name {
  ?area a renkei:Area OPTIONAL { ?area skos:prefLabel ?name FILTER (lang(?name) = "ja") }
}""")}
    dated = source.query(PREFIXES + """
SELECT DISTINCT ?area ?date ?who ?text {
  { ?m org:organization ?area ; renkei:agreementDate ?date ; org:member ?member .
    OPTIONAL { ?member skos:prefLabel ?who FILTER (lang(?who) = "ja") }
    OPTIONAL { ?m renkei:agreement ?text . ?text eli:date_document ?date } }
  UNION
  { ?text a renkei:Agreement ; renkei:area ?area ; eli:date_document ?date .
    ?text renkei:party ?member . FILTER NOT EXISTS { ?text renkei:centralCity ?member }
    OPTIONAL { ?member skos:prefLabel ?who FILTER (lang(?who) = "ja") } }
}""")
    days: dict[tuple[str, dt.date], tuple[set[str], list[bool]]] = {}
    for r in dated:
        try:
            day = dt.date.fromisoformat(r["date"][:10])
        except ValueError:
            continue  # a malformed xsd:date is the validator's business, not the chart's
        who, flags = days.setdefault((r["area"], day), (set(), []))
        who.add(r.get("who", "?"))
        flags.append("text" in r)
        areas.setdefault(r["area"], r["area"])
    rows = []
    for area, label in areas.items():
        marks = tuple(sorted((Mark(day, tuple(sorted(who)), any(flags))
                              for (a, day), (who, flags) in days.items() if a == area), key=lambda m: m.date))
        rows.append(TimelineRow(area, label, marks))
    # Earliest first, areas without dates last: the picture reads as the framework's spread.
    rows.sort(key=lambda r: (r.marks[0].date if r.marks else dt.date.max, r.label))
    return Timeline(tuple(rows))


def timeline_svg(tl: Timeline, lang: str = "ja") -> str:
    """The timeline as an accessible SVG document, its own words in ``lang`` (``ja`` or ``en``)."""
    en = lang == "en"
    legend_date = _LEGEND_DATE_EN if en else _LEGEND_DATE
    dates = [m.date for r in tl.rows for m in r.marks]
    first = min(dates).year if dates else dt.date.today().year
    last = max(dates).year + 1 if dates else first + 1
    label_w = min(LABEL_MAX, max([text_width(r.label, FONT) for r in tl.rows] + [80])) + 16
    top = 36
    width = label_w + (last - first) * YEAR + 30
    # the legend is never cut, however few years the chart covers
    width = max(width, label_w + 16 + text_width(legend_date, FONT - 1) + 10)
    height = top + ROW * len(tl.rows) + 64

    def x_of(day: dt.date) -> float:
        start = dt.date(day.year, 1, 1)
        frac = (day - start).days / (dt.date(day.year + 1, 1, 1) - start).days
        return label_w + (day.year - first + frac) * YEAR

    body = []
    for year in range(first, last + 1):
        x = label_w + (year - first) * YEAR
        body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + ROW * len(tl.rows)}" '
                    'stroke="#dddddd"/>')
        if year < last:
            body.append(text(x + YEAR / 2, top - 12, str(year), size=FONT - 1, anchor="middle",
                             extra=' fill="#444444"'))
    for n, row in enumerate(tl.rows):
        y = top + n * ROW + ROW / 2
        if n % 2 == 0:
            body.append(f'<rect x="0" y="{y - ROW / 2:.1f}" width="{width:.0f}" height="{ROW}" '
                        'fill="#f7f7f7"/>')
        body.append(text(label_w - 8, y + 4, fit(row.label, FONT, label_w - 16), size=FONT, anchor="end",
                         tooltip=row.label))
        for m in row.marks:
            body.append(_mark(x_of(m.date), y, row, m))
    legend_y = top + ROW * len(tl.rows) + 26
    body.append(f'<circle cx="{label_w + 6}" cy="{legend_y - 4}" r="5" fill="{PALETTE["1"]}" '
                'fill-opacity="0.85"/>')
    body.append(text(label_w + 16, legend_y, legend_date,
                     size=FONT - 1, extra=' fill="#444444"'))
    body.append(f'<circle cx="{label_w + 6}" cy="{legend_y + 14}" r="5" fill="none" stroke="{ACCENT}" '
                'stroke-width="2"/>')
    body.append(text(label_w + 16, legend_y + 18, "agreement text in the dataset" if en else
                     "協約本文がデータセットにあるもの", size=FONT - 1, extra=' fill="#444444"'))
    if en:
        title = "Signing dates of the cooperation agreements, by area"
        desc = (f"Signing dates of cooperation agreements by area: {len(tl.rows)} areas, {tl.marks} dates, "
                f"{tl.agreements} agreements, {first}–{last - 1}.")
    else:
        title = "連携中枢都市圏ごとの連携協約の締結日"
        desc = f"圏域 {len(tl.rows)}、締結日 {tl.marks}、協約 {tl.agreements} 件（{first}–{last - 1}年）。"
    return document(width, height, title, desc, body, id_prefix="timeline")


def _mark(x: float, y: float, row: TimelineRow, m: Mark) -> str:
    """A disc for one day, growing with √count up to the row's height; the count printed when > 1."""
    n = len(m.members)
    r = min(ROW / 2 - 1, 3.5 * math.sqrt(n))
    ring = f' stroke="{ACCENT}" stroke-width="2"' if m.in_dataset else ' stroke="#ffffff" stroke-width="1"'
    tip = f"{row.label} {m.date.isoformat()}: {'、'.join(m.members)}（{n} 件）"
    count = (text(x, y + 3, str(n), size=8 if n < 10 else 7, anchor="middle",
                  extra=' fill="#ffffff" font-weight="bold" pointer-events="none"') if n > 1 else "")
    return (f'<g class="mark" data-area={attr(row.iri)} data-date="{m.date.isoformat()}" data-count="{n}" '
            f'data-in-dataset="{str(m.in_dataset).lower()}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{PALETTE["1"]}" fill-opacity="0.85"{ring}>'
            f"<title>{esc(tip)}</title></circle>{count}</g>")
