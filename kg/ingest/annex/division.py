"""Layout P's default division of labour: which party does what, per 区分, from one paragraph.

A P text enumerates its 区分 (the pillars) as the items of 第2条第1項 and says in 第2条第2項 who
does what for each, in one sentence or as items::

    2 前項第1号及び第2号に掲げる区分の取組については宮崎市が中心となって取り組み、国富町は宮崎市と
      連携して取り組むものとし、同項第3号に掲げる区分の取組については宮崎市及び国富町が共同して
      取り組むものとする。

Each citation 「前項第1号及び第2号」 starts a rule that runs to the next citation. Inside a rule,
a clause whose subject is a party (「宮崎市が」, 「国富町は」, 「宮崎市及び国富町が」) is that
party's role, up to the next clause with another subject; every role is a substring of the
printed text, so the graph keeps the legal wording.

>>> from kg.ingest.structure import Line, Paragraph
>>> p = Paragraph(2, [Line(9, "2 前項第1号に掲げる区分の取組については甲が中心となって取り組み、乙は甲と"
...                            "連携して取り組むものとし、同項第2号及び第3号に掲げる区分の取組については"
...                            "甲及び乙が共同して取り組むものとする。")], "2 ")
>>> rules = read_rules(p, {"甲": "A", "乙": "B"}, 3)
>>> [(sorted(r.numbers), [(c, t) for c, t in r.roles]) for r in rules]  # doctest: +NORMALIZE_WHITESPACE
[([1], [('A', '甲が中心となって取り組み'), ('B', '乙は甲と連携して取り組むものとし')]),
 ([2, 3], [('A', '甲及び乙が共同して取り組むものとする。'), ('B', '甲及び乙が共同して取り組むものとする。')])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.parties import Parties
from kg.ingest.structure import Article, Document, InitiativeText, Item, Line, Paragraph, RoleText, Span

__all__ = ["Division", "Rule", "division", "enumeration", "group_of", "read_rules"]

# 「前項第1号及び第2号」, 「同項第3号」, 「第2条第1項第1号から第2号まで」, 「前項各号」.
_CITATION = re.compile(
    rf"(?:前項|同項|第(?:{NUMERAL})条第(?:{NUMERAL})項)"
    rf"(?:各号|第(?P<first>{NUMERAL})号(?P<more>(?:(?:及び|および|並びに|、)第(?:{NUMERAL})号)*)"
    rf"(?:から第(?P<last>{NUMERAL})号まで)?)"
)
_NUMBER = re.compile(rf"第({NUMERAL})号")
_JOINER = r"(?:及び|および|並びに|と|、)"
# A clause starts at the start of the rule, after 「、」 or a space, or after 「…ついては」/「…おいては」.
_CLAUSE_START = re.compile(r"(?:^|(?<=[、 \u3000])|(?<=ては))")


@dataclass(frozen=True)
class Rule:
    """The division of labour for some 区分: their numbers, and each party's role as printed."""

    numbers: frozenset[int]
    roles: tuple[tuple[str, str], ...]  # (party code, printed role text)
    span: Span


def _numbers(m: re.Match[str], count: int) -> frozenset[int]:
    """The 区分 numbers one citation names (「各号」 names all ``count`` of them)."""
    if m["first"] is None:
        return frozenset(range(1, count + 1))
    found = [to_int(m["first"])] + [to_int(n) for n in _NUMBER.findall(m["more"] or "")]
    numbers = {n for n in found if n is not None}
    last = to_int(m["last"]) if m["last"] else None
    if last is not None and found[0] is not None:
        numbers |= set(range(found[0], last + 1))
    return frozenset(numbers)


def _span(paragraph: Paragraph, start: int, end: int) -> Span:
    """The source lines holding characters ``start``–``end`` of the paragraph's printed text."""
    first = last = paragraph.lines[0].number
    offset = 0
    for line in paragraph.lines:
        if offset <= start:
            first = line.number
        if offset < end:
            last = line.number
        offset += len(line.text) + 1  # the "\n" joining printed lines
    return Span(first, last)


def _roles(body: str, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each party's clause in one rule's body: from its subject to the next clause with another subject."""
    party = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    subject = re.compile(rf"{_CLAUSE_START.pattern}(?P<subject>(?:{party})(?:{_JOINER}(?:{party}))*)(?:が|は)")
    clauses = [(m.start("subject"), m["subject"]) for m in subject.finditer(body)]
    roles: dict[str, tuple[int, int]] = {}
    for k, (start, text) in enumerate(clauses):
        end = clauses[k + 1][0] if k + 1 < len(clauses) else len(body)
        for name in re.findall(party, text):
            code = names[name]
            first = roles[code][0] if code in roles else start
            roles[code] = (first, end)
    return tuple((code, body[a:b].rstrip("、 \u3000")) for code, (a, b) in roles.items())


def read_rules(paragraph: Paragraph, names: dict[str, str], count: int) -> list[Rule]:
    """The rules of ``paragraph`` for ``count`` 区分; ``names`` maps every way a party is printed
    (甲, 宮崎市, 宮崎県宮崎市) to its code. A paragraph that cites no 区分 has no rules."""
    text = paragraph.printed
    citations = list(_CITATION.finditer(text))
    rules = []
    for k, m in enumerate(citations):
        end = citations[k + 1].start() if k + 1 < len(citations) else len(text)
        # A rule printed as an item ends with its line, before the next item's 「(2)」.
        line_end = text.rfind("\n", m.end(), end)
        end = line_end if line_end >= 0 and k + 1 < len(citations) else end
        roles = _roles(text[m.end(): end], names)
        if roles:
            rules.append(Rule(_numbers(m, count), roles, _span(paragraph, m.start(), end)))
    return rules


_CELL_NUMBER = re.compile(rf"[（(]?第?(?P<n>{NUMERAL})号?[）)]?")


def enumeration(doc: Document) -> tuple[Article, Paragraph] | None:
    """The article paragraph that lists the 区分 as items: the first with two or more items."""
    for article in doc.articles:
        for paragraph in article.paragraphs:
            if len(paragraph.items) >= 2:
                return article, paragraph
    return None


@dataclass(frozen=True)
class Division:
    """The 区分 an article enumerates and the default division of labour printed after them."""

    items: tuple[Item, ...]
    rules: tuple[Rule, ...]
    label: str  # where the rules stand: 「第2条第2項」

    def roles(self, row: InitiativeText, group: int) -> InitiativeText:
        """The row with the roles the default division gives its 区分 (none if no rule covers it)."""
        rule = next((r for r in self.rules if group in r.numbers), None)
        if rule is None:
            return row
        roles = tuple(RoleText(self.label, code, text, rule.span) for code, text in rule.roles)
        return InitiativeText(row.number, row.identifier, row.title, row.content, roles, row.span, row.where,
                              row.columns, row.remarks)


def division(doc: Document, parties: Parties) -> Division | None:
    """The 区分 and default division of a P text, or None if no article enumerates 区分."""
    found = enumeration(doc)
    if found is None:
        return None
    article, paragraph = found
    names = {}
    for party in parties:
        m = party.municipality
        for name in (party.printed, m.name, m.prefecture + m.name, party.alias):
            if name:
                names[name] = party.code
    count = len(paragraph.items)
    later = [(a, p) for a in doc.articles for p in a.paragraphs
             if (a.number, p.number) > (article.number, paragraph.number)]
    for a, p in later:
        rules = read_rules(p, names, count)
        if rules:
            label = f"{a.label}第{p.number}項" if len(a.paragraphs) > 1 else a.label
            return Division(tuple(paragraph.items), tuple(rules), label)
    return Division(tuple(paragraph.items), (), "")


def group_of(cell: str, items: tuple[Item, ...], file: str, line: Line) -> int:
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
    listed_ja = "、".join(f"({item.number}) {item.text}" for item in items)
    raise IngestError(f"区分 「{cell}」 is none of the 区分 the articles enumerate: {listed}", file=file,
                      line=line.number, where="別表",
                      ja=f"区分「{cell}」は、条文に列挙された区分（{listed_ja}）のいずれでもありません。",
                      fix="write the number of the 区分 (「(1)」) or its wording as the article prints it",
                      fix_ja="区分の番号（「(1)」）か、条文と同じ語句を記載してください。")
