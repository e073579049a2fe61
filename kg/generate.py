"""Synthetic agreement texts for benchmarks and round-trip tests (never published data).

Agreements are drawn from the real registry (areas, central cities, their partners' prefectures)
and written in the published layouts, so that they go through the real ingester. Beside the
texts, ``manifest.json`` records what each text says (parties, date, initiatives with pillar,
category and who leads), so a test can check that ingesting gives back what was generated.

>>> from kg.settings import Settings
>>> corpus = plan(3, seed=1, settings=Settings())
>>> len(corpus), sorted({a.layout for a in corpus}) <= sorted(LAYOUTS)
(3, True)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.reference.tables import Municipality, load_registry
from kg.settings import Settings

__all__ = ["LAYOUTS", "Generated", "GeneratedInitiative", "era_date", "plan", "render", "write_corpus"]

#: Layouts the generator writes (docs: shared/domain/layouts.md).
LAYOUTS = ("T1", "T3", "I1")

#: Realistic initiative titles per framework category (several wordings each, as areas differ).
TITLES: dict[str, tuple[str, ...]] = {
    "1.a": ("産学金官民一体となった経済成長の推進体制の構築", "産学金官民一体となった経済戦略の推進"),
    "1.b": ("新規創業の促進及び地域産業の振興", "創業支援及び企業誘致の推進"),
    "1.c": ("地域資源を活用した地域経済の裾野拡大", "地場産品の販路拡大"),
    "1.d": ("戦略的な観光施策の推進", "広域観光の推進"),
    "2.a": ("高度な医療サービスの提供", "救急医療体制の充実"),
    "2.b": ("高度な中心拠点の整備・広域的公共交通網の構築", "広域的公共交通網の構築"),
    "2.c": ("高等教育・研究開発の環境整備",),
    "3.A.1": ("地域医療・福祉・子育ての充実", "地域医療の充実"),
    "3.A.4": ("教育・文化・スポーツの振興",),
    "3.A.5": ("広域的な土地利用の促進",),
    "3.A.6": ("地域振興",),
    "3.A.7": ("災害対策・住民の安全安心確保", "災害時の相互応援体制の構築"),
    "3.A.8": ("環境対策の推進",),
    "3.B.1": ("地域公共交通の充実",),
    "3.B.2": ("ICTインフラの整備",),
    "3.B.3": ("道路等の社会インフラの整備・維持",),
    "3.B.4": ("地域の生産者や消費者等の連携による地産地消",),
    "3.B.5": ("圏域内外の住民との交流・移住促進",),
    "3.C": ("圏域マネジメント能力の強化",),
    "3.C.1": ("職員の人材育成", "職員の人材育成及び交流"),
}
PILLAR_NAMES = {
    1: "圏域全体の経済成長のけん引",
    2: "高次の都市機能の集積・強化",
    3: "圏域全体の生活関連機能サービスの向上",
}
_ERAS = (("令和", dt.date(2019, 5, 1)), ("平成", dt.date(1989, 1, 8)))


@dataclass(frozen=True)
class GeneratedInitiative:
    pillar: int
    number: int
    title: str
    category: str
    partner_leads: bool


@dataclass(frozen=True)
class Generated:
    """One synthetic agreement: what its text says."""

    file: str
    layout: str
    area: str
    area_name: str
    central: str
    central_name: str
    partner: str
    partner_name: str
    date: str
    initiatives: list[GeneratedInitiative] = field(default_factory=list)


def era_date(d: dt.date) -> str:
    """令和元年10月18日 for 2019-10-18."""
    for era, start in _ERAS:
        if d >= start:
            year = d.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    raise ValueError(f"no era for {d}")


def _pairs(settings: Settings) -> list[tuple[str, str, Municipality, list[Municipality]]]:
    """(area slug, area name, central city, candidate partners) from the registry."""
    reg = load_registry(settings.data_path / "reference")
    out = []
    for slug, area in reg.areas.items():
        members = reg.members(slug)
        centrals = [reg.municipalities[m.code] for m in members if m.role == "central"]
        if not centrals:
            continue
        central = centrals[0]
        partners = [reg.municipalities[m.code] for m in members if m.role == "partner"
                    and reg.municipalities[m.code].kind != "prefecture"]
        # Beyond the real members: other towns of the central city's prefecture (a grown area).
        partners += [m for m in reg.municipalities.values() if m.prefecture == central.prefecture
                     and m.kind in ("city", "town", "village") and m.code != central.code and m not in partners]
        out.append((slug, area.name, central, partners))
    return out


def plan(n: int, *, seed: int = 0, settings: Settings,
         layouts: Sequence[str] = LAYOUTS) -> list[Generated]:
    """Decide ``n`` distinct agreements (deterministic for a seed)."""
    rng = random.Random(seed)
    pairs = _pairs(settings)
    seen: set[tuple[str, str, str]] = set()
    corpus: list[Generated] = []
    while len(corpus) < n:
        slug, area_name, central, partners = rng.choice(pairs)
        partner = rng.choice(partners)
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3650))
        key = (central.code, partner.code, date.isoformat())
        if key in seen:
            continue
        seen.add(key)
        initiatives = []
        for pillar in (1, 2, 3):
            cats = [c for c in TITLES if c.startswith(str(pillar))]
            chosen = sorted(rng.sample(cats, rng.randint(1, len(cats))), key=list(TITLES).index)
            for i, cat in enumerate(chosen, start=1):
                initiatives.append(GeneratedInitiative(pillar, i, rng.choice(TITLES[cat]), cat,
                                                       partner_leads=rng.random() < 0.05))
        layout = layouts[len(corpus) % len(layouts)]
        printed = partner.name
        if len(load_registry(settings.data_path / "reference").municipalities_named(partner.name)) > 1:
            printed = partner.prefecture + partner.name
        corpus.append(Generated(f"gen-{len(corpus):05d}-{layout.lower()}.txt", layout, slug, area_name,
                                central.code, central.name, partner.code, printed, date.isoformat(),
                                initiatives))
    return corpus


def _roles(g: Generated, ini: GeneratedInitiative, central: str, partner: str) -> tuple[str, str]:
    lead, follow = "に主体的に取り組む。", "に取り組む。"
    c = f"{partner}と連携して、{ini.title}" + (follow if ini.partner_leads else lead)
    p = f"{central}と連携して、{ini.title}" + (lead if ini.partner_leads else follow)
    return c, p


def _articles(a: str, b: str, article3: str, mayors: tuple[str, str]) -> list[str]:
    return [
        "（目的）", f"第1条 この連携協約は、{a}及び{b}が連携し、圏域の活力を維持することを目的とする。", "",
        "（基本方針）",
        f"第2条 {a}及び{b}は、次条に規定する取組について、相互に役割分担をして連携を図るものとする。", "",
        "（連携する取組等）", *article3.split("\n"), "",
        "（費用分担）", f"第4条 取組に要する費用の分担については、{a}及び{b}が協議して別に定める。", "",
        "（協議）", f"第5条 {mayors[0]}及び{mayors[1]}は、連携する取組について定期的に協議を行うものとする。", "",
    ]


def render(g: Generated) -> str:
    """The agreement text in its layout."""
    d = era_date(dt.date.fromisoformat(g.date))
    a, b = g.central_name, g.partner_name
    named = g.layout == "T1"
    ca, cb = (a, b) if named else ("甲", "乙")
    head = [f"{a}と{b}との連携中枢都市圏形成に係る連携協約", "", d, ""]
    party = (f"{a}及び{b}は" if named else f"{a}（以下「甲」という。）及び{b}（以下「乙」という。）は")
    head += [f"{party}、{g.area_name}を形成するため、地方自治法（昭和22年法律第67号）第252条の2第1項の規定により、"
             "次のとおり連携協約を締結する。", ""]
    by_pillar = {p: [i for i in g.initiatives if i.pillar == p] for p in (1, 2, 3)}
    if g.layout == "T1":
        art3 = f"第3条 {a}及び{b}が相互に連携する取組、当該取組の内容及び役割分担は、別表に掲げるとおりとする。"
    elif g.layout == "T3":
        items = [f"({p}) {PILLAR_NAMES[p]}に係る政策分野（別表第{p}）" for p in (1, 2, 3)]
        art3 = "\n".join(["第3条 甲及び乙が連携する取組並びに当該取組における甲及び乙の役割は、"
                          "別表第1から別表第3までに定めるとおりとする。", *items])
    else:
        lines = ["第3条 甲及び乙が連携を図る事務並びにその取組内容及び役割分担は、次のとおりとする。", ""]
        for p in (1, 2, 3):
            lines += [f"({p}) {PILLAR_NAMES[p]}", ""]
            for ini in by_pillar[p]:
                c, r = _roles(g, ini, ca, cb)
                letter = "abcdefghijklmnopqrstuvwxyz"[ini.number - 1]
                lines += [f"{letter} {ini.title}", "", "(a) 取組内容", "", f"{ini.title}に取り組む。", "",
                          "(b) 役割分担", "", "i 甲の役割", "", c, "", "ii 乙の役割", "", r, ""]
        art3 = "\n".join(lines).rstrip()
    body = head + _articles(ca, cb, art3, (f"{a}長", f"{b}長"))
    body += ["この連携協約の締結を証するため、本書2通を作成し、双方記名押印の上、各自1通を保有する。", "", d, "",
             f"{a}長", "", f"{b}長", ""]
    cols = f"取組\t内容\t{'甲' if not named else a}の役割\t{'乙' if not named else b}の役割"
    if g.layout == "T1":
        body += ["別表（第3条関係）", ""]
        for p in (1, 2, 3):
            body += [f"{p} {PILLAR_NAMES[p]}に関する取組", "", cols]
            for ini in by_pillar[p]:
                c, r = _roles(g, ini, ca, cb)
                body.append(f"({ini.number}) {ini.title}\t{ini.title}に取り組む。\t{c}\t{r}")
            body.append("")
    elif g.layout == "T3":
        for p in (1, 2, 3):
            body += [f"別表第{p}（第3条関係）　{PILLAR_NAMES[p]}に係る政策分野", "", cols]
            for ini in by_pillar[p]:
                c, r = _roles(g, ini, ca, cb)
                body.append(f"{ini.title}\t{ini.title}に取り組む。\t{c}\t{r}")
            body.append("")
    return "\n".join(body).rstrip() + "\n"


def write_corpus(out: Path, n: int, *, seed: int = 0, settings: Settings,
                 layouts: Sequence[str] = LAYOUTS) -> list[Generated]:
    """Write ``n`` texts and ``manifest.json`` into ``out``."""
    corpus = plan(n, seed=seed, settings=settings, layouts=layouts)
    out.mkdir(parents=True, exist_ok=True)
    for g in corpus:
        (out / g.file).write_text(render(g), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps([asdict(g) for g in corpus], ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return corpus
