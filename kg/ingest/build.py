"""The read agreement → an rdflib graph, exactly as docs/model.md lays it out.

Deterministic: no timestamps and no blank nodes, so the same text always gives the same graph
(and golden files compare with :func:`rdflib.compare.isomorphic`). Every part points to the
source lines it came from (``prov:wasDerivedFrom`` a ``renkei:SourceExcerpt``, written by
:mod:`kg.ingest.excerpts`); the rules of what is derived rather than copied are
:mod:`kg.ingest.derivations`.
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
from kg.ingest.derivations import DERIVATIONS, lead_wording
from kg.ingest.excerpts import SourceWriter
from kg.ingest.parties import Parties
from kg.ingest.signatories import Signatory
from kg.ingest.store import TripleStore
from kg.ingest.structure import Annex, Article, Document, Group, InitiativeText, Line, Reading
from kg.namespaces import DCT, ELI, RENKEI, Ids, bind_prefixes
from kg.reference.romaji import english_name

__all__ = ["Built", "Writer", "build", "english_name_of"]

JAPANESE = URIRef("http://publications.europa.eu/resource/authority/language/JPN")


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


@dataclass(frozen=True)
class Built:
    """The graph of one agreement and the IRIs that name it."""

    agreement: URIRef
    graph_name: URIRef
    graph: Graph


class Writer(SourceWriter):
    """Adds the triples of one agreement (or amendment) to one graph; knows the IRIs and the source."""

    def __init__(self, ids: Ids, source: SourceText, agreement: URIRef, graph: Graph) -> None:
        """Write into ``graph`` for ``agreement`` (the instrument's IRI), read from ``source``."""
        super().__init__(ids, source, agreement, graph)
        self.provisions: frozenset[tuple[str, int | None]] = frozenset()  # of the statute graph (eli:cites)

    def part(self, whole: URIRef, part: URIRef) -> None:
        """``part`` is part of ``whole`` (eli:has_part and its inverse eli:is_part_of)."""
        self.add(whole, ELI.has_part, part)
        self.add(part, ELI.is_part_of, whole)

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
    graph = Graph(store=TripleStore(), identifier=graph_name)  # kg/ingest/store.py: why not the default
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
