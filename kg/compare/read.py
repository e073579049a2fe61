"""Read agreements, their parties and their initiatives from a :class:`~kg.compare.source.SparqlSource`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from kg.compare.model import Agreement, Concept, Initiative, Party, Role, notation_key
from kg.compare.source import PREFIXES, SparqlSource
from kg.errors import KgError, UnknownAgreementError
from kg.namespaces import Ids

__all__ = ["UnknownAgreementError", "agreement_keys", "broader_map", "read_agreement", "resolve"]


def agreement_keys(source: SparqlSource, ids: Ids) -> dict[str, str]:
    """Every agreement in the dataset: its key (``072036-072109-2019-10-18``) → its title."""
    prefix = str(ids.id("agreement/"))
    rows = source.query(PREFIXES + "SELECT ?a ?title { ?a a renkei:Agreement . "
                        "OPTIONAL { ?a dct:title ?title } }")
    return {r["a"].removeprefix(prefix): r.get("title", "") for r in rows}


def resolve(source: SparqlSource, ids: Ids, name: str) -> str:
    """The IRI of the agreement ``name`` (an IRI or a key); an unknown one is a KgError with close matches."""
    prefix = str(ids.id("agreement/"))
    known = agreement_keys(source, ids)
    key = name.strip().removeprefix(prefix).removeprefix("agreement/")
    if key in known:
        return prefix + key
    close = [k for k in known if name and (name in k or name in known[k])]
    close += [k for k in difflib.get_close_matches(key, list(known), n=5, cutoff=0.5) if k not in close]
    hint = ("; did you mean " + ", ".join(f"{k} ({known[k]})" for k in close[:5]) + "?") if close else (
        f"; the dataset has {len(known)} agreements (`kg query` lists them)")
    hint_ja = ("もしかして: " + "、".join(f"{k}（{known[k]}）" for k in close[:5])) if close else (
        f"データセットの協約は{len(known)}件です（`kg query` で一覧できます）。")
    raise UnknownAgreementError(f"no agreement {name!r} in the dataset{hint}", where=prefix + key,
                                ja=f"協約「{name}」はデータセットにありません。{hint_ja}",
                                fix="choose one of the dataset's agreements",
                                fix_ja="データセットにある協約から選んでください。")


_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _iriref(iri: str) -> str:
    """``<iri>`` for a query, refusing what could not be an IRI (SPARQL 1.1 §19.8, IRIREF)."""
    if not iri or _NOT_IN_IRIREF.search(iri):
        raise KgError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def broader_map(source: SparqlSource) -> dict[str, frozenset[str]]:
    """Each framework concept → every concept above it (``skos:broader+``)."""
    out: dict[str, set[str]] = {}
    # `?c skos:broader []` binds the start: Virtuoso refuses a transitive path with neither end bound.
    for r in source.query(PREFIXES + "SELECT DISTINCT ?c ?b { ?c skos:broader [] ; skos:broader+ ?b }"):
        out.setdefault(r["c"], set()).add(r["b"])
    return {c: frozenset(b) for c, b in out.items()}


def _concept(row: dict[str, str], var: str, broader: dict[str, frozenset[str]]) -> Concept | None:
    if var not in row:
        return None
    return Concept(row[var], row.get(var + "Notation", ""), row.get(var + "Label", ""),
                   broader.get(row[var], frozenset()))


def read_agreement(source: SparqlSource, ids: Ids, iri: str) -> Agreement:
    """An agreement with its parties and initiatives, read from ``source``."""
    me = _iriref(iri)
    head = source.query(PREFIXES + f"""
SELECT ?title ?date ?central ?centralCode ?centralName ?partner ?partnerCode ?partnerName ?area ?areaName {{
  {me} renkei:centralCity ?central ; renkei:party ?partner .
  FILTER (?partner != ?central)
  OPTIONAL {{ {me} dct:title ?title }}
  OPTIONAL {{ {me} eli:date_document ?date }}
  OPTIONAL {{ ?central renkei:localGovernmentCode ?centralCode }}
  OPTIONAL {{ ?central skos:prefLabel ?centralName FILTER (lang(?centralName) = "ja") }}
  OPTIONAL {{ ?partner renkei:localGovernmentCode ?partnerCode }}
  OPTIONAL {{ ?partner skos:prefLabel ?partnerName FILTER (lang(?partnerName) = "ja") }}
  OPTIONAL {{ {me} renkei:area ?area OPTIONAL {{ ?area skos:prefLabel ?areaName
              FILTER (lang(?areaName) = "ja") }} }}
}} ORDER BY ?partner LIMIT 1""")
    if not head:
        raise KgError("agreement has no central city and partner in the dataset", where=iri)
    h = head[0]
    central = Party(h["central"], h.get("centralCode", ""), h.get("centralName", h["central"]))
    partner = Party(h["partner"], h.get("partnerCode", ""), h.get("partnerName", h["partner"]))
    rows = source.query(PREFIXES + f"""
SELECT ?i ?id ?num ?title ?content ?pillar ?pillarNotation ?pillarLabel
       ?category ?categoryNotation ?categoryLabel ?actor ?roleText ?lead {{
  {me} renkei:initiative ?i .
  OPTIONAL {{ ?i dct:title ?title }}
  OPTIONAL {{ ?i dct:identifier ?id }}
  OPTIONAL {{ ?i renkei:number ?num }}
  OPTIONAL {{ ?i renkei:content ?content }}
  OPTIONAL {{ ?i renkei:pillar ?pillar . ?pillar skos:notation ?pillarNotation .
             OPTIONAL {{ ?pillar skos:prefLabel ?pillarLabel FILTER (lang(?pillarLabel) = "ja") }} }}
  OPTIONAL {{ ?i renkei:category ?category . ?category skos:notation ?categoryNotation .
             OPTIONAL {{ ?category skos:prefLabel ?categoryLabel FILTER (lang(?categoryLabel) = "ja") }} }}
  OPTIONAL {{ ?i renkei:role ?role . ?role renkei:actor ?actor .
             OPTIONAL {{ ?role renkei:text ?roleText }} OPTIONAL {{ ?role renkei:lead ?lead }} }}
}}""")
    return Agreement(
        iri=iri, key=iri.removeprefix(str(ids.id("agreement/"))), title=h.get("title", ""),
        date=h.get("date", ""), central=central, partner=partner, area=h.get("area"),
        area_name=h.get("areaName"), initiatives=_initiatives(rows, central, partner, broader_map(source)))


def _ordered(found: dict[str, Concept] | None) -> tuple[Concept, ...]:
    """Categories in framework order."""
    return tuple(sorted((found or {}).values(), key=lambda c: notation_key(c.notation)))


def _initiatives(rows: Iterable[dict[str, str]], central: Party, partner: Party,
                 broader: dict[str, frozenset[str]]) -> tuple[Initiative, ...]:
    """Fold one row per (initiative, role) into initiatives, in pillar and printed order."""
    by_iri: dict[str, dict[str, str]] = {}
    roles: dict[tuple[str, str], Role] = {}
    categories: dict[str, dict[str, Concept]] = {}
    for r in rows:
        by_iri.setdefault(r["i"], r)
        category = _concept(r, "category", broader)
        if category is not None:
            categories.setdefault(r["i"], {})[category.iri] = category
        if "actor" in r:
            roles[(r["i"], r["actor"])] = Role(r.get("roleText", ""), r.get("lead") in ("true", "1"))
    found = [Initiative(
        iri=i, identifier=r.get("id", ""), title=r.get("title", ""), content=r.get("content", ""),
        pillar=_concept(r, "pillar", broader), category=(found[0] if (found := _ordered(categories.get(i))) else None),
        central_role=roles.get((i, central.iri)), partner_role=roles.get((i, partner.iri)), categories=found,
    ) for i, r in by_iri.items()]

    def order(x: Initiative) -> tuple[object, ...]:
        num = by_iri[x.iri].get("num", "")
        return (notation_key(x.pillar.notation) if x.pillar else ((1 << 30, ""),),
                int(num) if num.isdigit() else 1 << 30, _natural(x.iri))

    return tuple(sorted(found, key=order))


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", text) if p)
