"""The report's renderings: text in Japanese and English, JSON, and the SHACL report graph."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from validate_inputs import SHAPES_DATA

from kg.cli.validate import Lang, default_lang
from kg.namespaces import SH
from kg.settings import Settings
from kg.validation.report import Location, Report, Result, Severity, Text
from kg.validation.validate import validate_graph

PROLOGUE = (SHAPES_DATA / "prologue.rq").read_text(encoding="utf-8")


def _changed(update: str) -> Graph:
    g = Graph().parse(SHAPES_DATA / "base.ttl")
    g.update(PROLOGUE + update)
    return g


@pytest.fixture(scope="module")
def broken(settings_module: Settings) -> Report:
    """Article 2 without heading, the partner's role in 3-(8) without actor, no category, no English label."""
    return validate_graph(_changed("""
        DELETE WHERE { <article/2> renkei:heading ?h } ;
        DELETE WHERE { <initiative/3-8/role/072109> renkei:actor ?a } ;
        DELETE WHERE { <initiative/3-8> renkei:category ?c } ;
        DELETE WHERE { ag:072036-072109-2019-10-18 rdfs:label ?l }"""),
        settings_module, source="agreement.ttl")


@pytest.fixture(scope="module")
def settings_module() -> Settings:
    return Settings()


def test_results_are_listed_most_severe_first(broken: Report) -> None:
    ranks = [r.severity.rank for r in broken.results]
    assert ranks == sorted(ranks)
    assert {r.severity for r in broken.results} == set(Severity)


def test_text_report_in_japanese_names_the_article_and_the_annex_row(broken: Report) -> None:
    text = broken.to_text("ja")
    assert text.splitlines()[0] == "agreement.ttl: 不適合（違反 3件、警告 1件、情報 1件）"
    assert "fixture.txt:6-7: 違反 [AR-02-article-heading] 第2条: 条の見出しがちょうど一つ" in text
    assert "fixture.txt:12: 違反 [IN-08-one-role-per-party] 別表 3-(8) 二本松市の役割: " in text
    assert "    直し方: 条の直前の行に「（目的）」のように括弧で囲んだ見出しを一つ記載してください。" in text


def test_text_report_in_english_keeps_the_japanese_place_to_search_for(broken: Report) -> None:
    text = broken.to_text("en")
    assert text.splitlines()[0] == "agreement.ttl: does not conform (3 violations, 1 warning, 1 info)"
    assert ("fixture.txt:12: Violation [IN-08-one-role-per-party] annex row 3-(8), role of Nihonmatsu City "
            "(別表 3-(8) 二本松市の役割): The role of Nihonmatsu City is missing") in text
    assert "Info [IN-05-category] annex row 3-(8) (別表 3-(8)): No category of the framework fits" in text


def test_json_report_carries_the_same_results_in_both_languages(broken: Report) -> None:
    doc = json.loads(broken.to_json())
    assert (doc["source"], doc["conforms"], doc["exit_code"]) == ("agreement.ttl", False, 1)
    assert doc["counts"] == {"Violation": 3, "Warning": 1, "Info": 1}
    assert [r["shape_id"] for r in doc["results"]] == [r.shape_id for r in broken.results]
    first = doc["results"][0]
    assert set(first) == {"severity", "shape", "shape_id", "name", "message", "description", "focus", "path",
                          "value", "location"}
    assert set(first["message"]) == {"ja", "en"}
    assert set(first["location"]) == {"ja", "en", "file", "first_line", "last_line", "page"}
    assert json.loads(broken.to_json(indent=None)) == doc
    assert "\n" not in broken.to_json(indent=None)


def test_turtle_report_is_a_shacl_validation_report_with_our_labels(broken: Report) -> None:
    g = Graph().parse(data=broken.to_turtle(), format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) >= len(broken.results)
    for node in results:
        messages = {m.language for m in g.objects(node, SH.resultMessage)}
        assert messages == {"ja", "en"}, "pySHACL's untagged messages are replaced by ours"
        assert {label.language for label in g.objects(node, RDFS.label)} == {"ja", "en"}
        shape = g.value(node, SH.sourceShape)
        assert {n.language for n in g.objects(shape, SH.name)} == {"ja", "en"}
        assert {d.language for d in g.objects(shape, SH.description)} == {"ja", "en"}


def test_turtle_report_conforms_when_only_warnings_and_infos(settings_module: Settings) -> None:
    report = validate_graph(_changed("DELETE WHERE { <initiative/3-8> renkei:category ?c }"), settings_module)
    assert report.conforms and report.exit_code == 0 and len(report.results) == 1
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    assert g.value(next(g.subjects(RDF.type, SH.ValidationReport)), SH.conforms) == Literal(True)


def test_one_shape_failing_twice_on_the_same_value_is_listed_once(settings_module: Settings) -> None:
    # "0"^^xsd:string fails AR-01's sh:datatype and its sh:minInclusive: one line for the clerk,
    # both results in the SHACL report.
    report = validate_graph(_changed("""
        DELETE WHERE { <article/2> renkei:number ?n } ;
        INSERT DATA { <article/2> renkei:number "0" }"""), settings_module)
    assert [r.shape_id for r in report.results] == ["AR-01-article-number"]
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    assert len(list(g.subjects(RDF.type, SH.ValidationResult))) == 2


@pytest.mark.parametrize("update, ja, en", [
    ("DELETE WHERE { <article/1/paragraph/2> renkei:text ?t }", "第1条第2項",
     "Article 1, paragraph 2 (第1条第2項)"),
    ("DELETE WHERE { <article/2/item/1> renkei:text ?t }", "第2条第1号", "Article 2, item 1 (第2条第1号)"),
    ("DELETE WHERE { <initiative/3-8/role/072036> renkei:text ?t }", "別表 3-(8) 郡山市の役割",
     "annex row 3-(8), role of Koriyama City (別表 3-(8) 郡山市の役割)"),
    ("DELETE WHERE { <signatory/072109> renkei:onBehalfOf ?m }", "署名欄", "signature block (署名欄)"),
    ("DELETE WHERE { <signatory/072036> prov:wasDerivedFrom ?m }", "署名欄（郡山市）",
     "signature block of Koriyama City (署名欄（郡山市）)"),
    ("DELETE WHERE { ag:072036-072109-2019-10-18 dct:title ?t }", "協約全体", "agreement (協約全体)"),
], ids=["paragraph", "item", "role", "signature", "signature-of", "agreement"])
def test_location_is_a_place_a_clerk_can_find(update: str, ja: str, en: str,
                                              settings_module: Settings) -> None:
    report = validate_graph(_changed(update), settings_module)
    assert len(report.results) == 1
    assert (report.results[0].location.text.ja, report.results[0].location.text.en) == (ja, en)


def test_location_of_a_municipality_names_it_and_its_code(settings_module: Settings) -> None:
    report = validate_graph(_changed("""INSERT DATA { mu:072037 a renkei:Municipality , renkei:LocalGovernment ;
        skos:prefLabel "郡山市"@ja ; rdfs:label "Koriyama City"@en ;
        renkei:localGovernmentCode "072037" }"""),
        settings_module)
    [result] = report.results
    expected = Text("団体 郡山市（072037）",
                    "local government Koriyama City, code 072037 (団体 郡山市（072037）)")
    assert result.location == Location(expected)
    assert result.message.ja == "団体コード 072037 の検査数字（6桁目）が誤っています。"


def test_empty_report_conforms() -> None:
    report = Report(source=None, results=())
    assert (report.conforms, report.exit_code) == (True, 0)
    assert report.to_text("ja") == "グラフ: 適合（警告 0件、情報 0件）"


def test_a_single_violation_makes_the_exit_code_one() -> None:
    result = Result(Severity.VIOLATION, "https://w3id.org/renkei/shapes#AG-01-two-parties", Text("a", "b"),
                    Text("c", "d"), Text("e", "f"), "urn:x", None, None, Location(Text("g", "h")))
    report = Report(source="x.ttl", results=(result,))
    assert (report.conforms, report.exit_code) == (False, 1)
    assert report.to_text("en").splitlines() == [
        "x.ttl: does not conform (1 violation, 0 warnings, 0 infos)",
        "Violation [AG-01-two-parties] h: d",
        "    how to fix: f"]


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "ja_JP.UTF-8"}, Lang.ja),
    ({"LANG": "en_US.UTF-8"}, Lang.en),
    ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"}, Lang.en),
    ({"LANG": "C", "LC_MESSAGES": "ja_JP.eucJP"}, Lang.ja),
    ({}, Lang.en),
], ids=["LANG-ja", "LANG-en", "LC_ALL-wins", "LC_MESSAGES-wins", "unset"])
def test_default_language_follows_the_locale(env: dict[str, str], lang: Lang) -> None:
    assert default_lang(env) is lang
