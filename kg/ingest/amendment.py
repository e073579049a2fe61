"""An amending agreement (「…連携協約の一部を変更する連携協約」) → its parts and its changes.

Amendments are separate instruments (shared/domain/layouts.md): a title, a preamble naming the
agreement they change and its date, amending provisions in the 改め文 style, a 附則 with the day
they take effect, then the closing formula and the signatures::

    郡山市と二本松市との…連携協約の一部を変更する連携協約
    郡山市及び二本松市は、…令和元年10月18日に締結した…連携協約の一部を次のとおり変更する。
    別表3の(5)の項中「災害対策」を「災害・感染症対策」に、「…」を「…」に改める。   ← changes
    附　則
    この連携協約は、令和2年7月8日から施行する。                                  ← takes effect

Each 「「A」を「B」に」 is one change; 「「A」を削る」 a deletion; 「「A」の次に「B」を加える」 an
insertion after A, kept as the replacement of A by AB so that it can be replayed. A provision
names what it changes: 「別表3の(5)の項」 (a row: initiative 3-5), 「…の項二本松市の役割の欄」
(that party's role), 「第4条」, 「第3条第2項」, 「第3条第1項第2号」; 「同表」 and 「同条」 repeat the
previous provision's table or article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.dates import PrintedDate, find_date
from kg.ingest.decode import SourceText
from kg.ingest.numerals import NUMERAL, to_int
from kg.ingest.segment import lines_of, read_back, read_front
from kg.ingest.structure import Document, Line, Span

__all__ = ["AmendmentText", "ChangeText", "Parts", "Target", "is_amendment", "read_amendment", "split"]

#: How an amending agreement's title ends (「…の一部を変更する連携協約」, 「…の一部を改正する協約」).
_TITLE = re.compile(r"の一部を(?:変更|改正)する(?:連携)?協約書?$")
_SUPPLEMENTARY = re.compile(r"附[ \u3000]*則")
_CLOSING = re.compile(r"証するため|の証として")
# 「この連携協約は、令和2年7月8日から施行する。」, 「…から効力を生ずる。」, 「締結の日から施行する。」
_EFFECT = re.compile(r"から(?:施行|適用|効力を(?:生ずる|発する))")
_ON_SIGNING = re.compile(r"締結の日から")
_REWRITES = re.compile(r"」を「|」を削|」の次に「")
_ANNEX_ROW = re.compile(rf"(?:別表(?:第)?(?P<group>{NUMERAL})|同表(?P<same>{NUMERAL})?)"
                        rf"の[（(]?(?P<row>{NUMERAL})[）)]?の項(?P<column>[^「」]*?の欄)?中")
_ARTICLE = re.compile(rf"(?:第(?P<article>{NUMERAL})条|同条)(?:第(?P<paragraph>{NUMERAL})項)?"
                      rf"(?:第(?P<item>{NUMERAL})号)?中")
_COLUMN_ROLE = re.compile(r"(?P<party>.+?)の役割(?:分担)?(?:及び費用分担)?の欄")


@dataclass(frozen=True)
class Target:
    """What a provision changes, as the parts of the amended agreement's IRIs (docs/model.md)."""

    path: str  # relative to the agreement IRI: 「initiative/3-5」, 「initiative/3-5/role/072109」, 「article/4」
    where: str  # as printed: 「別表3の(5)の項」


@dataclass(frozen=True)
class ChangeText:
    """One change: the provision it stands in, its target, and the old and new wording as printed."""

    number: int
    provision: str
    target: Target
    old: str | None
    new: str | None
    span: Span


@dataclass(frozen=True)
class AmendmentText:
    """An amending agreement read into its parts."""

    doc: Document  # titles, dates, preamble, closing, signatures (no articles, no annexes)
    amended_date: PrintedDate  # the amended agreement's date, from the preamble
    effect: PrintedDate | None  # the day it takes effect; None when 「締結の日から」 (the signing date)
    changes: tuple[ChangeText, ...]
    supplementary: tuple[Line, ...]  # the 附則


def is_amendment(source: SourceText) -> bool:
    """True if a title line (before any 。) ends 「…の一部を変更する連携協約」."""
    for line in lines_of(source):
        if line.text.endswith("。"):
            return False
        if _TITLE.search(line.text):
            return True
    return False


def _quoted(text: str) -> list[tuple[str, str]]:
    """``text`` as (glue, quoted) pairs: the words before each 「…」 and its contents (brackets may nest)."""
    out, glue, depth, start = [], "", 0, 0
    for i, c in enumerate(text):
        if c == "「":
            if depth == 0:
                out.append((glue, ""))
                start = i + 1
            depth += 1
        elif c == "」" and depth:
            depth -= 1
            if depth == 0:
                out[-1] = (out[-1][0], text[start:i])
                glue = ""
        elif depth == 0:
            glue += c
    out.append((glue, ""))  # the words after the last quotation
    return out


def _pairs(body: str) -> list[tuple[str | None, str | None]]:
    """The (old, new) pairs of one provision's text after 「…中」."""
    parts = _quoted(body)
    found: list[tuple[str | None, str | None]] = []
    i = 0
    while i < len(parts) - 1:
        quote, after = parts[i][1], parts[i + 1][0]
        if after.startswith("を") and i + 2 < len(parts) and parts[i + 2][0].startswith("に"):
            found.append((quote, parts[i + 1][1]))  # 「A」を「B」に
            i += 2
        elif after.startswith("を削"):
            found.append((quote, None))
            i += 1
        elif after.startswith("の次に") and i + 2 < len(parts) and parts[i + 2][0].startswith("を加え"):
            found.append((quote, quote + parts[i + 1][1]))  # insertion after the anchor
            i += 2
        else:
            i += 1
    return found


class _Reader:
    """Reads the provisions one by one, remembering the table and article for 「同表」 and 「同条」."""

    def __init__(self, file: str, code_for: Callable[[str], str | None]) -> None:
        """Read provisions of ``file``; ``code_for`` gives the code of a party by a name it is printed by."""
        self.file, self.code_for = file, code_for
        self.group: int | None = None
        self.article: int | None = None
        self.changes: list[ChangeText] = []

    def _target(self, text: str, line: Line) -> tuple[Target, str]:
        """The target a provision names at its start, and the rest of the provision."""
        m = _ANNEX_ROW.match(text)
        if m:
            group = to_int(m["group"]) if m["group"] else (to_int(m["same"]) if m["same"] else self.group)
            row = to_int(m["row"])
            if group is None or row is None:
                raise IngestError("「同表」 with no table before it", file=self.file, line=line.number,
                                  ja="「同表」とありますが、その前の変更規定に別表が示されていません。",
                                  fix="name the table in full (「別表3の(5)の項中…」) the first time",
                                  fix_ja="最初の変更規定では「別表3の(5)の項中…」のように別表を明記してください。")
            self.group = group
            path = f"initiative/{group}-{row}"
            column = m["column"] or ""
            role = _COLUMN_ROLE.fullmatch(column)
            if role:
                code = self.code_for(role["party"])
                if code is None:
                    raise IngestError(f"「{column}」 names no party of the agreement", file=self.file,
                                      line=line.number,
                                      ja=f"「{column}」の団体名が、この協約の当事者のどちらでもありません。",
                                      fix="name the column by a party's name as the preamble prints it "
                                          "(「二本松市の役割の欄」)",
                                      fix_ja="欄の名前は前文の当事者名で「二本松市の役割の欄」のように記載してください。")
                path += f"/role/{code}"
            return Target(path, m.group(0).removesuffix("中")), text[m.end():]
        m = _ARTICLE.match(text)
        if m:
            article = to_int(m["article"]) if m["article"] else self.article
            if article is None:
                raise IngestError("「同条」 with no article before it", file=self.file, line=line.number,
                                  ja="「同条」とありますが、その前の変更規定に条が示されていません。",
                                  fix="name the article in full (「第4条中…」) the first time",
                                  fix_ja="最初の変更規定では「第4条中…」のように条を明記してください。")
            self.article = article
            path = f"article/{article}"
            if m["paragraph"]:
                path += f"/paragraph/{to_int(m['paragraph'])}"
            if m["item"]:
                path += f"/item/{to_int(m['item'])}"
            return Target(path, m.group(0).removesuffix("中")), text[m.end():]
        raise IngestError(f"cannot read 「{text[:40]}」 as an amending provision: expected 「別表3の(5)の項中…」 or "
                          "「第4条中…」", file=self.file, line=line.number,
                          ja=f"「{text[:40]}」を変更規定として読めません。変更する箇所が示されていません。",
                          fix="start the provision with the place it changes: 「別表3の(5)の項中…」 or 「第4条中…」",
                          fix_ja="変更規定は「別表3の(5)の項中…」「第4条中…」のように変更する箇所から書き始めてください。")

    def provision(self, line: Line) -> None:
        """Read one provision line: one or more targets, each with its 「A」を「B」に… pairs."""
        # 「別表3の(5)の項中「A」を「B」に改め、同表3の(6)の項中「C」を「D」に改める。」: split at 改め、.
        pieces = re.split(r"(?<=改め、)|(?<=削り、)|(?<=加え、)", line.text)
        for piece in pieces:
            target, body = self._target(piece, line)
            pairs = _pairs(body)
            if not pairs:
                raise IngestError(f"no change in 「{piece}」: expected 「「…」を「…」に改める」, 「「…」を削る」 or "
                                  "「「…」の次に「…」を加える」", file=self.file, line=line.number, where=target.where,
                                  ja=f"「{piece}」に変更の内容がありません。",
                                  fix="write the change as 「「…」を「…」に改める」, 「「…」を削る」 or "
                                      "「「…」の次に「…」を加える」",
                                  fix_ja="「「…」を「…」に改める」「「…」を削る」「「…」の次に「…」を加える」の形で"
                                         "変更の内容を記載してください。")
            for old, new in pairs:
                self.changes.append(ChangeText(len(self.changes) + 1, line.text, target, old, new, line.span))


def _effect(lines: list[Line], file: str) -> PrintedDate | None:
    """The day the 附則 says the amendment takes effect (None for 「締結の日から」)."""
    for line in lines:
        if _EFFECT.search(line.text):
            if _ON_SIGNING.search(line.text):
                return None
            found = find_date(line.text, file=file, line=line.number)
            if found is not None:
                return found
    where = lines[0].number if lines else 1
    raise IngestError("cannot tell when the amendment takes effect: no 附則 「この連携協約は、令和2年7月8日から"
                      "施行する。」", file=file, line=where,
                      ja="変更協約の施行日が分かりません。附則に施行日の定めがありません。",
                      fix="add a 附則: 「この連携協約は、令和2年7月8日から施行する。」 "
                          "(or 「…締結の日から施行する。」)",
                      fix_ja="附則に「この連携協約は、令和2年7月8日から施行する。」または「この連携協約は、締結の日から"
                             "施行する。」と記載してください。")


@dataclass(frozen=True)
class Parts:
    """An amendment's text split up: front and back matter as a Document, the provisions, the 附則."""

    doc: Document  # titles, dates, notice, preamble, closing, signatures (no articles, no annexes)
    provisions: list[Line]
    supplementary: list[Line]


def split(source: SourceText) -> Parts:
    """Split an amending agreement into its parts (the parties are read from ``doc`` next)."""
    lines = lines_of(source)
    doc = Document(source, [], [], [], [], [], [], [])
    # The first provision is the first line that rewrites wording (「…」を「…」, 「…」を削, 「…」の次に「…」);
    # the preamble's 「（以下「原協約」という。）」 quotes a word but changes none.
    first = next((i for i, line in enumerate(lines) if _REWRITES.search(line.text)), None)
    if first is None:
        raise IngestError("an amending agreement without amending provisions (「別表3の(5)の項中「…」を「…」に"
                          "改める。」)", file=source.name, line=source.line_count,
                          ja="変更協約に変更規定（改め文）が一つもありません。",
                          fix="write each change as 「別表3の(5)の項中「…」を「…」に改める。」",
                          fix_ja="変更する箇所と文言を「別表3の(5)の項中「…」を「…」に改める。」のように記載してください。")
    read_front(lines[:first], doc, source)
    closing = next((i for i in range(first, len(lines)) if _CLOSING.search(lines[i].text)), len(lines))
    supplementary = next((i for i in range(first, closing) if _SUPPLEMENTARY.fullmatch(lines[i].text)), None)
    read_back(lines[closing:], doc, source)
    if supplementary is None:
        return Parts(doc, lines[first:closing], [])
    return Parts(doc, lines[first:supplementary], lines[supplementary + 1: closing])


def read_amendment(parts: Parts, code_for: Callable[[str], str | None]) -> AmendmentText:
    """Read the amended agreement's date, the changes and the day they take effect.

    ``code_for`` gives a party's code by a name it is printed by (甲, 郡山市): Parties.code_for.
    """
    doc, file = parts.doc, parts.doc.source.name
    amended = next((d for line in doc.preamble if (d := find_date(line.text, file=file, line=line.number))), None)
    if amended is None:
        where = doc.preamble[0].number if doc.preamble else 1
        raise IngestError("cannot tell which agreement it amends: the preamble gives no date of the agreement "
                          "(「令和元年10月18日に締結した…連携協約」)", file=file, line=where,
                          ja="どの協約を変更するのか分かりません。前文に原協約の締結日がありません。",
                          fix="name the amended agreement with its date in the preamble: 「令和元年10月18日に締結した"
                              "…連携協約（以下「原協約」という。）の一部を次のとおり変更する。」",
                          fix_ja="前文に「令和元年10月18日に締結した…連携協約（以下「原協約」という。）の一部を次のとおり"
                                 "変更する。」のように、原協約を締結日とともに記載してください。")
    reader = _Reader(file, code_for)
    for line in parts.provisions:
        reader.provision(line)
    return AmendmentText(doc, amended, _effect(parts.supplementary, file), tuple(reader.changes),
                         tuple(parts.supplementary))
