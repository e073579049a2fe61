"""Small hostile inputs never block (issue 14, points 3, 4 and 6): each is refused, naming the limit,
within 5 s and 500 MB, on the command line (a real ``kg`` process) and over HTTP; nothing is fetched
unless the user asks; ``kg ingest -o`` writes files readable as the umask says.

The limits: RDF/XML with a DTD refused (kg.rdfguard), JSON, Turtle and RDF/XML nested past
kg.rdfguard's MAX_JSON_DEPTH, MAX_TURTLE_DEPTH and MAX_XML_DEPTH, HTML past
kg.ingest.page_tree.MAX_DEPTH, SPARQL past kg.store.guard.MAX_NESTING.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest.page_tree import MAX_DEPTH
from kg.rdfguard import MAX_JSON_DEPTH, MAX_TURTLE_DEPTH, MAX_XML_DEPTH
from kg.store.guard import MAX_NESTING
from tests.robustness.test_regressions import listener  # noqa: F401 — a loopback listener that records fetches
from tests.server.conftest import Server

KG = str(Path(sys.executable).parent / "kg")
ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
SECONDS = 5.0
MEGABYTES = 500

#: "Billion laughs" (1 KB): ten entities, each ten of the one before: 10⁹ "lol"s once expanded.
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                    for i in range(1, 10))
          + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n").encode()
#: The same with an external entity: a parser that honoured it would read the file.
EXTERNAL = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            b'<rdf:Description rdf:about="http://example.org/a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n')
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
DEEP_TURTLE = b"<urn:a> <urn:b> " + b"[ <urn:p> " * 100_000 + b"<urn:c>" + b" ]" * 100_000 + b" .\n"
DEEP_LIST = b"<urn:a> <urn:b> " + b"( " * 100_000 + b"<urn:c>" + b" )" * 100_000 + b" .\n"
DEEP_XML = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="urn:a">'
            + b"<ex:p><rdf:Description>" * 50_000 + b"<ex:q>x</ex:q>" + b"</rdf:Description></ex:p>" * 50_000
            + b"</rdf:Description></rdf:RDF>")
DEEP_HTML = ("<!DOCTYPE html><html><body>" + "<div>" * 40_000 + "第1条 目的" + "</div>" * 40_000).encode()
DEEP_QUERY = "SELECT * " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
DEEP_PARENS = "SELECT * { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"


@dataclass(frozen=True)
class Run:
    """A finished ``kg`` process: exit code, output, wall time and peak memory."""

    code: int
    out: str
    err: str
    seconds: float
    megabytes: float


def kg(*args: str, cwd: Path, umask: int | None = None) -> Run:
    """Run ``kg ARGS`` and measure it (wall time; peak resident memory from wait4's rusage)."""
    out, err = cwd / ".out", cwd / ".err"
    started = time.monotonic()
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([KG, *args], stdout=o, stderr=e, cwd=cwd, env={**os.environ, "LANG": "C.UTF-8"},
                                preexec_fn=None if umask is None else (lambda: os.umask(umask)))
        deadline = started + 120
        peak = 0
        while True:  # the child's own peak (VmHWM), read until it ends: wait4's ru_maxrss counts the
            peak = max(peak, _peak_kb(proc.pid))  # memory of pytest itself at the fork, 844 MB late in a run
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, _ = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"),
               time.monotonic() - started, peak / 1024)


def _peak_kb(pid: int) -> int:
    """The peak resident memory (kB) of process ``pid`` so far, 0 once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def refused_quickly(run: Run, *needles: str) -> None:
    """Exit 2 (unusable input) within the time and memory bounds, the message naming the limit."""
    assert run.code == 2, (run.code, run.err[-2000:])
    assert run.seconds < SECONDS, f"took {run.seconds:.1f} s"
    assert run.megabytes < MEGABYTES, f"took {run.megabytes:.0f} MB"
    assert "Traceback" not in run.err
    for needle in needles:
        assert needle in run.err, run.err[-2000:]


# ── kg validate ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("body", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_kg_validate_refuses_rdf_xml_with_a_dtd(tmp_path: Path, body: bytes) -> None:
    (tmp_path / "laughs.rdf").write_bytes(body)
    run = kg("validate", "laughs.rdf", "--lang", "en", cwd=tmp_path)
    refused_quickly(run, "laughs.rdf:2", "<!DOCTYPE", "DTD")
    assert "lollol" not in run.err and "lollol" not in run.out


@pytest.mark.parametrize(("name", "body", "needle"), [
    ("deep.jsonld", DEEP_JSON, f"the limit is {MAX_JSON_DEPTH}"),
    ("deep.ttl", DEEP_TURTLE, f"the limit is {MAX_TURTLE_DEPTH}"),
    ("list.ttl", DEEP_LIST, f"the limit is {MAX_TURTLE_DEPTH}"),
    ("deep.trig", b"<urn:g> { " + DEEP_TURTLE + b" }", f"the limit is {MAX_TURTLE_DEPTH}"),
    ("deep.rdf", DEEP_XML, f"more than {MAX_XML_DEPTH}"),
], ids=["json-ld", "turtle-blank-nodes", "turtle-collections", "trig", "rdf-xml"])
def test_kg_validate_refuses_rdf_nested_past_its_limit(tmp_path: Path, name: str, body: bytes, needle: str) -> None:
    (tmp_path / name).write_bytes(body)
    refused_quickly(kg("validate", name, "--lang", "en", cwd=tmp_path), f"{name}:1", needle)


def test_rdf_nested_to_the_limit_is_read(tmp_path: Path) -> None:
    """At the limit, the parsers read the file: it is refused only for holding no agreement."""
    depth = MAX_TURTLE_DEPTH
    (tmp_path / "ok.ttl").write_bytes(b"<urn:a> <urn:b> " + b"[ <urn:p> " * depth + b"<urn:c>" + b" ]" * depth + b" .")
    run = kg("validate", "ok.ttl", "--lang", "en", cwd=tmp_path)
    assert run.code == 2 and "neither a renkei:Agreement nor a renkei:Amendment" in run.err, run.err


REMOTE: dict[str, Callable[[str], object]] = {
    "context_iri": lambda url: {"@context": url, "@id": "urn:a", "urn:b": "c"},
    "context_list": lambda url: {"@context": [{"x": "urn:x#"}, url], "@id": "urn:a"},
    "import": lambda url: {"@context": {"@import": url}, "@id": "urn:a"},
    "nested_scoped": lambda url: {"@graph": [{"@id": "urn:a", "urn:b": {"@context": url, "@id": "urn:c"}}]},
}


@pytest.mark.parametrize("make", REMOTE.values(), ids=REMOTE.keys())
def test_kg_validate_fetches_no_remote_context_unless_asked(
    tmp_path: Path, listener: tuple[int, list[bytes]], make: Callable[[str], object]  # noqa: F811
) -> None:
    port, hits = listener
    url = f"http://127.0.0.1:{port}"
    (tmp_path / "remote.jsonld").write_text(json.dumps(make(url + "/context.jsonld")), encoding="utf-8")
    run = kg("validate", "remote.jsonld", "--lang", "en", cwd=tmp_path)
    refused_quickly(run, "--allow-remote")
    ja = kg("validate", "remote.jsonld", "--lang", "ja", cwd=tmp_path)
    assert "取得" in ja.err and "--allow-remote" in ja.err
    time.sleep(0.3)
    assert hits == [], "kg validate fetched the context"


def test_kg_validate_fetches_a_remote_context_when_asked(
    tmp_path: Path, listener: tuple[int, list[bytes]]  # noqa: F811
) -> None:
    port, hits = listener
    url = f"http://127.0.0.1:{port}"
    (tmp_path / "remote.jsonld").write_text(json.dumps(REMOTE["context_iri"](url + "/c.jsonld")), encoding="utf-8")
    run = kg("validate", "remote.jsonld", "--allow-remote", "--lang", "en", cwd=tmp_path)
    assert hits, "--allow-remote did not fetch the context"
    assert run.code == 2 and "neither a renkei:Agreement nor a renkei:Amendment" in run.err  # read, then judged


# ── kg ingest ────────────────────────────────────────────────────────────────────────────────


def test_kg_ingest_refuses_a_page_nested_40000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_bytes(DEEP_HTML)
    refused_quickly(kg("ingest", "deep.html", "--lang", "en", cwd=tmp_path), "deep.html:1", f"more than {MAX_DEPTH}")


def test_kg_validate_refuses_a_page_nested_40000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_bytes(DEEP_HTML)
    refused_quickly(kg("validate", "deep.html", "--lang", "en", cwd=tmp_path), f"more than {MAX_DEPTH}")


def test_kg_ingest_output_follows_the_umask(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    run = kg("ingest", "a.txt", "-o", "a.ttl", cwd=tmp_path, umask=0o022)
    assert run.code == 0, run.err
    assert stat.S_IMODE((tmp_path / "a.ttl").stat().st_mode) == 0o644
    run = kg("ingest", "a.txt", "-o", "b.nq", cwd=tmp_path, umask=0o027)
    assert stat.S_IMODE((tmp_path / "b.nq").stat().st_mode) == 0o640


# ── kg query ─────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A tiny bare store (kg query --store takes one)."""
    path = tmp_path / "store"
    s = ox.Store(str(path))
    s.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
    s.flush()
    del s
    return path


@pytest.mark.parametrize("query", [DEEP_QUERY, DEEP_PARENS], ids=["braces", "parentheses"])
def test_kg_query_refuses_a_query_nested_10000_deep(tmp_path: Path, store: Path, query: str) -> None:
    (tmp_path / "deep.rq").write_text(query, encoding="utf-8")
    run = kg("query", "-f", "deep.rq", "--store", str(store), cwd=tmp_path)
    refused_quickly(run, f"the limit is {MAX_NESTING}")


def test_kg_query_answers_a_query_nested_to_the_limit(tmp_path: Path, store: Path) -> None:
    query = "ASK " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING
    run = kg("query", query, "--store", str(store), cwd=tmp_path)
    assert run.code == 0 and run.out.strip() == "true", run.err


def test_kg_query_refuses_service_unless_asked(tmp_path: Path, store: Path,
                                               listener: tuple[int, list[bytes]]) -> None:  # noqa: F811
    port, hits = listener
    url = f"http://127.0.0.1:{port}"
    query = f"SELECT * {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"
    refused_quickly(kg("query", query, "--store", str(store), cwd=tmp_path), "SERVICE", "--allow-service")
    time.sleep(0.3)
    assert hits == [], "kg query queried the remote endpoint"
    kg("query", query, "--store", str(store), "--allow-service", cwd=tmp_path)
    assert hits, "--allow-service did not query the endpoint"


# ── Over HTTP ────────────────────────────────────────────────────────────────────────────────


def _answered_quickly(server: Server, method: str, path: str, **kw: object) -> tuple[int, str]:
    started = time.monotonic()
    r = getattr(server, method)(path, **kw)
    assert time.monotonic() - started < SECONDS, f"{path} took {time.monotonic() - started:.1f} s"
    assert server.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # and the server still answers
    return r.status_code, r.text


@pytest.mark.parametrize("query", [DEEP_QUERY, DEEP_PARENS], ids=["braces", "parentheses"])
def test_post_sparql_refuses_a_query_nested_10000_deep(robust_server: Server, query: str) -> None:
    restarted = robust_server.get("/health").json()["workers_restarted"]
    status, text = _answered_quickly(robust_server, "post", "/sparql", content=query,
                                     headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and str(MAX_NESTING) in text, text[:500]
    assert robust_server.get("/health").json()["workers_restarted"] == restarted, "a query worker crashed"


@pytest.mark.parametrize(("body", "media", "needle"), [
    (LAUGHS, "application/rdf+xml", "DOCTYPE"),
    (EXTERNAL, "application/rdf+xml", "DOCTYPE"),
    (DEEP_JSON, "application/ld+json", str(MAX_JSON_DEPTH)),
    (DEEP_TURTLE, "text/turtle", str(MAX_TURTLE_DEPTH)),
    (DEEP_HTML, "text/html", str(MAX_DEPTH)),
], ids=["billion-laughs", "external-entity", "deep-json", "deep-turtle", "deep-html"])
def test_post_validate_refuses_hostile_bodies(robust_server: Server, body: bytes, media: str, needle: str) -> None:
    status, text = _answered_quickly(robust_server, "post", "/validate", content=body,
                                     headers={"Content-Type": media, "Accept": "application/json"})
    assert status == 400 and needle in text, text[:500]
    assert "lollol" not in text


# ── A long annex ─────────────────────────────────────────────────────────────────────────────


def annex_of(rows: int) -> bytes:
    """The seed agreement with ``rows`` more initiatives in its annex's last group."""
    lines = SEED.read_text(encoding="utf-8").rstrip("\n").split("\n")
    cells = lines[-1].split("\t", 1)[1]
    extra = [f"({i}) 圏域マネジメント能力の強化その{i}\t{cells}" for i in range(13, 13 + rows)]
    return ("\n".join(lines + extra) + "\n").encode("utf-8")


@pytest.mark.slow
def test_kg_ingest_reads_a_10000_row_annex_in_seconds(tmp_path: Path) -> None:
    """Linear in rows: 9 s and 1 GB here (2 cores); 23 s before the graph was written without the
    cyclic collector walking every triple kept (kg/ingest/build.py)."""
    (tmp_path / "annex.txt").write_bytes(annex_of(10_000))
    run = kg("ingest", "annex.txt", "-o", "annex.nt", cwd=tmp_path)
    assert run.code == 0, run.err[-2000:]
    assert run.seconds < 20, f"took {run.seconds:.1f} s"
    assert run.megabytes < 1500, f"took {run.megabytes:.0f} MB"
    typed = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/renkei/ns#Initiative> ."
    assert (tmp_path / "annex.nt").read_text(encoding="utf-8").count(typed) == 10_000 + 19  # and the seed's 19
