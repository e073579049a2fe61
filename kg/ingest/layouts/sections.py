"""One 別表 divided by numbered pillar headings, each followed by a table (layouts T1 and T4).

::

    別表（第3条関係）
    1 圏域全体の経済成長のけん引に関する取組          ← a section: one pillar
    取組<TAB>内容<TAB>郡山市の役割<TAB>二本松市の役割   ← its table header
    (1) 産学金官民…<TAB>…<TAB>…<TAB>…                 ← one row per initiative

T1 and T4 differ only in what the role columns hold: T4's also say who pays
(「福山市の役割分担及び費用分担」), so :func:`shape` tells them apart by the first header.
"""

from __future__ import annotations

import re

from kg.errors import IngestError
from kg.ingest.layouts.base import Miss
from kg.ingest.layouts.tables import Header, cells, cost_sharing, is_header, is_row, read_header, read_row
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import Annex, Document, Group, InitiativeText, Line, Reading, Span

__all__ = ["carries_costs", "read_sections", "section", "shape"]

_SECTION = re.compile(rf"(?P<n>{NUMERAL})[ \u3000.．、]+(?P<heading>[^\t]+)")


def section(line: Line) -> tuple[int, str] | None:
    """(number, heading) if ``line`` is a pillar heading 「1 …に関する取組」."""
    m = _SECTION.fullmatch(line.text)
    n = to_int(m["n"]) if m else None
    return (n, m["heading"]) if m and n is not None else None


def shape(doc: Document) -> tuple[Annex, Line | None] | Miss:
    """The one sectioned 別表 and its first table header (if any), or why there is none."""
    if not doc.annexes:
        return Miss("no 別表", doc.articles[-1].span.last)
    annex = doc.annexes[0]
    if len(doc.annexes) > 1 or annex.heading.text.startswith("別表第"):
        return Miss("more than one 別表, or a numbered 別表第N", annex.heading.number)
    first = annex.lines[0] if annex.lines else annex.heading
    if is_row(first) or section(first) is None:
        return Miss("the 別表 does not start with a numbered pillar heading (「1 …に関する取組」)",
                    first.number)
    return annex, next((line for line in annex.lines if is_header(line)), None)


def carries_costs(header: Line | None) -> bool:
    """True if the header's role columns also carry cost sharing (layout T4)."""
    return header is not None and any(cost_sharing(label) for label in cells(header))


def read_sections(doc: Document, parties: Parties, layout: str) -> Reading:
    """Read the sections of the one 別表 and their rows."""
    annex, file = doc.annexes[0], doc.source.name
    label = "別表"
    groups: list[Group] = []
    current: tuple[int, str, Line] | None = None
    rows: list[InitiativeText] = []
    header: Header | None = None

    def close() -> None:
        """End the current section: keep it as a group with its rows."""
        if current is not None:
            span = Span(current[2].number, (rows[-1].span if rows else current[2].span).last)
            groups.append(Group("section", current[0], current[1], span, tuple(rows), annex=annex.number))

    for line in annex.lines:
        if is_header(line):
            header = read_header(line, parties, file)
        elif is_row(line):
            if current is None or header is None:
                raise IngestError("table row before its pillar heading and table header", file=file,
                                  line=line.number, where=label)
            rows.append(read_row(line, header, current[0], len(rows) + 1, label, file))
        elif (s := section(line)) is not None:
            close()
            current, rows, header = (s[0], s[1], line), [], None
        else:
            raise IngestError(f"cannot read 「{line.text}」 in the 別表: expected a pillar heading "
                              "(「1 …に関する取組」), a table header or a tab-separated row",
                              file=file, line=line.number, where=label)
    close()
    return Reading(layout, tuple(groups))
