"""Layout T1: one 別表 after the signatures, grouped under numbered pillar headings.

::

    別表（第3条関係）
    1 圏域全体の経済成長のけん引に関する取組
    取組<TAB>内容<TAB>郡山市の役割<TAB>二本松市の役割
    (1) 産学金官民…<TAB>…<TAB>…<TAB>…

Seen in 郡山–二本松 (the seed), 広島–岩国, 岡山–玉野, 札幌–岩見沢 (shared/domain/layouts.md).
The same shape with cost sharing in the role columns is T4 (:mod:`kg.ingest.layouts.t4`).
"""

from __future__ import annotations

from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.sections import carries_costs, read_sections, shape
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Reading

__all__ = ["LAYOUT", "detect", "read"]


def detect(doc: Document) -> Miss | None:
    """T1 has exactly one unnumbered 別表, divided by numbered pillar headings, roles without costs."""
    found = shape(doc)
    if isinstance(found, Miss):
        return found
    _, header = found
    if header is not None and carries_costs(header):
        return Miss("the role columns also carry cost sharing (「…の役割分担及び費用分担」)", header.number)
    return None


def read(doc: Document, parties: Parties) -> Reading:
    """Read the sections of the one 別表 and their rows."""
    return read_sections(doc, parties, "T1")


LAYOUT = Layout("T1", "one 別表 divided by numbered pillar headings, one tab-separated row per 取組",
                detect, read)
