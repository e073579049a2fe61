"""Layout T2: one 別表 whose first columns, 分野 and 基本方針, are repeated on each row.

::

    第2条 …別表に掲げる分野ごとの基本方針に従い、…
    第3条 …連携する取組及び役割分担は、別表のとおりとする。
    別表（第2条、第3条関係）
    分野<TAB>基本方針<TAB>取組<TAB>内容<TAB>松山市の役割<TAB>東温市の役割
    圏域全体の経済成長のけん引<TAB>圏域の産業を…<TAB>地域産業の振興<TAB>…<TAB>…<TAB>…

Seen in 松山–東温 (shared/domain/layouts.md). The 分野 are the pillars: rows are grouped by
分野 in the order they first appear, each group an annex section headed by the 分野 as printed,
with its 基本方針 as the section's description. A table printed with merged cells leaves the
分野 and 基本方針 of later rows empty, or writes 「同上」 or 「〃」: those repeat the row above.
"""

from __future__ import annotations

from kg.errors import IngestError
from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.tables import DITTO, Header, cells, grouping_columns, is_header, is_row, read_header, read_row
from kg.ingest.normalise import key
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Group, InitiativeText, Line, Reading, Span

__all__ = ["LAYOUT", "detect", "read"]


def detect(doc: Document) -> Miss | None:
    """T2 has one 別表 that opens with a header whose columns before 取組 include 分野."""
    if not doc.annexes:
        return Miss("no 別表", doc.articles[-1].span.last)
    if len(doc.annexes) > 1:
        return Miss("more than one 別表", doc.annexes[1].heading.number)
    annex = doc.annexes[0]
    first = annex.lines[0] if annex.lines else annex.heading
    if not is_header(first) or not any(label.startswith("分野") for label in grouping_columns(first)):
        return Miss("the 別表 does not open with a table header whose first columns are 分野 (and 基本方針)",
                    first.number)
    return None


class _Section:
    """The rows of one 分野, gathered as the table is read."""

    def __init__(self, number: int, heading: str, first: Line) -> None:
        """A new section numbered ``number`` for the 分野 ``heading`` first printed on ``first``."""
        self.number, self.heading, self.first = number, heading, first
        self.policies: list[str] = []
        self.rows: list[InitiativeText] = []

    def group(self, annex: int) -> Group:
        """The finished section as a group of the annex."""
        span = Span(self.first.number, self.rows[-1].span.last)
        return Group("section", self.number, self.heading, span, tuple(self.rows), annex=annex,
                     description=tuple(self.policies))


def read(doc: Document, parties: Parties) -> Reading:
    """Read every row, grouping them by 分野 and keeping each 分野's 基本方針."""
    annex, file = doc.annexes[0], doc.source.name
    label = "別表"
    header: Header = read_header(annex.lines[0], parties, file)
    sections: dict[str, _Section] = {}
    field_text, policy_text = "", ""
    for line in annex.lines[1:]:
        if not is_row(line):
            raise IngestError(f"cannot read 「{line.text}」 in the 別表: expected a tab-separated row",
                              file=file, line=line.number, where=label)
        if is_header(line):  # a header repeated at a page break
            header = read_header(line, parties, file)
            continue
        row = cells(line)
        field_at, policy_at = header.column("分野"), header.column("基本方針")
        if field_at is not None and field_at < len(row) and row[field_at] not in DITTO:
            field_text = row[field_at]
        if policy_at is not None and policy_at < len(row) and row[policy_at] not in DITTO:
            policy_text = row[policy_at]
        if not field_text:
            raise IngestError("row names no 分野, and there is no row above to repeat", file=file,
                              line=line.number, where=label)
        section = sections.get(key(field_text))
        if section is None:
            section = sections[key(field_text)] = _Section(len(sections) + 1, field_text, line)
        if policy_text and policy_text not in section.policies:
            section.policies.append(policy_text)
        section.rows.append(read_row(line, header, section.number, len(section.rows) + 1, label, file))
    return Reading("T2", tuple(s.group(annex.number) for s in sections.values()))


LAYOUT = Layout("T2", "one 別表 whose first columns 分野 and 基本方針 are repeated on each row", detect, read)
