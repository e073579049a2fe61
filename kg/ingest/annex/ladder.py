"""Initiatives inline in an article (family I1): no 別表, a ladder of items.

::

    第3条 甲及び乙が連携を図る事務並びにその取組内容及び役割分担は、次のとおりとする。
    (1) 圏域全体の経済成長のけん引                    ← pillar (an item of 第3条)
    a 産学金官民一体となった経済戦略の策定、…          ← initiative
    (a) 取組内容                                       ← content follows
    圏域の企業、…
    (b) 役割分担
    i 甲の役割                                         ← one role per party
    協議会の事務局を担い、…
    ii 乙の役割
    協議会に参加し、…

Seen in the original text of 姫路–稲美 (shared/domain/layouts.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import IngestError
from kg.ingest.parties import Parties
from kg.ingest.structure import Article, Document, Group, InitiativeText, Item, Line, Reading, RoleText, Span

__all__ = ["ladders", "read"]

_SEP = r"[ \u3000]+"
_INITIATIVE = re.compile(rf"(?P<letter>[a-z]){_SEP}(?P<title>.+)")
_PART = re.compile(rf"[（(](?P<letter>[a-z])[）)](?:{_SEP})?(?P<label>.+)")  # 「(b) 役割分担」, 「(b)役割分担」
_ROLE = re.compile(rf"(?P<roman>[ivx]+){_SEP}(?P<label>.+?の役割)")
_ROLE_PARTY = re.compile(r"(?P<party>.+?)の役割")


@dataclass
class _Draft:
    """An initiative being read, line by line, from the ladder."""

    letter: str
    title: str
    first: Line
    last: Line
    content: list[str] = field(default_factory=list)
    roles: list[tuple[Line, str, list[Line]]] = field(default_factory=list)  # (line, label, text lines)
    part: str = ""  # "content" or "roles": which (a)/(b) part the following lines belong to


def ladders(doc: Document) -> list[tuple[Article, int, Item]]:
    """Every item of an article whose lines hold an initiative ladder (a / (a) …)."""
    found = []
    for article in doc.articles:
        for paragraph in article.paragraphs:
            for item in paragraph.items:
                if any(_INITIATIVE.fullmatch(x.text) for x in item.body) and \
                        any(_PART.fullmatch(x.text) for x in item.body):
                    found.append((article, paragraph.number, item))
    return found


def _read_item(item: Item, file: str, parties: Parties, where: str) -> list[InitiativeText]:
    """Read the initiatives of one pillar item: a → (a) content / (b) roles → i, ii."""
    drafts: list[_Draft] = []
    for line in item.body:
        init, part, role = (r.fullmatch(line.text) for r in (_INITIATIVE, _PART, _ROLE))
        draft = drafts[-1] if drafts else None
        expected = chr(ord(drafts[-1].letter) + 1) if drafts else "a"
        if role and draft and draft.part == "roles":
            draft.roles.append((line, role["label"], []))
        elif init and init["letter"] == expected:
            drafts.append(_Draft(init["letter"], init["title"], line, line))
            continue
        elif part and draft:
            draft.part = "roles" if "役割" in part["label"] else "content"
        elif role and draft and draft.part == "content" and _ROLE_PARTY.fullmatch(role["label"]):
            # 「i 甲の役割」 inside 取組内容: the 「(b) 役割分担」 above it is missing or unread (an OCR misreading);
            # taking the roles for content would lose them without a word
            raise IngestError(f"「{line.text}」 in {where} comes inside 「(a) 取組内容」: 「(b) 役割分担」 is "
                              "missing above it", file=file, line=line.number, where=where,
                              ja=f"{where}の「{line.text}」が「(a) 取組内容」の中にあります。その上に「(b) 役割分担」が"
                                 "ありません（または読めません）。",
                              fix="put 「(b) 役割分担」 on its own line above the roles",
                              fix_ja="役割の前に「(b) 役割分担」の行を置いてください。")
        elif draft and draft.part == "content":
            draft.content.append(line.text)
        elif draft and draft.part == "roles" and draft.roles:
            draft.roles[-1][2].append(line)
        else:
            raise IngestError(f"cannot read 「{line.text}」 in {where}: expected 「a …」, 「(a) 取組内容」, "
                              "「(b) 役割分担」, 「i 〈party〉の役割」 or their text", file=file,
                              line=line.number, where=where,
                              ja=f"{where}の「{line.text}」を読めません。「a …」（取組）、「(a) 取組内容」、"
                                 "「(b) 役割分担」、「i 〈当事者〉の役割」またはその本文のいずれかが来るはずです。",
                              fix="number the line as the ladder a → (a)/(b) → i/ii, or move it into the text above",
                              fix_ja="行を a → (a)/(b) → i/ii の階層に沿って番号付けするか、上の本文に含めてください。")
        if draft:
            draft.last = line
    return [_initiative(d, item.number, parties, where) for d in drafts]


def _initiative(d: _Draft, group: int, parties: Parties, where: str) -> InitiativeText:
    """A finished draft as an InitiativeText, its roles matched to parties."""
    roles = []
    for head, label, body in d.roles:
        m = _ROLE_PARTY.fullmatch(label)
        party = parties.code_for(m["party"]) if m else None
        last = body[-1] if body else head
        roles.append(RoleText(label, party, "\n".join(x.text for x in body), Span(head.number, last.number)))
    number = ord(d.letter) - ord("a") + 1
    return InitiativeText(number, f"{group}-{d.letter}", d.title, "\n".join(d.content), tuple(roles),
                          Span(d.first.number, d.last.number), f"{where}{d.letter}")


def read(doc: Document, parties: Parties) -> Reading:
    """Read each ladder item of 第3条 as the group of one pillar."""
    groups = []
    for article, paragraph, item in ladders(doc):
        where = f"{article.label}({item.number})"
        initiatives = _read_item(item, doc.source.name, parties, where)
        groups.append(Group("item", item.number, item.text, item.span, tuple(initiatives),
                            article=article.number, paragraph=paragraph))
    return Reading("I1", tuple(groups))
