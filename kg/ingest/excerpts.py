"""Where each part of an agreement was read: source excerpts, their W3C Web Annotation selectors, and
the source document with how its text was read.

Every node the graph builder writes points to the source lines it came from (``prov:wasDerivedFrom``
a ``renkei:SourceExcerpt``); the excerpt says where those lines stand in the file — lines of a text
(RFC 5147), a PDF page (RFC 3778) refined by a table row or cell, Word paragraphs or a table — with
IRI nodes only, so the graph stays free of blank nodes (docs/model.md).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.ingest.decode import SourceText
from kg.ingest.document.form import Position
from kg.ingest.structure import Span
from kg.namespaces import CNT, DCT, OA, RENKEI, SPDX, Ids

__all__ = ["IANA_MEDIA_TYPES", "PDF", "RFC3778", "RFC5147", "SourceWriter"]

IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
PDF = "application/pdf"
#: The fragment identifier specifications a Web Annotation FragmentSelector names with dct:conformsTo
#: (WA Data Model §4.2.1): text/plain lines (RFC 5147) and PDF pages (RFC 3778).
RFC5147 = URIRef("http://tools.ietf.org/rfc/rfc5147")
RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")


class SourceWriter:
    """Adds triples to one graph, and those that tie its nodes to the lines of the source they were
    read from."""

    def __init__(self, ids: Ids, source: SourceText, agreement: URIRef, graph: Graph) -> None:
        """Write into ``graph`` for ``agreement`` (the instrument's IRI), read from ``source``."""
        self.ids, self.source, self.agreement, self.g = ids, source, agreement, graph
        self.excerpts: set[URIRef] = set()  # excerpts written so far
        self.doc_iri = ids.source(source.stem)
        # Straight to the graph's store: rdflib's Graph.add only asserts that each term is an rdflib
        # node, three isinstance checks through an ABC for each of a text's ~750 triples (≈ 0.5 ms a
        # text, docs/perf/build.md); here the subject and predicate are typed, the object made one.
        self._add = graph.store.add

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | str | int | bool | None) -> None:
        """Add one triple; ``None`` and empty text add nothing (the shapes judge what is missing)."""
        if o is None or o == "":
            return
        if not isinstance(o, URIRef | Literal):
            # Plain str is printed Japanese text; bool and int are typed xsd:boolean / xsd:integer.
            o = Literal(o, lang="ja") if isinstance(o, str) else Literal(o)
        self._add((s, p, o), self.g, quoted=False)

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
