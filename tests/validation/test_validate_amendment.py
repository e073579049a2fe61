"""Amending agreements (「…連携協約の一部を変更する連携協約」): they are validated by their own rules
(AM, CH), not the agreement's, and a result names the change a clerk can find, and its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from validate_inputs import AMENDMENT, AMENDMENT_TEXT, FRESH_AMENDMENT_TEXT, PAGE, SHAPES_DATA

from kg.ingest import ingest_file
from kg.namespaces import ELI
from kg.settings import Settings
from kg.validation.report import Report, Severity
from kg.validation.validate import validate_graph, validate_path

PROLOGUE = (SHAPES_DATA / "prologue.rq").read_text(encoding="utf-8") + f"BASE <{AMENDMENT}/>\n"
#: Parts of the amended agreement, as the changes name them.
PARTS = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"


def _amendment(update: str = "") -> Graph:
    """The base amendment of the shape fixtures, changed by a SPARQL update."""
    g = Graph().parse(SHAPES_DATA / "base-amendment.ttl")
    if update:
        g.update(PROLOGUE + update)
    return g


def test_amendment_text_conforms_without_any_result(settings: Settings) -> None:
    report = validate_path(AMENDMENT_TEXT, settings)
    assert [(r.shape_id, r.location.text.en) for r in report.results] == []
    assert report.exit_code == 0


def test_amendment_that_cites_no_statute_conforms_with_a_warning(settings: Settings) -> None:
    # The fresh amendment of the T3 sample cites no provision (as some real ones do): legal.
    report = validate_path(FRESH_AMENDMENT_TEXT, settings)
    assert [(r.severity, r.shape_id) for r in report.results] == [(Severity.WARNING, "AM-14-legal-basis")]
    assert report.conforms


def test_amendment_without_the_agreement_it_amends_is_a_violation(settings: Settings) -> None:
    result = ingest_file(AMENDMENT_TEXT, settings)
    g = Graph()
    g += result.graph
    g.remove((result.agreement, ELI.amends, None))
    report = validate_graph(g, settings, source=str(AMENDMENT_TEXT))
    assert [r.shape_id for r in report.results] == ["AM-05-amends-one-agreement"]
    [violation] = report.results
    assert violation.location.text.ja == "変更協約全体"
    assert violation.location.file == str(AMENDMENT_TEXT)


def test_agreement_and_its_amendment_in_one_dataset_conform_without_any_result(settings: Settings) -> None:
    # Each rule keeps to its own target: the agreement's rules say nothing of the amendment and
    # the amendment's nothing of the agreement, even side by side (as in a dump).
    ds = Dataset()
    for name, file in (("agreement/072036-072109-2019-10-18", "base.ttl"),
                       ("amendment/072036-072109-2020-07-08", "base-amendment.ttl")):
        named = ds.graph(URIRef(f"https://w3id.org/renkei/graph/{name}"))
        for triple in Graph().parse(SHAPES_DATA / file):
            named.add(triple)
    assert [(r.shape_id, r.focus) for r in validate_graph(ds, settings).results] == []


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_reiki_page_is_ingested_then_validated(tmp_path: Path, suffix: str, settings: Settings) -> None:
    page = tmp_path / f"page{suffix}"
    shutil.copyfile(PAGE, page)
    report = validate_path(page, settings)
    assert report.conforms and report.source == str(page)


def _only(report: Report) -> tuple[str, str, str, int | None]:
    [result] = report.results
    return result.shape_id, result.location.text.ja, result.location.text.en, result.location.first_line


@pytest.mark.parametrize("update, expected", [
    ('DELETE WHERE { <change/1> renkei:text ?t }',
     ("CH-06-change-text", "変更第1号（別表3の(5)）", "change 1 (annex row 3-(5)) (変更第1号（別表3の(5)）)", 5)),
    ('DELETE WHERE { <change/2> renkei:oldText ?t }',
     ("CH-04-old-text", "変更第2号（別表3の(5) 二本松市の役割）",
      "change 2 (annex row 3-(5), role of Nihonmatsu City) (変更第2号（別表3の(5) 二本松市の役割）)", 7)),
    ('INSERT DATA { <change/3> renkei:newText ""@ja }',
     ("CH-05-new-text", "変更第3号（第5条第2項）", "change 3 (Article 5, paragraph 2) (変更第3号（第5条第2項）)", 9)),
    ('''DELETE WHERE { <change/3> renkei:changes ?t } ;
        INSERT DATA { <change/3> renkei:newText ""@ja ;
            renkei:changes <https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18/article/2/item/1> }''',
     ("CH-05-new-text", "変更第3号（第2条第1号）", "change 3 (Article 2, item 1) (変更第3号（第2条第1号）)", 9)),
    ('''DELETE WHERE { <change/1> renkei:text ?t ; renkei:oldText ?o } ;
        INSERT DATA { <change/1> renkei:text "別表第3の5の項中「災害対策」を「災害・感染症対策」に改める。"@ja }''',
     ("CH-04-old-text", "変更第1号（別表第3の5）", "change 1 (annex 3, row 5) (変更第1号（別表第3の5）)", 5)),
    ('''DELETE WHERE { <change/2> renkei:changes ?t } ;
        INSERT DATA { <change/2> renkei:changes
            <https://w3id.org/renkei/id/agreement/072036-072109-2021-01-01/article/4> }''',
     ("CH-03-part-of-the-amended-agreement", "変更第2号", "change 2 (変更第2号)", 7)),
    ('DELETE WHERE { am:072036-072109-2020-07-08 eli:date_applicability ?d }',
     ("AM-12-date-of-effect", "変更協約全体", "amending agreement (変更協約全体)", None)),
], ids=["row", "role", "paragraph", "item", "t3-row", "not-of-the-agreement", "amendment"])
def test_location_of_a_change_is_its_number_and_the_part_it_changes(
        update: str, expected: tuple[str, str, str, int | None], settings: Settings) -> None:
    report = validate_graph(_amendment(update), settings)
    assert _only(report) == expected
    assert report.results[0].location.file == "amendment-fixture.txt"


def test_location_of_a_change_uses_the_agreement_when_it_is_at_hand(settings: Settings) -> None:
    # With the agreement in the graph, the row is named as the agreement's own results name it.
    g = Graph().parse(SHAPES_DATA / "base.ttl")
    g += _amendment(f'''DELETE WHERE {{ <change/1> renkei:changes ?t ; renkei:text ?x }} ;
        INSERT DATA {{ <change/1> renkei:changes <{PARTS}/initiative/3-8> }}''')
    assert _only(validate_graph(g, settings)) == (
        "CH-06-change-text", "変更第1号（別表 3-(8)）", "change 1 (annex row 3-(8)) (変更第1号（別表 3-(8)）)", 5)


def test_amendment_validation_follows_a_configured_base_iri() -> None:
    # AM-06, AM-07, AM-11, AM-13 and CH-03 read the amended agreement's IRI under the base in use.
    text = (SHAPES_DATA / "base-amendment.ttl").read_text(encoding="utf-8")
    moved = text.replace("https://w3id.org/renkei/id/", "https://example.org/kg/id/")
    g = Graph().parse(data=moved, format="turtle")
    assert validate_graph(g, Settings(base_iri="https://example.org/kg/")).results == ()
    # The amended agreement (and the parts the changes name, below it) left under the default base.
    stale = moved.replace("https://example.org/kg/id/agreement/", "https://w3id.org/renkei/id/agreement/")
    report = validate_graph(Graph().parse(data=stale, format="turtle"), Settings(base_iri="https://example.org/kg/"))
    assert [r.shape_id for r in report.results] == ["AM-06-amended-agreement-iri"]
