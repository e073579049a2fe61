"""The two parties (as municipality codes), which is the central city, and the area they form.

Parties are named in the preamble, either defined as 甲/乙 (「郡山市（以下「甲」という。）」) or
in full (「郡山市及び二本松市は、」); a partner across a prefecture line may carry its
prefecture (「山口県岩国市」). Every 連携協約 of a 連携中枢都市圏 is concluded by the central city
with one partner (連携中枢都市圏構想推進要綱 第2), and in every layout seen so far the central
city is named first, so the first-named party is taken as the central city.

A name the registry does not know is reported with the real municipality it is closest to
(:func:`suggest`: 「須加川市」 → 須賀川市), preferring the other party's area and prefecture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from kg.errors import IngestError, IngestProblems, Problem, UnknownMunicipalityError
from kg.ingest.normalise import key
from kg.ingest.structure import Document, Line
from kg.reference.tables import Area, Municipality, Registry

__all__ = ["Parties", "Party", "did_you_mean", "distance", "read_parties", "suggest"]

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
    #: The registry the parties were found in, for :meth:`name_of_municipality` and :meth:`suggest`.
    registry: Registry | None = field(default=None, compare=False, repr=False)

    def __iter__(self) -> Iterator[Party]:
        """The central city, then the partner."""
        return iter((self.central, self.partner))

    @cached_property
    def _codes(self) -> dict[str, str]:
        """Every matching key by which a party may be printed → its code; the central city's first."""
        found: dict[str, str] = {}
        for party in self:
            m = party.municipality
            for name in (party.alias or "\0", party.printed, m.name, m.prefecture + m.name):
                found.setdefault(key(name), party.code)
        return found

    def code_for(self, name: str) -> str | None:
        """The code of the party ``name`` denotes (甲, 乙, its name with or without prefecture)."""
        return self._codes.get(key(name))

    def name_of_municipality(self, label: str) -> Municipality | None:
        """The municipality ``label`` names when it is a real one's name, party or not (None otherwise).

        For a role column 「〈X〉の役割」 whose X is no party: the reader can then say that X is not a
        party of this agreement, instead of "a role naming no party". A name several municipalities
        bear (伊達市) is taken in the parties' prefecture when one there has it.
        """
        if self.registry is None:
            return None
        found = _resolve(label.strip(" \u3000"), self.registry)
        if len(found) > 1:
            prefectures = {p.municipality.prefecture for p in self}
            found = [m for m in found if m.prefecture in prefectures] or found
        return found[0] if found else None

    def suggest(self, name: str) -> Municipality | None:
        """The real municipality a misprinted party name (「須加川市」) most likely means, near the parties."""
        if self.registry is None:
            return None
        return suggest(name, self.registry, self.central.municipality)


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
                      file=doc.source.name, line=where.number,
                      ja="協約の当事者（二つの市町村）が見つかりません。前文に「A（以下「甲」という。）及びB（以下「乙」"
                         "という。）は、」または「A及びBは、」の形で当事者が書かれていません。",
                      fix="name both parties at the start of the preamble: 「郡山市（以下「甲」という。）及び二本松市"
                          "（以下「乙」という。）は、…」",
                      fix_ja="前文の冒頭に両当事者を「郡山市（以下「甲」という。）及び二本松市（以下「乙」という。）は、…」"
                             "のように記載してください。")


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two short names, or ``limit + 1`` once it is known to exceed ``limit``.

    >>> distance("須加川市", "須賀川市", 1), distance("郡山市", "二本松市", 1)
    (1, 2)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _without_prefecture(name: str, registry: Registry) -> tuple[str, str | None]:
    """「福島県須加川市」 → (「須加川市」, 「福島県」); a name without a prefecture comes back whole."""
    for m in registry.municipalities.values():
        if m.kind == "prefecture" and name.startswith(m.name) and len(name) > len(m.name):
            return name[len(m.name):], m.name
    return name, None


def suggest(name: str, registry: Registry, near: Municipality | None = None) -> Municipality | None:
    """The real municipality a misprinted name most likely means, or None when none is close.

    Close is one character added, dropped or changed (two for names of five characters or more),
    with the same kind ending (市, 町, 村, 区). Among equally close names, the one in the same
    area as ``near`` (the other party) wins, then the same prefecture, then the lower code.
    A name that is itself a municipality's is not "misprinted": that municipality comes back.

    >>> from pathlib import Path
    >>> from kg.reference.tables import load_registry
    >>> registry = load_registry(Path("data/reference"))
    >>> suggest("須加川市", registry).name
    '須賀川市'
    >>> koriyama = registry.municipalities["072036"]
    >>> suggest("二本杉市", registry, koriyama).name, suggest("伊達市", registry, koriyama).prefecture
    ('二本松市', '福島県')
    >>> suggest("あいうえお村", registry) is None
    True
    """
    bare, prefecture = _without_prefecture(key(name), registry)
    if not bare:
        return None
    limit = 1 if len(bare) <= 4 else 2
    area_codes: set[str] = set()
    if near is not None:
        for membership in registry.areas_of(near.code):
            area_codes.update(m.code for m in registry.members(membership.area))
    best: tuple[tuple[int, bool, bool, str], Municipality] | None = None
    for m in registry.municipalities.values():
        if m.kind == "prefecture" or (prefecture and m.prefecture != prefecture):
            continue
        candidate = key(m.name)
        if len(candidate) > 1 and len(bare) > 1 and candidate[-1] != bare[-1] and limit == 1:
            continue  # 須賀川市 is not 須賀川町: the kind is printed, and rarely misprinted
        d = distance(bare, candidate, limit)
        if d > limit or d >= len(candidate) - 1:
            continue  # too far, or so short that everything is close (「北市」 is not 「南市」)
        rank = (d, m.code not in area_codes, near is None or m.prefecture != near.prefecture, m.code)
        if best is None or rank < best[0]:
            best = (rank, m)
    return best[1] if best else None


def did_you_mean(name: str, suggestion: Municipality | None) -> tuple[str, str]:
    """The sentence that offers ``suggestion`` for ``name``, in Japanese and English (empty if none)."""
    if suggestion is None:
        return "", ""
    return (f"「{name}」は「{suggestion.name}」（{suggestion.prefecture}）の誤りではありませんか。",
            f"did you mean {suggestion.name} ({suggestion.prefecture}, {suggestion.code})?")


def _unknown(name: str, registry: Registry, near: Municipality | None, file: str, line: int) -> Problem:
    """The problem of a party name the registry does not know, with the name it likely means."""
    guess = suggest(name, registry, near)
    mean_ja, mean_en = did_you_mean(name, guess)
    return Problem(
        f"「{name}」という市町村が見つかりません。" + mean_ja,
        f"「{name}」 is not in the municipality registry (data/reference/municipalities.csv)"
        + (f"; {mean_en}" if mean_en else ""),
        file, line, None,
        f"前文の当事者名を「{guess.name}」のように、総務省の全国地方公共団体コードの表記どおりに直してください。"
        if guess else "前文の当事者名を、総務省の全国地方公共団体コードの表記どおりに直してください。",
        "print the party's name as MIC's code list spells it" + (f" (「{guess.name}」)" if guess else ""),
    )


def _pick(name: str, found: list[Municipality], other: list[Municipality], file: str,
          line: int) -> Municipality:
    """One municipality for ``name``; an ambiguous name goes to the other party's prefecture."""
    if len(found) > 1 and len(other) == 1:
        found = [m for m in found if m.prefecture == other[0].prefecture] or found
    if len(found) > 1:
        options = ", ".join(f"{m.code} {m.prefecture}{m.name}" for m in found)
        options_ja = "、".join(f"{m.prefecture}{m.name}（{m.code}）" for m in found)
        raise UnknownMunicipalityError(
            f"「{name}」 names {len(found)} municipalities ({options}); print its prefecture", file=file, line=line,
            ja=f"「{name}」という名前の市町村は{len(found)}つあります（{options_ja}）。どれを指すか決められません。",
            fix=f"print the prefecture before the name (「{found[0].prefecture}{name}」)",
            fix_ja=f"前文の当事者名に都道府県名を付けてください（例: 「{found[0].prefecture}{name}」）。")
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
    if not found[0] or not found[1]:
        # Report both unknown names at once; each guess is made near the other party: the one named,
        # or, when it is unknown too, the one its own misprint likely means.
        known: list[Municipality | None] = []
        for candidates, (name, _) in zip(found, names, strict=True):
            known.append(candidates[0] if len(candidates) == 1 else None if candidates else suggest(name, registry))
        near = [known[1], known[0]]
        problems = [_unknown(names[i][0], registry, near[i], file, line.number) for i in (0, 1) if not found[i]]
        if len(problems) == 1:
            p = problems[0]
            raise UnknownMunicipalityError(p.en, file=file, line=line.number, ja=p.ja, fix=p.fix_en,
                                           fix_ja=p.fix_ja)
        raise IngestProblems(problems)
    central = _pick(names[0][0], found[0], found[1], file, line.number)
    partner = _pick(names[1][0], found[1], [central], file, line.number)
    if central.code == partner.code:
        raise IngestError(f"both parties are 「{central.name}」", file=file, line=line.number,
                          ja=f"両当事者がどちらも「{central.name}」になっています。",
                          fix="name the central city and its partner, two different municipalities",
                          fix_ja="前文に連携中枢都市と連携市町村の二つの団体を記載してください。")
    area, area_name = _area(doc, registry)
    return Parties(Party(central, names[0][0], names[0][1]), Party(partner, names[1][0], names[1][1]),
                   area, area_name, line, registry)
