"""kg.ingest.consolidate.in_force: an agreement as in force on a date, its amendments replayed in order."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from kg.errors import IngestError, UnknownAgreementError
from kg.ingest import IngestResult, ingest_bytes
from kg.ingest.consolidate import in_force
from kg.namespaces import ELI, RENKEI
from kg.settings import Settings

from .conftest import AMENDMENT

ROW = "/initiative/3-5"
BEFORE, ON = dt.date(2020, 7, 7), dt.date(2020, 7, 8)


def _row(view: Graph, agreement: URIRef) -> dict[str, object]:
    """Title, content and each role's text and lead of row 3-(5)."""
    row = URIRef(f"{agreement}{ROW}")
    roles = {str(r).rsplit("/", 1)[-1]: (str(view.value(r, RENKEI.text)), view.value(r, RENKEI.lead).toPython())
             for r in view.objects(row, RENKEI.role)}
    return {"title": str(view.value(row, DCTERMS.title)), "content": str(view.value(row, RENKEI.content)),
            **roles}


def test_the_day_before_it_takes_effect_the_row_reads_as_signed(dataset: Dataset, agreement: IngestResult) -> None:
    assert _row(in_force(dataset, agreement.agreement, BEFORE), agreement.agreement) == {
        "title": "災害対策・住民の安全安心確保",
        "content": "災害に備えた相互応援体制の構築や、住民の暮らしの安全安心確保に向けた各種対策に取り組む。",
        "072036": ("二本松市と連携して、災害対策・住民の安全安心の確保に主体的に取り組む。", True),
        "072109": ("郡山市と連携して、災害対策・住民の安全安心の確保に取り組む。", False)}


def test_from_the_day_it_takes_effect_the_row_reads_as_amended(dataset: Dataset, agreement: IngestResult) -> None:
    assert _row(in_force(dataset, agreement.agreement, ON), agreement.agreement) == {
        "title": "災害・感染症対策・住民の安全安心確保",
        "content": "災害や感染症に備えた相互応援体制の構築や、住民の暮らしの安全安心確保に向けた各種対策に取り組む。",
        "072036": ("二本松市と連携して、災害・感染症対策・住民の安全安心の確保に主体的に取り組む。", True),
        "072109": ("郡山市と連携して、災害・感染症対策・住民の安全安心の確保に取り組み、感染症の拡大時には郡山市と"
                   "情報を共有する。", False)}


def test_the_view_says_which_amendments_it_applied_and_for_which_date(dataset: Dataset,
                                                                     agreement: IngestResult) -> None:
    a = agreement.agreement
    before, after = in_force(dataset, a, BEFORE), in_force(dataset, a, ON)
    assert list(before.objects(a, ELI.amended_by)) == []
    assert list(after.objects(a, ELI.amended_by)) == [
        URIRef("https://w3id.org/renkei/id/amendment/072036-072109-2020-07-08")]
    assert after.value(a, ELI.version_date) == Literal("2020-07-08", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))
    changed = {str(c).rsplit("/", 1)[-1] for c in after.objects(URIRef(f"{a}{ROW}"), ELI.amended_by)}
    assert changed == {"1", "2"}


def test_before_any_amendment_the_view_is_the_agreement_graph(dataset: Dataset, agreement: IngestResult) -> None:
    view = in_force(dataset, agreement.agreement, BEFORE)
    view.remove((agreement.agreement, ELI.version_date, None))
    assert isomorphic(view, agreement.graph)


def test_the_data_it_reads_is_not_modified(dataset: Dataset, agreement: IngestResult) -> None:
    before = sorted(dataset.serialize(format="nquads").splitlines())
    in_force(dataset, agreement.agreement, ON)
    assert sorted(dataset.serialize(format="nquads").splitlines()) == before


def test_a_store_a_dataset_and_a_plain_graph_give_the_same_view(dataset: Dataset, agreement: IngestResult,
                                                                amendment: IngestResult) -> None:
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    merged = Graph()
    merged += agreement.graph
    merged += amendment.graph
    views = [in_force(source, agreement.agreement, ON) for source in (dataset, store, merged)]
    assert isomorphic(views[0], views[1]) and isomorphic(views[0], views[2])


def test_the_key_or_the_iri_string_name_the_agreement(dataset: Dataset, agreement: IngestResult) -> None:
    assert isomorphic(in_force(dataset, str(agreement.agreement), ON), in_force(dataset, agreement.agreement, ON))


def test_an_unknown_agreement_is_refused(dataset: Dataset) -> None:
    with pytest.raises(UnknownAgreementError, match="072036-072109-2019-10-19"):
        in_force(dataset, "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-19", ON)


def _amend(settings: Settings, old: str, new: str, name: str = "bad-amendment.txt") -> IngestResult:
    text = AMENDMENT.read_text(encoding="utf-8")
    assert old in text
    return ingest_bytes(text.replace(old, new).encode("utf-8"), name, settings)


def _with(agreement: IngestResult, *amendments: IngestResult) -> Graph:
    merged = Graph()
    merged += agreement.graph
    for amendment in amendments:
        merged += amendment.graph
    return merged


def test_old_wording_that_does_not_occur_is_an_error_naming_the_amendment_line(
        settings: Settings, agreement: IngestResult) -> None:
    bad = _amend(settings, "「災害に備えた相互応援体制の構築や」", "「災害に備える相互応援体制の構築や」")
    with pytest.raises(IngestError) as e:
        in_force(_with(agreement, bad), agreement.agreement, ON)
    assert (e.value.file, e.value.line, e.value.where) == ("bad-amendment.txt", 5, "change 2")
    assert "「災害に備える相互応援体制の構築や」 does not occur" in str(e.value) and "initiative/3-5" in str(e.value)


def test_a_row_the_agreement_does_not_have_is_an_error(settings: Settings, agreement: IngestResult) -> None:
    bad = _amend(settings, "別表3の(5)の項二本松市", "別表3の(13)の項二本松市")
    with pytest.raises(IngestError, match="no such part") as e:
        in_force(_with(agreement, bad), agreement.agreement, ON)
    assert e.value.line == 7


def test_an_amendment_not_yet_in_force_is_not_checked(settings: Settings, agreement: IngestResult) -> None:
    bad = _amend(settings, "「災害対策」を", "「災害予防」を")
    view = in_force(_with(agreement, bad), agreement.agreement, BEFORE)
    assert list(view.objects(agreement.agreement, ELI.amended_by)) == []


def test_amendments_are_replayed_in_the_order_they_take_effect(settings: Settings, agreement: IngestResult,
                                                              amendment: IngestResult) -> None:
    # A second amendment, signed later, rewrites the wording the first one put in place.
    text = AMENDMENT.read_text(encoding="utf-8")
    second = text.replace("令和2年7月8日", "令和3年4月1日").split("\n")
    second[4] = "別表3の(5)の項中「災害・感染症対策」を「災害・感染症・気候変動対策」に改める。"
    second = [line for line in second if not line.startswith("別表3の(5)の項二本松市")]
    later = ingest_bytes("\n".join(second).encode("utf-8"), "second.txt", settings)
    data = _with(agreement, later, amendment)
    a = agreement.agreement
    title = URIRef(f"{a}{ROW}")
    assert str(in_force(data, a, dt.date(2021, 3, 31)).value(title, DCTERMS.title)) == (
        "災害・感染症対策・住民の安全安心確保")
    assert str(in_force(data, a, dt.date(2021, 4, 1)).value(title, DCTERMS.title)) == (
        "災害・感染症・気候変動対策・住民の安全安心確保")


def test_a_changed_paragraph_changes_its_article_text_too(settings: Settings, agreement: IngestResult) -> None:
    lines = [line for line in AMENDMENT.read_text(encoding="utf-8").split("\n")
             if not line.startswith("別表3の(5)の項二本松市")]
    lines[4] = "第3条第2項中「具体的な事業」を「具体的な事業及びその実施方法」に改める。"
    article = ingest_bytes("\n".join(lines).encode("utf-8"), "article.txt", settings)
    view = in_force(_with(agreement, article), agreement.agreement, ON)
    a = agreement.agreement
    paragraph = str(view.value(URIRef(f"{a}/article/3/paragraph/2"), RENKEI.text))
    whole = str(view.value(URIRef(f"{a}/article/3"), RENKEI.text))
    assert paragraph.startswith("前項の取組に基づき実施する具体的な事業及びその実施方法については")
    assert whole.endswith("2 " + paragraph) and whole.startswith("郡山市及び二本松市が相互に連携する取組")


def test_a_role_losing_its_lead_wording_no_longer_leads(settings: Settings, agreement: IngestResult) -> None:
    lines = [line for line in AMENDMENT.read_text(encoding="utf-8").split("\n")
             if not line.startswith("別表3の(5)の項二本松市")]
    lines[4] = "別表3の(5)の項郡山市の役割の欄中「主体的に取り組む」を「取り組む」に改める。"
    changed = ingest_bytes("\n".join(lines).encode("utf-8"), "lead.txt", settings)
    view = in_force(_with(agreement, changed), agreement.agreement, ON)
    assert _row(view, agreement.agreement)["072036"] == (
        "二本松市と連携して、災害対策・住民の安全安心の確保に取り組む。", False)
