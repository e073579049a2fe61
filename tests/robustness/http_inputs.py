"""Hypothesis strategies for adversarial HTTP requests to every route of ``kg serve``.

A request is (method, target bytes, headers, body). Values mix what the routes expect (the
library's queries, graph names, format aliases, agreement keys) with what they must survive:
random Unicode, invalid UTF-8, broken percent-encoding, ``..`` and encoded slashes, huge values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from kg.store import GRAPH_FORMATS, RESULT_FORMATS

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/renkei/"
AGREEMENT_KEY = "072036-072109-2019-10-18"


@dataclass(frozen=True)
class Req:
    """One request as sent on the wire."""

    method: str
    target: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes | None = None

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        body = (self.body or b"")[:300]
        return f"Req({self.method} {self.target[:300]!r} headers={self.headers!r} body={body!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints examples with the IPython pretty-printer: keep huge targets short there too."""
        printer.text(repr(self))


@cache
def library_queries() -> tuple[str, ...]:
    """The text of every query in ``queries/`` (they exercise the real dataset)."""
    texts = tuple(p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq")))
    assert texts, "queries/ holds no .rq file"
    return texts


GRAPHS = (
    BASE + f"graph/agreement/{AGREEMENT_KEY}", BASE + "graph/areas", BASE + "graph/framework",
    BASE + "graph/municipalities", BASE + "graph/catalog", BASE + "graph/nothing", "urn:x", "", "http://example.org/",
    "file:///etc/passwd", "<>", "%", "relative",
)
FORMAT_WORDS = tuple(
    {a for f in (*RESULT_FORMATS, *GRAPH_FORMATS) for a in (*f.aliases, f.media_type, *f.media_types)}
) + ("", "html", "text/html", "*/*", "application/json; charset=utf-16", "exe")
MEDIA = (
    "*/*", "text/html", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
    "application/rdf+xml", "application/json", "text/plain", "image/png", "text/*", "application/*", "*/html",
    "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
    "text/plain; charset=utf-16", "application/sparql-query; charset=latin-1", "multipart/form-data; boundary=x",
)
#: Header values as a client may send them: media ranges with odd q-values, and garbage (visible ASCII).
header_values = st.one_of(
    st.lists(
        st.tuples(
            st.sampled_from(MEDIA), st.sampled_from(["", ";q=0", ";q=0.5", ";q=1.5", ";q=x", ";q=-1", ";level=1"])
        ),
        max_size=6,
    ).map(lambda items: ", ".join(m + q for m, q in items)),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=120),
)

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
huge = st.integers(10_000, 300_000).map(lambda n: "x" * n)


@st.composite
def mutated_query(draw: st.DrawFn) -> str:
    """A library query with a slice cut out or random text spliced in (syntax errors deep inside)."""
    text = draw(st.sampled_from(library_queries()))
    i = draw(st.integers(0, len(text)))
    j = draw(st.integers(i, min(len(text), i + 40)))
    splice = draw(st.one_of(st.just(""), unicode_text, st.sampled_from(["}", "{", "?", "<", '"', "\\u"])))
    return text[:i] + splice + text[j:]


query_values = st.one_of(
    st.sampled_from(library_queries()),
    mutated_query(),
    st.sampled_from(["ASK {}", "SELECT * { ?s ?p ?o } LIMIT 3", "DESCRIBE <>", "CONSTRUCT WHERE { ?s ?p ?o }",
                     "INSERT DATA { <a> <b> <c> }", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                     "SELECT * FROM <http://example.org/> { ?s ?p ?o }", "SELECT * { ?s ?p ?o } LIMIT 3 \x00"]),
    unicode_text,
    huge,
)
any_value = st.one_of(
    query_values, st.sampled_from(GRAPHS), st.sampled_from(FORMAT_WORDS), unicode_text, huge, st.just("1")
)
PARAM_NAMES = ("query", "default-graph-uri", "named-graph-uri", "format", "output", "results", "download", "update")


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` percent-encoded properly, as invalid UTF-8, or with stray ``%`` and raw bytes."""
    how = draw(st.sampled_from(["proper", "proper", "plus", "latin1", "broken", "raw"]))
    if how == "proper":
        return quote(text, safe="").encode()
    if how == "plus":
        return quote(text, safe=" ").replace(" ", "+").encode()
    if how == "latin1":  # invalid UTF-8 once decoded
        return quote(text.encode("latin-1", "replace"), safe="").encode()
    if how == "broken":
        at = draw(st.integers(0, len(text)))
        stray = draw(st.sampled_from([b"%", b"%Z", b"%ZZ", b"%e3%81", b"%FF"]))
        return quote(text[:at], safe="").encode() + stray + quote(text[at:], safe="").encode()
    return text.encode("utf-8")[:2000].replace(b" ", b"%20").replace(b"\r", b"").replace(b"\n", b"")


@st.composite
def query_string(draw: st.DrawFn, names: tuple[str, ...] = PARAM_NAMES) -> bytes:
    """``name=value&…`` with names the route reads (and others), values of every kind."""
    pairs = draw(st.lists(st.tuples(st.one_of(st.sampled_from(names), unicode_text), any_value), max_size=5))
    parts = [draw(encoded(name)) + b"=" + draw(encoded(value)) for name, value in pairs]
    return b"&".join(parts) + draw(st.sampled_from([b"", b"&", b"&&=", b"=", b"%"]))


@st.composite
def headers(draw: st.DrawFn, extra: tuple[str, ...] = ()) -> tuple[tuple[bytes, bytes], ...]:
    """Accept and a few other headers with random values."""
    names = ("Accept", "Accept-Encoding", "If-None-Match", "Range", "Origin", *extra)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    return tuple((n.encode(), draw(header_values).encode()) for n in chosen)


def _with_query(path: bytes, qs: bytes) -> bytes:
    return path + (b"?" + qs if qs else b"")


@st.composite
def sparql_get(draw: st.DrawFn) -> Req:
    return Req("GET", _with_query(b"/sparql", draw(query_string())), draw(headers()))


@st.composite
def sparql_post(draw: st.DrawFn) -> Req:
    """A POST with a form, a query, random bytes or invalid UTF-8, under any Content-Type."""
    content_type = draw(st.one_of(st.sampled_from(MEDIA), header_values))
    body = draw(
        st.one_of(
            query_string(),
            query_values.map(lambda q: q.encode("utf-8")),
            st.binary(max_size=500),
            query_values.map(lambda q: q.encode("utf-16")),
            st.just(b"query=ASK%20%7B%7D\xff\xfe"),
        )
    )
    qs = draw(st.one_of(st.just(b""), query_string()))
    hdrs = (*draw(headers()), (b"Content-Type", content_type.encode()))
    return Req("POST", _with_query(b"/sparql", qs), hdrs, body)


SEGMENTS = (
    "agreement", AGREEMENT_KEY, "initiative", "3-8", "municipality", "072036", "072109", "area", "koriyama",
    "framework", "3", "catalog", "graph", "role", "..", ".", "%2e%2e", "%2F", "%2f..%2f", "%00", "%ZZ", "%", "",
    "072036-072109-2019-10-18.ttl", "a b", "<script>", '"}UNION{', "\\", "%E3%81", "%FF",
)
EXTENSIONS = ("", "", ".ttl", ".nt", ".jsonld", ".rdf", ".html", ".exe", ".TTL", ".ttl.ttl", ".")


@st.composite
def id_path(draw: st.DrawFn) -> Req:
    """``/id/…`` with real, odd, encoded and random segments and an extension."""
    segments = draw(
        st.lists(st.one_of(st.sampled_from(SEGMENTS), unicode_text.map(lambda s: quote(s, safe=""))), max_size=6)
    )
    path = "/id/" + "/".join(segments) + draw(st.sampled_from(EXTENSIONS))
    return Req(draw(st.sampled_from(["GET", "GET", "HEAD"])), path.encode(), draw(headers()))


DUMP_NAMES = (
    "dataset.ttl", "dataset.nt", "dataset.nq", "dataset.trig", "dataset.jsonld", "dataset.ttl.gz", "catalog.ttl",
    "catalog.ttl.gz", "manifest.json", "../manifest.json", "..%2Fmanifest.json", "%2e%2e%2fmanifest.json", "",
    ".", "..", "store", "dataset.ttl/", "dataset.ttl%00", "DATASET.TTL", "dataset.ttl.gz.gz",
)


@st.composite
def dumps(draw: st.DrawFn) -> Req:
    name = draw(st.one_of(st.sampled_from(DUMP_NAMES), unicode_text.map(lambda s: quote(s, safe=""))))
    prefix = draw(st.sampled_from([b"/dumps/", b"/dumps", b"/dumps//"]))
    method = draw(st.sampled_from(["GET", "HEAD", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]))
    return Req(method, prefix + name.encode(), draw(headers()))


COMPARE_VALUES = (AGREEMENT_KEY, BASE + "id/agreement/" + AGREEMENT_KEY, "agreement/" + AGREEMENT_KEY, "", "072036",
                  "郡山", "<>", "x" * 5000)


@st.composite
def compare(draw: st.DrawFn) -> Req:
    """``/compare?a=&b=&format=`` and the charts' ``?by=``."""
    values = st.one_of(st.sampled_from(COMPARE_VALUES), unicode_text)
    names = ("a", "b", "format", "by")
    words = st.sampled_from(["html", "json", "csv", "svg", "agreements", "areas"])
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.one_of(values, words)), max_size=4))
    qs = b"&".join(draw(encoded(n)) + b"=" + draw(encoded(v)) for n, v in pairs)
    path = draw(st.sampled_from([b"/compare", b"/charts/coverage.svg", b"/charts/timeline.svg", b"/charts/x.svg"]))
    return Req("GET", _with_query(path, qs), draw(headers()))


VALIDATE_TYPES = ("text/plain", "text/turtle", "application/n-triples", "application/n-quads", "application/trig",
                  "application/ld+json", "application/rdf+xml", "text/plain; charset=shift_jis", "application/json",
                  "", "text/html")
RDF_BODIES = (
    b"@prefix : <urn:x#> . :a :b :c .",
    b"<urn:a> <urn:b> <urn:c> .",
    b"<urn:a> <urn:b> <urn:c> <urn:g> .",
    b'{"@id": "urn:a", "urn:b": "c"}',
    b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
    b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a"}',
    b"@prefix : <urn:x#> . :a :b :c",
)


@st.composite
def validate(draw: st.DrawFn) -> Req:
    """``POST /validate`` with texts, RDF, random bytes, under any content type, with a ``?name=``."""
    from .texts import mutated_texts

    body = draw(
        st.one_of(st.sampled_from(RDF_BODIES), st.binary(max_size=300), mutated_texts(), unicode_text.map(str.encode))
    )
    ctype = draw(st.one_of(st.sampled_from(VALIDATE_TYPES), header_values))
    name = st.tuples(st.just(b"name="), unicode_text.flatmap(lambda s: encoded(s))).map(b"".join)
    qs = draw(st.one_of(st.just(b""), name))
    hdrs = (*draw(headers()), (b"Content-Type", ctype.encode()))
    return Req("POST", _with_query(b"/validate", qs), hdrs, body)


OTHER_PATHS = (
    b"/", b"/health", b"/catalog", b"/.well-known/void", b"/api", b"/openapi.json", b"/static/",
    b"/static/../kg/settings.py", b"/static/%2e%2e/app.py", b"/nowhere", b"//", b"/sparql/", b"/SPARQL", b"*",
)


@st.composite
def other_routes(draw: st.DrawFn) -> Req:
    """The remaining routes, any method, and paths no route serves."""
    path = draw(st.sampled_from(OTHER_PATHS))
    method = draw(st.sampled_from(["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"]))
    return Req(method, _with_query(path, draw(st.one_of(st.just(b""), query_string()))), draw(headers()))
