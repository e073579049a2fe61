"""Layout T3: one 別表 per pillar (別表第1, 別表第2, 別表第3), each a table of initiatives.

::

    第3条 …次に掲げる政策分野ごとに、別表第1から別表第3までに定めるとおりとする。
    (1) 圏域全体の経済成長のけん引に係る政策分野（別表第1）
    …
    別表第1（第3条関係）　圏域全体の経済成長のけん引に係る政策分野
    取組<TAB>内容<TAB>甲の役割<TAB>乙の役割
    産学金官民一体となった…<TAB>…

Seen in 熊本–山鹿 (shared/domain/layouts.md). Rows carry no printed number: they are numbered
by position (docs/model.md).
"""

from __future__ import annotations

from kg.errors import IngestError
from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.tables import grouping_columns, is_header, is_row, read_header, read_row
from kg.ingest.parties import Parties
from kg.ingest.structure import Annex, Document, Group, InitiativeText, Reading

__all__ = ["LAYOUT", "detect", "read"]


def detect(doc: Document) -> Miss | None:
    """T3 has numbered 別表第N, each opening with a table header."""
    if not doc.annexes:
        return Miss("no 別表", doc.articles[-1].span.last)
    for annex in doc.annexes:
        if not annex.heading.text.startswith("別表第"):
            return Miss("an unnumbered 別表 (T3 numbers them 別表第1, 別表第2, …)", annex.heading.number)
        if not annex.lines or not is_header(annex.lines[0]):
            where = annex.lines[0] if annex.lines else annex.heading
            return Miss(f"{annex.heading.text.split('（')[0]} does not open with a table header "
                        "(「取組<TAB>内容<TAB>…の役割」)", where.number)
        if grouping_columns(annex.lines[0]):
            return Miss("the table has columns before 取組 (「分野」, 「区分」: T2 or P)", annex.lines[0].number)
    return None


def _heading(annex: Annex, doc: Document) -> str:
    """The pillar as printed: the title on the 別表 line, else the 第3条 item that cites it."""
    if annex.title:
        return annex.title
    cite = f"別表第{annex.number}"
    for article in doc.articles:
        for paragraph in article.paragraphs:
            for item in paragraph.items:
                if cite in item.text:
                    return item.text
    return ""


def read(doc: Document, parties: Parties) -> Reading:
    """Read each 別表第N as the group of one pillar."""
    file = doc.source.name
    groups: list[Group] = []
    for annex in doc.annexes:
        label = f"別表第{annex.number}"
        header = read_header(annex.lines[0], parties, file)
        rows: list[InitiativeText] = []
        for line in annex.lines[1:]:
            if not is_row(line):
                raise IngestError(f"cannot read 「{line.text}」 in {label}: expected a tab-separated row",
                                  file=file, line=line.number, where=label)
            if is_header(line):
                header = read_header(line, parties, file)
                continue
            rows.append(read_row(line, header, annex.number, len(rows) + 1, label, file))
        groups.append(Group("annex", annex.number, _heading(annex, doc), annex.span, tuple(rows)))
    return Reading("T3", tuple(groups))


LAYOUT = Layout("T3", "one 別表第N per pillar, each a table of 取組 without printed numbers", detect, read)
