"""One table row of a 別表 read as an initiative: its printed number, title, content, roles and remarks.

The title may start with its printed number — (8), （８）, ⑧, 8., ア, (ア) — or the number may stand
in a 番号 column; the identifier is the group's number then that number (``3-(8)``, ``1-ア``), else
the row's position (``1-2``). A role cell that prints only 「－」, 「なし」 or nothing means that party
takes no part (docs/ingest.md, "The reader by meaning").
"""

from __future__ import annotations

import re

from kg.errors import ProblemList
from kg.ingest.annex.columns import Header
from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.structure import InitiativeText, Line, RoleText

__all__ = ["NO_PART", "read_row"]

#: What a role cell prints when its party takes no part (matched on the normalised cell).
NO_PART = frozenset({"", "-", "―", "—", "–", "‐", "ー", "－", "なし", "無し", "該当なし", "特になし", "×"})
# A row's printed number before its title: 「(8) …」, 「（８）…」, 「① …」, 「8. …」, 「8 …」, 「ア …」, 「(ア) …」.
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
_NUMBERED = re.compile(rf"(?:[（(](?P<n>{NUMERAL})[）)]|(?P<c>[①-⑳])|(?P<d>[0-9０-９]+)[.．]?(?=[ \u3000])"
                       rf"|[（(](?P<pk>[{_KANA}])[）)]|(?P<k>[{_KANA}])(?=[ \u3000]))"
                       rf"[ \u3000]*(?P<title>.*)")


def read_row(line: Line, row: list[str], header: Header, group: int, position: int, label: str,
             problems: ProblemList) -> InitiativeText | None:
    """One initiative, the ``position``-th row of group ``group``; None (with a problem) if the row does
    not have the header's columns."""
    title_col = header.title
    title_cell = row[title_col.index] if title_col.index < len(row) else ""
    numbered = _NUMBERED.fullmatch(title_cell)
    number_cell: str | None = None
    number: int | None = None
    if numbered and (numbered["k"] or numbered["pk"]):
        kana = numbered["k"] or numbered["pk"]  # イロハ-style markers: their place in the 五十音 order
        number, number_cell = _KANA.index(kana) + 1, kana
    elif numbered:
        printed = numbered["n"] or numbered["d"]
        number = to_int(printed) if printed else (ord(numbered["c"]) - 0x2460 + 1)
        number_cell = f"({number})"
    number_col = header.first("number")
    if number is None and number_col is not None and number_col.index < len(row):
        raw = row[number_col.index].strip("()（）.．")
        number = to_int(raw)
        number_cell = f"({number})" if number is not None else None
    identifier = f"{group}-{number_cell}" if number_cell else f"{group}-{position}"
    where = f"{label} {identifier}"
    if len(row) != len(header.columns):
        problems.add(
            f"この行の欄は{len(row)}個ですが、表の見出し（{header.line.number}行目）は{len(header.columns)}個です"
            f"（{' / '.join(header.labels)}）。",
            f"row has {len(row)} columns but the table header (line {header.line.number}) has "
            f"{len(header.columns)}: {' / '.join(header.labels)}", line=line.number, where=where,
            fix_ja="欠けている欄を補うか、余分な区切り（タブ）を取り除いてください。",
            fix_en="fill in the missing cell, or remove the extra separator (tab)")
        return None
    title = numbered["title"] if numbered else title_cell
    if not title and title_col.index + 1 < len(row) and not header.columns[title_col.index + 1].label:
        # 「取組」 printed over two columns (a page's colspan): the number, then the title beside it.
        title = row[title_col.index + 1]
    content_col = header.first("content")
    roles = []
    for column in header.roles:
        text = row[column.index]
        # 「－」, 「なし」, empty: the party takes no part; not a role text (a role is longer than any mark)
        part = len(text) > 6 or key(text) not in NO_PART
        roles.append(RoleText(column.label, column.party, text if part else "", line.span, column.index,
                              takes_part=part))
    remarks_col = header.first("remarks")
    columns = {"title": title_col.index}
    if content_col is not None:
        columns["content"] = content_col.index
    return InitiativeText(number if number is not None else position, identifier, title,
                          row[content_col.index] if content_col else "", tuple(roles), line.span, where,
                          columns, row[remarks_col.index] if remarks_col else "")
