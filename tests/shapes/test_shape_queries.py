"""The SPARQL-based rules agree with the code they mirror: MU-02 with kg.reference.codes' check digit,
AG-10 and AG-11 with plain arithmetic on article numbers."""

from __future__ import annotations

import csv
import random
from functools import cache

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from kg.namespaces import ELI, RENKEI, SH
from kg.reference.codes import check_digit, is_valid_code
from kg.settings import Settings
from kg.validation.validate import SHAPES_NS, load_shapes, validate_graph

SETTINGS = Settings()
SHAPES = load_shapes(SETTINGS.shapes_path, SETTINGS.base_iri).graph


def _select(shape_id: str) -> str:
    """The shape's SPARQL query run for every focus at once: $this unbound, $PATH its path."""
    shape = URIRef(SHAPES_NS + shape_id)
    constraint = SHAPES.value(shape, SH.sparql)
    text = str(SHAPES.value(constraint, SH.select)).replace("$this", "?this")
    path = SHAPES.value(shape, SH.path)
    if path is not None:
        text = text.replace("$PATH", f"<{path}>")
    prefixes = "".join(f"PREFIX {SHAPES.value(d, SH.prefix)}: <{SHAPES.value(d, SH.namespace)}>\n"
                       for d in SHAPES.objects(None, SH.declare))
    return prefixes + text


def _flagged_codes(codes: list[str], engine: str = "rdflib") -> set[str]:
    """The codes MU-02 flags, run by rdflib (the engine pySHACL uses) or pyoxigraph (fast, and the
    engine of the store: the rule must mean the same there)."""
    g = Graph()
    for i, code in enumerate(codes):
        node = URIRef(f"urn:x:{i}")
        g.add((node, RDF.type, RENKEI.LocalGovernment))
        g.add((node, RENKEI.localGovernmentCode, Literal(code)))
    if engine == "rdflib":
        return {str(row.value) for row in g.query(_prepared("MU-02-code-check-digit"))}  # type: ignore[union-attr]
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)),
                         ox.Literal(str(o)) if isinstance(o, Literal) else ox.NamedNode(str(o)))
                 for s, p, o in g)
    return {row["value"].value for row in store.query(_select("MU-02-code-check-digit"))}  # type: ignore[union-attr]


@cache
def _prepared(shape_id: str) -> Query:
    return prepareQuery(_select(shape_id))


@cache
def _registry_codes() -> list[str]:
    with (SETTINGS.data_path / "reference" / "municipalities.csv").open(encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f)]


def _wrong_digits(codes: list[str]) -> list[str]:
    return [code[:5] + d for code in codes for d in "0123456789" if d != code[5]]


def test_check_digit_rule_accepts_every_code_of_the_registry() -> None:
    codes = _registry_codes()
    assert len(codes) > 1700  # the whole MIC list: prefectures, cities, towns, villages, wards
    assert _flagged_codes(codes, "pyoxigraph") == set()


def test_check_digit_rule_rejects_every_wrong_digit_of_every_registry_code() -> None:
    wrong = _wrong_digits(_registry_codes())
    assert not any(is_valid_code(c) for c in wrong)
    assert _flagged_codes(wrong, "pyoxigraph") == set(wrong)


def test_check_digit_rule_agrees_with_kg_codes_under_rdflib() -> None:
    sample = random.Random(20140825).sample(_registry_codes(), 40)
    codes = sample + _wrong_digits(sample[:20])
    assert _flagged_codes(codes) == {c for c in codes if not is_valid_code(c)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{6}", fullmatch=True), min_size=1, max_size=30))
def test_check_digit_rule_matches_kg_codes_on_any_six_digits(codes: list[str]) -> None:
    assert _flagged_codes(codes, "pyoxigraph") == {c for c in codes if not is_valid_code(c)}


def test_check_digit_rule_ignores_what_is_not_six_digits() -> None:
    # The format is MU-01's concern; MU-02 must not report it twice.
    assert _flagged_codes(["07203", "0720366", "07203a", "０７２０３６"]) == set()


@pytest.mark.parametrize("rest, code5", [(0, "01213"), (1, "01205"), (10, "01204")])
def test_check_digit_rule_handles_the_special_remainders(rest: int, code5: str) -> None:
    # Remainder 0 gives 1, remainder 1 gives 0 (11 - r would be two digits), 10 gives 1.
    assert sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True)) % 11 == rest
    good = code5 + check_digit(code5)
    assert _flagged_codes([good] + _wrong_digits([good])) == set(_wrong_digits([good]))


AGREEMENT = URIRef("https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18")


def _articles(numbers: list[object]) -> Graph:
    g = Graph()
    g.add((AGREEMENT, RDF.type, RENKEI.Agreement))
    for i, n in enumerate(numbers):
        article = URIRef(f"{AGREEMENT}/article/x{i}")
        g.add((AGREEMENT, ELI.has_part, article))
        g.add((article, RDF.type, RENKEI.Article))
        g.add((article, RENKEI.number, n if isinstance(n, Literal) else Literal(n)))
    return g


@pytest.mark.parametrize("numbers, missing", [
    ([1, 2, 3], set()),
    ([1, 2, 4], {3}),
    ([2, 3], {1}),
    ([1, 5], {2}),           # the first number of each gap is reported
    ([1, 3, 4, 7], {2, 5}),
    ([], {1}),               # no article at all
    ([1, 1, 2], set()),      # a duplicate is AG-11's concern
    ([1, Literal("2"), 3], {2}),  # a number that is not an integer does not count (AR-01 reports it)
], ids=lambda v: repr(v))
def test_article_gap_rule_reports_the_first_missing_number_of_each_gap(numbers: list[object],
                                                                         missing: set[int]) -> None:
    rows = _articles(numbers).query(_select("AG-10-articles-without-gaps"))
    assert {int(row.value) for row in rows} == missing  # type: ignore[union-attr]


@pytest.mark.parametrize("numbers, duplicated", [
    ([1, 2, 3], set()),
    ([1, 1, 2], {1}),
    ([1, 2, 2, 3, 3], {2, 3}),
    ([1, Literal("1", datatype=XSD.string)], set()),
], ids=lambda v: repr(v))
def test_article_duplicate_rule_reports_each_duplicated_number_once(numbers: list[object],
                                                                      duplicated: set[int]) -> None:
    rows = list(_articles(numbers).query(_select("AG-11-article-numbers-unique")))
    assert sorted(int(row.value) for row in rows) == sorted(duplicated)  # type: ignore[union-attr]


def test_future_date_rule_uses_japan_time() -> None:
    # A date is in the future when its first instant in Japan (00:00+09:00) is after now: today
    # in Japan is never in the future, even when it is still yesterday in UTC.
    import datetime as dt

    jst = dt.timezone(dt.timedelta(hours=9))
    today_in_japan = dt.datetime.now(jst).date()
    g = Graph()
    for i, day in enumerate((today_in_japan, today_in_japan + dt.timedelta(days=1))):
        node = URIRef(f"urn:x:{i}")
        g.add((node, RDF.type, RENKEI.Agreement))
        g.add((node, ELI.date_document, Literal(day.isoformat(), datatype=XSD.date)))
    flagged = {str(row.value) for row in g.query(_select("AG-07-date-not-in-future"))}  # type: ignore[union-attr]
    assert flagged == {(today_in_japan + dt.timedelta(days=1)).isoformat()}


AMENDMENT = URIRef("https://w3id.org/renkei/id/amendment/072036-072109-2020-07-08")


def _changes(numbers: list[object]) -> Graph:
    g = Graph()
    g.add((AMENDMENT, RDF.type, RENKEI.Amendment))
    for i, n in enumerate(numbers):
        change = URIRef(f"{AMENDMENT}/change/x{i}")
        g.add((AMENDMENT, RENKEI.change, change))
        g.add((change, RDF.type, RENKEI.Change))
        g.add((change, RENKEI.number, n if isinstance(n, Literal) else Literal(n)))
    return g


@pytest.mark.parametrize("numbers, flagged", [
    ([1, 2, 3], set()),
    ([1, 2, 4], {3}),
    ([2, 3], {1}),
    ([1, 4, 5, 8], {2, 6}),   # the first number of each gap
    ([1, 1, 2], {1}),         # a duplicate
    ([1, 2, 2, 4], {2, 3}),   # both at once
    ([1, Literal("2"), 3], {2}),  # a number that is not an integer does not count (CH-01 reports it)
    ([], set()),              # no change at all is AM-16's concern
], ids=lambda v: repr(v))
def test_change_numbering_rule_reports_gaps_and_duplicates(numbers: list[object], flagged: set[int]) -> None:
    rows = _changes(numbers).query(_select("AM-17-changes-numbered-in-sequence"))
    assert {int(row.value) for row in rows} == flagged  # type: ignore[union-attr]


def _dates(amended: str, dates: list[str], engine: str) -> set[str]:
    """The dates of effect (their day, YYYY-MM-DD) the shared rule (AM-13) flags, each on an
    amendment of ``amended``."""
    g = Graph()
    for i, day in enumerate(dates):
        node = URIRef(f"urn:x:{i}")
        g.add((node, RDF.type, RENKEI.Amendment))
        g.add((node, ELI.amends, URIRef(amended)))
        g.add((node, ELI.date_applicability, Literal(day, datatype=XSD.date)))
    query = _select("AM-13-effect-not-before-the-agreement")
    if engine == "rdflib":
        return {str(row.value)[:10] for row in g.query(query)}  # type: ignore[union-attr]
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)),
                         ox.Literal(str(o), datatype=ox.NamedNode(str(o.datatype))) if isinstance(o, Literal)
                         and o.datatype else ox.NamedNode(str(o)))
                 for s, p, o in g)
    return {row["value"].value[:10] for row in store.query(query)}  # type: ignore[union-attr]


@pytest.mark.parametrize("engine", ["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("amended, dates, flagged", [
    (str(AGREEMENT), ["2019-10-18", "2019-10-19", "2025-04-01"], set()),   # the same day is allowed
    (str(AGREEMENT), ["2019-10-17", "2019-09-30", "2018-12-31"], {"2019-10-17", "2019-09-30", "2018-12-31"}),
    (str(AGREEMENT), ["2019-10-17+09:00"], {"2019-10-17"}),                 # a time zone does not hide it
    ("https://w3id.org/renkei/id/agreement/koriyama-nihonmatsu-2019", ["2000-01-01"], set()),  # no date known
    ("https://example.org/agreement/072036-072109-2019-10-18", ["2000-01-01"], set()),  # not under id/agreement/
], ids=["on-or-after", "before", "time-zone", "key-without-date", "other-base"])
def test_date_rule_compares_with_the_date_in_the_amended_agreements_iri(amended: str, dates: list[str],
                                                                      flagged: set[str], engine: str) -> None:
    # Dates compare as ISO 8601 strings: the same order as in time, and the same in every engine.
    assert _dates(amended, dates, engine) == flagged


def test_validate_graph_reports_every_gap_with_its_own_message() -> None:
    g = _articles([1, 3, 4, 7])
    report = validate_graph(g, SETTINGS)
    gaps = [r.message.en for r in report.results if r.shape_id == "AG-10-articles-without-gaps"]
    assert sorted(gaps) == ["Article 2 is missing (articles are numbered from 1 without gaps).",
                            "Article 5 is missing (articles are numbered from 1 without gaps)."]
