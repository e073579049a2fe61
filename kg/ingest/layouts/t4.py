"""Layout T4: T1's sectioned 別表, whose role columns also carry cost sharing.

::

    第3条 …連携する取組並びにその役割分担及び費用分担は、別表のとおりとする。   ← no cost article
    別表（第3条関係）
    1 圏域全体の経済成長のけん引
    取組<TAB>内容<TAB>福山市の役割分担及び費用分担<TAB>三原市の役割分担及び費用分担
    (1) 広域観光の推進<TAB>…<TAB>…を主導し、その経費を負担する。<TAB>…

Seen in 福山–三原 (shared/domain/layouts.md). Each role cell is kept whole as the role's text:
who does what and who pays are one printed sentence.
"""

from __future__ import annotations

from kg.ingest.layouts.base import Layout, Miss
from kg.ingest.layouts.sections import carries_costs, read_sections, shape
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Reading

__all__ = ["LAYOUT", "detect", "read"]


def detect(doc: Document) -> Miss | None:
    """T4 is T1's shape with 「〈party〉の役割分担及び費用分担」 role columns."""
    found = shape(doc)
    if isinstance(found, Miss):
        return found
    annex, header = found
    if not carries_costs(header):
        where = header.number if header is not None else annex.heading.number
        return Miss("no role column carries cost sharing (「〈party〉の役割分担及び費用分担」)", where)
    return None


def read(doc: Document, parties: Parties) -> Reading:
    """Read the sections of the one 別表 and their rows."""
    return read_sections(doc, parties, "T4")


LAYOUT = Layout("T4", "T1's sectioned 別表 with role columns that carry cost sharing (…の役割分担及び費用分担)",
                detect, read)
