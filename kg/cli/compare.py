"""``kg compare A B [--format table|csv|json]``: two agreements side by side, aligned by framework category.

The table puts A and B in two columns, one block per aligned row; differing wording is marked
character by character, in colour on a terminal (deleted red, inserted green) and as wdiff's
``[-…-]``/``{+…+}`` otherwise. Columns are measured in display cells (漢字 take two) and
wrapped with 「ぶら下げ」 (JIS X 4051 hanging punctuation): 、。 and closing brackets never start a
line, they hang in a two-cell margin instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated

import typer

from kg.compare import FIELDS, Comparison, Initiative, Row, SparqlSource, StoreSource, compare, to_csv, to_json
from kg.compare.textdiff import ANSI_RESET, Segment, display_width, side_a, side_b, styled_a, styled_b
from kg.settings import Settings

__all__ = ["Format", "register", "render_table", "source_for", "wrap"]

#: Characters that may not begin a line (行頭禁則, JIS X 4051 §9.1), hung at the end of the previous one.
NO_LINE_START = set("、。，．,.）)」』】〕！？!?ー々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ")
LABEL_WIDTH = 12
HANG = 2  # cells reserved at the right of each column for hanging punctuation
LEAD_JA = {"central": "中心市", "partner": "連携市", "both": "双方", "none": "—"}
MATCH_JA = {"category": "同じ分類", "broader": "上位・下位の分類", "title": "名称の類似",
            "only_a": "Aのみ", "only_b": "Bのみ"}
ANSI_DIM, ANSI_BOLD, ANSI_WARN = "\x1b[2m", "\x1b[1m", "\x1b[33;1m"

Run = tuple[str, str]  # (ANSI style or "", text)


class Format(StrEnum):
    """Output formats of ``kg compare``."""

    table = "table"
    csv = "csv"
    json = "json"


def wrap(runs: Sequence[Run], width: int) -> list[list[Run]]:
    """Styled runs broken into lines of at most ``width`` cells (plus hanging punctuation)."""
    lines: list[list[Run]] = [[]]
    used = 0
    for style, text in runs:
        for ch in text:
            if ch == "\n":
                lines.append([])
                used = 0
                continue
            w = display_width(ch)
            if used + w > width and used > 0 and ch not in NO_LINE_START:
                lines.append([])
                used = 0
            line = lines[-1]
            if line and line[-1][0] == style:
                line[-1] = (style, line[-1][1] + ch)
            else:
                line.append((style, ch))
            used += w
    return lines


def _render(line: list[Run], width: int, colour: bool) -> str:
    """One wrapped line padded to ``width`` cells, styled when ``colour``."""
    text = "".join((f"{s}{t}{ANSI_RESET}" if s and colour else t) for s, t in line)
    return text + " " * max(0, width - sum(display_width(t) for _, t in line))


def _cell(segments: list[Segment] | None, side: str, plain: str, colour: bool) -> list[Run]:
    """A cell's runs: the diff of this side when there is one, else the plain text."""
    if segments is None:
        return [("", plain)]
    if colour:
        return styled_a(segments) if side == "a" else styled_b(segments)
    return [("", side_a(segments) if side == "a" else side_b(segments))]


def _field_rows(row: Row, colour: bool) -> Iterator[tuple[str, list[Run], list[Run]]]:
    """The label and both sides of each field of one aligned row."""
    def text(i: Initiative | None, name: str) -> str:
        if i is None:
            return ""
        if name in ("central_role", "partner_role"):
            role = getattr(i, name)
            return role.text if role else "（記載なし）"
        return str(getattr(i, name))

    for name, label in FIELDS["ja"]:
        segs = row.diffs.get(name)
        a = _cell(segs, "a", text(row.a, name), colour) if row.a else [("", "（なし）")]
        b = _cell(segs, "b", text(row.b, name), colour) if row.b else [("", "（なし）")]
        yield label, a, b
    lead_a = LEAD_JA[row.a.lead] if row.a else ""
    lead_b = LEAD_JA[row.b.lead] if row.b else ""
    style = ANSI_WARN if row.lead_differs else ""
    yield "主導" + (" ≠" if row.lead_differs else ""), [(style, lead_a)], [(style, lead_b)]


def _heading(row: Row) -> str:
    concept = row.concept
    where = f"{concept.notation} {concept.label}" if concept else "（分類なし）"
    how = MATCH_JA[row.match]
    if row.similarity is not None:
        how += f"、名称の類似度 {row.similarity:.2f}"
    ids = " / ".join(i.identifier for i in (row.a, row.b) if i is not None and i.identifier)
    return f"{where}  [{how}]  {ids}".rstrip()


def render_table(c: Comparison, width: int = 120, colour: bool = False) -> str:
    """The comparison as a two-column text table ``width`` cells wide."""
    col = max(16, (width - LABEL_WIDTH - 6) // 2 - HANG)
    bold = (lambda s: f"{ANSI_BOLD}{s}{ANSI_RESET}") if colour else (lambda s: s)
    out = []
    for tag, ag in (("A", c.a), ("B", c.b)):
        out.append(bold(f"{tag}  {ag.title}"))
        out.append(f"   {ag.key}  締結 {ag.date}  中心市 {ag.central.name}  連携市 {ag.partner.name}"
                   + (f"  {ag.area_name}" if ag.area_name else ""))
    out.append("")
    out.append(f"共通の分類 {len(c.shared_categories)}: {' '.join(c.shared_categories) or '—'}")
    out.append(f"Aのみの分類 {len(c.only_a_categories)}: {' '.join(c.only_a_categories) or '—'}")
    out.append(f"Bのみの分類 {len(c.only_b_categories)}: {' '.join(c.only_b_categories) or '—'}")
    rule = "-" * (LABEL_WIDTH + 6 + 2 * (col + HANG))
    for row in c.rows:
        out += ["", bold(_heading(row)), rule]
        for label, a, b in _field_rows(row, colour):
            left, right = wrap(a, col), wrap(b, col)
            for k in range(max(len(left), len(right))):
                name = label if k == 0 else ""
                cells = [_render(side[k] if k < len(side) else [], col + HANG, colour)
                         for side in (left, right)]
                pad = " " * (LABEL_WIDTH - display_width(name))
                out.append(f"{name}{pad} | {cells[0]} | {cells[1]}".rstrip())
    return "\n".join(out) + "\n"


def _use_colour(choice: bool | None) -> bool:
    """Colour when asked, else when stdout is a terminal and NO_COLOR (no-color.org) is unset."""
    if choice is not None:
        return choice
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def source_for(endpoint: str | None, settings: Settings) -> SparqlSource:
    """The local store (building it first if needed), or a remote SPARQL endpoint."""
    if endpoint:
        from kg.compare.source import EndpointSource

        return EndpointSource(endpoint, timeout=settings.query_timeout)
    return StoreSource.current(settings)


def compare_command(
    a: Annotated[str, typer.Argument(help="Agreement A: its IRI or key, e.g. 072036-072109-2019-10-18.")],
    b: Annotated[str, typer.Argument(help="Agreement B: its IRI or key.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")] = Format.table,
    colour: Annotated[bool | None, typer.Option(
        "--color/--no-color",
        help="Colour the table's diff (default: when stdout is a terminal and NO_COLOR is unset).")] = None,
    width: Annotated[int | None, typer.Option(
        "--width", min=60, help="Table width in cells (default: the terminal's).")] = None,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="Read from this SPARQL endpoint instead of the local store.")] = None,
) -> None:
    """Two agreements side by side: initiatives aligned by framework category, wording diffed."""
    settings = Settings()
    result = compare(source_for(endpoint, settings), settings.ids, a, b)
    if fmt is Format.json:
        typer.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    elif fmt is Format.csv:
        sys.stdout.write(to_csv(result))
    else:
        cols = width or shutil.get_terminal_size((120, 40)).columns
        sys.stdout.write(render_table(result, cols, _use_colour(colour)))


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)
