"""The annex tables read by meaning: headers, pillar headings and rows, in whatever arrangement.

One pass over the lines of every 別表, keeping what it has seen (docs/ingest.md, "The reader by
meaning")::

    別表（第3条関係）                      ← an annex; 別表第N titled or cited by a pillar is that pillar
    取組<TAB>内容<TAB>郡山市の役割<TAB>…    ← a header (by its title column): kept until the next one,
    1 圏域全体の経済成長のけん引           ← a pillar heading in any numbering, before or after it
    (1) …<TAB>…<TAB>…<TAB>…                ← a row: in the current pillar, or the one its 分野/区分 names

so a header printed once above the first pillar, once per pillar or once per page reads alike, and
pillars may be headings, a 分野 or 区分 column, or separate tables. Every line that cannot be
placed is a :class:`~kg.errors.Problem` with its line and a way to fix it; reading goes on, so one
run reports them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.errors import IngestError, ProblemList
from kg.ingest.annex.columns import DITTO, Column, Header, cells, is_row, kind_of, title_column
from kg.ingest.annex.division import Division, group_of
from kg.ingest.annex.pillars import heading_of
from kg.ingest.annex.row import read_row
from kg.ingest.normalise import key
from kg.ingest.parties import Parties
from kg.ingest.structure import Annex, Document, Group, InitiativeText, Line, Span
from kg.reference.tables import Registry

__all__ = ["TableReading", "read_tables"]


@dataclass
class _Draft:
    """A group being read: a pillar heading's section, a 別表第N, or a 分野/区分 value."""

    kind: str  # "section" or "annex"
    number: int
    heading: str
    first: Line
    annex: int
    rows: list[InitiativeText] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)

    def group(self) -> Group:
        span = Span(self.first.number, self.rows[-1].span.last if self.rows else self.first.number)
        return Group(self.kind, self.number, self.heading, span, tuple(self.rows),
                     annex=self.annex if self.kind == "section" else None, description=tuple(self.policies))


@dataclass
class TableReading:
    """What the tables gave: groups in order, how they were arranged, and the reader's notes."""

    groups: list[Group]
    grouped_by: set[str]  # "heading", "annex", "field", "division"
    costs: bool  # a role column also says who pays
    notes: list[tuple[str, str]]


def _one_text(line: Line, row: list[str] | None) -> str | None:
    """The text of a line that is not a table row, or of a row whose filled cells all say the same
    (a heading printed across the table, repeated into every column a merged cell covers)."""
    if row is None:
        return line.text
    filled = {c for c in row if c}
    return filled.pop() if len(filled) == 1 else None


class _Reader:
    """Reads every annex of one document; collects problems instead of stopping at the first."""

    def __init__(self, doc: Document, parties: Parties, registry: Registry, pillar_keys: tuple[str, ...],
                 division: Division | None, problems: ProblemList) -> None:
        self.doc, self.parties, self.registry = doc, parties, registry
        self.pillar_keys, self.division, self.problems = pillar_keys, division, problems
        self.file = doc.source.name
        self.drafts: list[_Draft] = []
        self.grouped_by: set[str] = set()
        self.costs = False
        self.notes: list[tuple[str, str]] = []
        self.reported: set[str] = set()  # header problems already reported (a header repeated per page)

    # ── headers ────────────────────────────────────────────────────────────────────────────

    def _party(self, printed: str, label: str, line: Line) -> str | None:
        """The code of the party a role column names; a problem naming the header if it is none."""
        code = self.parties.code_for(printed)
        if code is not None or label in self.reported:
            return code
        self.reported.add(label)
        names = "、".join(p.municipality.name for p in self.parties)
        other = self.parties.name_of_municipality(printed)
        if other is not None:
            self.problems.add(
                f"表の見出し「{label}」の「{printed}」はこの協約の当事者ではありません（当事者は{names}）。",
                f"the header 「{label}」 names 「{printed}」, which is not a party of this agreement "
                f"(the parties are {names})", line=line.number, where="別表",
                fix_ja=f"役割の列は当事者（{names}）ごとに設け、見出しに当事者の名前を記載してください。",
                fix_en=f"give one role column per party ({names}) and name that party in its header")
            return None
        near = self.parties.suggest(printed)
        if near is not None:
            self.problems.add(f"表の見出し「{label}」の「{printed}」は「{near.name}」の誤りではありませんか。",
                              f"the header 「{label}」 names 「{printed}」: did you mean 「{near.name}」?",
                              line=line.number, where="別表",
                              fix_ja=f"「{printed}」を「{near.name}」に直してください。",
                              fix_en=f"correct 「{printed}」 to 「{near.name}」")
        else:
            self.problems.add(f"表の見出し「{label}」の「{printed}」は当事者（{names}）のいずれでもありません。",
                              f"the header 「{label}」 names 「{printed}」, which is neither party ({names})",
                              line=line.number, where="別表",
                              fix_ja="見出しに当事者の名前（または甲・乙）を記載してください。",
                              fix_en="name a party (or 甲/乙) in the header")
        return None

    def _from_cells(self, columns: list[Column], rows: Sequence[list[str]], line: Line) -> None:
        """Give an unknown column a kind from what its cells hold, where they leave no doubt: a table
        with no content column whose unlabelled or unknown column holds sentences (「…する。」) after
        the title holds the content. The reading is noted on the agreement."""
        if any(c.kind == "content" for c in columns):
            return
        title = next((c.index for c in columns if c.kind == "title"), None)
        for k, column in enumerate(columns):
            if column.kind is not None or title is None or column.index <= title + (0 if column.label else 1):
                continue
            values = [row[column.index] for row in rows if len(row) == len(columns) and row[column.index]]
            if len(values) >= 2 and sum(v.endswith("。") for v in values) * 2 > len(values):
                columns[k] = Column(column.index, column.label, "content", how="cells")
                printed = f"「{column.label}」" if column.label else f"{column.index + 1}列目（見出しなし）"
                printed_en = f"「{column.label}」" if column.label else f"column {column.index + 1} (no heading)"
                self.notes.append((f"{line.number}行目の表の{printed}を、欄が文であることから取組の内容の列として読んだ。",
                                   f"the table of line {line.number}: {printed_en} was read as the content column, "
                                   "its cells being sentences."))
                return

    def _header(self, line: Line, below: Line | None, rows: Sequence[list[str]] = ()) -> tuple[Header, bool]:
        """Read a header row; (header, True) when it also used the row below (party names under 役割分担)."""
        labels = cells(line)
        columns: list[Column] = []
        used_below = False
        party_row = cells(below) if below is not None and is_row(below) else None
        spanning = [i for i, label in enumerate(labels) if kind_of(label)[0] == "roles"]
        if spanning and party_row is not None and self._names_parties(party_row, labels, spanning[0]):
            used_below = True
            self.notes.append(("役割の列の当事者名を、「役割分担」の下の見出し行から読んだ。",
                               "the parties of the role columns were read from the header row under 役割分担."))
        for i, label in enumerate(labels):
            kind, printed, cost = kind_of(label)
            if used_below and party_row is not None and i >= spanning[0] and (kind == "roles" or not label) \
                    and i < len(party_row) and party_row[i]:
                printed, kind = party_row[i], "role"
                cost = cost or kind_of(label)[0] == "roles" and "費用" in label
            if kind is None and label and ("内容" in label or "概要" in label):
                kind = "content"
            if kind is None and label and self.parties.code_for(label) is not None:
                kind, printed = "role", label  # a column headed by the party's bare name
            party = self._party(printed, label, line) if kind == "role" and printed else None
            columns.append(Column(i, label, kind, printed, party, cost))
        self._from_cells(columns, rows, line)
        header = Header(line, tuple(columns))
        for column in header.columns:
            if column.kind is None and column.label and column.label not in self.reported:
                self.reported.add(column.label)
                self.problems.add(
                    f"表の見出し「{column.label}」が、何を記載した列か分かりません。",
                    f"the table header 「{column.label}」 is no column the reader knows",
                    line=line.number, where="別表",
                    fix_ja="見出しを「取組」「内容」「〈市町村名〉の役割」「備考」などにするか、その語句を "
                           "kg/ingest/annex/columns.toml に加えてください。",
                    fix_en="head it 取組, 内容, 〈party〉の役割, 備考 …, or add its wording to "
                           "kg/ingest/annex/columns.toml")
        self.costs = self.costs or header.carries_costs
        if not header.roles and not (self.division and header.first("division")) and \
                line.text not in self.reported:
            self.reported.add(line.text)
            self.problems.add("表の見出しに、当事者ごとの役割の列（「〈市町村名〉の役割」）がありません。",
                              "the table header has no role column per party (「〈party〉の役割」)",
                              line=line.number, where="別表",
                              fix_ja="当事者ごとに「〈市町村名〉の役割」の列を設けてください。",
                              fix_en="add a column 「〈party〉の役割」 for each party")
        return header, used_below

    def _names_parties(self, row: list[str], labels: list[str], start: int) -> bool:
        """True if the cells from ``start`` on name parties (a header row of party names under 役割分担),
        the cells before it empty or repeating the labels above (a header cell spanning both rows)."""
        named = [c for c in row[start:] if c]
        return bool(named) and all(self.parties.code_for(c) is not None or self.registry.municipalities_named(c)
                                   for c in named) and \
            all(not c or (i < len(labels) and c == labels[i]) for i, c in enumerate(row[:start]))

    # ── groups ─────────────────────────────────────────────────────────────────────────────

    def _annex_label(self, annex: Annex) -> str:
        return f"別表第{annex.number}" if annex.heading.text.startswith("別表第") else "別表"

    def _annex_pillar(self, annex: Annex) -> str | None:
        """The pillar a 別表第N stands for: its title, else the article item that cites it."""
        if not annex.heading.text.startswith("別表第") and len(self.doc.annexes) == 1:
            return None
        texts = [annex.title] if annex.title else []
        cite = f"別表第{annex.number}"
        texts += [item.text for article in self.doc.articles for paragraph in article.paragraphs
                  for item in paragraph.items if cite in key(item.text)]
        for text in texts:
            if text and any(p in key(text) for p in self.pillar_keys):
                return text
        return texts[0] if texts else None

    def _by_value(self, kind: str, value: str, line: Line, annex: int) -> _Draft:
        """The group a 分野 or 区分 cell names, made on first sight."""
        if kind == "division" and self.division is not None:
            number = group_of(value, self.division.items, self.file, line)
            item = next(i for i in self.division.items if i.number == number)
            found = next((d for d in self.drafts if d.kind == "section" and d.number == number), None)
            return found or self._new("section", number, item.text, line, annex)
        found = next((d for d in self.drafts if key(d.heading) == key(value)), None)
        if found is None and not any(p in key(value) for p in self.pillar_keys):
            column = "区分" if kind == "division" else "分野"
            raise IngestError(
                f"{column} 「{value}」 names none of the framework's three pillars"
                + (" and no article enumerates the 区分" if kind == "division" else ""), file=self.file,
                line=line.number, where="別表",
                ja=f"{column}「{value}」は、要綱の三つの柱のいずれも名指していません"
                   + ("。区分を列挙する条文もありません。" if kind == "division" else "。"),
                fix="write the pillar as the framework names it (「圏域全体の経済成長のけん引」 …)"
                    + (", or enumerate the 区分 as items of an article" if kind == "division" else ""),
                fix_ja="柱を要綱の名称（「圏域全体の経済成長のけん引」など）で記載してください"
                       + ("。または、区分を条文の号として列挙してください。" if kind == "division" else "。"))
        return found or self._new("section", len(self.drafts) + 1, value, line, annex)

    def _new(self, kind: str, number: int, heading: str, line: Line, annex: int) -> _Draft:
        draft = _Draft(kind, number, heading, line, annex)
        self.drafts.append(draft)
        return draft

    # ── the pass ───────────────────────────────────────────────────────────────────────────

    def read_annex(self, annex: Annex) -> None:
        label = self._annex_label(annex)
        pillar = self._annex_pillar(annex)
        annex_draft = self._new("annex", annex.number, pillar, annex.heading, annex.number) \
            if pillar is not None else None
        current: _Draft | None = annex_draft
        header: Header | None = None
        headings = False
        field_text, policy_text = "", ""
        skip = False
        for k, line in enumerate(annex.lines):
            if skip:
                skip = False
                continue
            row = cells(line) if is_row(line) else None
            text = _one_text(line, row)
            if row is not None and text is None and title_column(row) is not None:
                below = annex.lines[k + 1] if k + 1 < len(annex.lines) else None
                rows_below = [cells(x) for x in annex.lines[k + 1: k + 21] if is_row(x)]
                header, skip = self._header(line, below, rows_below)
                continue
            heading = heading_of(text, self.pillar_keys) if text is not None else None
            if heading is not None:
                if annex_draft is not None and not annex_draft.rows and self.drafts[-1] is annex_draft:
                    self.drafts.remove(annex_draft)  # the 別表第N is divided by headings after all
                    annex_draft = None
                number = heading.number if heading.number is not None else \
                    sum(1 for d in self.drafts if d.annex == annex.number and d.kind == "section") + 1
                current, headings = self._new("section", number, heading.text, line, annex.number), True
                self.grouped_by.add("heading")
                continue
            if row is None:
                self.problems.add(
                    f"{label}の「{line.text}」を読めません。柱の見出し（「1 …に関する取組」）、表の見出し行、"
                    "表の行のいずれでもありません。",
                    f"cannot read 「{line.text}」 in the {label}: expected a pillar heading (「1 …に関する取組」), "
                    "a table header or a tab-separated row", line=line.number, where=label,
                    fix_ja="柱の見出しなら柱の名称（「圏域全体の経済成長のけん引」など）を記載し、注記なら表の外"
                           "（別表の前）に移してください。",
                    fix_en="if it is a pillar heading, print the pillar's name (「圏域全体の経済成長のけん引」 …); "
                           "if it is a note, move it out of the table (before the 別表)")
                continue
            if header is None:
                self.problems.add("表の見出し行（「取組」「内容」「〈市町村名〉の役割」）より前に表の行があります。",
                                  "table row before its pillar heading and table header", line=line.number,
                                  where=label, fix_ja="表の最初に見出し行を記載してください。",
                                  fix_en="print the header row (取組 / 内容 / 〈party〉の役割) above the rows")
                continue
            group = current
            grouping = header.first("division") if self.division else None
            grouping = grouping or header.first("field") or header.first("division")
            if not headings and annex_draft is None and grouping is not None and grouping.index < len(row):
                cell = row[grouping.index]
                if cell not in DITTO:
                    field_text = cell
                policy = header.first("policy")
                if policy is not None and policy.index < len(row) and row[policy.index] not in DITTO:
                    policy_text = row[policy.index]
                if not field_text:
                    self.problems.add(f"この行には{grouping.label}が記載されておらず、繰り返す上の行もありません。",
                                      f"row names no {grouping.label}, and there is no row above to repeat",
                                      line=line.number, where=label,
                                      fix_ja=f"{grouping.label}の欄を記載してください。",
                                      fix_en=f"fill in the {grouping.label} cell")
                    continue
                try:
                    group = self._by_value(grouping.kind or "field", field_text, line, annex.number)
                except IngestError as e:
                    self.problems.extend(e)
                    field_text = ""
                    continue
                self.grouped_by.add(grouping.kind or "field")
                if policy_text and policy_text not in group.policies:
                    group.policies.append(policy_text)
            if group is None:
                self.problems.add("柱の見出し（「1 圏域全体の経済成長のけん引」など）より前に表の行があります。",
                                  "table row before its pillar heading and table header", line=line.number,
                                  where=label,
                                  fix_ja="行の前に柱の見出しを記載するか、柱を「分野」の列に記載してください。",
                                  fix_en="print the pillar heading above the rows, or give the pillar in a "
                                         "分野 column")
                continue
            if group is annex_draft:
                self.grouped_by.add("annex")
            initiative = read_row(line, row, header, group.number, len(group.rows) + 1, label, self.problems)
            if initiative is not None:
                if self.division is not None and not header.roles:
                    initiative = self.division.roles(initiative, group.number)
                group.rows.append(initiative)

    def groups(self) -> list[Group]:
        """The groups read, each with a reference unique in the text (a problem for a duplicate)."""
        seen: dict[tuple[int, int], str] = {}
        for draft in self.drafts:
            for initiative in draft.rows:
                ref = (draft.number, initiative.number)
                if ref in seen:
                    self.problems.add(f"{initiative.identifier}が二度あります（最初は{seen[ref]}）。",
                                      f"{initiative.identifier} appears twice (first as {seen[ref]})",
                                      line=initiative.span.first, where=initiative.where,
                                      fix_ja="取組の番号を振り直してください。", fix_en="renumber the rows")
                seen[ref] = initiative.identifier
        # A division by 区分 lists its groups in the enumeration's order, as the article does.
        drafts = [d for d in self.drafts if d.rows or d.kind == "section"]
        if "division" in self.grouped_by:
            drafts.sort(key=lambda d: d.number)
        return [d.group() for d in drafts if d.rows]


def read_tables(doc: Document, parties: Parties, registry: Registry, pillar_keys: tuple[str, ...],
                division: Division | None, problems: ProblemList) -> TableReading:
    """Read every 別表 of ``doc`` by meaning; problems go to ``problems``."""
    reader = _Reader(doc, parties, registry, pillar_keys, division, problems)
    for annex in doc.annexes:
        reader.read_annex(annex)
    return TableReading(reader.groups(), reader.grouped_by, reader.costs, reader.notes)

