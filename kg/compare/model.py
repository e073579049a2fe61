"""What a comparison is made of: agreements, initiatives, roles, framework concepts, aligned rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kg.compare.textdiff import Segment

__all__ = [
    "FIELDS", "Agreement", "Comparison", "Concept", "Initiative", "Lead", "Match", "Party", "Role", "Row",
    "notation_key",
]

#: The fields compared in each aligned row, and their labels in each language (the command line and the
#: page both read this).
FIELDS = {
    "ja": (("title", "取組"), ("content", "内容"), ("central_role", "中心市の役割"), ("partner_role", "連携市の役割")),
    "en": (("title", "Initiative"), ("content", "Content"), ("central_role", "Central city's role"),
           ("partner_role", "Partner's role")),
}

Lead = Literal["central", "partner", "both", "none"]
Match = Literal["category", "broader", "title", "only_a", "only_b"]


@dataclass(frozen=True)
class Concept:
    """A framework concept: a pillar ("3") or a category ("3.B.2")."""

    iri: str
    notation: str
    label: str
    #: IRIs of every concept above this one (skos:broader, transitively), the pillar included.
    broader: frozenset[str] = frozenset()

    def related(self, other: Concept) -> bool:
        """Whether one of the two concepts is broader than the other (3.C and 3.C.1)."""
        return self.iri in other.broader or other.iri in self.broader


@dataclass(frozen=True)
class Party:
    """A party of an agreement."""

    iri: str
    code: str
    name: str


@dataclass(frozen=True)
class Role:
    """One party's role in an initiative, as printed, and whether its wording says the party leads."""

    text: str
    lead: bool


@dataclass(frozen=True)
class Initiative:
    """A 取組 with its place in the framework and both parties' roles."""

    iri: str
    identifier: str
    title: str
    content: str
    pillar: Concept | None
    category: Concept | None  # the first of ``categories`` in framework order (None when it has none)
    central_role: Role | None
    partner_role: Role | None
    categories: tuple[Concept, ...] = ()  # every category: a title enumerating items may name several

    def __post_init__(self) -> None:
        if self.category is not None and not self.categories:  # made with one category only
            object.__setattr__(self, "categories", (self.category,))

    @property
    def lead(self) -> Lead:
        """Who leads it according to the roles' wording (renkei:lead)."""
        c = self.central_role is not None and self.central_role.lead
        p = self.partner_role is not None and self.partner_role.lead
        return "both" if c and p else "central" if c else "partner" if p else "none"


@dataclass(frozen=True)
class Agreement:
    """An agreement as the comparison sees it: who, when, and its initiatives in printed order."""

    iri: str
    key: str
    title: str
    date: str
    central: Party
    partner: Party
    area: str | None
    area_name: str | None
    initiatives: tuple[Initiative, ...]


@dataclass(frozen=True)
class Row:
    """One line of the comparison: an aligned pair, or an initiative only one side has."""

    match: Match
    a: Initiative | None
    b: Initiative | None
    similarity: float | None = None
    diffs: dict[str, list[Segment]] = field(default_factory=dict)
    on: Concept | None = None  # the category a pair was aligned on (one both share, or related ones)

    @property
    def pillar(self) -> Concept | None:
        """The pillar of the row's initiatives (both sides share it when paired by title)."""
        return (self.a.pillar if self.a and self.a.pillar else None) or (self.b.pillar if self.b else None)

    @property
    def category(self) -> Concept | None:
        """The category the row is aligned on, or the first category a side has (None when neither has)."""
        return self.on or (self.a.category if self.a else None) or (self.b.category if self.b else None)

    @property
    def concept(self) -> Concept | None:
        """Where the row sits in the framework: its category, else its pillar."""
        return self.category or self.pillar

    @property
    def lead_differs(self) -> bool:
        return self.a is not None and self.b is not None and self.a.lead != self.b.lead


@dataclass(frozen=True)
class Comparison:
    """Two agreements and their aligned rows, ordered by framework notation."""

    a: Agreement
    b: Agreement
    rows: tuple[Row, ...]

    def categories(self, side: Literal["a", "b"]) -> list[str]:
        """Notations of the categories an agreement's initiatives fall under, in framework order."""
        ag = self.a if side == "a" else self.b
        return sorted({c.notation for i in ag.initiatives for c in i.categories}, key=notation_key)

    @property
    def shared_categories(self) -> list[str]:
        b = set(self.categories("b"))
        return [c for c in self.categories("a") if c in b]

    @property
    def only_a_categories(self) -> list[str]:
        b = set(self.categories("b"))
        return [c for c in self.categories("a") if c not in b]

    @property
    def only_b_categories(self) -> list[str]:
        a = set(self.categories("a"))
        return [c for c in self.categories("b") if c not in a]


def notation_key(notation: str) -> tuple[tuple[int, str], ...]:
    """Sort key for framework notations: '3.A.10' after '3.A.9', '2.z' after '2.c'.

    >>> sorted(["3.A.10", "3.A.9", "1", "2.z", "2.c"], key=notation_key)
    ['1', '2.c', '2.z', '3.A.9', '3.A.10']
    """
    return tuple((int(p), "") if p.isdigit() else (1 << 30, p) for p in notation.split("."))
