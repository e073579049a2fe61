"""The W3C SPARQL 1.1 Protocol test manifest, run against our server (one test per entry).

The manifest (shared/reference/rdf-tests/sparql11/protocol/manifest.ttl) describes each request
and the expected status, format and boolean. Our endpoint is read-only: every update entry
(``update_*``, ``bad_update_*``) must be refused with a 4xx, whatever the entry expects of an
updatable store; only its first request (the update) is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib

from tests.server.conftest import Server, start_server
from tests.shared import shared_dir

REFERENCE = shared_dir() / "reference" / "rdf-tests" / "sparql11" / "protocol"
if not REFERENCE.is_dir():
    REFERENCE = Path(__file__).resolve().parents[3] / "shared/reference/rdf-tests/sparql11/protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: tuple[str, ...]
    boolean: bool | None
    fmt: str | None


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    requests: tuple[Request, ...]


def _list(g: rdflib.Graph, head: Any) -> list[Any]:
    return list(rdflib.collection.Collection(g, head))


def load_manifest() -> tuple[list[Entry], dict[str, Path]]:
    g = rdflib.Graph().parse(REFERENCE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    entries, graphs = [], {}
    for node in _list(g, g.value(manifest, MF.entries)):
        for data in g.objects(node, UT.graphData):
            graphs[str(g.value(data, rdflib.RDFS.label))] = Path(
                str(g.value(data, UT.graph)).removeprefix("file://")
            )
        requests = []
        for req in _list(g, g.value(g.value(node, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8") if body else "UTF-8"
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in _list(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(
                Request(
                    str(g.value(req, HT.methodName)),
                    str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                    str(g.value(body, CNT.chars)).encode(encoding.lower()) if body else None,
                    headers,
                    tuple(sorted(str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus))),
                    None if boolean is None else bool(boolean.toPython()),
                    None if fmt is None else str(fmt),
                )
            )
        name = str(node).rsplit("#", 1)[1]
        entries.append(Entry(name, str(g.value(node, MF.name)), tuple(requests)))
    return entries, graphs


ENTRIES, GRAPHS = load_manifest()


def test_manifest_yields_every_entry() -> None:
    assert len(ENTRIES) == 34
    assert set(GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory: pytest.TempPathFactory, release_factory: Any) -> Iterator[Server]:
    build = tmp_path_factory.mktemp("protocol-build")
    graphs = {label: (REFERENCE / path.name).read_bytes() for label, path in GRAPHS.items()}
    release_factory(build, b"", "w3c-protocol", graphs)
    yield from start_server(build, KG_WORKERS="1")


TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_protocol(protocol_server: Server, entry: Entry) -> None:
    is_update = "update" in entry.name
    for request in entry.requests[:1] if is_update else entry.requests:
        r = httpx.request(
            request.method,
            protocol_server.url + request.path,
            content=request.body,
            headers=request.headers,
            timeout=30,
        )
        family = f"{r.status_code // 100}xx"
        if is_update:
            assert family == "4xx", f"{entry.title}: an update must be refused, got {r.status_code} {r.text}"
            continue
        assert family in request.statuses, f"{entry.title}: {r.status_code} {r.text}"
        media = r.headers.get("content-type", "").split(";")[0]
        if request.fmt == "tabular":
            assert media in TABULAR
        elif request.fmt == "RDF":
            assert media in RDF
        elif request.fmt == "boolean":
            assert media in BOOLEAN
        if request.boolean is not None:
            assert (
                r.json()["boolean"]
                if media.endswith("json")
                else f"<boolean>{str(request.boolean).lower()}</boolean>" in r.text
            ) in (request.boolean, True)
