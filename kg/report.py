"""The validation report: what failed, where in the agreement, how to fix it — in Japanese or English.

A :class:`Report` is built by :mod:`kg.validate` from pySHACL's ``sh:ValidationReport``; it renders
as text for a clerk (``to_text``), JSON for programs (``to_json``) and the SHACL report graph itself
with our labels (``to_turtle``). ``exit_code`` is what ``kg validate`` answers: 0 when there is no
violation (warnings and infos do not fail), 1 otherwise.

>>> r = Report(source="a.ttl", results=())
>>> r.conforms, r.exit_code
(True, 0)
>>> r.to_text(lang="en")
'a.ttl: conforms (0 warnings, 0 infos)'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum

from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.namespaces import ELI, RENKEI

__all__ = ["LANGS", "Location", "Report", "Result", "Severity", "Text", "describe", "locate"]

#: The languages every name, message, description and location exists in.
LANGS: tuple[str, ...] = ("ja", "en")


class Severity(Enum):
    """SHACL's three severities (SHACL §2.1.4), most severe first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        """0 for a violation, 1 for a warning, 2 for an info: the order a report lists them in."""
        return list(Severity).index(self)

    def label(self, lang: str) -> str:
        """The severity's word in ``lang`` (違反/警告/情報)."""
        return _SEVERITY_LABELS[self].get(lang)


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


_SEVERITY_LABELS = {
    Severity.VIOLATION: Text("違反", "Violation"),
    Severity.WARNING: Text("警告", "Warning"),
    Severity.INFO: Text("情報", "Info"),
}


@dataclass(frozen=True)
class Location:
    """Where a result points: a place a clerk can find in the text, and the source lines if known."""

    text: Text
    file: str | None = None
    first_line: int | None = None
    last_line: int | None = None

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
                "last_line": self.last_line}


@dataclass(frozen=True)
class Result:
    """One validation result, with the rule it breaks (shape) and where."""

    severity: Severity
    shape: str  #: the shape's IRI, e.g. https://w3id.org/renkei/shapes#RO-01-role-actor
    name: Text
    message: Text
    description: Text
    focus: str
    path: str | None
    value: str | None
    location: Location

    @property
    def shape_id(self) -> str:
        """The shape's stable id, the part after '#': ``RO-01-role-actor``."""
        return self.shape.rpartition("#")[2] or self.shape

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value, "shape": self.shape, "shape_id": self.shape_id,
            "name": self.name.as_dict(), "message": self.message.as_dict(),
            "description": self.description.as_dict(), "focus": self.focus, "path": self.path,
            "value": self.value, "location": self.location.as_dict(),
        }

    def to_text(self, lang: str) -> str:
        """``FILE:LINE: 違反 [RO-01-role-actor] 別表 3-(8) の役割: message`` and a how-to-fix line."""
        where = self.location.lines()
        head = f"{where}: " if where else ""
        fix = "直し方" if lang == "ja" else "how to fix"
        return (f"{head}{self.severity.label(lang)} [{self.shape_id}] {self.location.text.get(lang)}: "
                f"{self.message.get(lang)}\n    {fix}: {self.description.get(lang)}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one agreement graph (or file)."""

    source: str | None
    results: tuple[Result, ...]
    #: The sh:ValidationReport graph (with our messages, names and locations); empty if not kept.
    graph: Graph = field(default_factory=Graph, compare=False, repr=False)

    @property
    def conforms(self) -> bool:
        """True when no result is a violation: warnings and infos do not make an agreement unusable."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when the agreement conforms, 1 when it has violations (2 is for unusable input)."""
        return 0 if self.conforms else 1

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity is severity)

    def summary(self, lang: str = "en") -> str:
        """One line: the source, whether it conforms, and how many results of each severity."""
        v, w, i = (self.count(s) for s in Severity)
        name = self.source or ("グラフ" if lang == "ja" else "graph")
        if lang == "ja":
            verdict = "適合" if self.conforms else "不適合"
            counts = f"違反 {v}件、警告 {w}件、情報 {i}件" if v else f"警告 {w}件、情報 {i}件"
            return f"{name}: {verdict}（{counts}）"
        counts = f"{_plural(w, 'warning')}, {_plural(i, 'info')}"
        if v:
            return f"{name}: does not conform ({_plural(v, 'violation')}, {counts})"
        return f"{name}: conforms ({counts})"

    def to_text(self, lang: str = "en") -> str:
        """The report for a person: a summary line, then each result, most severe first."""
        return "\n".join([self.summary(lang), *(r.to_text(lang) for r in self.results)])

    def to_json(self, indent: int | None = 2) -> str:
        """The report as one JSON object (both languages), for programs and the HTTP API;
        ``indent=None`` puts it on one line (JSON Lines)."""
        doc = {
            "source": self.source, "conforms": self.conforms, "exit_code": self.exit_code,
            "counts": {s.value: self.count(s) for s in Severity},
            "results": [r.as_dict() for r in self.results],
        }
        return json.dumps(doc, ensure_ascii=False, indent=indent)

    def to_turtle(self) -> str:
        """The sh:ValidationReport graph as Turtle."""
        return self.graph.serialize(format="turtle")


# ── Locations: from a focus node to a place in the printed text ──────────────────────────────
# The walk follows docs/model.md: a role belongs to its initiative (^renkei:role), an initiative
# to its annex section and annex (eli:is_part_of) and agreement (^renkei:initiative), a paragraph
# or item to its article, a change to its amendment (^renkei:change); line numbers come from the
# nearest prov:wasDerivedFrom excerpt.

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
    if _is(g, node, RENKEI.Municipality):
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
    if _is(g, focus, RENKEI.Initiative) and value is not None and _is(g, value, RENKEI.Municipality):
        ja, en = _role_place(g, (ja, en), value)
    text = Text(ja, en if ja == en else f"{en} ({ja})")
    return Location(text, *_lines(g, focus))
