"""Tab-separated annex tables (T1, T3, and later T2, T4): a header row, then one row per initiative.

A header names its columns 「取組 / 内容 / 〈party〉の役割 …」; the role columns say whose role
they hold (「郡山市の役割」, 「甲の役割」), so the roles are matched to parties by the header,
never by column position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import InitiativeText, Line, RoleText

__all__ = ["Header", "is_header", "is_row", "read_header", "read_row"]

_ROLE = re.compile(r"(?P<party>.+?)の役割(?:分担)?$")
_NUMBERED = re.compile(rf"[（(](?P<n>{NUMERAL})[）)][ \u3000]*(?P<title>.*)")
_SPACES = " \u3000"


@dataclass(frozen=True)
class Header:
    """A table's header row: which column holds the content and which the roles of whom."""

    line: Line
    labels: tuple[str, ...]
    content: int
    roles: tuple[tuple[int, str, str | None], ...]  # (column, printed label, party code or None)


def _cells(line: Line) -> list[str]:
    """The cells of a tab-separated row, without the spaces around them."""
    return [cell.strip(_SPACES) for cell in line.text.split("\t")]


def is_row(line: Line) -> bool:
    """True for a table row (cells separated by tabs)."""
    return "\t" in line.text


def is_header(line: Line) -> bool:
    """True for a header row: its first cell is 「取組」 (or 「取組名」, 「取組事項」)."""
    return is_row(line) and key(_cells(line)[0]).startswith("取組")


def read_header(line: Line, parties: Parties, file: str) -> Header:
    """Read a header row; it must name a content column and at least one role column."""
    labels = tuple(_cells(line))
    content = next((i for i, label in enumerate(labels) if i > 0 and "内容" in label), None)
    roles = tuple((i, label, parties.code_for(m["party"]))
                  for i, label in enumerate(labels) if (m := _ROLE.fullmatch(key(label))))
    if content is None or not roles:
        raise IngestError(f"table header 「{' / '.join(labels)}」 names no 内容 column or no 〈party〉の役割 "
                          "column", file=file, line=line.number)
    return Header(line, labels, content, roles)


def read_row(line: Line, header: Header, group: int, position: int, annex_label: str,
             file: str) -> InitiativeText:
    """Read one initiative row; its title may start with its printed number 「(8) …」."""
    cells = _cells(line)
    numbered = _NUMBERED.fullmatch(cells[0])
    number = to_int(numbered["n"]) if numbered else None
    identifier = f"{group}-({number})" if number is not None else f"{group}-{position}"
    where = f"{annex_label} {identifier}"
    if len(cells) != len(header.labels):
        raise IngestError(f"row has {len(cells)} columns but the table header (line {header.line.number}) "
                          f"has {len(header.labels)}: {' / '.join(header.labels)}",
                          file=file, line=line.number, where=where)
    title = numbered["title"] if numbered else cells[0]
    roles = tuple(RoleText(label, party, cells[i], line.span) for i, label, party in header.roles)
    return InitiativeText(number if number is not None else position, identifier, title,
                          cells[header.content], roles, line.span, where)
