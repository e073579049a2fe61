"""The query guard: refuses updates, SERVICE and unknown FROM graphs by tokens, not by text."""

from __future__ import annotations

import pytest

from kg.errors import QueryError, QueryRefused
from kg.store import QueryKind, check_query

KNOWN = {"https://w3id.org/renkei/graph/areas"}

ALLOWED = {
    "select": ("SELECT * { ?s ?p ?o }", QueryKind.SELECT),
    "lowercase_ask": ("ask {}", QueryKind.ASK),
    "construct_after_prefix": ("PREFIX ex: <http://e/> CONSTRUCT WHERE { ?s ex:p ?o }", QueryKind.CONSTRUCT),
    "describe": ("DESCRIBE <https://w3id.org/renkei/id/area/koriyama>", QueryKind.DESCRIBE),
    "update_word_in_string": ("SELECT * { ?s ?p 'DROP GRAPH <x>' }", QueryKind.SELECT),
    "update_word_in_long_string": ('SELECT * { ?s ?p """\nINSERT DATA {}\n""" }', QueryKind.SELECT),
    "service_in_comment": ("SELECT * { ?s ?p ?o } # SERVICE <http://evil/>", QueryKind.SELECT),
    "service_as_variable": ("SELECT ?service { ?service ?p ?o }", QueryKind.SELECT),
    "load_as_local_name": ("PREFIX ex: <http://e/> ASK { ?a ex:LOAD ?b }", QueryKind.ASK),
    "less_than_is_not_an_iri": ("SELECT * { ?a ?p ?b FILTER(?a<?b && ?b>?a) }", QueryKind.SELECT),
    "from_known_graph": (
        "SELECT * FROM <https://w3id.org/renkei/graph/areas> { ?s ?p ?o }",
        QueryKind.SELECT,
    ),
    "from_known_graph_by_prefix": (
        "PREFIX g: <https://w3id.org/renkei/graph/> SELECT * FROM NAMED g:areas { GRAPH ?g { ?s ?p ?o } }",
        QueryKind.SELECT,
    ),
    "from_relative_to_base": (
        "BASE <https://w3id.org/renkei/graph/> SELECT * FROM <areas> {}",
        QueryKind.SELECT,
    ),
}

REFUSED = {
    "insert_data": "INSERT DATA { <a> <b> <c> }",
    "delete_where": "DELETE WHERE { ?s ?p ?o }",
    "load": "LOAD <http://example.org/data.ttl>",
    "clear": "CLEAR ALL",
    "drop": "DROP GRAPH <https://w3id.org/renkei/graph/areas>",
    "create": "CREATE GRAPH <http://x/>",
    "copy_move_add": "COPY DEFAULT TO <http://x/>",
    "with_modify": "WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "update_after_query_text": "SELECT * {} ; INSERT DATA { <a> <b> <c> }",
    "service": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "service_silent_lowercase": "select * { service silent <http://x/> { ?s ?p ?o } }",
    "service_by_codepoint_escape": "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
    "service_after_comment_and_newline": "SELECT * { #\nSERVICE\n<http://x/> {} }",
    "from_remote": "SELECT * FROM <http://example.org/remote.ttl> { ?s ?p ?o }",
    "from_file": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    "from_named_file": "SELECT * FROM NAMED <file:///etc/hostname> { GRAPH ?g { ?s ?p ?o } }",
    "from_prefixed_remote": "PREFIX r: <http://example.org/> SELECT * FROM r:data { ?s ?p ?o }",
}


@pytest.mark.parametrize(("text", "kind"), ALLOWED.values(), ids=ALLOWED.keys())
def test_query_is_allowed_and_its_form_found(text: str, kind: QueryKind) -> None:
    assert check_query(text, KNOWN).kind is kind


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_query_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused):
        check_query(text, KNOWN)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "# only a comment", "PREFIX ex: <http://e/>"],
    ids=["empty", "blank", "comment", "prologue_only"],
)
def test_text_without_a_query_form_is_a_query_error(text: str) -> None:
    with pytest.raises(QueryError):
        check_query(text)


def test_refusal_names_the_line() -> None:
    with pytest.raises(QueryRefused) as e:
        check_query("SELECT * {\n\n  SERVICE <http://x/> {} }")
    assert "line 3" in str(e.value)
