"""The two parties (as municipality codes), which is the central city, and the area they form.

Parties are named in the preamble, either defined as 甲/乙 (「郡山市（以下「甲」という。）」) or
in full (「郡山市及び二本松市は、」); a partner across a prefecture line may carry its
prefecture (「山口県岩国市」). Every 連携協約 of a 連携中枢都市圏 is concluded by the central city
with one partner (連携中枢都市圏構想推進要綱 第2), and in every layout seen so far the central
city is named first, so the first-named party is taken as the central city.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import IngestError, UnknownMunicipalityError
from kg.ingest.normalise import key
from kg.ingest.structure import Document, Line
from kg.reference import Area, Municipality, Registry

__all__ = ["Parties", "Party", "read_parties"]

_ALIAS = re.compile(r"(?P<name>[^\s、。（）()「」]+?)[（(]以下「(?P<alias>[甲乙])」という。?[）)]")
_JOINERS = ("及び", "および", "と", "並びに", "、")
_SUBJECT = re.compile(r"^(?P<s>.+?)(?:は、|は,|が、)")
_TITLE_SUBJECT = re.compile(r"^(?P<s>.+?)(?:との間における|との間の|との|における|間の)")
# The area: 「こおりやま広域連携中枢都市圏（以下「圏域」という。）を形成する」,
# 「…連携中枢都市圏である播磨圏域(以下「圏域」という。)を形成する」.
_AREA = re.compile(r"(?P<name>[^、。（）()「」]+?)(?:[（(]以下「[^」]+」という。?[）)])?を形成")
_AREA_SUFFIX = "連携中枢都市圏"  # 「播磨圏域」 is registered as 「播磨圏域連携中枢都市圏」


@dataclass(frozen=True)
class Party:
    """A party as printed, and the municipality it is."""

    municipality: Municipality
    printed: str
    alias: str | None  # 甲 or 乙 when the preamble defines one

    @property
    def code(self) -> str:
        """The party's 6-digit municipality code."""
        return self.municipality.code


@dataclass(frozen=True)
class Parties:
    """The central city, the partner, and the area as printed and as registered."""

    central: Party
    partner: Party
    area: Area | None
    area_name: str | None
    line: Line  # where the parties are named

    def __iter__(self) -> Iterator[Party]:
        """The central city, then the partner."""
        return iter((self.central, self.partner))

    def code_for(self, name: str) -> str | None:
        """The code of the party ``name`` denotes (甲, 乙, its name with or without prefecture)."""
        k = key(name)
        for party in self:
            m = party.municipality
            if k in {key(party.alias or "\0"), key(party.printed), key(m.name), key(m.prefecture + m.name)}:
                return party.code
        return None


def _resolve(name: str, registry: Registry) -> list[Municipality]:
    """Every municipality ``name`` may denote; a leading prefecture narrows the search."""
    found = registry.municipalities_named(name)
    if found:
        return found
    for m in registry.municipalities.values():
        if m.kind == "prefecture" and name.startswith(m.name) and len(name) > len(m.name):
            return registry.municipalities_named(name[len(m.name):], m.name)
    return []


def _split(subject: str, registry: Registry) -> tuple[str, str] | None:
    """Split 「A及びB」, preferring a split where the registry knows both halves (a name may hold
    と, as ときがわ町 does); else the first joiner, so that an unknown name is reported as such."""
    splits = [(subject[: m.start()], subject[m.end():]) for joiner in _JOINERS
              for m in re.finditer(re.escape(joiner), subject)]
    splits = [(a, b) for a, b in splits if a and b and not any(j in b for j in ("は、", "。"))]
    known = [(a, b) for a, b in splits if _resolve(a, registry) and _resolve(b, registry)]
    candidates = known or splits
    return candidates[0] if candidates else None


def _unjoin(name: str, registry: Registry) -> str:
    """The second party's name without the joiner printed before it: 「及び乙市」, 「と宇城市」 → 宇城市.

    A name that is itself in the registry is kept whole (ときがわ町 starts with と).
    """
    if _resolve(name, registry):
        return name
    for joiner in _JOINERS:
        if name.startswith(joiner) and _resolve(name[len(joiner):], registry):
            return name[len(joiner):]
    return name


def _names(doc: Document, registry: Registry) -> tuple[list[tuple[str, str | None]], Line]:
    """The two parties' printed names (with 甲/乙 if defined) and the line naming them."""
    for line in doc.preamble:
        aliased = [(_unjoin(m["name"], registry), m["alias"]) for m in _ALIAS.finditer(line.text)]
        if len(aliased) >= 2:
            return [(n, a) for n, a in aliased[:2]], line
        subject = _SUBJECT.match(line.text)
        pair = _split(subject["s"], registry) if subject else None
        if pair:
            return [(pair[0], None), (pair[1], None)], line
    for line in doc.titles:
        subject = _TITLE_SUBJECT.match(line.text)
        pair = _split(subject["s"], registry) if subject else None
        if pair:
            return [(pair[0], None), (pair[1], None)], line
    where = (doc.preamble or doc.titles or [Line(1, "")])[0]
    raise IngestError("cannot find the two parties: the preamble names neither "
                      "「A（以下「甲」という。）及びB（以下「乙」という。）」 nor 「A及びBは、」",
                      file=doc.source.name, line=where.number)


def _pick(name: str, found: list[Municipality], other: list[Municipality], file: str,
          line: int) -> Municipality:
    """One municipality for ``name``; an ambiguous name goes to the other party's prefecture."""
    if not found:
        raise UnknownMunicipalityError(f"「{name}」 is not in the municipality registry "
                                       "(data/reference/municipalities.csv)", file=file, line=line)
    if len(found) > 1 and len(other) == 1:
        found = [m for m in found if m.prefecture == other[0].prefecture] or found
    if len(found) > 1:
        options = ", ".join(f"{m.code} {m.prefecture}{m.name}" for m in found)
        raise UnknownMunicipalityError(f"「{name}」 names {len(found)} municipalities ({options}); "
                                       "print its prefecture", file=file, line=line)
    return found[0]


def _area(doc: Document, registry: Registry) -> tuple[Area | None, str | None]:
    """The area as printed (preamble, else 第1条) and its registry entry, if any."""
    texts = [line.text for line in doc.preamble]
    first = doc.article(1)
    if first:
        texts.append(first.text)
    for text in texts:
        m = _AREA.search(text)
        if m:
            printed = re.split(r"である|に基づく", m["name"])[-1].strip()
            return registry.area_named(printed) or registry.area_named(printed + _AREA_SUFFIX), printed
    return None, None


def read_parties(doc: Document, registry: Registry) -> Parties:
    """Find the parties and the area; raise :class:`UnknownMunicipalityError` for an unknown name."""
    names, line = _names(doc, registry)
    file = doc.source.name
    found = [_resolve(name, registry) for name, _ in names]
    central = _pick(names[0][0], found[0], found[1], file, line.number)
    partner = _pick(names[1][0], found[1], [central], file, line.number)
    if central.code == partner.code:
        raise IngestError(f"both parties are 「{central.name}」", file=file, line=line.number)
    area, area_name = _area(doc, registry)
    return Parties(Party(central, names[0][0], names[0][1]), Party(partner, names[1][0], names[1][1]),
                   area, area_name, line)
