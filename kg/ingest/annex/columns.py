"""A table's header read by meaning: which column holds the title, the content, each party's role.

The wordings are data (``columns.toml`` beside this module); this module only applies them. A
header is recognised by its title column (取組, 事業, 項目 …), which no row's title is. Role columns
are matched to parties by the party their label names (「郡山市の役割」, 「甲の役割分担」,
「福山市の役割分担及び費用分担」), never by position; a 「役割分担」 header spanning several columns
takes the party names from the header row printed under it.

>>> kinds = [kind_of(label)[0] for label in ("分野", "基本方針", "事業名", "事業概要", "松山市の役割", "備考")]
>>> kinds
['field', 'policy', 'title', 'content', 'role', 'remarks']
>>> kind_of("福山市の役割分担及び費用分担")
('role', '福山市', True)
>>> kind_of("取組内容"), kind_of("何か")
(('content', None, False), (None, None, False))
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from kg.ingest.normalise import key
from kg.ingest.structure import Line

__all__ = ["COLUMNS_FILE", "DITTO", "Column", "Header", "cells", "is_row", "kind_of", "title_column"]

#: The wordings of every column kind (docs/ingest.md, "Teaching the reader a new column wording").
COLUMNS_FILE = Path(__file__).with_name("columns.toml")

#: What a grouping cell (分野, 基本方針, 区分) says when it repeats the cell above: a merged cell of
#: the original table, exported empty, or written 「同上」 / 「〃」.
DITTO = frozenset({"", "同上", "〃", "同", "″"})

_SPACES = " \u3000"


@cache
def _kinds() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """(kind, compiled label patterns) in the file's order."""
    with COLUMNS_FILE.open("rb") as f:
        data = tomllib.load(f)
    return tuple((k["name"], tuple(re.compile(p) for p in k["labels"])) for k in data["kind"])


#: A header cell is a few words; a longer cell is a row's text, never a label (and is not matched).
_LABEL_MAX = 30


@lru_cache(maxsize=4096)
def kind_of(label: str) -> tuple[str | None, str | None, bool]:
    """(kind, party named, carries cost) of a header cell; (None, None, False) if no wording fits."""
    k = key(label) if len(label) <= _LABEL_MAX else ""
    if not k:
        return None, None, False
    for name, patterns in _kinds():
        for pattern in patterns:
            m = pattern.fullmatch(k)
            if m:
                groups = m.groupdict()
                return name, groups.get("party"), bool(groups.get("cost"))
    return None, None, False


def cells(line: Line) -> list[str]:
    """The cells of a tab-separated row, without the spaces around them."""
    return [cell.strip(_SPACES) for cell in line.text.split("\t")]


def is_row(line: Line) -> bool:
    """True for a table row (cells separated by tabs)."""
    return "\t" in line.text


def title_column(labels: list[str]) -> int | None:
    """The column labelled as the initiative's title (取組, 事業名, …), if any."""
    return next((i for i, label in enumerate(labels) if kind_of(label)[0] == "title"), None)


@dataclass(frozen=True)
class Column:
    """One column of a header: what it holds and, for a role, whose (as printed and as a party code)."""

    index: int
    label: str  # as printed
    kind: str | None  # a kind of columns.toml, or None for a column no wording fits
    party_printed: str | None = None  # the party the label names: 「郡山市」, 「甲」
    party: str | None = None  # that party's municipality code, None if it names no party
    cost: bool = False  # the role cell also says who pays (T4)
    how: str = "header"  # "header": read from the label; "cells": from what the column holds


@dataclass(frozen=True)
class Header:
    """A table's header: its line(s) and columns."""

    line: Line
    columns: tuple[Column, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The printed labels."""
        return tuple(c.label for c in self.columns)

    @cached_property
    def _first(self) -> dict[str | None, Column]:
        found: dict[str | None, Column] = {}
        for c in self.columns:
            found.setdefault(c.kind, c)
        return found

    def first(self, kind: str) -> Column | None:
        """The first column of ``kind``."""
        return self._first.get(kind)

    @property
    def title(self) -> Column:
        """The title column (a header always has one)."""
        found = self.first("title")
        assert found is not None  # noqa: S101 (a header is recognised by its title column)
        return found

    @cached_property
    def roles(self) -> tuple[Column, ...]:
        """The role columns, in order."""
        return tuple(c for c in self.columns if c.kind == "role")

    @property
    def carries_costs(self) -> bool:
        """True if a role column also says who pays (layout T4)."""
        return any(c.cost for c in self.roles)
