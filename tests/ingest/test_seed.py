"""The founding agreement (郡山市–二本松市, T1), checked by SPARQL as users will query it (issue 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.ingest import IngestResult

from .helpers import AGREEMENT, SEED, ask, select

EXPECTED_CATEGORIES = {
    "1-(1)": "1.a", "1-(2)": "1.b", "1-(3)": "1.c", "1-(4)": "1.d",
    "2-(1)": "2.a", "2-(2)": "2.b", "2-(3)": "2.c",
    "3-(1)": "3.A.1", "3-(2)": "3.A.4", "3-(3)": "3.A.5", "3-(4)": "3.A.6", "3-(5)": "3.A.7",
    "3-(6)": "3.A.8", "3-(7)": "3.B.1", "3-(8)": "3.B.2", "3-(9)": "3.B.3", "3-(10)": "3.B.4",
    "3-(11)": "3.B.5", "3-(12)": "3.C",
}


def test_seed_is_read_as_layout_t1_into_its_named_graph(seed: IngestResult) -> None:
    assert seed.layout == "T1" and seed.source == SEED.name
    assert str(seed.agreement) == AGREEMENT
    assert str(seed.graph_name) == "https://w3id.org/renkei/graph/agreement/072036-072109-2019-10-18"
    assert seed.graph.identifier == seed.graph_name


def test_seed_parties_and_central_city(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?code ?central WHERE {
        ?a a renkei:Agreement ; renkei:party ?p .
        BIND(STRAFTER(STR(?p), "municipality/") AS ?code)
        BIND(EXISTS { ?a renkei:centralCity ?p } AS ?central) } ORDER BY ?code""")
    assert rows == [("072036", True), ("072109", False)]


def test_seed_date_title_and_area(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?date ?printed ?title ?cover ?area ?areaName WHERE {
        ?a a renkei:Agreement ; eli:date_document ?date ; renkei:printedDate ?printed ;
           dct:title ?title ; dct:alternative ?cover ;
           renkei:area ?area ; renkei:areaName ?areaName }""")
    assert rows == [(dt.date(2019, 10, 18), "令和元年10月18日",
                     "郡山市と二本松市との連携中枢都市圏形成に係る連携協約",
                     "連携中枢都市圏形成に係る連携協約",
                     "https://w3id.org/renkei/id/area/koriyama", "こおりやま広域連携中枢都市圏")]


def test_seed_legal_basis_is_local_autonomy_act_252_2_1(seed: IngestResult) -> None:
    assert ask(seed.graph, """ASK { ?a eli:based_on
        <https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/1> }""")


def test_seed_articles_and_headings(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?n ?heading WHERE {
        ?a a renkei:Agreement ; eli:has_part ?art . ?art a renkei:Article ; renkei:number ?n ;
        renkei:heading ?heading ; eli:is_part_of ?a } ORDER BY ?n""")
    assert rows == [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用分担"), (5, "協議"),
                    (6, "協約の変更及び廃止")]


def test_seed_article_text_is_exactly_as_printed(seed: IngestResult) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    rows = dict(select(seed.graph, "SELECT ?n ?text WHERE { ?x a renkei:Article ; renkei:number ?n ; "
                                   "renkei:text ?text }"))
    assert rows[1] == lines[14].removeprefix("第1条 ")
    assert rows[3] == lines[22].removeprefix("第3条 ") + "\n" + lines[24]
    assert rows[6] == lines[36].removeprefix("第6条 ")


def test_seed_article_3_has_two_paragraphs(seed: IngestResult) -> None:
    rows = select(seed.graph, f"""SELECT ?n ?text ?first WHERE {{
        <{AGREEMENT}/article/3> eli:has_part ?p . ?p a renkei:Paragraph ; renkei:number ?n ;
        renkei:text ?text ; prov:wasDerivedFrom/renkei:firstLine ?first }} ORDER BY ?n""")
    assert [(n, first) for n, _, first in rows] == [(1, 23), (2, 25)]
    assert rows[1][1].startswith("前項の取組に基づき")  # the paragraph's text omits its number


def test_seed_preamble_and_closing_formula(seed: IngestResult) -> None:
    [(preamble, closing)] = select(seed.graph, "SELECT ?p ?c WHERE { ?a renkei:preamble ?p ; "
                                               "renkei:closingFormula ?c }")
    assert preamble.startswith("郡山市及び二本松市は、こおりやま広域連携中枢都市圏（以下「圏域」という。）")
    assert preamble.endswith("次のとおり連携協約を締結する。")
    assert closing == ("この連携協約の締結を証するため、本連携協約書2通を作成し、"
                       "郡山市及び二本松市が記名押印の上、"
                       "それぞれ各1通を保有する。")


def test_seed_signatories_as_printed_and_identified(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?code ?title ?name ?person ?source WHERE {
        ?a renkei:signatory ?s . ?s renkei:onBehalfOf ?m ; renkei:printedTitle ?title ;
        renkei:printedName ?name ; renkei:identifiedAs ?person ; dct:source ?source .
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } ORDER BY ?code""")
    assert rows == [
        ("072036", "郡山市長", "品川 萬里", "https://w3id.org/renkei/id/person/shinagawa-masato",
         "https://en.wikipedia.org/wiki/K%C5%8Driyama"),
        ("072109", "二本松市長", "三保、忠一", "https://w3id.org/renkei/id/person/miho-keiichi",
         "https://ja.wikipedia.org/wiki/三保恵一"),
    ]


def test_seed_identification_note_only_where_print_and_registry_differ(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?code (LANG(?note) AS ?lang) ?note WHERE {
        ?s renkei:onBehalfOf ?m ; renkei:identificationNote ?note .
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } ORDER BY ?lang""")
    assert [(code, lang) for code, lang, _ in rows] == [("072109", "en"), ("072109", "ja")]
    assert all("三保、忠一" in note and "三保恵一" in note for _, _, note in rows)


def test_seed_annex_has_three_sections_of_4_3_12_initiatives(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?n ?pillar (COUNT(?i) AS ?count) WHERE {
        ?annex a renkei:Annex ; eli:has_part ?s . ?s a renkei:AnnexSection ; renkei:number ?n ;
        renkei:pillar ?pillar ; eli:has_part ?i . ?i a renkei:Initiative }
        GROUP BY ?n ?pillar ORDER BY ?n""")
    assert rows == [(1, "https://w3id.org/renkei/id/framework/1", 4),
                    (2, "https://w3id.org/renkei/id/framework/2", 3),
                    (3, "https://w3id.org/renkei/id/framework/3", 12)]


def test_seed_initiative_3_8_keeps_number_apart_and_text_verbatim(seed: IngestResult) -> None:
    rows = select(seed.graph, f"""SELECT ?id ?n ?title ?content ?pillar ?first ?last WHERE {{
        <{AGREEMENT}/initiative/3-8> dct:identifier ?id ; renkei:number ?n ; dct:title ?title ;
        renkei:content ?content ; renkei:pillar ?pillar ;
        prov:wasDerivedFrom [ renkei:firstLine ?first ; renkei:lastLine ?last ] }}""")
    assert rows == [("3-(8)", 8, "I C T インフラの整備",
                     "I C T プラットフォームの構築や I C T の効果的な利活用に取り組む。",
                     "https://w3id.org/renkei/id/framework/3", 87, 87)]


@pytest.mark.parametrize(("ref", "words"), [
    ("1-1", "一体となつた"), ("3-3", "あり方にに関する"), ("3-8", "I C T"),
])
def test_seed_quirks_stay_as_printed(seed: IngestResult, ref: str, words: str) -> None:
    texts = select(seed.graph, f"""SELECT ?t WHERE {{ {{ <{AGREEMENT}/initiative/{ref}> renkei:content ?t }}
        UNION {{ <{AGREEMENT}/initiative/{ref}> renkei:role/renkei:text ?t }} }}""")
    assert any(words in t for (t,) in texts)


def test_seed_every_initiative_has_two_roles_and_koriyama_leads_all(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?i (COUNT(?r) AS ?roles) (SUM(IF(?lead, 1, 0)) AS ?leads)
        (SAMPLE(?leader) AS ?who) WHERE {
        ?a renkei:initiative ?i . ?i renkei:role ?r . ?r renkei:actor ?actor ; renkei:text ?t ;
        renkei:lead ?lead . BIND(IF(?lead, ?actor, ?unbound) AS ?leader) } GROUP BY ?i""")
    assert len(rows) == 19
    assert {(roles, leads, who) for _, roles, leads, who in rows} == {
        (2, 1, "https://w3id.org/renkei/id/municipality/072036")}


def test_seed_categories_follow_the_framework(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?id ?notation WHERE { ?i a renkei:Initiative ;
        dct:identifier ?id ; renkei:category ?c . BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }""")
    found: dict[str, set[str]] = {}
    for identifier, notation in rows:
        found.setdefault(str(identifier), set()).add(str(notation))
    # 3-(1) 「地域医療・福祉・子育ての充実」 enumerates three items: every category it names (issue 9).
    assert found == {k: {v} for k, v in EXPECTED_CATEGORIES.items()} | {"3-(1)": {"3.A.1", "3.A.3"}}


def test_seed_categories_say_why_they_were_derived(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?notation ?label ?field ?rule WHERE {
        ?i dct:identifier "3-(1)" ; renkei:categoryMatch ?m . ?m renkei:matchedConcept ?c ;
        renkei:matchedLabel ?label ; renkei:matchedIn ?field ; prov:wasGeneratedBy ?act .
        ?act a prov:Activity ; dct:description ?rule . FILTER(lang(?rule) = "en")
        BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }""")
    assert sorted((n, label, f) for n, label, f, _ in rows) == [("3.A.1", "地域医療", "title"),
                                                               ("3.A.3", "福祉", "title")]
    assert all("longest label" in str(rule) for *_, rule in rows)


def test_seed_lead_flags_say_which_wording_made_them(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?w (COUNT(?r) AS ?n) WHERE { ?r renkei:lead true ; renkei:leadWording ?w }
        GROUP BY ?w""")
    assert sum(n for _, n in rows) == 19 and all(w in ("主体的に", "中心となって", "中心的な役割", "主導")
                                                for w, _ in rows)


def test_seed_source_document_provenance(seed: IngestResult) -> None:
    import hashlib

    [(title, sha, encoding, count)] = select(seed.graph, """SELECT ?title ?sha ?enc ?n WHERE {
        ?a a renkei:Agreement ; prov:wasDerivedFrom ?doc . ?doc a renkei:SourceDocument ;
        dct:title ?title ; renkei:sha256 ?sha ; renkei:encoding ?enc ; renkei:lineCount ?n }""")
    data = SEED.read_bytes()
    assert (title, sha, encoding, count) == (SEED.name, hashlib.sha256(data).hexdigest(), "UTF-8",
                                             len(data.decode().splitlines()))


def test_seed_every_part_points_to_its_source_lines(seed: IngestResult) -> None:
    missing = select(seed.graph, """SELECT ?x WHERE {
        ?x a ?type . VALUES ?type { renkei:Article renkei:Paragraph renkei:Annex renkei:AnnexSection
                                    renkei:Initiative renkei:Role renkei:Signatory }
        FILTER NOT EXISTS { ?x prov:wasDerivedFrom [ a renkei:SourceExcerpt ; renkei:firstLine ?f ;
                            renkei:lastLine ?l ; renkei:sourceDocument ?doc ] } }""")
    assert missing == []
    [(first, last)] = select(seed.graph, f"""SELECT ?f ?l WHERE {{ <{AGREEMENT}/signatory/072109>
        prov:wasDerivedFrom [ renkei:firstLine ?f ; renkei:lastLine ?l ] }}""")
    assert (first, last) == (51, 55)


def test_seed_graph_has_no_blank_nodes(seed: IngestResult) -> None:
    assert not ask(seed.graph, "ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }")


def test_seed_english_label_is_marked_as_our_translation(seed: IngestResult) -> None:
    rows = select(seed.graph, """SELECT ?label ?note WHERE { ?a a renkei:Agreement ; rdfs:label ?label ;
        skos:editorialNote ?note FILTER(LANG(?label) = "en" && LANG(?note) = "en") }""")
    assert rows == [("Cooperation agreement between Koriyama City and Nihonmatsu City (2019-10-18)",
                     "The English label is the project's translation, not an official title.")]
