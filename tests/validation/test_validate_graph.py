"""validate_graph / validate_path on the founding agreement and on what is not an agreement."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from validate_inputs import SEED, SHAPES_DATA

from kg.errors import InputError
from kg.settings import Settings
from kg.validation.report import Severity
from kg.validation.validate import validate_graph, validate_path


def test_founding_agreement_text_conforms(settings: Settings) -> None:
    report = validate_path(SEED, settings)
    assert report.conforms and report.exit_code == 0
    assert [r.shape_id for r in report.results if r.severity is Severity.VIOLATION] == []


def test_founding_agreement_leads_and_categories_raise_no_warning(settings: Settings) -> None:
    # All 19 lead roles are Koriyama's and nearly every row has a category (issue 2).
    report = validate_path(SEED, settings)
    assert not {"IN-09-central-city-leads", "IN-05-category"} & {r.shape_id for r in report.results}


def test_role_without_actor_is_a_violation_naming_the_annex_row(seed_without_actor: Graph,
                                                                 settings: Settings) -> None:
    report = validate_graph(seed_without_actor, settings)
    assert report.exit_code == 1
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert {r.shape_id for r in violations} == {"IN-08-one-role-per-party", "RO-01-role-actor"}
    for r in violations:
        assert "別表 3-(8)" in r.location.text.ja and "別表 3-(8)" in r.location.text.en
        assert "annex row 3-(8)" in r.location.text.en
    missing = next(r for r in violations if r.shape_id == "IN-08-one-role-per-party")
    assert missing.location.text.ja == "別表 3-(8) 二本松市の役割"
    assert missing.message.ja == "二本松市の役割がないか、二つ以上あります。"
    assert missing.message.en == "The role of Nihonmatsu City is missing or given more than once."


def test_result_points_at_the_source_line_of_the_annex_row(settings: Settings,
                                                           seed_without_actor: Graph) -> None:
    row = next(i for i, line in enumerate(SEED.read_text(encoding="utf-8").splitlines(), start=1)
               if line.startswith("(8) I C T インフラの整備"))
    report = validate_graph(seed_without_actor, settings, source=str(SEED))
    located = {(r.location.file, r.location.first_line)
               for r in report.results if r.severity is Severity.VIOLATION}
    assert located == {(str(SEED), row)}


def test_graph_without_an_agreement_is_unusable_input(settings: Settings) -> None:
    with pytest.raises(InputError, match="neither a renkei:Agreement nor a renkei:Amendment") as caught:
        validate_graph(Graph(), settings, source="empty.ttl")
    assert caught.value.exit_code == 2 and caught.value.file == "empty.ttl"


def test_dataset_is_validated_across_its_named_graphs(settings: Settings) -> None:
    base = Graph().parse(SHAPES_DATA / "base.ttl")
    ds = Dataset()
    named = ds.graph(URIRef("https://w3id.org/renkei/graph/agreement/072036-072109-2019-10-18"))
    for triple in base:
        named.add(triple)
    assert validate_graph(ds, settings).results == ()


def test_validate_graph_does_not_change_its_input(settings: Settings, seed_graph: Graph) -> None:
    before = len(seed_graph)
    validate_graph(seed_graph, settings)
    assert len(seed_graph) == before


def test_validation_follows_a_configured_base_iri() -> None:
    text = (SHAPES_DATA / "base.ttl").read_text(encoding="utf-8")
    g = Graph().parse(data=text.replace("https://w3id.org/renkei/id/", "https://example.org/kg/id/"),
                      format="turtle")
    assert validate_graph(g, Settings(base_iri="https://example.org/kg/")).results == ()
