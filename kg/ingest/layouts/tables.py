"""Tab-separated annex tables (T1, T2, T3, T4, P): a header row, then one row per initiative.

A header names its columns 「取組 / 内容 / 〈party〉の役割 …」; the role columns say whose role
they hold (「郡山市の役割」, 「甲の役割」, and in T4 「福山市の役割分担及び費用分担」), so the roles
are matched to parties by the header, never by column position. T2 and P put grouping columns
before 取組 (「分野 / 基本方針」, 「区分」); :meth:`Header.column` finds them by label.

>>> header_cells = "分野\\t基本方針\\t取組\\t内容\\t松山市の役割\\t東温市の役割".split("\\t")
>>> [role_label(c) for c in header_cells]
[None, None, None, None, '松山市', '東温市']
>>> role_label("福山市の役割分担及び費用分担"), cost_sharing("福山市の役割分担及び費用分担")
('福山市', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import InitiativeText, Line, RoleText

__all__ = [
    "DITTO", "Header", "cells", "cost_sharing", "grouping_columns", "is_header", "is_row", "read_header", "read_row",
    "role_label",
]

# 「郡山市の役割」, 「甲の役割分担」, 「福山市の役割分担及び費用分担」 (T4: the cell also says who pays).
_ROLE = re.compile(r"(?P<party>.+?)の役割(?:分担)?(?P<cost>(?:及び|および)費用(?:分担|負担))?$")
_NUMBERED = re.compile(rf"[（(](?P<n>{NUMERAL})[）)][ \u3000]*(?P<title>.*)")
# The label of the column naming the initiative: 取組, 取組名, 取組事項, 取組項目, 連携する取組.
_TITLE_LABEL = re.compile(r"(?:連携する|具体的な)?取組(?:名|事項|項目)?")
_SPACES = " \u3000"

#: What a grouping cell (分野, 基本方針, 区分) says when it repeats the cell above: a merged cell of
#: the original table, exported empty, or written 「同上」 / 「〃」.
DITTO = frozenset({"", "同上", "〃", "同", "″"})


def cells(line: Line) -> list[str]:
    """The cells of a tab-separated row, without the spaces around them."""
    return [cell.strip(_SPACES) for cell in line.text.split("\t")]


def role_label(label: str) -> str | None:
    """The party a role column's label names (「郡山市の役割」 → 郡山市), or None if it is no role column."""
    m = _ROLE.fullmatch(key(label))
    return m["party"] if m else None


def cost_sharing(label: str) -> bool:
    """True for a role column that also carries cost sharing (「…の役割分担及び費用分担」, layout T4)."""
    m = _ROLE.fullmatch(key(label))
    return bool(m and m["cost"])


@dataclass(frozen=True)
class Header:
    """A table's header row: which columns hold the title, the content and the roles of whom."""

    line: Line
    labels: tuple[str, ...]
    title: int
    content: int
    roles: tuple[tuple[int, str, str | None], ...]  # (column, printed label, party code or None)

    def column(self, *words: str) -> int | None:
        """The first column whose normalised label starts with one of ``words``."""
        return next((i for i, label in enumerate(self.labels) if key(label).startswith(words)), None)


def is_row(line: Line) -> bool:
    """True for a table row (cells separated by tabs)."""
    return "\t" in line.text


def _title_column(labels: list[str]) -> int | None:
    """The column labelled 取組 (or 取組名, 取組事項, …), if any."""
    return next((i for i, label in enumerate(labels) if _TITLE_LABEL.fullmatch(key(label))), None)


def grouping_columns(line: Line) -> list[str]:
    """The normalised labels of a header's columns before its 取組 column (「分野」, 「基本方針」, 「区分」)."""
    labels = cells(line)
    title = _title_column(labels)
    return [key(label) for label in labels[: title or 0]]


def is_header(line: Line) -> bool:
    """True for a header row: one of its cells is 「取組」 (or 取組名, 取組事項, …), which no row's title is."""
    return is_row(line) and _title_column(cells(line)) is not None


def read_header(line: Line, parties: Parties, file: str, *, roles_required: bool = True) -> Header:
    """Read a header row; it must name a 取組 and a 内容 column and, unless told otherwise, a role column."""
    labels = tuple(cells(line))
    title = _title_column(list(labels))
    content = next((i for i, label in enumerate(labels) if title is not None and i > title and "内容" in label),
                   None)
    roles = tuple((i, label, parties.code_for(party)) for i, label in enumerate(labels)
                  if (party := role_label(label)) is not None)
    if title is None or content is None or (roles_required and not roles):
        raise IngestError(f"table header 「{' / '.join(labels)}」 names no 取組 column, no 内容 column or no "
                          "〈party〉の役割 column", file=file, line=line.number)
    return Header(line, labels, title, content, roles)


def read_row(line: Line, header: Header, group: int, position: int, annex_label: str,
             file: str) -> InitiativeText:
    """Read one initiative row; its title may start with its printed number 「(8) …」."""
    row = cells(line)
    title_cell = row[header.title] if header.title < len(row) else ""
    numbered = _NUMBERED.fullmatch(title_cell)
    number = to_int(numbered["n"]) if numbered else None
    identifier = f"{group}-({number})" if number is not None else f"{group}-{position}"
    where = f"{annex_label} {identifier}"
    if len(row) != len(header.labels):
        raise IngestError(f"row has {len(row)} columns but the table header (line {header.line.number}) "
                          f"has {len(header.labels)}: {' / '.join(header.labels)}",
                          file=file, line=line.number, where=where)
    title = numbered["title"] if numbered else title_cell
    if not title and header.title + 1 < len(row) and not header.labels[header.title + 1]:
        # 「取組」 printed over two columns (a page's colspan): the number, then the title beside it.
        title = row[header.title + 1]
    roles = tuple(RoleText(label, party, row[i], line.span) for i, label, party in header.roles)
    return InitiativeText(number if number is not None else position, identifier, title,
                          row[header.content], roles, line.span, where)
