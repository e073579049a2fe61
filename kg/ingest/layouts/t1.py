"""Layout T1: one 別表 after the signatures, grouped under numbered pillar headings.

::

    別表（第3条関係）
    1 圏域全体の経済成長のけん引に関する取組
    取組<TAB>内容<TAB>郡山市の役割<TAB>二本松市の役割
    (1) 産学金官民…<TAB>…<TAB>…<TAB>…

Seen in 郡山–二本松 (the seed), 広島–岩国, 岡山–玉野, 札幌–岩見沢 (shared/domain/layouts.md).
"""

from __future__ import annotations

import re

from kg.errors import IngestError
from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.tables import Header, is_header, is_row, read_header, read_row
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Group, InitiativeText, Line, Reading, Span

__all__ = ["LAYOUT"]

_SECTION = re.compile(rf"(?P<n>{NUMERAL})[ \u3000]+(?P<heading>[^\t]+)")


def _section(line: Line) -> tuple[int, str] | None:
    """(number, heading) if ``line`` is a pillar heading 「1 …に関する取組」."""
    m = _SECTION.fullmatch(line.text)
    n = to_int(m["n"]) if m else None
    return (n, m["heading"]) if m and n is not None else None


def detect(doc: Document) -> Miss | None:
    """T1 has exactly one unnumbered 別表, divided by numbered pillar headings."""
    if not doc.annexes:
        return Miss("no 別表", doc.articles[-1].span.last)
    annex = doc.annexes[0]
    if len(doc.annexes) > 1 or annex.heading.text.startswith("別表第"):
        return Miss("more than one 別表, or a numbered 別表第N", annex.heading.number)
    first = annex.lines[0] if annex.lines else annex.heading
    if is_row(first) or _section(first) is None:
        return Miss("the 別表 does not start with a numbered pillar heading (「1 …に関する取組」)",
                    first.number)
    return None


def read(doc: Document, parties: Parties) -> Reading:
    """Read the sections of the one 別表 and their rows."""
    annex, file = doc.annexes[0], doc.source.name
    label = "別表"
    groups: list[Group] = []
    section: tuple[int, str, Line] | None = None
    rows: list[InitiativeText] = []
    header: Header | None = None

    def close() -> None:
        """End the current section: keep it as a group with its rows."""
        if section is not None:
            span = Span(section[2].number, (rows[-1].span if rows else section[2].span).last)
            groups.append(Group("section", section[0], section[1], span, tuple(rows), annex=annex.number))

    for line in annex.lines:
        if is_header(line):
            header = read_header(line, parties, file)
        elif is_row(line):
            if section is None or header is None:
                raise IngestError("table row before its pillar heading and table header", file=file,
                                  line=line.number, where=label)
            rows.append(read_row(line, header, section[0], len(rows) + 1, label, file))
        elif (s := _section(line)) is not None:
            close()
            section, rows, header = (s[0], s[1], line), [], None
        else:
            raise IngestError(f"cannot read 「{line.text}」 in the 別表: expected a pillar heading "
                              "(「1 …に関する取組」), a table header or a tab-separated row",
                              file=file, line=line.number, where=label)
    close()
    return Reading("T1", tuple(groups))


LAYOUT = Layout("T1", "one 別表 divided by numbered pillar headings, one tab-separated row per 取組",
                detect, read)
