"""The known layouts (shared/domain/layouts.md), one module each, and the choice between them.

To add a layout, write ``layouts/<name>.py`` exporting ``LAYOUT = Layout(name, summary, detect,
read)`` and list it in :data:`LAYOUTS` (docs/ingest.md, "Adding a layout"). Layouts are tried
in order; the first whose ``detect`` finds nothing amiss reads the document.
"""

from __future__ import annotations

from kg.errors import IngestError, UnknownLayoutError
from kg.ingest.layouts import i1, p, t1, t2, t3, t4
from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Reading

__all__ = ["LAYOUTS", "Layout", "Miss", "choose", "read"]

#: Every layout the ingester reads, in the order they are tried.
LAYOUTS: tuple[Layout, ...] = (t1.LAYOUT, t2.LAYOUT, t3.LAYOUT, t4.LAYOUT, i1.LAYOUT, p.LAYOUT)


def choose(doc: Document) -> Layout:
    """The layout of ``doc``, or :class:`UnknownLayoutError` saying why each one was ruled out."""
    misses: list[tuple[Layout, Miss]] = []
    for layout in LAYOUTS:
        miss = layout.detect(doc)
        if miss is None:
            return layout
        misses.append((layout, miss))
    reasons = "; ".join(f"{layout.name} ({layout.summary}): {miss.reason} at line {miss.line}"
                        for layout, miss in misses)
    stop = max(miss.line for _, miss in misses)
    raise UnknownLayoutError(f"no known layout fits this text. Tried {reasons}",
                             file=doc.source.name, line=stop)


def read(doc: Document, parties: Parties) -> Reading:
    """Choose the layout and read the initiatives; every initiative must have its own reference."""
    reading = choose(doc).read(doc, parties)
    seen: dict[tuple[int, int], str] = {}
    for group in reading.groups:
        for initiative in group.initiatives:
            ref = (group.number, initiative.number)
            if ref in seen:
                raise IngestError(f"{initiative.identifier} appears twice (first as {seen[ref]})",
                                  file=doc.source.name, line=initiative.span.first, where=initiative.where)
            seen[ref] = initiative.identifier
    if not seen:
        raise IngestError(f"layout {reading.layout}: no initiative (取組) found", file=doc.source.name,
                          line=doc.articles[-1].span.last)
    return reading
