"""Where a validation result points, in words a clerk can find in the printed text.

From a focus node, walk up the agreement's structure — a role to its initiative (^renkei:role),
an initiative to its annex section and annex, a paragraph or item to its article, a change to its
amendment — and name the place (「別表 3-(8) 二本松市の役割」 / "annex row 3-(8), role of …"), with
the source lines of the nearest ``prov:wasDerivedFrom`` excerpt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.namespaces import ELI, OA, RENKEI

__all__ = ["Location", "Text", "describe", "locate", "printed_date_line"]


@dataclass(frozen=True)
class Text:
    """One text in Japanese and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ('ja' or 'en'); the other language if this one is empty."""
        if lang == "ja":
            return self.ja or self.en
        return self.en or self.ja

    def as_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


@dataclass(frozen=True)
class Location:
    """Where a result points: a place a clerk can find in the text, and the source lines if known."""

    text: Text
    file: str | None = None
    first_line: int | None = None
    last_line: int | None = None
    page: int | None = None  #: the PDF page the part stands on, when the source is a PDF

    def lines(self) -> str:
        """``FILE:12`` or ``FILE:12-14`` (or what is known of it); empty when nothing is."""
        if self.file is None:
            return ""
        if self.first_line is None:
            return self.file
        if self.last_line is None or self.last_line == self.first_line:
            return f"{self.file}:{self.first_line}"
        return f"{self.file}:{self.first_line}-{self.last_line}"

    def as_dict(self) -> dict[str, object]:
        return {**self.text.as_dict(), "file": self.file, "first_line": self.first_line,
                "last_line": self.last_line, "page": self.page}


_MAX_DEPTH = 8  # deeper than any agreement's structure (agreement > annex > section > row > role)


def describe(g: Graph, node: Node | None) -> Text:
    """How a value is named to a person: a municipality by its name, a framework concept by its
    notation and label, a literal as printed, anything else by its IRI."""
    if node is None:
        return Text("", "")
    if isinstance(node, Literal):
        return Text(str(node), str(node))
    ja = _label(g, node, "ja")
    en = _label(g, node, "en")
    notation = g.value(node, SKOS.notation)
    if notation is not None:
        if not (ja or en):
            return Text(str(notation), str(notation))
        return Text(f"{notation}「{ja or en}」", f"{notation} ({en or ja})")
    if ja or en:
        return Text(ja or en, en or ja)
    return Text(str(node), str(node))


def _label(g: Graph, node: Node, lang: str) -> str:
    for p in (SKOS.prefLabel, RDFS.label):
        for o in g.objects(node, p):
            if isinstance(o, Literal) and o.language == lang:
                return str(o)
    return ""


def _parent(g: Graph, node: Node) -> Node | None:
    """The part this node belongs to, one step up towards the agreement."""
    for step in (g.value(None, RENKEI.role, node), g.value(node, ELI.is_part_of),
                 g.value(None, RENKEI.initiative, node), g.value(None, RENKEI.signatory, node),
                 g.value(None, RENKEI.change, node)):
        if step is not None:
            return step
    return None


def _local_government(g: Graph, node: Node) -> bool:
    """A municipality or a prefecture (both renkei:LocalGovernment; data made before the class, a Municipality)."""
    return _is(g, node, RENKEI.LocalGovernment) or _is(g, node, RENKEI.Municipality)


def _is(g: Graph, node: Node, cls: Node) -> bool:
    return (node, RDF.type, cls) in g


def _place(g: Graph, node: Node, depth: int = 0) -> tuple[str, str]:
    """(ja, en) of where ``node`` stands: 第3条第2項 / Article 3, paragraph 2; 別表 3-(8) / annex row
    3-(8)."""
    number = g.value(node, RENKEI.number)
    parent = _parent(g, node) if depth < _MAX_DEPTH else None
    up = _place(g, parent, depth + 1) if parent is not None else ("", "")
    if _is(g, node, RENKEI.Agreement):
        return "協約全体", "agreement"
    if _is(g, node, RENKEI.Amendment):
        return "変更協約全体", "amending agreement"
    if _is(g, node, RENKEI.Change):
        head = (f"変更第{number}号", f"change {number}") if number is not None else ("変更規定", "change")
        part = _changed_part(g, node, depth)
        return (f"{head[0]}（{part[0]}）", f"{head[1]} ({part[1]})") if part else head
    if _is(g, node, RENKEI.Article):
        return f"第{number}条", f"Article {number}"
    if _is(g, node, RENKEI.Paragraph):
        return f"{up[0]}第{number}項", f"{up[1]}, paragraph {number}"
    if _is(g, node, RENKEI.Item):
        return f"{up[0]}第{number}号", f"{up[1]}, item {number}"
    if _is(g, node, RENKEI.Annex):
        agreement = g.value(node, ELI.is_part_of)
        annexes = [a for a in g.objects(agreement, ELI.has_part) if _is(g, a, RENKEI.Annex)]
        if len(annexes) <= 1:
            return "別表", "annex"
        return f"別表第{number}", f"annex {number}"
    if _is(g, node, RENKEI.AnnexSection):
        return f"{up[0]} {number}", f"{up[1]}, section {number}"
    if _is(g, node, RENKEI.Initiative):
        ident = g.value(node, DCTERMS.identifier) or number or g.value(node, DCTERMS.title) or ""
        if up[0].startswith("別表"):  # layouts T1–T4: a row of the annex
            return f"{up[0].split()[0]} {ident}", f"{up[1].split(',')[0]} row {ident}"
        if up[0].startswith("第"):  # layout I1: inline in an article
            return f"{up[0]} 取組 {ident}", f"{up[1]}, initiative {ident}"
        return f"取組 {ident}", f"initiative {ident}"
    if _is(g, node, RENKEI.Role):
        return _role_place(g, up, g.value(node, RENKEI.actor))
    if _is(g, node, RENKEI.Signatory):
        who = describe(g, g.value(node, RENKEI.onBehalfOf))
        if not who.ja:
            return "署名欄", "signature block"
        return f"署名欄（{who.ja}）", f"signature block of {who.en}"
    if _local_government(g, node):
        who, code = describe(g, node), g.value(node, RENKEI.localGovernmentCode)
        return f"団体 {who.ja}（{code}）", f"local government {who.en}, code {code}"
    if _is(g, node, RENKEI.SourceDocument) or _is(g, node, RENKEI.SourceExcerpt):
        return "出典", "source"
    if g.value(node, SKOS.notation) is not None:
        what = describe(g, node)
        return f"要綱の分野 {what.ja}", f"framework concept {what.en}"
    return str(node), str(node)


#: The path of a part below its agreement's IRI (docs/model.md, "IRIs"), as a change names it.
_PART = re.compile(r"article/(?P<article>\d+)(?:/paragraph/(?P<paragraph>\d+))?(?:/item/(?P<item>\d+))?"
                   r"|initiative/(?P<group>\d+)-(?P<row>\d+)(?:/role/(?P<code>\d{6}))?")


def _changed_part(g: Graph, change: Node, depth: int) -> tuple[str, str] | None:
    """(ja, en) of the part a change rewrites: 別表3の(5) 二本松市の役割, 第3条第2項; None when it
    names no part of the agreement its amendment amends (the shapes say so in their message).

    From the agreement itself when it is in the graph; else read off the part's IRI, which is the
    amended agreement's IRI and a path (the agreement need not be in the dataset). A row is named
    as the amending provision names it: 「別表3の(5)」, or 「別表第3の2」 where the provision
    prints 別表第N (layout T3, rows numbered by position).
    """
    target = g.value(change, RENKEI.changes)
    if target is not None and (target, RDF.type, None) in g and depth < _MAX_DEPTH:
        return _place(g, target, depth + 1)
    amendment = g.value(None, RENKEI.change, change) or g.value(change, ELI.is_part_of)
    agreement = g.value(amendment, ELI.amends) if amendment is not None else None
    prefix = f"{agreement}/"
    m = _PART.fullmatch(str(target)[len(prefix):]) if agreement and str(target).startswith(prefix) else None
    if m is None:
        return None
    if m["article"]:
        ja, en = f"第{m['article']}条", f"Article {m['article']}"
        if m["paragraph"]:
            ja, en = f"{ja}第{m['paragraph']}項", f"{en}, paragraph {m['paragraph']}"
        if m["item"]:
            ja, en = f"{ja}第{m['item']}号", f"{en}, item {m['item']}"
        return ja, en
    group, row = m["group"], m["row"]
    if f"別表第{group}" in str(g.value(change, RENKEI.text) or ""):
        ja, en = f"別表第{group}の{row}", f"annex {group}, row {row}"
    else:
        ja, en = f"別表{group}の({row})", f"annex row {group}-({row})"
    if m["code"] is None:
        return ja, en
    party = next((p for p in g.objects(amendment, RENKEI.party) if str(p).endswith("/" + m["code"])), None)
    who = describe(g, party) if party is not None else Text(m["code"], m["code"])
    return f"{ja} {who.ja}の役割", f"{en}, role of {who.en}"


def _role_place(g: Graph, initiative: tuple[str, str], actor: Node | None) -> tuple[str, str]:
    if actor is None:
        return f"{initiative[0]} 役割（団体の記載なし）", f"{initiative[1]}, a role naming no party"
    who = describe(g, actor)
    return f"{initiative[0]} {who.ja}の役割", f"{initiative[1]}, role of {who.en}"


def _lines(g: Graph, node: Node) -> tuple[str | None, int | None, int | None]:
    """(file name, first line, last line) of the nearest part up from ``node`` that records them."""
    current: Node | None = node
    for _ in range(_MAX_DEPTH):
        if current is None:
            break
        for source in g.objects(current, PROV.wasDerivedFrom):
            document = g.value(source, RENKEI.sourceDocument)
            if document is not None:
                first, last = g.value(source, RENKEI.firstLine), g.value(source, RENKEI.lastLine)
                return (_file_name(g, document), _int(first), _int(last))
            if _is(g, source, RENKEI.SourceDocument):
                return _file_name(g, source), None, None
        current = _parent(g, current)
    return None, None, None


def _in_document(g: Graph, node: Node) -> tuple[int | None, str, str] | None:
    """(page, ja, en) of where the nearest part up from ``node`` stands in a PDF or Word document, from its
    excerpt's Web Annotation selector: 「3ページ 表2 4行 3列」 / "page 3, table 2, row 4, column 3",
    「12〜14段落」 / "paragraphs 12–14"; None for a text or a page, whose lines say it already."""
    current: Node | None = node
    for _ in range(_MAX_DEPTH):
        if current is None:
            return None
        for excerpt in g.objects(current, PROV.wasDerivedFrom):
            selector = g.value(excerpt, OA.hasSelector)
            if selector is not None:
                return _selected(g, selector)
        current = _parent(g, current)
    return None


def _selected(g: Graph, selector: Node) -> tuple[int | None, str, str] | None:
    """(page, ja, en) of one selector and what refines it."""
    page: int | None = None
    ja: list[str] = []
    en: list[str] = []
    value = str(g.value(selector, RDF.value) or "")
    if value.startswith("page="):
        page = int(value[5:]) if value[5:].isdigit() else None
        ja.append(f"{page}ページ")
        en.append(f"page {page}")
        selector = g.value(selector, OA.refinedBy) or selector
    if _is(g, selector, RENKEI.TableSelector):
        for prop, word_ja, word_en in ((RENKEI.table, "表{}", "table {}"), (RENKEI.row, "{}行", "row {}"),
                                       (RENKEI.column, "{}列", "column {}")):
            number = _int(g.value(selector, prop))
            if number is not None:
                ja.append(word_ja.format(number))
                en.append(word_en.format(number))
    if _is(g, selector, RENKEI.ParagraphSelector):
        first, last = _int(g.value(selector, RENKEI.firstParagraph)), _int(g.value(selector, RENKEI.lastParagraph))
        if first is not None:
            ja.append(f"{first}段落" if last in (None, first) else f"{first}〜{last}段落")
            en.append(f"paragraph {first}" if last in (None, first) else f"paragraphs {first}–{last}")
    return (page, " ".join(ja), ", ".join(en)) if ja else None


def _file_name(g: Graph, document: Node) -> str | None:
    title = g.value(document, DCTERMS.title)
    return str(title) if title is not None else None


def _int(value: Node | None) -> int | None:
    python = value.toPython() if isinstance(value, Literal) else None
    return python if isinstance(python, int) else None


def locate(g: Graph, focus: Node | None, value: Node | None = None) -> Location:
    """Where a result points, in words a clerk can find in the text, with the source lines.

    A result about an initiative whose value is one of the parties (a missing role) points at
    that party's role in the row: 「別表 3-(8) 二本松市の役割」.
    """
    if focus is None:
        return Location(Text("", ""))
    ja, en = _place(g, focus)
    if _is(g, focus, RENKEI.Initiative) and value is not None and _local_government(g, value):
        ja, en = _role_place(g, (ja, en), value)
    page: int | None = None
    placed = _in_document(g, focus)
    if placed is not None:  # a PDF or Word source: the page and the table cell or paragraph too
        page, doc_ja, doc_en = placed
        ja, en = f"{ja}（{doc_ja}）", f"{en}, {doc_en}"
    text = Text(ja, en if ja == en else f"{en} ({ja})")
    return Location(text, *_lines(g, focus), page=page)


def printed_date_line(g: Graph, focus: Node | None, path: Path) -> int | None:
    """The line on which the signing date of the agreement or amendment ``focus`` is printed, read
    from its source text: ``path`` itself (the text validated), or the source document named in the
    graph beside ``path`` (the RDF validated); None when neither is at hand, unchanged (its SHA-256
    is checked) and readable as text.

    The graph keeps the date as printed (``renkei:printedDate``) but not its line; a clerk told that
    「平成26年4月1日」 is before the framework needs the line to find it (issue 9, point 3). The
    signing date is the one printed on a line of its own above the signatures, so the last such line
    wins; failing one, the last line that holds it.
    """
    printed = g.value(focus, RENKEI.printedDate) if focus is not None else None
    if printed is None:
        return None
    documents = [d for d in g.objects(focus, PROV.wasDerivedFrom) if _is(g, d, RENKEI.SourceDocument)]
    candidates = [path] + [path.parent / name for d in documents if (name := _file_name(g, d))]
    digests = {str(digest) for d in documents if (digest := g.value(d, RENKEI.sha256)) is not None}
    for candidate in candidates:
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if digests and hashlib.sha256(data).hexdigest() not in digests:
            continue
        lines = _text_lines(data, candidate.name)
        key = "".join(str(printed).split())
        alone = [n for n, text in lines if "".join(text.split()) == key]
        holding = [n for n, text in lines if key in "".join(text.split())]
        if alone or holding:
            return (alone or holding)[-1]
    return None


def _text_lines(data: bytes, name: str) -> list[tuple[int, str]]:
    """(source line, text) of a text file or 例規集 page; empty for anything else (PDF, Word, images)."""
    from kg.errors import KgError
    from kg.ingest.decode import decode
    from kg.ingest.page import is_page, read_page

    try:
        source = read_page(data, name) if is_page(data, name) else decode(data, name)
    except KgError:
        return []
    return [(source.origin(i), text) for i, text in enumerate(source.lines)]
