"""Write data/reference/memberships.csv from the shared area registry (domain/areas.csv).

Each membership gets the member's 6-digit code from data/reference/municipalities.csv (a name
printed with its prefecture, 伊万里市(佐賀県), is looked up in that prefecture; otherwise in the
central city's prefecture first, then anywhere if the name is unique). A name that cannot be
resolved keeps an empty code and says so in `note`: we never invent a code. The rows of
domain/areas-additions.csv (same columns) follow those of areas.csv, and the corrections of
domain/areas-notes.md are applied here (issue 12, point 7):

- ``begins``: when the membership began, as far as the sources say: the agreement date, else a
  month the sources give for the area's formation (``2023-03``); a central city's membership
  begins with the area's first dated membership (a single-city area's, with its declaration).
- ``confirmed``: ``false`` where the sources do not confirm the row as a membership (れんけいこうち's
  11 municipalities supported only by a prefectural grant); the note says why.

Run:

    python scripts/import_area_registry.py [path/to/areas.csv]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.reference.tables import Municipality, load_registry  # noqa: E402

SRC = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "domain" / "areas.csv"
ADDITIONS = SRC.with_name("areas-additions.csv")
OUT = ROOT / "data" / "reference" / "memberships.csv"

#: Memberships the registry table lacks but a shared source states (domain/framework.md).
EXTRA = [
    {"area_name": "れんけいこうち広域都市圏", "member": "高知県", "agreement_date_if_known": "not found",
     "source_url": "https://city.kochi.kochi.jp/soshiki/2/renkeikochikeisei.html",
     "note": "a prefecture as a party: 高知市 concluded a 連携協約 with 高知県 (domain/framework.md)"},
]


#: Areas formed by a central city alone (domain/areas-notes.md): a central membership, no partner.
SINGLE_CITY = [
    {"area_name": "下関市連携中枢都市圏", "member": "下関市", "begins": "2015-09-30",
     "source_url": "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/renkeichusutoshiken/",
     "note": "a single-city area (「下関市の市域をもって」), declared 2015-09-30 (domain/areas-notes.md); "
             "no partner, so no 連携協約"},
]

#: れんけいこうち: the rows' own notes say 21 municipalities (高知市 included) take part; these are
#: supported only by a prefectural grant (domain/areas-notes.md): kept, flagged, not counted.
GRANT_ONLY = "県交付金で支援される"
GRANT_ONLY_NOTE = ("not confirmed as a member: supported only by a prefectural grant (県交付金); "
                   "the sources count 21 municipalities in the area, 高知市 included (domain/areas-notes.md)")


def resolve(reg, name: str, near: Municipality | None) -> tuple[Municipality | None, str]:
    m = re.fullmatch(r"(.+?)\((.+?[都道府県])\)", name)
    pref = m.group(2) if m else None
    name = m.group(1) if m else name
    found = reg.municipalities_named(name, pref)
    if len(found) > 1 and near is not None:
        same = [f for f in found if f.prefecture == near.prefecture]
        found = same or found
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"{name}: not in the MIC code list; code unknown"
    return None, f"{name}: ambiguous ({', '.join(f.code for f in found)}); code unknown"


def main() -> None:
    reg = load_registry(ROOT / "data" / "reference")
    slugs = {a.registry_name: a.slug for a in reg.areas.values()}
    rows = list(csv.DictReader(SRC.open(encoding="utf-8")))
    rows += list(csv.DictReader(ADDITIONS.open(encoding="utf-8")))
    out: list[dict[str, str]] = []
    centrals: dict[str, list[Municipality]] = {}
    for r in rows:
        slug = slugs[r["area_name"]]
        if slug in centrals:
            continue
        names = re.findall(r"[^\s・()]+?市", r["central_city"]) if "not stated" not in r["central_city"] else []
        centrals[slug] = []
        for n in names:
            mun, note = resolve(reg, n, None)
            if mun is None:
                raise SystemExit(f"central city {n} of {slug} unresolved: {note}")
            centrals[slug].append(mun)
            out.append({"area": slug, "code": mun.code, "name": mun.name, "role": "central",
                        "agreement_date": "", "date_note": "", "source": r["source_url"],
                        "note": "one of two central cities" if len(names) > 1 else "",
                        "begins": "", "confirmed": "true"})
    for r in SINGLE_CITY:
        slug = slugs[r["area_name"]]
        mun, note = resolve(reg, r["member"], None)
        if mun is None:
            raise SystemExit(f"central city {r['member']} of {slug} unresolved: {note}")
        centrals[slug] = [mun]
        out.append({"area": slug, "code": mun.code, "name": mun.name, "role": "central",
                    "agreement_date": "", "date_note": "", "source": r["source_url"], "note": r["note"],
                    "begins": r["begins"], "confirmed": "true"})
    for r in rows + EXTRA:
        slug = slugs[r["area_name"]]
        near = centrals[slug][0] if centrals[slug] else None
        mun, note = resolve(reg, r["member"], near)
        raw = r["agreement_date_if_known"]
        d = re.match(r"(\d{4}-\d\d-\d\d)", raw)
        role = "partner" if centrals[slug] else "member"
        if not centrals[slug]:
            note = "; ".join(filter(None, [note, "central city not stated in the retrieved source"]))
        month = re.search(r"= (\d{4}-\d\d)\b", raw)  # 「圏域形成 令和5年3月 = 2023-03」
        grant_only = GRANT_ONLY in raw
        out.append({"area": slug, "code": mun.code if mun else "", "name": mun.name if mun else r["member"],
                    "role": role, "agreement_date": d.group(1) if d else "",
                    "date_note": raw if raw != (d.group(1) if d else None) else "",
                    "source": r["source_url"],
                    "note": "; ".join(filter(None, [note, r.get("note", ""), GRANT_ONLY_NOTE if grant_only else ""])),
                    "begins": d.group(1) if d else month.group(1) if month else "",
                    "confirmed": "false" if grant_only else "true"})
    for row in out:  # a central city's membership begins with the area's first dated one
        if row["role"] == "central" and not row["begins"]:
            dated = [o["begins"] for o in out if o["area"] == row["area"] and o["begins"] and o["confirmed"] == "true"]
            row["begins"] = min(dated, default="")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    unknown = sum(1 for o in out if not o["code"])
    print(f"wrote {len(out)} memberships ({unknown} without a code) to {OUT}")


if __name__ == "__main__":
    main()
