"""Framework alignment: each group's pillar and each initiative's category, from the SKOS scheme.

The rule (docs/framework.md): among the concepts under the initiative's pillar, the one whose
normalised ``skos:prefLabel``, ``skos:altLabel`` or ``skos:hiddenLabel`` occurs in the normalised
title wins, the longest label first and, on a tie, the earlier notation; failing the title, the
same in the content; else no category. The keywords live in ``ontology/framework.ttl``, never here.
A group's pillar is the top concept whose label occurs in the group's printed heading (longest
first), else the top concept with the group's printed number as notation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import IngestError, ProblemList, ReferenceDataError
from kg.ingest.normalise import key
from kg.ingest.structure import Group, InitiativeText

__all__ = ["Alignment", "Concept", "Framework", "Match", "align", "categories_of", "category_of", "load_framework",
           "pillar_of"]


@dataclass(frozen=True)
class Concept:
    """A framework concept: its notation and the matching keys of its Japanese labels."""

    notation: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    """The pillars (top concepts) and, per pillar, every concept below it in notation order."""

    pillars: tuple[Concept, ...]
    below: dict[str, tuple[Concept, ...]]


def _order(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of notations: 3.A.9 before 3.A.10, 3.A before 3.A.1."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in notation.split("."))


def _is_ja(label: Literal) -> bool:
    """True for a Japanese (or untagged) label: only those are matching keys."""
    return label.language is None or label.language.lower().startswith("ja")


@cache
def load_framework(path: Path) -> Framework:
    """Read the SKOS scheme at ``path`` (normally ontology/framework.ttl); cached per path."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as e:
        raise ReferenceDataError(f"cannot read the framework scheme: {e}", file=path) from e
    concepts: dict[URIRef, Concept] = {}
    for node in set(graph.subjects(SKOS.notation, None)):
        if not isinstance(node, URIRef):
            continue
        labels = [o for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                  for o in graph.objects(node, p)]
        keys = tuple(sorted({key(str(o)) for o in labels if isinstance(o, Literal) and _is_ja(o)},
                            key=lambda k: (-len(k), k)))
        concepts[node] = Concept(str(graph.value(node, SKOS.notation)), keys)
    tops = {t for t in graph.objects(None, SKOS.hasTopConcept) if isinstance(t, URIRef)}
    tops |= {t for t in graph.subjects(SKOS.topConceptOf, None) if isinstance(t, URIRef)}
    pillars = sorted((concepts[t] for t in tops if t in concepts), key=lambda c: _order(c.notation))
    if not pillars:
        raise ReferenceDataError("the framework scheme has no top concepts (pillars)", file=path)

    def narrower(node: URIRef) -> set[URIRef]:
        """Every concept below ``node``, by skos:narrower or skos:broader."""
        direct = {n for n in graph.objects(node, SKOS.narrower) if isinstance(n, URIRef)}
        direct |= {n for n in graph.subjects(SKOS.broader, node) if isinstance(n, URIRef)}
        return direct.union(*(narrower(n) for n in direct)) if direct else set()

    below = {}
    for top in tops:
        if top in concepts:
            found = [concepts[n] for n in narrower(top) if n in concepts]
            below[concepts[top].notation] = tuple(sorted(found, key=lambda c: _order(c.notation)))
    return Framework(tuple(pillars), below)


@dataclass(frozen=True)
class Match:
    """A category found for an initiative, and why: the label key that matched and where (title/content)."""

    concept: Concept
    label: str  # the normalised label (skos:prefLabel/altLabel/hiddenLabel key) found in the text
    field: str  # "title" or "content"


#: What separates the items of an enumerated title: 「地域医療・福祉・子育ての充実」, 「A及びB」.
_ENUMERATION = re.compile(r"・|、|及び|および|並びに|ならびに")


def _longest(concepts: tuple[Concept, ...], k: str) -> tuple[int, Concept, str] | None:
    """(length, concept, label) of the longest label key in ``k``; ties go to the earlier notation."""
    best: tuple[int, Concept, str] | None = None
    for concept in concepts:  # in notation order, so a strict > keeps the earlier one on a tie
        for label in concept.keys:
            if label and label in k and (best is None or len(label) > best[0]):
                best = (len(label), concept, label)
    return best


def _best(concepts: tuple[Concept, ...], text: str) -> Concept | None:
    """The concept with the longest label key found in ``text``; ties go to the earlier notation."""
    found = _longest(concepts, key(text))
    return found[1] if found else None


def _matches(concepts: tuple[Concept, ...], text: str, field: str) -> tuple[Match, ...]:
    """The categories ``text`` names: the longest match over the whole text, unless the text is an
    enumeration (「地域医療・福祉・子育ての充実」) whose items name different concepts, each of its own;
    then every one of them, in the order printed."""
    k = key(text)
    whole = _longest(concepts, k)
    if whole is None:
        return ()
    parts = [part for part in _ENUMERATION.split(k) if part]
    # An enumeration, unless one label spans its items (「高次の都市機能の集積・強化」 is one concept).
    if len(parts) > 1 and any(whole[2] in part for part in parts):
        found: list[Match] = []
        for part in parts:
            m = _longest(concepts, part)
            if m is not None and all(f.concept != m[1] for f in found):
                found.append(Match(m[1], m[2], field))
        if len(found) > 1:
            return tuple(found)
    return (Match(whole[1], whole[2], field),)


def pillar_of(framework: Framework, group: Group, file: str) -> Concept:
    """The pillar of ``group`` from its printed heading, else from its printed number."""
    found = _best(framework.pillars, group.heading)
    if found is None:
        found = next((p for p in framework.pillars if p.notation == str(group.number)), None)
    if found is None:
        names = "、".join(f"「{p.keys[0]}」" for p in framework.pillars if p.keys)
        raise IngestError(f"cannot tell which pillar 「{group.heading}」 belongs to (neither its wording "
                          f"nor its number {group.number} is one of the framework's pillars)",
                          file=file, line=group.span.first,
                          ja=f"「{group.heading}」がどの柱に当たるか分かりません（語句も番号{group.number}も、"
                             "連携中枢都市圏構想推進要綱の三つの柱のいずれでもありません）。",
                          fix=f"name the pillar as the framework does ({names}), or number it 1 to 3",
                          fix_ja=f"柱の名称を要綱のとおり（{names}）に記載するか、1から3の番号を付けてください。")
    return found


def categories_of(framework: Framework, pillar: Concept, initiative: InitiativeText) -> tuple[Match, ...]:
    """The finer concepts under ``pillar`` that the title, else the content, names; else none."""
    below = framework.below.get(pillar.notation, ())
    return _matches(below, initiative.title, "title") or _matches(below, initiative.content, "content")


def category_of(framework: Framework, pillar: Concept, initiative: InitiativeText) -> Concept | None:
    """The first category :func:`categories_of` finds, or None."""
    found = categories_of(framework, pillar, initiative)
    return found[0].concept if found else None


@dataclass(frozen=True)
class Alignment:
    """Per group of a reading, its pillar and, per initiative, its categories (none, one or several)."""

    pillars: tuple[Concept, ...]
    categories: tuple[tuple[tuple[Match, ...], ...], ...]
    #: (ja, en) for each group whose pillar came from its number, its wording naming none.
    notes: tuple[tuple[str, str], ...] = ()


def align(framework: Framework, groups: tuple[Group, ...], file: str) -> Alignment:
    """Align every group and initiative of a reading with the framework; every group's problem is reported."""
    problems = ProblemList(file)
    pillars: list[Concept] = []
    for g in groups:
        try:
            pillars.append(pillar_of(framework, g, file))
        except IngestError as e:
            problems.extend(e)
    problems.raise_if_any()
    categories = tuple(tuple(categories_of(framework, p, i) for i in g.initiatives)
                       for g, p in zip(groups, pillars, strict=True))
    notes = tuple((f"「{g.heading}」は要綱の柱の名称を含まないため、番号{g.number}から柱{p.notation}と読んだ。",
                   f"「{g.heading}」 names no pillar of the framework: read as pillar {p.notation} from its number "
                   f"{g.number}.") for g, p in zip(groups, pillars, strict=True)
                  if _best(framework.pillars, g.heading) is None)
    return Alignment(tuple(pillars), categories, notes)
