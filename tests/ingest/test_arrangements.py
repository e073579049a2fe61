"""Issue 9, "Done when": the same agreement printed in each arrangement of point 1 gives the same graph
except layout and provenance.

``tests/data/ingest/arrangements/`` holds one composed agreement (郡山市–須賀川市, 平成31年1月23日,
twelve initiatives over the three pillars; real parties and date, composed wording) printed as

    a  T1: the column header under each pillar heading (the founding agreement's arrangement)
    b  T1: the column header printed once, above the first pillar heading
    c  T1: the column header under each pillar heading and again at each page break (mid-pillar)
    d1 pillar headings 「（１） 圏域全体の…」, d2 「第1 …」, d3 「① …」, none with 「…に関する取組」
    e  T3: one 別表第N per pillar, named in 第3条 (1)–(3)
    f  T2: pillars as a 分野 column, with a 基本方針 column
    g  T4: role columns headed 「〈市〉の役割分担及び費用分担」, the pillar headings between the rows
    h  a 例規集 page whose 別表 is one <table>, pillar headings as colspan rows, header printed once
    i  I1: no 別表, the initiatives inline in 第3条 ((1) pillar → a title → (a) 取組内容 / (b) 役割分担)

What may differ: renkei:layout, provenance (prov:wasDerivedFrom, source document and excerpts), the
annex / section / article structure that holds the initiatives, and the IRIs and identifiers that
embed it (1-(1) against 1-a or 1-1). Everything else is compared by content: the initiatives as
(pillar, title, content, roles by actor with text and lead, categories), the articles, the parties,
the date, the signatories. 第3条 necessarily differs in wording where it names 別表第1–3 or holds the
initiatives itself, so only its number and heading are compared.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import PROV

from kg.ingest import IngestResult, ingest_file
from kg.settings import Settings

from .helpers import DATA, select

ARRANGEMENTS = DATA / "arrangements"
KEY = "072036-072079-2019-01-23"
REFERENCE = "a-t1-header-per-pillar.txt"
LAYOUT = {
    "a-t1-header-per-pillar.txt": "T1",
    "b-t1-header-once.txt": "T1",
    "c-t1-header-per-page.txt": "T1",
    "d1-t1-headings-paren.txt": "T1",
    "d2-t1-headings-dai.txt": "T1",
    "d3-t1-headings-circled.txt": "T1",
    "e-t3-separate-annexes.txt": "T3",
    "f-t2-field-policy-columns.txt": "T2",
    "g-t4-cost-sharing-columns.txt": "T4",
    "h-page-one-table.html": "T1",
    "i-i1-inline-ladder.txt": "I1",
}
ARTICLES = [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用分担"), (5, "協議"),
            (6, "協約の変更及び廃止")]

Role = tuple[str, str, bool]  # actor code, text, lead
Initiative = tuple[str, str, str | None, frozenset[Role], frozenset[str]]


def test_every_arrangement_is_here() -> None:
    assert sorted(p.name for p in ARRANGEMENTS.iterdir()) == sorted(LAYOUT)


@pytest.fixture(scope="module")
def reference() -> IngestResult:
    return ingest_file(ARRANGEMENTS / REFERENCE, Settings())


@pytest.fixture(scope="module", params=sorted(set(LAYOUT) - {REFERENCE}))
def arrangement(request: pytest.FixtureRequest) -> tuple[str, IngestResult]:
    return request.param, ingest_file(ARRANGEMENTS / request.param, Settings())


def initiatives(result: IngestResult) -> set[Initiative]:
    """The agreement's initiatives by content, whatever holds them and whatever their IRIs."""
    g = result.graph
    out: set[Initiative] = set()
    for i, pillar, title in select(g, """SELECT ?i ?pillar ?title WHERE { ?a renkei:initiative ?i .
            ?i dct:title ?title ; renkei:pillar ?p . BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) }"""):
        contents = [c for (c,) in select(g, f"SELECT ?c WHERE {{ <{i}> renkei:content ?c }}")]
        roles = frozenset(
            (code, text, bool(lead)) for code, text, lead in select(g, f"""SELECT ?code ?t ?lead WHERE {{
                <{i}> renkei:role ?r . ?r renkei:actor ?m ; renkei:text ?t . OPTIONAL {{ ?r renkei:lead ?lead }}
                BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }}"""))
        categories = frozenset(n for (n,) in select(g, f"""SELECT ?n WHERE {{ <{i}> renkei:category ?c .
            BIND(STRAFTER(STR(?c), "framework/") AS ?n) }}"""))
        assert len(contents) <= 1
        out.add((pillar, title, contents[0] if contents else None, roles, categories))
    return out


def articles(result: IngestResult) -> list[tuple[int, str, str | None]]:
    """(number, heading, text) of every article; 第3条's text is left out (it names where the initiatives are)."""
    rows = select(result.graph, """SELECT ?n ?h ?t WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h ;
        renkei:text ?t } ORDER BY ?n""")
    return [(n, h, None if n == 3 else t) for n, h, t in rows]


def agreement(result: IngestResult) -> dict[str, object]:
    """What the agreement says of itself, beyond its articles and initiatives."""
    g, a = result.graph, result.agreement

    def values(path: str) -> list[object]:
        return sorted(str(v) for (v,) in select(g, f"SELECT ?v WHERE {{ <{a}> {path} ?v }}"))

    signatories = sorted(map(repr, select(g, """SELECT ?code ?title ?name WHERE {
        ?s renkei:onBehalfOf ?m ; renkei:printedTitle ?title OPTIONAL { ?s renkei:printedName ?name }
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }""")))
    return {"iri": str(a), "title": values("dct:title"), "date": values("eli:date_document"),
            "printed": values("renkei:printedDate"), "parties": values("renkei:party"),
            "central": values("renkei:centralCity"), "preamble": values("renkei:preamble"),
            "closing": values("renkei:closingFormula"), "area": values("renkei:area"),
            "signatories": signatories, "count": len(values("renkei:initiative"))}


def test_the_reference_arrangement_reads_as_its_text_says(reference: IngestResult) -> None:
    assert reference.layout == "T1"
    assert str(reference.agreement).endswith(f"/agreement/{KEY}")
    assert [(n, h) for n, h, _ in articles(reference)] == ARTICLES
    found = initiatives(reference)
    assert sorted(p for p, *_ in found) == ["1"] * 4 + ["2"] * 3 + ["3"] * 5
    assert all(c for _, _, c, _, _ in found) and {len(r) for *_, r, _ in found} == {2}
    leads = [code for *_, roles, _ in found for code, _, lead in roles if lead]
    assert (leads.count("072036"), leads.count("072079")) == (12, 1)
    categories = {title: sorted(c) for _, title, _, _, c in found}
    assert categories["地域医療・福祉・子育ての充実"] == ["3.A.1", "3.A.3"]
    assert categories["職員の合同研修"] == ["3.C"] and categories["広域観光の推進"] == ["1.d"]
    assert select(reference.graph, "SELECT ?d WHERE { ?a eli:date_document ?d }") == [(dt.date(2019, 1, 23),)]


def test_each_arrangement_records_its_layout_family(arrangement: tuple[str, IngestResult]) -> None:
    name, result = arrangement
    assert result.layout == LAYOUT[name]


def test_each_arrangement_gives_the_same_initiatives(reference: IngestResult,
                                                     arrangement: tuple[str, IngestResult]) -> None:
    _, result = arrangement
    want, got = initiatives(reference), initiatives(result)
    assert sorted(got - want, key=repr) == [] and sorted(want - got, key=repr) == []


def test_each_arrangement_gives_the_same_articles(reference: IngestResult,
                                                  arrangement: tuple[str, IngestResult]) -> None:
    _, result = arrangement
    assert articles(result) == articles(reference)


def test_each_arrangement_gives_the_same_agreement(reference: IngestResult,
                                                   arrangement: tuple[str, IngestResult]) -> None:
    _, result = arrangement
    assert agreement(result) == agreement(reference)


def test_nothing_but_layout_and_provenance_tells_them_apart(reference: IngestResult,
                                                            arrangement: tuple[str, IngestResult]) -> None:
    """Literals the graph holds, apart from provenance, layout and the structure that holds the rows."""
    _, result = arrangement

    def literals(r: IngestResult) -> set[tuple[str, str]]:
        g = r.graph
        skip = ("#layout", "#reading", "#sha256", "#lineCount", "#firstLine", "#lastLine", "#encoding", "#number",
                "/identifier", "/format")
        holders = {str(s) for (s,) in select(g, """SELECT ?s WHERE { { ?s a renkei:SourceDocument } UNION
            { ?s a renkei:SourceExcerpt } UNION { ?s a renkei:Annex } UNION { ?s a renkei:AnnexSection } UNION
            { ?s a renkei:Article } UNION { ?s a renkei:Paragraph } UNION { ?s a renkei:Item } }""")}
        # provenance: whatever prov:wasDerivedFrom points at, and what that points at (excerpts, selectors)
        todo, seen = list(g.objects(None, PROV.wasDerivedFrom)), set()
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(o for o in g.objects(node, None) if not isinstance(o, Literal))
        holders |= {str(node) for node in seen}
        return {(str(p), str(o)) for s, p, o in g
                if isinstance(o, Literal) and str(s) not in holders and not str(p).endswith(skip)}

    assert literals(result) == literals(reference)
