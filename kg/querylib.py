"""The query library: ``queries/NNN_slug.rq`` files, their headers, and the catalogue as RDF.

Each file holds one SPARQL query under a header of ``#`` comment lines, one key per line::

    # title-ja: 協約ごとの取組と双方の役割
    # title-en: Initiatives of one agreement with both parties' roles
    # description-ja: 一つの協約の取組を…示す。
    # description-en: The initiatives of one agreement, …
    # tags: initiatives, roles
    # param: ?agreement — the agreement IRI (default: the founding agreement)

``title-*``, ``description-*`` and ``tags`` are required, ``param`` may repeat. What the query
shows on the published dataset (the one ``kg build`` makes from ``data/``) is stated by three
optional keys, given together: ``published-rows`` (how many rows it answers there: a number,
``>0``, or ``true``/``false`` for an ASK; triples for a CONSTRUCT), and ``published-ja`` /
``published-en``, what that answer means (「公開データでは協約が1件のため…0行になる。」); a test
builds the published dataset and holds every query to its claim. The catalogue
follows the SIB SPARQL examples (sib-swiss/sparql-examples): each query is an
``sh:SPARQLExecutable`` (a class of the SHACL vocabulary) with ``rdfs:label`` and
``rdfs:comment`` in Japanese and English, its text in ``sh:select``/``sh:ask``/``sh:construct``,
and ``schema:keywords``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SDO

from kg.errors import KgError
from kg.namespaces import DEFAULT_BASE, SH, bind_prefixes
from kg.settings import Settings

__all__ = [
    "FORMS", "Param", "QueryDoc", "catalog_graph", "catalog_table", "load_queries", "parse_header",
    "query_form",
]

#: Keys a header must carry, in the order they are written.
REQUIRED_KEYS = ("title-ja", "title-en", "description-ja", "description-en", "tags")
#: Keys a header may carry several times.
REPEATED_KEYS = ("param",)
#: Keys that say what the query shows on the published dataset: all three or none.
PUBLISHED_KEYS = ("published-rows", "published-ja", "published-en")

_NAME = re.compile(r"^(?P<number>\d{3})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.rq$")
_HEADER_LINE = re.compile(r"^#\s*(?P<key>[a-z][a-z-]*)\s*:\s*(?P<value>.*?)\s*$")
#: ``published-rows``: an exact count, "some rows" (``>0``), or an ASK's answer.
_ROWS = re.compile(r"^(?:\d+|>0|true|false)$")
_PARAM = re.compile(r"^\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+—\s+(?P<description>\S.*)$")
# The prologue (SPARQL 1.1 Query §19.8, [4]–[6]) may hold comments, BASE and PREFIX; IRIs are
# matched whole so that the '#' of an IRI such as <…/ns#> never reads as a comment.
_FORM = re.compile(r"(?:\s+|\#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*"
                   r"(?P<form>SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)

#: The SHACL vocabulary's executable class and text property for each query form the library
#: accepts, as sib-swiss/sparql-examples uses them. DESCRIBE is refused: its answer is left to
#: each engine (SPARQL 1.1 Query §16.4), so no expected result could hold on every engine.
FORMS: dict[str, tuple[URIRef, URIRef]] = {
    "SELECT": (SH.SPARQLSelectExecutable, SH.select),
    "ASK": (SH.SPARQLAskExecutable, SH.ask),
    "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
}


@dataclass(frozen=True)
class Param:
    """A variable a user is expected to change, and what it means (with its default)."""

    name: str
    description: str


@dataclass(frozen=True)
class QueryDoc:
    """One query of the library: its file, header and text."""

    number: str
    slug: str
    path: Path
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    """The whole file, header included (it is a valid query: the header is comments)."""
    body: str
    """The query without its header, as the catalogue publishes it."""
    form: str
    """SELECT, ASK or CONSTRUCT."""
    published_rows: str | None = None
    """Its answer on the published dataset: rows (triples for CONSTRUCT) as a number or ``>0``, or
    ``true``/``false`` for ASK; None when the header does not say."""
    published_ja: str | None = None
    """What the query shows on the published dataset, in Japanese."""
    published_en: str | None = None
    """The same in English."""

    def published_holds(self, answer: int | bool) -> bool:
        """Whether ``answer`` (a count of rows or triples, or an ASK's boolean) is what
        ``published-rows`` claims; False when the header claims nothing.

        >>> doc = QueryDoc("001", "x", Path("001_x.rq"), "", "", "", "", (), (), "", "ASK {}", "ASK",
        ...                published_rows="false")
        >>> doc.published_holds(False), doc.published_holds(True)
        (True, False)
        >>> doc = QueryDoc("002", "y", Path("002_y.rq"), "", "", "", "", (), (), "", "SELECT * {}",
        ...                "SELECT", published_rows=">0")
        >>> doc.published_holds(3), doc.published_holds(0), doc.published_holds(True)
        (True, False, False)
        """
        claim = self.published_rows
        if claim is None:
            return False
        if isinstance(answer, bool):
            return claim == str(answer).lower()
        if claim == ">0":
            return answer > 0
        return claim.isdigit() and int(claim) == answer

    @property
    def name(self) -> str:
        """``NNN_slug``, the file name without ``.rq`` (expected results share it)."""
        return f"{self.number}_{self.slug}"

    def for_base(self, base: str) -> str:
        """The query text for data minted under ``base`` instead of the default base IRI.

        >>> doc = QueryDoc("001", "x", Path("001_x.rq"), "", "", "", "", (), (), "",
        ...                "PREFIX agr: <https://w3id.org/renkei/id/agreement/>\\nASK {}", "ASK")
        >>> doc.for_base("http://example.org/r/").splitlines()[0]
        'PREFIX agr: <http://example.org/r/id/agreement/>'
        """
        # Only the data moves with KG_BASE_IRI; the vocabulary (…/ns#) is fixed (kg/namespaces.py).
        return self.body.replace(DEFAULT_BASE + "id/", base + "id/")


def query_form(text: str) -> str | None:
    """The form of a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE), read after its prologue.

    >>> query_form("PREFIX renkei: <https://w3id.org/renkei/ns#>  # vocabulary\\nselect * {}")
    'SELECT'
    >>> query_form("# only a comment") is None
    True
    """
    m = _FORM.match(text)
    return m.group("form").upper() if m else None


def parse_header(lines: Sequence[str], file: Path) -> tuple[dict[str, str], list[Param], int]:
    """Read the ``# key: value`` lines at the top of a query file.

    Returns the single-valued keys, the parameters, and how many lines the header has: it ends
    at the first line that is not a ``# key: value`` comment.

    >>> fields, params, n = parse_header([
    ...     "# title-ja: 取組", "# title-en: Initiatives", "# description-ja: 取組の一覧。",
    ...     "# description-en: The initiatives.", "# tags: initiatives, roles",
    ...     "# param: ?agreement — the agreement IRI", "SELECT * {}"], Path("001_x.rq"))
    >>> fields["tags"], params[0].name, n
    ('initiatives, roles', 'agreement', 6)
    >>> parse_header(["# title-ja: 取組", "SELECT * {}"], Path("002_y.rq"))
    Traceback (most recent call last):
    kg.errors.KgError: 002_y.rq:2: the header lacks title-en, description-ja, description-en, tags
    >>> parse_header(["# title-jp: 取組"], Path("003_z.rq"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.KgError: 003_z.rq:1: unknown header key 'title-jp' (expected one of title-ja, ...)
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    n = 0
    while n < len(lines) and (m := _HEADER_LINE.match(lines[n])) is not None:
        n += 1  # ``n`` is now the 1-based number of the line being read
        key, value = m.group("key"), m.group("value")
        if key not in REQUIRED_KEYS and key not in REPEATED_KEYS and key not in PUBLISHED_KEYS:
            known = ", ".join((*REQUIRED_KEYS, *REPEATED_KEYS, *PUBLISHED_KEYS))
            raise KgError(f"unknown header key {key!r} (expected one of {known})", file=file, line=n)
        if not value:
            raise KgError(f"header key {key!r} has no value", file=file, line=n)
        if key == "param":
            p = _PARAM.match(value)
            if p is None:
                raise KgError(f"a param reads '?name — what it is (default: …)', not {value!r}",
                              file=file, line=n)
            params.append(Param(p.group("name"), p.group("description")))
        elif key == "published-rows" and _ROWS.match(value) is None:
            raise KgError(f"published-rows is a number of rows, '>0', 'true' or 'false', not {value!r}",
                          file=file, line=n, ja=f"published-rows は行数、'>0'、'true' か 'false'（{value!r} ではない）")
        elif key in fields:
            raise KgError(f"header key {key!r} given twice", file=file, line=n)
        else:
            fields[key] = value
    missing = [k for k in REQUIRED_KEYS if k not in fields]
    if any(k in fields for k in PUBLISHED_KEYS):
        missing += [k for k in PUBLISHED_KEYS if k not in fields]
    if missing:
        raise KgError(f"the header lacks {', '.join(missing)}", file=file, line=n + 1)
    return fields, params, n


def _load(path: Path) -> QueryDoc:
    """One query file → QueryDoc; a bad name, header or query form is a KgError naming the file."""
    m = _NAME.match(path.name)
    if m is None:
        raise KgError("a query file is named NNN_words_in_snake_case.rq", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise KgError(f"cannot read the query: {e}", file=path) from e
    lines = text.splitlines()
    fields, params, n = parse_header(lines, path)
    body = "\n".join(lines[n:]).strip("\n") + "\n"
    form = query_form(body)
    if form is None:
        raise KgError("no SELECT, ASK or CONSTRUCT after the prologue", file=path, line=n + 1)
    if form not in FORMS:
        raise KgError(f"{form} answers differ between engines (SPARQL 1.1 Query §16.4); write a "
                      "CONSTRUCT that says which triples you want", file=path, line=n + 1)
    tags = tuple(t.strip() for t in fields["tags"].split(",") if t.strip())
    rows = fields.get("published-rows")
    if rows is not None and (rows in ("true", "false")) != (form == "ASK"):
        line = next(i for i, ln in enumerate(lines, 1) if ln.startswith("#") and
                    ln.lstrip("# \t").startswith("published-rows"))
        if form == "ASK":
            raise KgError(f"published-rows of an ASK is true or false, not {rows!r}", file=path, line=line,
                          ja=f"ASK の published-rows は true か false（{rows!r} ではない）")
        raise KgError(f"published-rows of a {form} is a count, not {rows!r}", file=path, line=line,
                      ja=f"{form} の published-rows は行数（{rows!r} ではない）")
    return QueryDoc(m.group("number"), m.group("slug"), path, fields["title-ja"],
                    fields["title-en"], fields["description-ja"], fields["description-en"], tags,
                    tuple(params), text, body, form, rows, fields.get("published-ja"),
                    fields.get("published-en"))


def load_queries(folder: Path) -> list[QueryDoc]:
    """Every ``NNN_slug.rq`` in ``folder``, in number order; two files with one number is an error."""
    docs = [_load(p) for p in sorted(folder.glob("*.rq"))]
    seen: dict[str, Path] = {}
    for d in docs:
        if d.number in seen:
            raise KgError(f"query number {d.number} is also used by {seen[d.number].name}",
                          file=d.path)
        seen[d.number] = d.path
    return docs


def catalog_graph(queries: Iterable[QueryDoc], settings: Settings) -> Graph:
    """The query catalogue as data: each query an ``sh:SPARQLExecutable`` at ``{base}id/query/NNN``."""
    g = Graph()
    bind_prefixes(g, settings.base_iri)
    g.bind("schema", SDO)
    for q in queries:
        s = settings.ids.id(f"query/{q.number}")
        cls, prop = FORMS[q.form]
        g.add((s, RDF.type, SH.SPARQLExecutable))
        g.add((s, RDF.type, cls))
        g.add((s, DCTERMS.identifier, Literal(q.number)))
        g.add((s, RDFS.label, Literal(q.title_ja, lang="ja")))
        g.add((s, RDFS.label, Literal(q.title_en, lang="en")))
        g.add((s, RDFS.comment, Literal(q.description_ja, lang="ja")))
        g.add((s, RDFS.comment, Literal(q.description_en, lang="en")))
        g.add((s, prop, Literal(q.for_base(settings.base_iri))))
        for tag in q.tags:
            g.add((s, SDO.keywords, Literal(tag)))
    return g


def catalog_table(queries: Iterable[QueryDoc]) -> str:
    """The queries as a Markdown table (number and file, titles in Japanese and English, tags).

    >>> print(catalog_table([QueryDoc("001", "a_b", Path("001_a_b.rq"), "題|名", "Title", "", "",
    ...                                ("x", "y"), (), "", "ASK {}", "ASK")]))
    | # | 題名 | title | tags |
    |---|---|---|---|
    | [001](../queries/001_a_b.rq) | 題\\|名 | Title | x, y |
    """
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| # | 題名 | title | tags |", "|---|---|---|---|"]
    for q in queries:
        lines.append(f"| [{q.number}](../queries/{q.path.name}) | {cell(q.title_ja)} | "
                     f"{cell(q.title_en)} | {cell(', '.join(q.tags))} |")
    return "\n".join(lines)
