"""The typed structure each pipeline step hands to the next (segment → layouts → build).

Everything here is plain data with line spans, so every triple the builder writes can point
back at the source lines it came from (docs/model.md, "Provenance").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.ingest.dates import PrintedDate
from kg.ingest.decode import SourceText

__all__ = [
    "Annex", "Article", "Document", "Group", "InitiativeText", "Item", "Line", "Paragraph", "Reading",
    "RoleText", "Span",
]


@dataclass(frozen=True)
class Span:
    """First and last line (1-based, inclusive) of a part of the source."""

    first: int
    last: int

    def __or__(self, other: Span) -> Span:
        """The span covering both."""
        return Span(min(self.first, other.first), max(self.last, other.last))


@dataclass(frozen=True)
class Line:
    """One non-blank source line, without the spaces that indent or end it."""

    number: int
    text: str

    @property
    def span(self) -> Span:
        """The lines it was read from."""
        return Span(self.number, self.number)


@dataclass
class Item:
    """A 号 「(1) …」: its own line, and the lines below it that belong to it (nested ladders)."""

    number: int
    text: str  # without 「(1)」 and its separator
    line: Line
    body: list[Line] = field(default_factory=list)

    @property
    def span(self) -> Span:
        """The lines it was read from."""
        return Span(self.line.number, (self.body[-1] if self.body else self.line).number)


@dataclass
class Paragraph:
    """A 項: the first is unnumbered, later ones start with their number 「2 …」."""

    number: int
    lines: list[Line]  # as printed; the first line without 「第N条」 (paragraph 1) or as printed
    number_printed: str  # 「2 」 including its separator; empty for paragraph 1
    items: list[Item] = field(default_factory=list)

    @property
    def printed(self) -> str:
        """The paragraph as printed, its number included (how it appears in the article text)."""
        return "\n".join(line.text for line in self.lines)

    @property
    def text(self) -> str:
        """The paragraph's text without its number."""
        return self.printed[len(self.number_printed):]

    @property
    def span(self) -> Span:
        """The lines it was read from."""
        return Span(self.lines[0].number, self.lines[-1].number)


@dataclass
class Article:
    """A 条 with its own-line heading (見出し) and its paragraphs."""

    number: int
    label: str  # 「第3条」 as printed
    heading: str | None
    heading_line: Line | None
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        """The body after 「第N条」: paragraphs joined by newlines, later ones with their numbers."""
        return "\n".join(p.printed for p in self.paragraphs)

    @property
    def span(self) -> Span:
        """The lines it was read from."""
        first = self.heading_line.number if self.heading_line else self.paragraphs[0].lines[0].number
        return Span(first, self.paragraphs[-1].lines[-1].number)


@dataclass
class Annex:
    """A 別表 (別表 = 1, 別表第N = N): its printed heading line and its non-blank body lines."""

    number: int
    heading: Line
    title: str | None  # what follows 「（第3条関係）」 on the heading line (T3 pillar tables)
    relates_to: tuple[int, ...]  # article numbers from 「（第3条関係）」
    lines: list[Line]

    @property
    def span(self) -> Span:
        """The lines it was read from."""
        return Span(self.heading.number, (self.lines[-1] if self.lines else self.heading).number)


@dataclass
class Document:
    """A text read into its parts, before any layout-specific reading of the initiatives."""

    source: SourceText
    titles: list[Line]  # title-like lines before the preamble, in order
    dates: list[tuple[Line, PrintedDate]]  # every date standing on its own line
    preamble: list[Line]
    articles: list[Article]
    closing: list[Line]  # the closing formula 「この連携協約の締結を証するため、…」
    signatures: list[Line]  # the signature block, dates excluded
    annexes: list[Annex]
    # A 例規集 entry's publication: the date printed with 「告示第N号」 (which may differ from the
    # signing date by a day or more, shared/domain/layouts.md) and the notice as printed.
    publication: tuple[Line, PrintedDate] | None = None
    notice: Line | None = None

    def article(self, number: int) -> Article | None:
        """The article numbered ``number``, if any."""
        return next((a for a in self.articles if a.number == number), None)

    def signing_date(self) -> tuple[Line, PrintedDate] | None:
        """The date printed above the signatures, else the first one printed (on the cover).

        A 例規集 copy may print a publication date on top that differs from the signing date
        (shared/domain/layouts.md, "Publication"); the one by the signatures is the signing date,
        and the one printed with 「告示第N号」 is :attr:`publication`, never a signing date.
        """
        end = self.articles[-1].span.last if self.articles else 0
        after = [d for d in self.dates if d[0].number > end]
        return after[0] if after else (self.dates[0] if self.dates else None)


@dataclass(frozen=True)
class RoleText:
    """One party's role in an initiative, as printed, and the party its label names."""

    label: str  # the printed label: 「郡山市の役割」, 「甲の役割」
    party: str | None  # the municipality code the label names; None if it names no party
    text: str
    span: Span
    column: int | None = None  # the table column (0-based) the role was read from, if a table cell
    takes_part: bool = True  # False for a cell printed 「－」, 「なし」 or left empty: the party takes no part


@dataclass(frozen=True)
class InitiativeText:
    """One 取組 as printed: its reference, title, content and roles."""

    number: int
    identifier: str  # 「3-(8)」: the group number, then the printed number (or position)
    title: str
    content: str
    roles: tuple[RoleText, ...]
    span: Span
    where: str  # how an error message names it: 「別表 3-(8)」
    columns: dict[str, int] | None = None  # the table columns (0-based) the title and content came from
    remarks: str = ""  # a 備考 cell, kept as a note


@dataclass(frozen=True)
class Group:
    """A pillar's group of initiatives: a T1/T2/T4/P annex section, a T3 annex, an I1 item of 第3条."""

    kind: str  # "section" (annex/a/section/n), "annex" (annex/n) or "item" (article item)
    number: int  # the printed group number (section 「3」, 別表第3, item (3))
    heading: str  # the printed heading the pillar is recognised from
    span: Span
    initiatives: tuple[InitiativeText, ...]
    annex: int | None = None  # for "section": the annex holding it
    article: int | None = None  # for "item": where the item stands
    paragraph: int | None = None
    description: tuple[str, ...] = ()  # T2: the 基本方針 printed beside the 分野, once per distinct wording


@dataclass(frozen=True)
class Reading:
    """What a layout module reads from a document: the initiatives, grouped by pillar."""

    layout: str
    groups: tuple[Group, ...]
    #: How the reader read what it had to choose about, in (ja, en): a column recognised from its cells,
    #: party names taken from a second header row … (recorded on the agreement, docs/ingest.md).
    notes: tuple[tuple[str, str], ...] = ()
