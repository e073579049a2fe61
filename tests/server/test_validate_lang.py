"""POST /validate in the clerk's language (issue 9, point 3): an unusable body is answered with every
problem, each naming the upload and its line, in Japanese when ``?lang=ja`` or Accept-Language asks,
as JSON in both languages when the client takes JSON; never a 500, never a traceback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest.test_messages import CASES, Case, is_japanese
from tests.server.conftest import MAX_UPLOAD, Server, start_server

CHECKED = [c for c in CASES if not c.lead]


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    yield from start_server(fixture_release.parents[1])


def _post(server: Server, case: Case, **headers: str) -> tuple[int, str]:
    media = "text/html" if case.name.endswith(".html") else "text/plain"
    r = server.post("/validate?name=bad" + headers.pop("query", ""), content=case.content(),
                    headers={"Content-Type": media, **headers})
    return r.status_code, r.text


def _problems(text: str, name: str) -> list[tuple[int | None, str]]:
    found = []
    for line in text.splitlines():
        m = re.match(rf"(?:[A-Za-z]+: )?{re.escape(name)}(?::(\d+))?(?: [^:]+)?: (.*)", line)
        if m:
            found.append((int(m[1]) if m[1] else None, m[2]))
    return found


@pytest.mark.parametrize("case", CHECKED, ids=[c.id for c in CHECKED])
def test_every_refusal_is_japanese_by_accept_language_and_by_query(server: Server, case: Case) -> None:
    name = "bad" + Path(case.name).suffix
    for asked in ({"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8", "Accept": "text/turtle"},
                  {"query": "&lang=ja", "Accept-Language": "en", "Accept": "text/turtle"}):
        status, text = _post(server, case, **asked)
        assert 400 <= status < 500, text
        assert "Traceback" not in text and "/tmp/" not in text
        problems = _problems(text, name)
        if case.lines:
            assert [line for line, _ in problems] == list(case.lines), text
        else:
            assert problems and all(line is not None for line, _ in problems), text
        assert all(is_japanese(message) for _, message in problems), text
        if case.words_ja:
            assert case.words_ja in text


def test_english_unless_japanese_is_asked_for(server: Server) -> None:
    case = next(c for c in CASES if c.id == "impossible-date-feb-30")
    for headers in ({}, {"Accept-Language": "en-GB, ja;q=0.5"}, {"query": "&lang=en", "Accept-Language": "ja"}):
        status, text = _post(server, case, Accept="text/turtle", **headers)
        assert status == 400
        assert "bad.txt:5: impossible date 「令和2年2月30日」" in text


def test_json_answer_carries_every_problem_in_both_languages(server: Server) -> None:
    case = next(c for c in CASES if c.id == "both-parties-unknown")
    r = server.post("/validate?name=bad", content=case.content(),
                    headers={"Content-Type": "text/plain", "Accept": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["exit_code"] == 2 and doc["source"] == "bad.txt"
    assert [p["line"] for p in doc["problems"]] == [11, 11]
    assert [p["file"] for p in doc["problems"]] == ["bad.txt", "bad.txt"]
    for problem in doc["problems"]:
        assert is_japanese(problem["message"]["ja"]) and not is_japanese(problem["message"]["en"])
        assert problem["fix"]["ja"] and problem["fix"]["en"]


def test_broken_rdf_is_named_by_line_in_japanese(server: Server) -> None:
    r = server.post("/validate?name=broken&lang=ja", content=b"@prefix ex: <http://ex/> .\nex:a ex:b \"open .\n",
                    headers={"Content-Type": "text/turtle", "Accept": "text/turtle"})
    assert r.status_code == 400
    [(line, message)] = _problems(r.text, "broken.ttl")
    assert line == 2 and is_japanese(message.split("（構文誤り")[0])  # the parser's own detail is English


def test_refusals_of_the_request_itself_are_japanese_too(server: Server) -> None:
    r = server.post("/validate?lang=ja", content=b"x", headers={"Content-Type": "image/gif", "Accept": "text/turtle"})
    assert r.status_code == 415 and is_japanese(r.text.split(": ", 1)[1])
    r = server.post("/validate", content=b"x", headers={"Content-Type": "image/gif", "Accept": "application/json"})
    assert r.status_code == 415 and is_japanese(r.json()["problems"][0]["message"]["ja"])


def test_a_body_over_the_limit_is_413_in_the_clerks_language(server: Server) -> None:
    body = b"x" * (MAX_UPLOAD + 10)
    r = server.post("/validate?lang=ja", content=body, headers={"Content-Type": "text/plain", "Accept": "text/turtle"})
    assert r.status_code == 413 and "KG_MAX_UPLOAD_BYTES" in r.text and is_japanese(r.text.split(": ", 1)[1])
    r = server.post("/validate", content=body, headers={"Content-Type": "text/plain"})
    assert r.status_code == 413 and "KG_MAX_UPLOAD_BYTES" in r.json()["problems"][0]["message"]["en"]
