"""A signing date before the framework (2014-08-25) names the line the date is printed on (issue 9,
point 3), whether the text or the RDF made from it is validated."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from validate_inputs import SEED

from kg.ingest import ingest_file
from kg.settings import Settings
from kg.validation.locate import printed_date_line
from kg.validation.report import Report, Result
from kg.validation.validate import validate_graph, validate_path

EARLY = SEED.read_text(encoding="utf-8").replace("令和元年10月18日", "平成26年4月1日")
SIGNING_LINE = 41  # the date above the signatures; line 5 is the cover's


def _date_results(report: Report) -> list[Result]:
    return [r for r in report.results if r.shape_id == "AG-06-date-not-before-framework"]


def test_a_text_signed_before_the_framework_is_reported_at_the_date_line(tmp_path: Path) -> None:
    text = tmp_path / "early.txt"
    text.write_text(EARLY, encoding="utf-8")
    [result] = _date_results(validate_path(text, Settings()))
    assert (result.location.file, result.location.first_line) == (str(text), SIGNING_LINE)
    assert result.location.lines() == f"{text}:{SIGNING_LINE}"


def test_rdf_made_from_the_text_is_reported_at_the_date_line_of_the_text_beside_it(tmp_path: Path) -> None:
    text = tmp_path / "early.txt"
    text.write_text(EARLY, encoding="utf-8")
    rdf = tmp_path / "early.ttl"
    ingest_file(text, Settings()).graph.serialize(rdf, format="turtle")
    [result] = _date_results(validate_path(rdf, Settings()))
    assert result.location.first_line == SIGNING_LINE


def test_no_line_when_the_text_is_not_at_hand_or_has_changed(tmp_path: Path) -> None:
    text = tmp_path / "early.txt"
    text.write_text(EARLY, encoding="utf-8")
    graph = ingest_file(text, Settings()).graph
    text.write_text(EARLY + "\n", encoding="utf-8")  # another file now: its SHA-256 differs
    [result] = _date_results(validate_graph(graph, Settings(), source=str(tmp_path / "early.ttl")))
    assert result.location.first_line is None
    [agreement] = {r.focus for r in _date_results(validate_graph(graph, Settings()))}
    assert printed_date_line(graph, URIRef(agreement), tmp_path / "absent.ttl") is None
