"""kg/querylib.py: reading query files and their headers, and the catalogue as RDF."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SDO

from kg.errors import KgError
from kg.namespaces import SH
from kg.querylib import QueryDoc, catalog_graph, load_queries
from kg.settings import Settings

HEADER = """\
# title-ja: 取組の一覧
# title-en: The initiatives
# description-ja: 取組を示す。
# description-en: Shows the initiatives.
# tags: initiatives, roles
"""
PUBLISHED = """\
# published-rows: 0
# published-ja: 公開データでは協約が1件のため0行になる。デモデータで試せる。
# published-en: No rows on the published dataset. Try the demo data.
"""
BODY = "PREFIX renkei: <https://w3id.org/renkei/ns#>\nSELECT ?i WHERE { ?a renkei:initiative ?i }\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only_error(folder: Path) -> str:
    with pytest.raises(KgError) as e:
        load_queries(folder)
    return str(e.value)


def test_a_complete_file_gives_every_field(tmp_path: Path) -> None:
    write(tmp_path, "007_list_initiatives.rq",
          HEADER + "# param: ?agreement — the agreement IRI (default: the founding agreement)\n" + BODY)
    [doc] = load_queries(tmp_path)
    assert (doc.number, doc.slug, doc.name) == ("007", "list_initiatives", "007_list_initiatives")
    assert (doc.title_ja, doc.title_en) == ("取組の一覧", "The initiatives")
    assert (doc.description_ja, doc.description_en) == ("取組を示す。", "Shows the initiatives.")
    assert doc.tags == ("initiatives", "roles")
    assert [(p.name, p.description) for p in doc.params] == [
        ("agreement", "the agreement IRI (default: the founding agreement)")]
    assert doc.body == BODY and doc.text.endswith(BODY) and doc.form == "SELECT"


def test_queries_come_in_number_order(tmp_path: Path) -> None:
    for name in ("010_b.rq", "002_a.rq", "100_c.rq"):
        write(tmp_path, name, HEADER + BODY)
    assert [d.number for d in load_queries(tmp_path)] == ["002", "010", "100"]


@pytest.mark.parametrize(("name", "text", "message"), [
    pytest.param("001_x.rq", BODY, "001_x.rq:1: the header lacks title-ja", id="no-header"),
    pytest.param("001_x.rq", HEADER.replace("# tags: initiatives, roles\n", "") + BODY,
                 "001_x.rq:5: the header lacks tags", id="missing-key-names-the-line-after-the-header"),
    pytest.param("001_x.rq", HEADER.replace("title-en", "title-eng") + BODY,
                 "001_x.rq:2: unknown header key 'title-eng'", id="misspelt-key"),
    pytest.param("001_x.rq", HEADER + "# tags: again\n" + BODY, "001_x.rq:6: header key 'tags' given twice",
                 id="key-twice"),
    pytest.param("001_x.rq", HEADER.replace("取組を示す。", "") + BODY,
                 "001_x.rq:3: header key 'description-ja' has no value", id="empty-value"),
    pytest.param("001_x.rq", HEADER + "# param: agreement - the agreement\n" + BODY,
                 "001_x.rq:6: a param reads '?name — what it is", id="param-without-question-mark-and-dash"),
    pytest.param("1_x.rq", HEADER + BODY, "1_x.rq: a query file is named NNN_", id="number-not-three-digits"),
    pytest.param("001-Initiatives.rq", HEADER + BODY, "a query file is named NNN_", id="name-not-snake-case"),
    pytest.param("001_x.rq", HEADER + "# a remark\n", "001_x.rq:6: no SELECT, ASK or CONSTRUCT",
                 id="no-query"),
    pytest.param("001_x.rq", HEADER + "DESCRIBE <https://w3id.org/renkei/id/area/koriyama>\n",
                 "001_x.rq:6: DESCRIBE answers differ between engines", id="describe-refused"),
    pytest.param("001_x.rq", HEADER + "# published-rows: 0\n" + BODY,
                 "001_x.rq:7: the header lacks published-ja, published-en", id="published-keys-go-together"),
    pytest.param("001_x.rq", HEADER + PUBLISHED.replace(": 0", ": some") + BODY,
                 "001_x.rq:6: published-rows is a number of rows, '>0', 'true' or 'false', not 'some'",
                 id="published-rows-not-a-count"),
    pytest.param("001_x.rq", HEADER + PUBLISHED.replace(": 0", ": true") + BODY,
                 "001_x.rq:6: published-rows of a SELECT is a count, not 'true'",
                 id="published-rows-boolean-for-select"),
    pytest.param("001_x.rq", HEADER + PUBLISHED + "ASK { ?s ?p ?o }\n",
                 "001_x.rq:6: published-rows of an ASK is true or false, not '0'",
                 id="published-rows-count-for-ask"),
])
def test_a_bad_file_is_an_error_naming_file_and_line(tmp_path: Path, name: str, text: str,
                                                     message: str) -> None:
    write(tmp_path, name, text)
    error = only_error(tmp_path)
    assert message in error, error
    assert str(tmp_path) in error


def test_what_a_query_shows_on_the_published_dataset_is_read(tmp_path: Path) -> None:
    write(tmp_path, "005_x.rq", HEADER + PUBLISHED + BODY)
    write(tmp_path, "006_y.rq", HEADER + BODY)
    stated, silent = load_queries(tmp_path)
    assert stated.published_rows == "0" and stated.published_holds(0) and not stated.published_holds(2)
    assert stated.published_ja == "公開データでは協約が1件のため0行になる。デモデータで試せる。"
    assert stated.published_en == "No rows on the published dataset. Try the demo data."
    assert stated.body == BODY  # the keys are header, not query
    assert silent.published_rows is None and silent.published_ja is None and not silent.published_holds(0)


def test_two_files_with_one_number_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, "003_a.rq", HEADER + BODY)
    write(tmp_path, "003_b.rq", HEADER + BODY)
    assert "query number 003 is also used by 003_a.rq" in only_error(tmp_path)


def test_a_comment_after_the_header_is_part_of_the_query(tmp_path: Path) -> None:
    write(tmp_path, "001_x.rq", HEADER + "# Why the query is written so.\n" + BODY)
    [doc] = load_queries(tmp_path)
    assert doc.body.startswith("# Why the query is written so.\n")


@pytest.mark.parametrize(("body", "form"), [
    ("PREFIX ns: <https://w3id.org/renkei/ns#>\n# ns# is not a comment\nASK { ?s ?p ?o }\n", "ASK"),
    ("BASE <http://example.org/>\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }\n", "CONSTRUCT"),
    ("select (count(*) AS ?n) { ?s ?p ?o }\n", "SELECT"),
], ids=["ask-after-prefix-with-hash", "lower-case-construct-after-base", "select"])
def test_query_form_is_read_after_the_prologue(tmp_path: Path, body: str, form: str) -> None:
    write(tmp_path, "001_x.rq", HEADER + body)
    assert load_queries(tmp_path)[0].form == form


def test_catalogue_describes_each_query_as_a_shacl_executable(library: list[QueryDoc]) -> None:
    settings = Settings(base_iri="https://w3id.org/renkei/")
    g = catalog_graph(library, settings)
    subjects = set(g.subjects(RDF.type, SH.SPARQLExecutable))
    assert subjects == {URIRef(f"https://w3id.org/renkei/id/query/{d.number}") for d in library}
    for d in library:
        s = URIRef(f"https://w3id.org/renkei/id/query/{d.number}")
        for prop in (RDFS.label, RDFS.comment):
            langs = {lit.language for lit in g.objects(s, prop) if isinstance(lit, Literal)}
            assert langs == {"ja", "en"}, (d.name, prop)
        assert set(g.objects(s, SDO.keywords)) == {Literal(t) for t in d.tags}
    select = URIRef("https://w3id.org/renkei/id/query/002")
    assert (select, RDF.type, SH.SPARQLSelectExecutable) in g
    ask = next(d for d in library if d.form == "ASK")
    assert (URIRef(f"https://w3id.org/renkei/id/query/{ask.number}"), RDF.type, SH.SPARQLAskExecutable) in g
    construct = next(d for d in library if d.form == "CONSTRUCT")
    c = URIRef(f"https://w3id.org/renkei/id/query/{construct.number}")
    assert (c, RDF.type, SH.SPARQLConstructExecutable) in g
    assert g.value(c, SH.construct) == Literal(construct.body)


def test_catalogue_follows_the_base_iri_and_moves_the_data_iris_in_the_queries(
        library: list[QueryDoc]) -> None:
    g = catalog_graph(library, Settings(base_iri="http://example.org/r/"))
    text = str(g.value(URIRef("http://example.org/r/id/query/002"), SH.select))
    assert "PREFIX agr: <http://example.org/r/id/agreement/>" in text
    assert "<https://w3id.org/renkei/ns#>" in text  # the vocabulary does not move
    assert "w3id.org/renkei/id/" not in text


def test_catalogue_texts_are_queries_pyoxigraph_accepts(library: list[QueryDoc]) -> None:
    g = catalog_graph(library, Settings(base_iri="https://w3id.org/renkei/"))
    store = ox.Store()
    texts = [str(o) for p in (SH.select, SH.ask, SH.construct) for o in g.objects(None, p)]
    assert len(texts) == len(library)
    for text in texts:
        store.query(text)  # raises SyntaxError on a query that does not parse
