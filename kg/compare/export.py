"""The comparison as JSON data and as CSV; the schema is documented in docs/compare.md."""

from __future__ import annotations

import csv
import io
from typing import Any

from kg.compare.model import Agreement, Comparison, Concept, Initiative, Party, Role

__all__ = ["CSV_COLUMNS", "SCHEMA_VERSION", "to_csv", "to_json"]

#: Version of the JSON and CSV shapes below.
SCHEMA_VERSION = 1

CSV_COLUMNS = (
    "match", "pillar", "category", "category_label", "similarity",
    "a_identifier", "b_identifier", "a_title", "b_title", "a_content", "b_content",
    "a_central_role", "b_central_role", "a_partner_role", "b_partner_role",
    "a_lead", "b_lead", "lead_differs", "a_iri", "b_iri",
)


def _concept_json(c: Concept | None) -> dict[str, str] | None:
    return None if c is None else {"iri": c.iri, "notation": c.notation, "label": c.label}


def _role_json(r: Role | None) -> dict[str, object] | None:
    return None if r is None else {"text": r.text, "lead": r.lead}


def _initiative_json(i: Initiative | None) -> dict[str, object] | None:
    if i is None:
        return None
    return {"iri": i.iri, "identifier": i.identifier, "title": i.title, "content": i.content,
            "pillar": _concept_json(i.pillar), "category": _concept_json(i.category),
            "categories": [_concept_json(c) for c in i.categories], "lead": i.lead,
            "central_role": _role_json(i.central_role), "partner_role": _role_json(i.partner_role)}


def _agreement_json(ag: Agreement) -> dict[str, object]:
    def party(p: Party) -> dict[str, str]:
        return {"iri": p.iri, "code": p.code, "name": p.name}

    return {"iri": ag.iri, "key": ag.key, "title": ag.title, "date": ag.date,
            "central": party(ag.central), "partner": party(ag.partner),
            "area": None if ag.area is None else {"iri": ag.area, "name": ag.area_name},
            "initiatives": len(ag.initiatives)}


def to_json(c: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data (schema: docs/compare.md)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "a": _agreement_json(c.a),
        "b": _agreement_json(c.b),
        "summary": {
            "shared_categories": c.shared_categories, "only_a_categories": c.only_a_categories,
            "only_b_categories": c.only_b_categories,
            "pairs": sum(r.a is not None and r.b is not None for r in c.rows),
            "only_a": sum(r.match == "only_a" for r in c.rows),
            "only_b": sum(r.match == "only_b" for r in c.rows),
            "lead_differs": sum(r.lead_differs for r in c.rows),
        },
        "rows": [{
            "match": r.match,
            "pillar": _concept_json(r.pillar),
            "category": _concept_json(r.category),
            "similarity": r.similarity,
            "a": _initiative_json(r.a),
            "b": _initiative_json(r.b),
            "lead": {"a": r.a.lead if r.a else None, "b": r.b.lead if r.b else None,
                     "differs": r.lead_differs},
            "diff": {name: [{"op": s.op, "text": s.text} for s in segs] for name, segs in r.diffs.items()}
                    or None,
        } for r in c.rows],
    }


def to_csv(c: Comparison) -> str:
    """The comparison as CSV, one line per row, texts as printed (no diff marks); CRLF per RFC 4180."""

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)

    def role(i: Initiative | None, which: str) -> str:
        r = None if i is None else getattr(i, which)
        return r.text if r else ""

    for r in c.rows:
        cat = r.category
        w.writerow([
            r.match, r.pillar.notation if r.pillar else "", cat.notation if cat else "",
            cat.label if cat else "", "" if r.similarity is None else f"{r.similarity:.3f}",
            r.a.identifier if r.a else "", r.b.identifier if r.b else "",
            r.a.title if r.a else "", r.b.title if r.b else "",
            r.a.content if r.a else "", r.b.content if r.b else "",
            role(r.a, "central_role"), role(r.b, "central_role"),
            role(r.a, "partner_role"), role(r.b, "partner_role"),
            r.a.lead if r.a else "", r.b.lead if r.b else "", "true" if r.lead_differs else "false",
            r.a.iri if r.a else "", r.b.iri if r.b else "",
        ])
    return out.getvalue()
