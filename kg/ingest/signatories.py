"""The signature block: who signed for each party, as printed, and who that person is.

Blocks are printed as 「郡山市 / 郡山市長 / 品川 萬里」, 「甲　熊本市 / 熊本市長」 or 「甲 姫路市長」
(a 例規集 copy drops the names). The printed name is kept exactly; the identification of the
person is a separate statement, from the registry of office holders (data/reference/people.csv),
with a note whenever the print and the registry differ (the seed prints 「三保、忠一」 for 三保恵一).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.errors import IngestError
from kg.ingest.normalise import key
from kg.ingest.parties import Parties, distance
from kg.ingest.structure import Line, Span
from kg.reference.tables import Person, Registry

__all__ = ["Signatory", "read_signatories"]

_ALIAS_PREFIX = re.compile(r"^[甲乙][ \u3000]+")
_OFFICE = re.compile(r"(?P<body>.+?)(?:長|知事)$")  # 郡山市長, 稲美町長, 高知県知事


@dataclass(frozen=True)
class Signatory:
    """One party's signature: office and name as printed, and the person identified."""

    party: str  # municipality code
    printed_title: str | None
    printed_name: str | None
    span: Span
    person: Person | None = None
    note_ja: str | None = None
    note_en: str | None = None


def _identify(sig: Signatory, date: dt.date, registry: Registry) -> Signatory:
    """Attach the office holder on ``date``, with a note unless the print names them exactly."""
    person = registry.office_holder(sig.party, date, sig.printed_name)
    if person is None:
        return sig
    on = date.isoformat()
    if sig.printed_name is None:
        ja = f"氏名の印字なし。{on}時点の{person.office}として{person.name}と同定した。"
        en = (f"No name is printed; identified as {person.name_en} ({person.name}), "
              f"{person.office} on {on}, from the registry of office holders.")
    elif key(sig.printed_name) != key(person.name):
        ja = (f"印字「{sig.printed_name}」は、{on}時点の{person.office}である{person.name}と同定した"
              "（印字と登録上の氏名が異なる）。")
        en = (f"Printed 「{sig.printed_name}」; identified as {person.name_en} ({person.name}), "
              f"{person.office} on {on}. The printed name differs from the registered one.")
    else:
        return Signatory(sig.party, sig.printed_title, sig.printed_name, sig.span, person)
    return Signatory(sig.party, sig.printed_title, sig.printed_name, sig.span, person, ja, en)


def _office_and_name(text: str) -> tuple[str, str]:
    """「松山市長　野志　克仁」 → (「松山市長」, 「野志　克仁」): an office and a name printed on one line.

    Anything else comes back whole, with no name: 「郡山市長」, or a name line such as 「品川 萬里」.
    """
    parts = re.split(r"[ \u3000]+", text, maxsplit=1)
    if len(parts) == 2 and _OFFICE.fullmatch(parts[0]):
        return parts[0], text[len(parts[0]):].strip(" \u3000")
    return text, ""


@dataclass
class _Block:
    """One party's block of the signature being read."""

    party: str
    first: int
    last: int
    title: str | None = None
    name: str | None = None


def _unreadable_ja(text: str, parties: Parties) -> str:
    """What is wrong with a signature line, in Japanese; with the party meant if it is a misprint."""
    said = f"署名欄の「{text}」が読めません。当事者の団体名、職名（〇〇市長）、署名者の氏名のいずれでもありません。"
    office = _OFFICE.fullmatch(_office_and_name(_ALIAS_PREFIX.sub("", text))[0])
    printed = office["body"] if office else text
    for party in parties:  # a party's name one character off (「群山市」) is a misprint of it
        if 0 < distance(key(printed), key(party.municipality.name), 1) <= 1:
            said += f"「{printed}」は「{party.municipality.name}」の誤りではありませんか。"
            break
    return said


def read_signatories(lines: list[Line], parties: Parties, date: dt.date, registry: Registry,
                     file: str) -> list[Signatory]:
    """Read the signature block (dates already removed) into one signatory per party block."""
    blocks: list[_Block] = []
    for line in lines:
        text = _ALIAS_PREFIX.sub("", line.text)
        head, tail = _office_and_name(text)
        office = _OFFICE.fullmatch(head)
        party = parties.code_for(text)
        office_party = parties.code_for(office["body"]) if office else None
        current = blocks[-1] if blocks else None
        if party is not None:
            blocks.append(_Block(party, line.number, line.number))
        elif office_party is not None:
            if current is None or current.party != office_party or current.title is not None:
                current = _Block(office_party, line.number, line.number)
                blocks.append(current)
            current.title, current.last = head, line.number
            if tail:
                current.name = tail
        elif current is not None and current.title is not None and current.name is None:
            current.name, current.last = line.text, line.number
        else:
            raise IngestError(f"cannot read 「{line.text}」 in the signature block: expected a party, "
                              "its office (〇〇市長) or the signer's name", file=file, line=line.number,
                              ja=_unreadable_ja(line.text, parties),
                              fix="print each party's block as its name, its office (郡山市長) and the signer's "
                                  "name, with the party's name as in the preamble",
                              fix_ja="署名欄は当事者ごとに団体名、職名（例: 郡山市長）、氏名の順に、前文と同じ団体名で"
                                     "記載してください。")
    return [_identify(Signatory(b.party, b.title, b.name, Span(b.first, b.last)), date, registry)
            for b in blocks]
