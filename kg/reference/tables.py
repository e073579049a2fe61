"""Reference data: the municipality code list, the areas, and the people who sign.

Loaded from ``data/reference/*.csv``; every code's check digit is verified on load, so a typo
in the table is a :class:`~kg.errors.ReferenceDataError` naming the file and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from kg.errors import ReferenceDataError
from kg.reference.codes import is_valid_code

__all__ = ["Area", "Membership", "Municipality", "Person", "Registry", "load_registry"]


@dataclass(frozen=True)
class Municipality:
    code: str
    prefecture: str
    name: str
    kind: str  # prefecture | city | town | village | special-ward
    kana: str

    @property
    def prefecture_code(self) -> str:
        """The 6-digit code of the prefecture this municipality lies in (itself for a prefecture)."""
        from kg.reference.codes import check_digit

        five = self.code[:2] + "000"
        return five + check_digit(five)


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    registry_name: str
    label_en: str
    name_note: str


@dataclass(frozen=True)
class Membership:
    """One row of memberships.csv: a municipality's place in an area."""

    area: str
    code: str
    name: str
    role: str  # central | partner | member (role not stated by the source)
    agreement_date: dt.date | None
    source: str


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    name_en: str
    office_code: str
    office: str
    term_start: dt.date | None
    term_end: dt.date | None
    source: str
    note: str


def _key(name: str) -> str:
    """Matching key for names: NFKC, no spaces (names are printed with and without them)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass
class Registry:
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    def members(self, area_slug: str) -> list[Membership]:
        """The memberships of one area (central cities first, as in the table)."""
        return [m for m in self.memberships if m.area == area_slug]

    def areas_of(self, code: str) -> list[Membership]:
        """The memberships of one municipality (some belong to two areas)."""
        return [m for m in self.memberships if m.code == code]

    @cached_property
    def _by_name(self) -> dict[str, list[Municipality]]:
        """Municipalities by matching key, made on first use (ingesting looks names up hundreds of
        times per text; scanning the 1,788 codes for each was a quarter of ingesting)."""
        index: dict[str, list[Municipality]] = {}
        for m in self.municipalities.values():
            index.setdefault(_key(m.name), []).append(m)
        return index

    def municipalities_named(self, name: str, prefecture: str | None = None) -> list[Municipality]:
        """Every municipality printed as ``name`` (optionally within ``prefecture``)."""
        found = list(self._by_name.get(_key(name), ()))
        if prefecture:
            found = [m for m in found if _key(m.prefecture) == _key(prefecture)]
        return found

    def area_named(self, name: str) -> Area | None:
        k = _key(name)
        for a in self.areas.values():
            if k in (_key(a.name), _key(a.registry_name)):
                return a
        return None

    def office_holder(self, office_code: str, on: dt.date, printed_name: str | None = None) -> Person | None:
        """Who signed as head of ``office_code`` on ``on``: the person whose name is the printed
        one (spaces aside), else the one whose known term covers the date; None if we don't know."""
        if printed_name:
            for p in self.people:
                if p.office_code == office_code and _key(p.name) == _key(printed_name):
                    return p
        for p in self.people:
            if p.office_code != office_code or p.term_start is None or p.term_start > on:
                continue
            if p.term_end is None or on <= p.term_end:
                return p
        return None


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [(i + 2, row) for i, row in enumerate(csv.DictReader(f))]
    except OSError as e:
        raise ReferenceDataError(f"cannot read reference table: {e.strerror}", file=path) from e


def _date(value: str, path: Path, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise ReferenceDataError(f"not an ISO date: {value!r}", file=path, line=line) from e


@cache
def load_registry(ref_dir: Path) -> Registry:
    """Load and check ``ref_dir`` (normally ``data/reference``); cached per directory."""
    reg = Registry()
    path = ref_dir / "municipalities.csv"
    for line, r in _rows(path):
        code = r["code"]
        if not is_valid_code(code):
            raise ReferenceDataError(f"code {code!r} has a wrong check digit", file=path, line=line)
        if code in reg.municipalities:
            raise ReferenceDataError(f"code {code} listed twice", file=path, line=line)
        reg.municipalities[code] = Municipality(code, r["prefecture"], r["name"], r["kind"], r["kana"])
    path = ref_dir / "areas.csv"
    for _line, r in _rows(path):
        reg.areas[r["slug"]] = Area(r["slug"], r["name"], r["registry_name"], r["label_en"], r["name_note"])
    path = ref_dir / "memberships.csv"
    if path.exists():
        for line, r in _rows(path):
            if r["area"] not in reg.areas or (r["code"] and r["code"] not in reg.municipalities):
                raise ReferenceDataError(f"unknown area or code: {r['area']!r} {r['code']!r}", file=path, line=line)
            reg.memberships.append(Membership(r["area"], r["code"], r["name"], r["role"],
                                              _date(r["agreement_date"], path, line), r["source"]))
    path = ref_dir / "people.csv"
    for line, r in _rows(path):
        if r["office_code"] not in reg.municipalities:
            raise ReferenceDataError(f"unknown office code {r['office_code']}", file=path, line=line)
        reg.people.append(Person(r["slug"], r["name"], r["name_en"], r["office_code"], r["office"],
                                 _date(r["term_start"], path, line), _date(r["term_end"], path, line),
                                 r["source"], r["note"]))
    return reg
