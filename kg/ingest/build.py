"""The read agreement → an rdflib graph, exactly as docs/model.md lays it out.

Deterministic: no timestamps and no blank nodes, so the same text always gives the same graph
(and golden files compare with :func:`rdflib.compare.isomorphic`). Every part points to the
source lines it came from (``prov:wasDerivedFrom`` a ``renkei:SourceExcerpt``).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.ingest.basis import citations
from kg.ingest.categorise import Alignment, Match
from kg.ingest.dates import PrintedDate
from kg.ingest.decode import SourceText
from kg.ingest.document.form import Position
from kg.ingest.normalise import key
from kg.ingest.parties import Parties
from kg.ingest.signatories import Signatory
from kg.ingest.structure import Annex, Article, Document, Group, InitiativeText, Line, Reading, Span
from kg.namespaces import CNT, DCT, ELI, OA, RENKEI, SPDX, Ids, bind_prefixes
from kg.reference.romaji import english_name

__all__ = ["DERIVATIONS", "Built", "Writer", "build", "english_name_of", "lead_wording", "leads"]

JAPANESE = URIRef("http://publications.europa.eu/resource/authority/language/JPN")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
PDF = "application/pdf"
#: The fragment identifier specifications a Web Annotation FragmentSelector names with dct:conformsTo
#: (WA Data Model §4.2.1): text/plain lines (RFC 5147) and PDF pages (RFC 3778).
RFC5147 = URIRef("http://tools.ietf.org/rfc/rfc5147")
RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")

#: Wordings by which a role says its party leads (DESIGN.md, ``renkei:lead``); matched on the
#: normalised text, so 「主導する」 and 「中心的な役割を果たす」 count.
LEAD_WORDS = ("主体的に", "中心となって", "中心的な役割", "主導")


#: The agreement's English label is ours (DESIGN.md: "English labels we add are ours, not official").
EDITORIAL_NOTE_EN = "The English label is the project's translation, not an official title."
EDITORIAL_NOTE_JA = "英語のラベルは本プロジェクトによる訳であり、公式の名称ではない。"


def english_name_of(parties: Parties) -> tuple[str, str]:
    """The parties' names romanised from the MIC kana: (「Koriyama City」, 「Nihonmatsu City」)."""
    central, partner = (english_name(p.municipality.kana, p.municipality.kind) for p in parties)
    return central, partner


def _english_label(parties: Parties, day: dt.date) -> str:
    """「Cooperation agreement between Koriyama City and Nihonmatsu City (2019-10-18)」."""
    central, partner = english_name_of(parties)
    return f"Cooperation agreement between {central} and {partner} ({day.isoformat()})"


def lead_wording(text: str) -> str | None:
    """The wording by which a role's text says its party leads (the first of LEAD_WORDS found), or None."""
    k = key(text)
    return next((word for word in LEAD_WORDS if key(word) in k), None)


def leads(text: str) -> bool:
    """True if a role's text says its party leads."""
    return lead_wording(text) is not None


#: The derivations recorded on every agreement: (label ja, label en, rule ja, rule en).
DERIVATIONS = {
    "categories": (
        "枠組みの分類への対応付け", "alignment with the framework's categories",
        "取組の名称（なければ内容）に、柱の下の概念のラベル（skos:prefLabel/altLabel/hiddenLabel、正規化済み）が"
        "含まれるとき、その概念を分類とする。最も長いラベルを優先し、名称が「・」「、」「及び」で列挙された項目"
        "それぞれが別の概念を名指すときは、そのすべてを分類とする（docs/framework.md）。",
        "An initiative falls under the concept below its pillar whose normalised label (skos:prefLabel, altLabel "
        "or hiddenLabel) occurs in its title, else its content; the longest label wins, and a title that "
        "enumerates items (・, 、, 及び) naming different concepts falls under each of them (docs/framework.md)."),
    "leads": (
        "主導の判定", "lead flags",
        "役割の本文（正規化済み）に「主体的に」「中心となって」「中心的な役割」「主導」のいずれかがあれば、"
        "その当事者が主導する役割とする（renkei:lead true、該当語は renkei:leadWording）。",
        "A role leads (renkei:lead true) when its normalised text contains 主体的に, 中心となって, 中心的な役割 "
        "or 主導; the wording found is renkei:leadWording."),
}


@dataclass(frozen=True)
class Built:
    """The graph of one agreement and the IRIs that name it."""

    agreement: URIRef
    graph_name: URIRef
    graph: Graph


class Writer:
    """Adds the triples of one agreement (or amendment) to one graph; knows the IRIs and the source."""

    def __init__(self, ids: Ids, source: SourceText, agreement: URIRef, graph: Graph) -> None:
        """Write into ``graph`` for ``agreement`` (the instrument's IRI), read from ``source``."""
        self.ids, self.source, self.agreement, self.g = ids, source, agreement, graph
        self.provisions: frozenset[tuple[str, int | None]] = frozenset()  # of the statute graph (eli:cites)
        self.excerpts: set[URIRef] = set()  # excerpts written so far
        self.doc_iri = ids.source(source.stem)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | str | int | bool | None) -> None:
        """Add one triple; ``None`` and empty text add nothing (the shapes judge what is missing)."""
        if o is None or o == "":
            return
        if not isinstance(o, URIRef | Literal):
            # Plain str is printed Japanese text; bool and int are typed xsd:boolean / xsd:integer.
            o = Literal(o, lang="ja") if isinstance(o, str) else Literal(o)
        self.g.add((s, p, o))

    def part(self, whole: URIRef, part: URIRef) -> None:
        """``part`` is part of ``whole`` (eli:has_part and its inverse eli:is_part_of)."""
        self.add(whole, ELI.has_part, part)
        self.add(part, ELI.is_part_of, whole)

    def derived(self, node: URIRef, span: Span, column: int | None = None) -> None:
        """``node`` comes from lines ``span`` of the source (and, in a PDF or Word table, from the cell in
        ``column``, 0-based); the excerpt says where they stand with a W3C Web Annotation selector."""
        s = self.source
        cell = column if s.positions is not None else None
        excerpt = self.ids.excerpt(s.stem, span.first, span.last, cell)
        self.add(node, PROV.wasDerivedFrom, excerpt)
        if excerpt in self.excerpts:  # a row's roles share its excerpt: written once
            return
        self.excerpts.add(excerpt)
        self.add(excerpt, RDF.type, RENKEI.SourceExcerpt)
        self.add(excerpt, RENKEI.sourceDocument, self.doc_iri)
        self.add(excerpt, RENKEI.firstLine, span.first)
        self.add(excerpt, RENKEI.lastLine, span.last)
        self.add(excerpt, OA.hasSource, self.doc_iri)
        self.add(excerpt, OA.hasSelector, self._selector(span, cell))

    def _selector(self, span: Span, column: int | None) -> URIRef:
        """Where lines ``span`` stand in the source file, as a Web Annotation selector (an IRI node, so
        that the graph stays free of blank nodes): lines of a text or page, a PDF page (refined by the
        table row or cell), Word paragraphs or a table cell."""
        s = self.source
        if s.positions is None:
            # RFC 5147 §2.1.2 counts line *positions* from 0, between lines, so 1-based lines L..M
            # inclusive are the range line=L-1,M (§3: 「#line=10,20」 identifies lines 11 to 20).
            return self._fragment(f"line={span.first - 1},{span.last}", RFC5147)
        first, last = s.positions[span.first - 1], s.positions[span.last - 1]
        part = self._table_part(first, last, column)
        if first.page is not None and s.media_type == PDF:
            # RFC 3778 §3: application/pdf fragment 「#page=N」, 1-based; a span over a page break
            # points at the page it starts on.
            # Refined by the row or cell (oa:refinedBy), it is a selector of its own, named by both.
            page = self._fragment(f"page={first.page}", RFC3778, f"page={first.page}/{part}" if part else None)
            if part is not None:
                refined = self.ids.selector(s.stem, part)
                self._table_selector(refined, first, column)
                self.add(page, OA.refinedBy, refined)
            return page
        if part is not None:
            selector = self.ids.selector(s.stem, part)
            self._table_selector(selector, first, column)
            return selector
        paragraphs = [p.paragraph for p in s.positions[span.first - 1:span.last] if p.paragraph is not None]
        if paragraphs:
            low, high = min(paragraphs), max(paragraphs)
            selector = self.ids.selector(s.stem, f"paragraph={low},{high}")
            self.add(selector, RDF.type, RENKEI.ParagraphSelector)
            self.add(selector, RENKEI.firstParagraph, low)
            self.add(selector, RENKEI.lastParagraph, high)
            return selector
        if first.table is not None:  # rows of a table: the table
            selector = self.ids.selector(s.stem, f"table={first.table}")
            self.add(selector, RDF.type, RENKEI.TableSelector)
            self.add(selector, RENKEI.table, first.table)
            return selector
        return self._fragment(f"line={span.first - 1},{span.last}", RFC5147)  # lines with no other position

    def _fragment(self, value: str, spec: URIRef, name: str | None = None) -> URIRef:
        """An ``oa:FragmentSelector`` whose value follows ``spec`` (WA Data Model §4.2.1), named ``name``
        (by default its value)."""
        selector = self.ids.selector(self.source.stem, name or value)
        self.add(selector, RDF.type, OA.FragmentSelector)
        self.add(selector, DCT.conformsTo, spec)
        self.add(selector, RDF.value, Literal(value))
        return selector

    @staticmethod
    def _table_part(first: Position, last: Position, column: int | None) -> str | None:
        """``table=T/row=R[/column=C]`` of the one table row the lines stand in; None if not one row."""
        if first.table is None or first.row is None or (first.table, first.row) != (last.table, last.row):
            return None
        return f"table={first.table}/row={first.row}" + (f"/column={column + 1}" if column is not None else "")

    def _table_selector(self, selector: URIRef, row: Position, column: int | None) -> None:
        """A ``renkei:TableSelector``: table, row, column (1-based) and the box of the row or the cell."""
        self.add(selector, RDF.type, RENKEI.TableSelector)
        self.add(selector, RENKEI.table, row.table)
        self.add(selector, RENKEI.row, row.row)
        box = row.box
        if column is not None:
            self.add(selector, RENKEI.column, column + 1)
            box = next((c.box for c in row.cells if c.column == column), None)
        if box is not None:
            self.add(selector, RENKEI.box, Literal(str(box)))

    def source_document(self) -> None:
        """The source file: name, sha256, encoding, media type, line count, and how its text was read."""
        s = self.source
        self.add(self.doc_iri, RDF.type, RENKEI.SourceDocument)
        self.add(self.doc_iri, DCT.title, Literal(s.name.replace("\\", "/").rsplit("/", 1)[-1]))
        # The standard terms (issue 12): an SPDX checksum (an IRI node, no blank node) and the CNT
        # character encoding; renkei:sha256 and renkei:encoding say the same for the queries that
        # read them, deprecated in the vocabulary.
        checksum = URIRef(f"{self.doc_iri}/checksum")
        self.add(self.doc_iri, SPDX.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(s.sha256, datatype=XSD.hexBinary))
        self.add(self.doc_iri, CNT.characterEncoding, Literal(s.encoding) if s.encoding else None)
        self.add(self.doc_iri, RENKEI.sha256, Literal(s.sha256))
        self.add(self.doc_iri, RENKEI.encoding, Literal(s.encoding) if s.encoding else None)
        # The media type as an IANA IRI, as the catalogue's dcat:mediaType (kg/release/catalogue.py) gives it:
        # text/plain, text/html, application/pdf, the Word (OOXML) type, image/png …
        self.add(self.doc_iri, DCT.format, URIRef(IANA_MEDIA_TYPES + s.media_type))
        self.add(self.doc_iri, RENKEI.lineCount, s.line_count)
        self.add(self.doc_iri, RENKEI.reading, Literal(s.reading))
        self.add(self.agreement, PROV.wasDerivedFrom, self.doc_iri)
        if s.engine:
            # Text read by OCR is not the printed text (issue 10, point 3): the reading is a PROV
            # activity that used the document, carried out by the engine (and its version).
            activity, engine = URIRef(f"{self.doc_iri}/reading"), URIRef(f"{self.doc_iri}/reading/engine")
            self.add(activity, RDF.type, PROV.Activity)
            self.add(activity, RDFS.label, Literal(f"{s.reading}: {s.engine}"))
            self.add(activity, PROV.used, self.doc_iri)
            self.add(activity, PROV.wasAssociatedWith, engine)
            self.add(engine, RDF.type, PROV.SoftwareAgent)
            self.add(engine, RDFS.label, Literal(s.engine))
            self.add(self.agreement, PROV.wasInfluencedBy, activity)

    def dated(self, node: URIRef, date: PrintedDate) -> None:
        """The signing date (``eli:date_document``) and the date as printed."""
        self.add(node, ELI.date_document, Literal(date.date.isoformat(), datatype=XSD.date))
        self.add(node, RENKEI.printedDate, date.printed)

    def labelled(self, node: URIRef, label: str) -> None:
        """Our English label, with the editorial note that says it is ours."""
        self.add(node, RDFS.label, Literal(label, lang="en"))
        self.add(node, SKOS.editorialNote, Literal(EDITORIAL_NOTE_EN, lang="en"))
        self.add(node, SKOS.editorialNote, Literal(EDITORIAL_NOTE_JA, lang="ja"))

    def titled(self, node: URIRef, titles: list[Line]) -> None:
        """The agreement's Japanese text as ELI's own level (ELI gives title and language the domain
        eli:LegalExpression): ``{agreement}/ja`` realizes the agreement and carries the title (the
        longest title-like line), the cover's other titles as alternatives, and the language; the
        agreement itself repeats the title as dct:title (and dct:alternative) for simple queries."""
        ordered = sorted(titles, key=lambda t: -len(t.text))
        expression = URIRef(f"{node}/ja")
        self.add(expression, RDF.type, ELI.LegalExpression)
        self.add(expression, ELI.realizes, node)
        self.add(node, ELI.is_realized_by, expression)
        self.add(expression, ELI.language, JAPANESE)
        self.add(expression, ELI.title, ordered[0].text if ordered else None)
        self.add(node, DCT.title, ordered[0].text if ordered else None)
        for alternative in ordered[1:]:
            self.add(expression, ELI.title_alternative, alternative.text)
            self.add(node, DCT.alternative, alternative.text)

    def publication(self, doc: Document) -> None:
        """A 例規集 entry's publication: its date and the notice as printed (「告示第41号」)."""
        if doc.publication is not None:
            day = doc.publication[1].date
            self.add(self.agreement, ELI.date_publication, Literal(day.isoformat(), datatype=XSD.date))
        if doc.notice is not None:
            # How a 告示 is cited (「平成27年3月27日告示第41号」) is a bibliographic citation of the text.
            self.add(self.agreement, DCT.bibliographicCitation, doc.notice.text)

    def cites(self, node: URIRef, text: str) -> None:
        """``node`` cites each provision of 地方自治法 its text names (eli:cites), as the statute graph
        holds it: the paragraph where the graph has it, else its article."""
        for article, paragraph in citations(text):
            if (article, paragraph) not in self.provisions:
                paragraph = None
            if (article, None) in self.provisions or paragraph is not None:
                self.add(node, ELI.cites, self.ids.law_provision(article, paragraph))

    def article(self, article: Article) -> URIRef:
        """An article, its paragraphs (when two or more) and its items."""
        iri = URIRef(f"{self.agreement}/article/{article.number}")
        self.add(iri, RDF.type, RENKEI.Article)
        self.add(iri, RENKEI.number, article.number)
        self.add(iri, RENKEI.heading, article.heading)
        self.add(iri, RENKEI.text, article.text)
        self.cites(iri, article.text)
        self.part(self.agreement, iri)
        self.derived(iri, article.span)
        several = len(article.paragraphs) > 1
        for paragraph in article.paragraphs:
            holder = iri
            if several:  # paragraph IRIs only where there is more than one (docs/model.md)
                holder = URIRef(f"{iri}/paragraph/{paragraph.number}")
                self.add(holder, RDF.type, RENKEI.Paragraph)
                self.add(holder, RENKEI.number, paragraph.number)
                self.add(holder, RENKEI.text, paragraph.text)
                self.cites(holder, paragraph.text)
                self.part(iri, holder)
                self.derived(holder, paragraph.span)
            for item in paragraph.items:
                node = URIRef(f"{holder}/item/{item.number}")
                self.add(node, RDF.type, RENKEI.Item)
                self.add(node, RENKEI.number, item.number)
                self.add(node, RENKEI.text, item.text)
                self.part(holder, node)
                self.derived(node, item.span)
        return iri

    def annex(self, annex: Annex) -> URIRef:
        """A 別表 and the articles it relates to."""
        iri = URIRef(f"{self.agreement}/annex/{annex.number}")
        self.add(iri, RDF.type, RENKEI.Annex)
        self.add(iri, RENKEI.number, annex.number)
        self.add(iri, RENKEI.heading, annex.heading.text)
        for n in annex.relates_to:
            self.add(iri, RENKEI.relatesTo, URIRef(f"{self.agreement}/article/{n}"))
        self.part(self.agreement, iri)
        self.derived(iri, annex.span)
        return iri

    def container(self, group: Group, doc: Document, pillar: URIRef) -> URIRef:
        """The resource holding a group's initiatives: an annex section, an annex, or an item."""
        if group.kind == "section":
            iri = URIRef(f"{self.agreement}/annex/{group.annex}/section/{group.number}")
            self.add(iri, RDF.type, RENKEI.AnnexSection)
            self.add(iri, RENKEI.number, group.number)
            self.add(iri, RENKEI.heading, group.heading)
            for description in group.description:  # T2's 基本方針 (docs/ingest.md)
                self.add(iri, DCT.description, description)
            self.part(URIRef(f"{self.agreement}/annex/{group.annex}"), iri)
            self.derived(iri, group.span)
        elif group.kind == "annex":
            iri = URIRef(f"{self.agreement}/annex/{group.number}")
        else:
            article = doc.article(group.article or 0)
            several = article is not None and len(article.paragraphs) > 1
            holder = f"{self.agreement}/article/{group.article}"
            holder += f"/paragraph/{group.paragraph}" if several else ""
            iri = URIRef(f"{holder}/item/{group.number}")
        self.add(iri, RENKEI.pillar, pillar)
        return iri

    def derivations(self) -> None:
        """The two readings the ingester derives rather than copies (docs/model.md, "Derived"): the
        framework alignment that gives categories, and the wording rule that gives lead flags."""
        for slug, (label_ja, label_en, rule_ja, rule_en) in DERIVATIONS.items():
            node = URIRef(f"{self.agreement}/derivation/{slug}")
            self.add(node, RDF.type, PROV.Activity)
            self.add(node, RDFS.label, Literal(label_ja, lang="ja"))
            self.add(node, RDFS.label, Literal(label_en, lang="en"))
            self.add(node, DCT.description, Literal(rule_ja, lang="ja"))
            self.add(node, DCT.description, Literal(rule_en, lang="en"))
            self.add(node, PROV.used, self.doc_iri)
            if slug == "categories":
                self.add(node, PROV.used, self.ids.framework())

    def initiative(self, group: Group, initiative: InitiativeText, container: URIRef, pillar: URIRef,
                   categories: tuple[Match, ...]) -> URIRef:
        """An initiative with its pillar, categories (each with why) and one role per role column."""
        iri = URIRef(f"{self.agreement}/initiative/{group.number}-{initiative.number}")
        self.add(iri, RDF.type, RENKEI.Initiative)
        self.add(iri, DCT.identifier, Literal(initiative.identifier))
        self.add(iri, RENKEI.number, initiative.number)
        self.add(iri, DCT.title, initiative.title)
        self.add(iri, RENKEI.content, initiative.content)
        self.add(iri, RENKEI.pillar, pillar)
        for match in categories:
            concept = self.ids.framework(match.concept.notation)
            self.add(iri, RENKEI.category, concept)
            evidence = URIRef(f"{iri}/category/{match.concept.notation}")
            self.add(evidence, RDF.type, RENKEI.CategoryMatch)
            self.add(evidence, RENKEI.matchedConcept, concept)
            self.add(evidence, RENKEI.matchedLabel, match.label)
            self.add(evidence, RENKEI.matchedIn, Literal(match.field))
            self.add(evidence, PROV.wasGeneratedBy, URIRef(f"{self.agreement}/derivation/categories"))
            self.add(iri, RENKEI.categoryMatch, evidence)
        if initiative.remarks:
            self.add(iri, SKOS.note, initiative.remarks)
        self.part(container, iri)
        self.add(self.agreement, RENKEI.initiative, iri)
        self.derived(iri, initiative.span)
        used: set[str] = set()
        for k, role in enumerate(initiative.roles, 1):
            # A role whose label names no party, or a party named twice, still gets its own node
            # (never merged into another), so that the shapes can report it.
            slug = role.party if role.party and role.party not in used else f"{role.party or 'column'}-{k}"
            used.add(slug)
            node = URIRef(f"{iri}/role/{slug}")
            self.add(node, RDF.type, RENKEI.Role)
            if role.party:
                self.add(node, RENKEI.actor, self.ids.municipality(role.party))
            self.add(node, RENKEI.text, role.text)
            wording = lead_wording(role.text) if role.takes_part else None
            self.add(node, RENKEI.lead, wording is not None)
            self.add(node, RENKEI.leadWording, wording)
            if not role.takes_part:
                self.add(node, RENKEI.takesPart, False)
            self.add(iri, RENKEI.role, node)
            self.derived(node, role.span, role.column)
        return iri

    def signatory(self, sig: Signatory) -> None:
        """A signatory as printed, and the person identified, with its source and note."""
        iri = URIRef(f"{self.agreement}/signatory/{sig.party}")
        self.add(iri, RDF.type, RENKEI.Signatory)
        self.add(iri, RENKEI.onBehalfOf, self.ids.municipality(sig.party))
        self.add(iri, RENKEI.printedTitle, sig.printed_title)
        self.add(iri, RENKEI.printedName, sig.printed_name)
        if sig.person is not None:
            self.add(iri, RENKEI.identifiedAs, self.ids.person(sig.person.slug))
            for url in sig.person.source.split(" ; "):
                if url.startswith(("http://", "https://")):
                    self.add(iri, DCT.source, URIRef(url.strip()))
        if sig.note_ja and sig.note_en:
            self.add(iri, RENKEI.identificationNote, Literal(sig.note_ja, lang="ja"))
            self.add(iri, RENKEI.identificationNote, Literal(sig.note_en, lang="en"))
        self.add(self.agreement, RENKEI.signatory, iri)
        self.derived(iri, sig.span)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a graph is written.

    Every triple added is kept (nothing written here is garbage), yet each full collection walks
    all of them: with it running, a 10,000-row annex took 13.8 s against 4.4 s without (2,000 rows:
    1.26 s against 0.85 s), i.e. the time grew with the square of the rows (issue 14, point 3).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(doc: Document, parties: Parties, date: PrintedDate, reading: Reading, alignment: Alignment,
          signatories: list[Signatory], basis: tuple[str, int | None] | None, ids: Ids,
          provisions: frozenset[tuple[str, int | None]] = frozenset()) -> Built:
    """Write the graph of one agreement (docs/model.md, "An agreement")."""
    with _without_cycle_collection():
        return _build(doc, parties, date, reading, alignment, signatories, basis, ids, provisions)


def _build(doc: Document, parties: Parties, date: PrintedDate, reading: Reading, alignment: Alignment,
           signatories: list[Signatory], basis: tuple[str, int | None] | None, ids: Ids,
           provisions: frozenset[tuple[str, int | None]]) -> Built:
    central, partner = parties.central.code, parties.partner.code
    day = date.date.isoformat()
    agreement = ids.agreement(central, partner, day)
    graph_name = ids.agreement_graph(central, partner, day)
    graph = Graph(identifier=graph_name)
    bind_prefixes(graph, ids.base)
    w = Writer(ids, doc.source, agreement, graph)
    w.provisions = provisions
    a = agreement
    w.add(a, RDF.type, RENKEI.Agreement)
    w.titled(a, doc.titles)
    w.labelled(a, _english_label(parties, date.date))
    w.dated(a, date)
    w.publication(doc)
    if basis is not None:
        w.add(a, ELI.based_on, ids.law_provision(*basis))
    for party in parties:
        w.add(a, RENKEI.party, ids.municipality(party.code))
    w.add(a, RENKEI.centralCity, ids.municipality(central))
    if parties.area is not None:
        w.add(a, RENKEI.area, ids.area(parties.area.slug))
    w.add(a, RENKEI.areaName, parties.area_name)
    w.add(a, RENKEI.preamble, "\n".join(line.text for line in doc.preamble))
    w.add(a, RENKEI.closingFormula, "\n".join(line.text for line in doc.closing))
    w.add(a, RENKEI.layout, Literal(reading.layout))
    w.source_document()
    for article in doc.articles:
        w.article(article)
    for annex in doc.annexes:
        w.annex(annex)
    for ja, en in reading.notes + alignment.notes:  # how the reader chose where the text allowed two readings
        w.add(a, RENKEI.readingNote, Literal(ja, lang="ja"))
        w.add(a, RENKEI.readingNote, Literal(en, lang="en"))
    w.derivations()
    aligned = zip(reading.groups, alignment.pillars, alignment.categories, strict=True)
    for group, pillar, categories in aligned:
        pillar_iri = ids.framework(pillar.notation)
        container = w.container(group, doc, pillar_iri)
        for initiative, matches in zip(group.initiatives, categories, strict=True):
            w.initiative(group, initiative, container, pillar_iri, matches)
    for sig in signatories:
        w.signatory(sig)
    return Built(agreement, graph_name, graph)
