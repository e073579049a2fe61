"""The initiatives of an agreement, read by what the text says rather than by which layout it matches.

One reader for every arrangement (docs/ingest.md, "The reader by meaning"):

- tables in the 別表 (:mod:`~kg.ingest.annex.table`): columns recognised by the wording of their
  headers (:mod:`~kg.ingest.annex.columns`, wordings in ``columns.toml``), pillars by the framework's
  wording in any numbering (:mod:`~kg.ingest.annex.pillars`), each row as an initiative
  (:mod:`~kg.ingest.annex.row`), whether the header is printed once, per pillar or per page, and
  whether pillars are headings, a 分野/区分 column or separate tables;
- a default division of labour by 区分 (:mod:`~kg.ingest.annex.division`, family P);
- or, with no 別表, a ladder of items in an article (:mod:`~kg.ingest.annex.ladder`, family I1).

The layout family (shared/domain/layouts.md: T1, T2, T3, T4, I1, P) is still recorded on the
agreement, derived from how the text was arranged: it is a description, no longer a choice of parser.
"""

from __future__ import annotations

from kg.errors import IngestError, ProblemList
from kg.ingest.annex import ladder
from kg.ingest.annex.division import division
from kg.ingest.annex.table import TableReading, read_tables
from kg.ingest.parties import Parties
from kg.ingest.structure import Document, Reading
from kg.reference.tables import Registry

__all__ = ["family", "read"]


def family(tables: TableReading, has_division: bool) -> str:
    """The layout family of shared/domain/layouts.md that the arrangement read is.

    >>> family(TableReading([], {"heading"}, True, []), False), family(TableReading([], {"annex"}, False, []), False)
    ('T4', 'T3')
    """
    if "division" in tables.grouped_by and has_division:
        return "P"
    if "field" in tables.grouped_by or "division" in tables.grouped_by:
        return "T2"
    if "annex" in tables.grouped_by and "heading" not in tables.grouped_by:
        return "T3"
    return "T4" if tables.costs else "T1"


def read(doc: Document, parties: Parties, registry: Registry, pillar_keys: tuple[str, ...],
         problems: ProblemList) -> Reading | None:
    """The initiatives of ``doc`` grouped by pillar; None (with problems noted) when there are none."""
    if not doc.annexes:
        if ladder.ladders(doc):
            try:
                return ladder.read(doc, parties)
            except IngestError as e:  # noted with the rest of the file's problems
                problems.extend(e)
                return None
        last = doc.articles[-1].span.last if doc.articles else 1
        problems.add(
            "取組が見つかりません。別表（「別表（第3条関係）」と表）も、条文中の取組の階層（「a …」→「(a) 取組内容」/"
            "「(b) 役割分担」）もありません。",
            "no initiative (取組) found: there is no 別表 (「別表（第3条関係）」 and its table) and no article "
            "holds the ladder 「a …」 → 「(a) 取組内容」 / 「(b) 役割分担」", line=last,
            fix_ja="連携する取組と役割分担を別表に記載してください。",
            fix_en="list the initiatives and each party's role in a 別表")
        return None
    default = division(doc, parties)
    tables = read_tables(doc, parties, registry, pillar_keys, default, problems)
    if not tables.groups and not len(problems):
        annex = doc.annexes[0]
        problems.add("別表に取組の行がありません。", "the 別表 holds no initiative (取組) row",
                     line=(annex.lines[-1] if annex.lines else annex.heading).number, where="別表",
                     fix_ja="表の見出し行（取組・内容・各市町村の役割）と、取組ごとの行を記載してください。",
                     fix_en="print a header row (取組 / 内容 / 〈party〉の役割) and one row per initiative")
    if not tables.groups:
        return None
    return Reading(family(tables, default is not None), tuple(tables.groups), tuple(tables.notes))
