"""Layout P: the 区分 (pillars) enumerated in 第2条, a default division of labour, a 別表 by 区分.

::

    第2条 宮崎市及び国富町が連携する取組の区分は、次のとおりとする。
    (1) 圏域全体の経済成長のけん引                     ← 区分 1 (a pillar)
    (2) 高次の都市機能の集積・強化
    (3) 圏域全体の生活関連機能サービスの向上
    2 前項第1号及び第2号に掲げる区分の取組については宮崎市が中心となって取り組み、…  ← default roles
    第3条 前条第1項の区分ごとの具体的な取組は、別表のとおりとする。
    別表（第3条関係）
    区分<TAB>取組<TAB>内容
    (1)<TAB>企業誘致の推進<TAB>…

Seen in 宮崎's draft (shared/domain/layouts.md): pillars 1–2 led by the central city, pillar 3
joint. The 区分 cell gives the item's number (「(1)」, 「1」, 「第1号」) or its wording; an empty
or 「同上」 cell repeats the row above. Roles come from the default division
(:mod:`~kg.ingest.layouts.division`), with the paragraph's lines as their source, unless the
table has its own 〈party〉の役割 columns, which then say it row by row.
"""

from __future__ import annotations

import re

from kg.errors import IngestError
from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.division import Rule, read_rules
from kg.ingest.layouts.tables import DITTO, Header, cells, grouping_columns, is_header, is_row, read_header, read_row
from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import Article, Document, Group, InitiativeText, Item, Line, Paragraph, Reading, RoleText

__all__ = ["LAYOUT", "detect", "read"]

_CELL_NUMBER = re.compile(rf"[（(]?第?(?P<n>{NUMERAL})号?[）)]?")


def _enumeration(doc: Document) -> tuple[Article, Paragraph] | None:
    """The article paragraph that lists the 区分 as items: the first with two or more items."""
    for article in doc.articles:
        for paragraph in article.paragraphs:
            if len(paragraph.items) >= 2:
                return article, paragraph
    return None


def detect(doc: Document) -> Miss | None:
    """P has one 別表 opening with a 区分 column, and an article that enumerates the 区分."""
    if not doc.annexes:
        return Miss("no 別表", doc.articles[-1].span.last)
    if len(doc.annexes) > 1:
        return Miss("more than one 別表", doc.annexes[1].heading.number)
    annex = doc.annexes[0]
    first = annex.lines[0] if annex.lines else annex.heading
    if not is_header(first) or not any(label.startswith("区分") for label in grouping_columns(first)):
        return Miss("the 別表 does not open with a table header whose first column is 区分", first.number)
    if _enumeration(doc) is None:
        return Miss("no article enumerates the 区分 as items 「(1) …」", doc.articles[-1].span.last)
    return None


def _division(doc: Document, after: tuple[Article, Paragraph], parties: Parties, count: int) -> tuple[
        list[Rule], str]:
    """The default division: the rules of the first later paragraph that has any, and its label."""
    names = {}
    for party in parties:
        m = party.municipality
        for name in (party.printed, m.name, m.prefecture + m.name, party.alias):
            if name:
                names[name] = party.code
    article, paragraph = after
    candidates = [(a, p) for a in doc.articles for p in a.paragraphs
                  if (a.number, p.number) > (article.number, paragraph.number)]
    for a, p in candidates:
        rules = read_rules(p, names, count)
        if rules:
            label = f"{a.label}第{p.number}項" if len(a.paragraphs) > 1 else a.label
            return rules, label
    return [], ""


def _group_of(cell: str, items: list[Item], file: str, line: Line) -> int:
    """The 区分 a row's cell names: by number (「(1)」, 「第1号」) or by the item's wording."""
    m = _CELL_NUMBER.fullmatch(cell)
    number = to_int(m["n"]) if m else None
    if number is not None and any(item.number == number for item in items):
        return number
    k = key(cell)
    found = [item.number for item in items if k and (k in key(item.text) or key(item.text) in k)]
    if len(found) == 1:
        return found[0]
    listed = ", ".join(f"({item.number}) {item.text}" for item in items)
    raise IngestError(f"区分 「{cell}」 is none of the 区分 the articles enumerate: {listed}", file=file,
                      line=line.number, where="別表")


def _default_roles(row: InitiativeText, group: int, rules: list[Rule], label: str) -> InitiativeText:
    """The row with the roles the default division gives its 区分 (none if no rule covers it)."""
    rule = next((r for r in rules if group in r.numbers), None)
    if rule is None:
        return row
    roles = tuple(RoleText(label, code, text, rule.span) for code, text in rule.roles)
    return InitiativeText(row.number, row.identifier, row.title, row.content, roles, row.span, row.where)


def read(doc: Document, parties: Parties) -> Reading:
    """Read the rows by 区分; roles from the table if it has role columns, else the default division."""
    annex, file = doc.annexes[0], doc.source.name
    enumeration = _enumeration(doc)
    assert enumeration is not None, "detect() found the enumeration"  # noqa: S101
    items = enumeration[1].items
    rules, label = _division(doc, enumeration, parties, len(items))
    header: Header = read_header(annex.lines[0], parties, file, roles_required=False)
    rows: dict[int, list[InitiativeText]] = {}
    firsts: dict[int, Line] = {}
    current: int | None = None
    for line in annex.lines[1:]:
        if not is_row(line):
            raise IngestError(f"cannot read 「{line.text}」 in the 別表: expected a tab-separated row",
                              file=file, line=line.number, where="別表")
        if is_header(line):  # a header repeated at a page break
            header = read_header(line, parties, file, roles_required=False)
            continue
        at = header.column("区分")
        cell = cells(line)[at] if at is not None and at < len(cells(line)) else ""
        if cell not in DITTO:
            current = _group_of(cell, items, file, line)
        if current is None:
            raise IngestError("row names no 区分, and there is no row above to repeat", file=file,
                              line=line.number, where="別表")
        group = rows.setdefault(current, [])
        firsts.setdefault(current, line)
        row = read_row(line, header, current, len(group) + 1, "別表", file)
        group.append(row if header.roles else _default_roles(row, current, rules, label))
    groups = []
    for item in items:
        if item.number in rows:
            span = firsts[item.number].span | rows[item.number][-1].span
            groups.append(Group("section", item.number, item.text, span, tuple(rows[item.number]),
                                annex=annex.number))
    return Reading("P", tuple(groups))


LAYOUT = Layout("P", "区分 enumerated in 第2条 with a default division of labour; one 別表 by 区分", detect, read)
