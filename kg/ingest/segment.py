"""Lines → a :class:`~kg.ingest.structure.Document`: front matter, articles, closing, signatures, annexes.

The parts are recognised by how every 連携協約 is printed (shared/domain/layouts.md): titles
and the date before the preamble; articles 「第N条」 with an own-line heading 「（目的）」; the
closing formula 「…締結を証するため、…」; the signature block; annexes 「別表…」 at the end.
Reading the initiatives is left to the layout modules.
"""

from __future__ import annotations

import re

from kg.errors import IngestError
from kg.ingest.dates import PrintedDate, find_date, is_date_line
from kg.ingest.decode import SourceText
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.structure import Annex, Article, Document, Item, Line, Paragraph

__all__ = ["lines_of", "read_back", "read_front", "segment"]

_SEP = r"[ \u3000]"
# 「第3条 …」, 「第３条　…」, 「第三条…」; not 「第252条の2」 (a branch article cited in text) nor
# 「第3条関係」 (an annex's reference).
_ARTICLE = re.compile(rf"第(?P<n>{NUMERAL})条(?!の|関係)(?:{_SEP}+|$|(?=\S))(?P<rest>.*)")
_HEADING = re.compile(r"[（(](?P<h>[^（）()]+)[）)]")
_PARAGRAPH = re.compile(rf"(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)(?P<sep>{_SEP}+)\S")
_ITEM = re.compile(rf"[（(](?P<n>[0-9０-９]+|[一二三四五六七八九十]+)[）)]{_SEP}*(?P<rest>.*)")
_ANNEX = re.compile(rf"別表(?:第(?P<n>{NUMERAL}))?(?P<rest>(?:{_SEP}|[（(]).*|)")
_RELATES = re.compile(r"[（(](?P<refs>第[^（）()]*条[^（）()]*)関係[）)]")
# 「この連携協約の締結を証するため」, 「…を証するため」, 「上記協約の証として」.
_CLOSING = re.compile(r"証するため|の証として")
_TITLE = re.compile(r"協約書?$|協定書?$")
# 「告示第41号」, 「三原市告示第41号」, 「平成27年3月27日告示第41号」: a 例規集 entry's publication.
_NOTICE = re.compile(rf"告示第(?:{NUMERAL})号")
_REPORT_MARK = "○"  # 例規集 entries mark the title with ○; it is typography, not part of it


def _notice(text: str) -> str | None:
    """「三原市告示第41号」: the notice with what precedes it up to a space, or None.

    Found by its core and extended backwards, in linear time: a lazy prefix in the pattern was
    quadratic on a long line without spaces (found by tests/robustness)."""
    m = _NOTICE.search(text)
    if m is None:
        return None
    start = m.start()
    while start > 0 and not text[start - 1].isspace():  # str.isspace covers U+3000 too
        start -= 1
    return text[start:m.end()]


def _heading(line: Line) -> str | None:
    """The heading inside an own-line bracket 「（目的）」 or 「(目的)」, else None."""
    m = _HEADING.fullmatch(line.text)
    return m["h"] if m else None


def _date(line: Line, source: SourceText) -> tuple[Line, PrintedDate]:
    """A line known to hold a date, with the date read (or a :class:`DateError` for it)."""
    found = find_date(line.text, file=source.name, line=line.number)
    assert found is not None, "is_date_line() and find_date() disagree"  # noqa: S101
    return line, found


def _strip(raw: str) -> str:
    """A line without indentation or trailing spaces; a table row keeps its empty first and last
    cells (a merged 分野 cell exported as 「\t\t取組…」), so only spaces are stripped from it."""
    text = raw.strip(" \u3000")
    return text if "\t" in text.strip("\t") else text.strip(" \t\u3000")


def lines_of(source: SourceText) -> list[Line]:
    """The non-blank lines with their source line numbers, without indentation or trailing spaces."""
    return [Line(source.origin(i), text) for i, raw in enumerate(source.lines) if (text := _strip(raw))]


def _article_number(line: Line, source: SourceText) -> tuple[int, str, str] | None:
    """(number, printed label, rest of line) if ``line`` starts an article."""
    m = _ARTICLE.match(line.text)
    if m is None:
        return None
    number = to_int(m["n"])
    if number is None or m["n"] == "元":
        raise IngestError(f"unreadable article number 「{m['n']}」", file=source.name, line=line.number,
                          ja=f"条の番号「{m['n']}」を読めません。",
                          fix="number the article 第1条, 第１条 or 第一条",
                          fix_ja="「第1条」「第１条」「第一条」のように番号を記載してください。")
    return number, line.text[: m.start("rest")].rstrip(" \u3000"), m["rest"]


def _article(number: int, label: str, rest: str, first: Line, heading: Line | None,
             body: list[Line]) -> Article:
    """Split one article's lines into paragraphs (「2 …」) and items (「(1) …」)."""
    paragraphs = [Paragraph(1, [Line(first.number, rest)], "")]
    for line in body:
        current = paragraphs[-1]
        p = _PARAGRAPH.match(line.text)
        if p and to_int(p["n"]) == current.number + 1:
            paragraphs.append(Paragraph(current.number + 1, [line], line.text[: p.end("sep")]))
            continue
        current.lines.append(line)
        i = _ITEM.match(line.text)
        if i and to_int(i["n"]) == len(current.items) + 1:
            current.items.append(Item(len(current.items) + 1, i["rest"], line))
        elif current.items:
            current.items[-1].body.append(line)
    return Article(number, label, _heading(heading) if heading else None, heading, paragraphs)


def _annex(heading: Line, rest: str, number_text: str | None, source: SourceText) -> Annex:
    """An annex from its heading line: number, related articles, title."""
    number = 1 if number_text is None else to_int(number_text)
    if number is None:
        raise IngestError(f"unreadable annex number 「{number_text}」", file=source.name,
                          line=heading.number, ja=f"別表の番号「{number_text}」を読めません。",
                          fix="number the annex 別表第1, 別表第１ or 別表第一",
                          fix_ja="「別表第1」「別表第１」「別表第一」のように番号を記載してください。")
    relates: tuple[int, ...] = ()
    m = _RELATES.search(rest)
    if m:
        refs = re.findall(rf"第({NUMERAL})条", m["refs"])
        relates = tuple(n for n in (to_int(r) for r in refs) if n is not None)
        rest = rest[: m.start()] + rest[m.end():]
    title = rest.strip(" \u3000") or None
    return Annex(number, heading, title, relates, [])


def read_front(lines: list[Line], doc: Document, source: SourceText) -> None:
    """Titles, dates, the publication notice and the preamble: everything before the first article."""
    notice_at: int | None = None
    for i, line in enumerate(lines):
        notice = _notice(line.text) if not doc.preamble else None
        if notice is not None:
            found = find_date(line.text, file=source.name, line=line.number)
            if found is not None:  # 「平成27年3月27日三原市告示第41号」: the date is not part of the notice
                doc.publication = (line, found)
                notice = _notice(line.text.replace(found.printed, " "))
            assert notice is not None  # noqa: S101 (a date never holds 「告示第N号」)
            doc.notice, notice_at = Line(line.number, notice), i
        elif is_date_line(line.text):
            doc.dates.append(_date(line, source))
        elif line.text.endswith("。") or "以下「" in line.text:
            doc.preamble.append(line)
        elif _TITLE.search(line.text) and not doc.preamble:
            doc.titles.append(Line(line.number, line.text.removeprefix(_REPORT_MARK).strip()))
        # Anything else on a cover (the parties' names) is not part of the agreement.
    if notice_at is not None and doc.publication is None:
        # 「平成27年3月27日」 on the line next to 「告示第41号」 (either side) is the publication date.
        beside = {lines[j].number for j in (notice_at - 1, notice_at + 1) if 0 <= j < len(lines)}
        dated = next((d for d in doc.dates if d[0].number in beside), None)
        if dated is not None:
            doc.dates.remove(dated)
            doc.publication = dated


def segment(source: SourceText) -> Document:
    """Read ``source`` into its parts; raise :class:`IngestError` naming the line if it has none."""
    lines = lines_of(source)
    doc = Document(source, [], [], [], [], [], [], [])
    starts = [(i, a) for i, line in enumerate(lines) if (a := _article_number(line, source))]
    if not starts:
        raise IngestError("no article (第1条 …) found: not the text of an agreement", file=source.name,
                          line=source.line_count,
                          ja="条（「第1条 …」）が一つもありません。連携協約の本文ではないようです。",
                          fix="give the agreement's own text, its articles starting 「第1条」",
                          fix_ja="「第1条」から始まる条文を含む、連携協約の本文を指定してください。")
    # Where the articles end: the closing formula, else the first annex, else the end.
    first_index = starts[0][0]
    end = next((i for i in range(first_index, len(lines))
                if _CLOSING.search(lines[i].text) or _ANNEX.fullmatch(lines[i].text)), len(lines))
    starts = [(i, a) for i, a in starts if i < end]
    has_heading = [i > 0 and _heading(lines[i - 1]) is not None for i, _ in starts]
    front_end = first_index - (1 if has_heading[0] else 0)
    read_front(lines[:front_end], doc, source)
    seen: dict[int, Line] = {}
    for k, (i, (number, label, rest)) in enumerate(starts):
        if number in seen:
            raise IngestError(f"{label} appears twice (first at line {seen[number].number})",
                              file=source.name, line=lines[i].number, where=label,
                              ja=f"{label}が二度あります（最初は{seen[number].number}行目）。",
                              fix="renumber the articles in order", fix_ja="条の番号を順に振り直してください。")
        seen[number] = lines[i]
        stop = end if k + 1 == len(starts) else starts[k + 1][0] - (1 if has_heading[k + 1] else 0)
        heading = lines[i - 1] if has_heading[k] else None
        doc.articles.append(_article(number, label, rest, lines[i], heading, lines[i + 1: stop]))
    read_back(lines[end:], doc, source)
    return doc


def read_back(lines: list[Line], doc: Document, source: SourceText) -> None:
    """The closing formula, the signature block and its date, and the annexes."""
    annex: Annex | None = None
    for line in lines:
        m = _ANNEX.fullmatch(line.text)
        if m:
            annex = _annex(line, m["rest"], m["n"], source)
            doc.annexes.append(annex)
        elif annex is not None:
            annex.lines.append(line)
        elif is_date_line(line.text):
            doc.dates.append(_date(line, source))
        elif not doc.signatures and (not doc.closing or doc.closing[-1].text.endswith("、")):
            doc.closing.append(line)
        else:
            doc.signatures.append(line)
    seen: dict[int, Annex] = {}
    for a in doc.annexes:
        if a.number in seen:
            raise IngestError(f"別表 number {a.number} appears twice (first at line "
                              f"{seen[a.number].heading.number})", file=source.name, line=a.heading.number,
                              where=a.heading.text,
                              ja=f"別表第{a.number}が二度あります（最初は{seen[a.number].heading.number}行目）。",
                              fix="renumber the annexes 別表第1, 別表第2, …",
                              fix_ja="別表の番号を「別表第1」「別表第2」…と振り直してください。")
        seen[a.number] = a
