"""Reference graphs: ontology, framework, statute, municipalities, areas and their memberships,
boundaries (kg.reference.geo).

Each is one named graph of the dataset (docs/model.md, "Named graphs"). ``context_ntriples`` gives
the slice an agreement needs to be validated on its own: the framework, the statute, and the
municipalities and areas it mentions.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jaconv
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS, TIME
from rdflib.term import Node

from kg.errors import RdfSyntaxError, ReferenceDataError
from kg.namespaces import DEFAULT_BASE, ELI, ORG, RENKEI, Ids, bind_prefixes
from kg.reference.codes import standard_area_code
from kg.reference.geo import geometry_graph
from kg.reference.romaji import english_name
from kg.reference.tables import load_registry
from kg.settings import Settings
from kg.validation.reads import only_read

__all__ = [
    "E_GOV_LAW", "E_STAT_SAC", "areas_graph", "context_ntriples", "e_gov_page", "e_stat_iri", "law_graph",
    "municipalities_graph", "ontology_graph", "parse_turtle", "reference_graphs",
]

#: e-Stat statistical LOD, standard area codes: ``C{5 digits}`` is the code itself; the dated
#: ``C{5 digits}-{YYYYMMDD}`` resources are its versions (issue 12, point 4).
E_STAT_SAC = "http://data.e-stat.go.jp/lod/sac/C"
#: e-Gov 法令検索: a law's page by its law ID; provisions are anchors in that page.
E_GOV_LAW = "https://laws.e-gov.go.jp/law/"

MIC_CODE_LIST = URIRef("https://www.soumu.go.jp/denshijiti/code.html")
_EN_NOTE_JA = "英語名は総務省のカナ表記から本プロジェクトが翻字したもので、公式名称ではない。"
_EN_NOTE_EN = "English name transliterated by this project from MIC's kana reading; not an official name."


@cache
def parse_turtle(path: Path) -> Graph:
    """Parse a Turtle file once (cached); a syntax error names the file and line."""
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError as e:
        raise ReferenceDataError("reference file missing", file=path) from e
    except Exception as e:  # rdflib raises several unrelated types for bad Turtle
        raise RdfSyntaxError(f"not valid Turtle: {e}", file=path) from e
    return g


@cache
def _rebased(path: Path, base: str) -> Graph:
    """A data file written under the default base (``…/renkei/id/``), moved to ``base`` (cached)."""
    g = parse_turtle(path)
    if base == DEFAULT_BASE:
        return g
    old, new = DEFAULT_BASE + "id/", base + "id/"

    def move(t: Node) -> Node:
        return URIRef(new + t[len(old):]) if isinstance(t, URIRef) and t.startswith(old) else t

    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    for s_, p, o in g:
        out.add((move(s_), p, move(o)))
    return out


def _ref(settings: Settings) -> Path:
    return settings.data_path / "reference"


def e_stat_iri(code: str) -> URIRef:
    """The e-Stat standard area code IRI of a 6-digit local government code (its check digit
    dropped; a prefecture's is its 2-digit code and "000").

    >>> str(e_stat_iri("072036")), str(e_stat_iri("070009"))
    ('http://data.e-stat.go.jp/lod/sac/C07203', 'http://data.e-stat.go.jp/lod/sac/C07000')
    """
    return URIRef(E_STAT_SAC + standard_area_code(code))


def municipalities_graph(settings: Settings, codes: set[str] | None = None) -> Graph:
    """Every municipality and prefecture of the MIC code list (or only ``codes`` and their prefectures)."""
    reg = load_registry(_ref(settings))
    ids = settings.ids
    g = Graph()
    bind_prefixes(g, settings.base_iri)
    wanted = None
    if codes is not None:
        known = [reg.municipalities[c] for c in codes if c in reg.municipalities]
        wanted = set(codes) | {m.prefecture_code for m in known}
    for m in reg.municipalities.values():
        if wanted is not None and m.code not in wanted:
            continue
        s = ids.municipality(m.code)
        # A prefecture is a local government but not a municipality (issue 12, point 2); both
        # types are stated, so that shapes and queries need no reasoning.
        g.add((s, RDF.type, RENKEI.LocalGovernment))
        if m.kind == "prefecture":
            g.add((s, RDF.type, RENKEI.Prefecture))
        else:
            g.add((s, RDF.type, RENKEI.Municipality))
            g.add((s, RENKEI.prefecture, ids.municipality(m.prefecture_code)))
        # skos:exactMatch, not owl:sameAs: the e-Stat resource is the code for the area, not the
        # legal person that signs agreements (docs/model.md, "Links out").
        g.add((s, SKOS.exactMatch, e_stat_iri(m.code)))
        for p in (SKOS.prefLabel, RDFS.label):
            g.add((s, p, Literal(m.name, lang="ja")))
        g.add((s, RDFS.label, Literal(english_name(m.kana, m.kind), lang="en")))
        g.add((s, SKOS.editorialNote, Literal(_EN_NOTE_JA, lang="ja")))
        g.add((s, SKOS.editorialNote, Literal(_EN_NOTE_EN, lang="en")))
        g.add((s, SKOS.altLabel, Literal(jaconv.h2z(m.kana), lang="ja-Kana")))
        g.add((s, RENKEI.localGovernmentCode, Literal(m.code)))
        g.add((s, RENKEI.standardAreaCode, Literal(standard_area_code(m.code))))
        g.add((s, DCTERMS.identifier, Literal(m.code)))
        g.add((s, DCTERMS.source, MIC_CODE_LIST))
    return g


def _sources(cell: str) -> list[tuple[URIRef, str]]:
    """'URL (a remark) ; URL' → [(URL, 'a remark'), (URL, '')]: the registry annotates some sources."""
    out = []
    for piece in cell.split(" ; "):
        url, _, remark = piece.strip().partition(" ")
        if url:
            out.append((URIRef(url), remark.strip()))
    return out


_ROLES = {"central": RENKEI.CentralCityRole, "partner": RENKEI.PartnerRole, "member": RENKEI.UnstatedRole}
_UNCONFIRMED_JA = ("未確認：出典はこの団体を県の交付金による支援の対象として挙げるのみで、圏域の構成市町村"
                   "（高知市を含む21市町村）には数えていない。")
_UNCONFIRMED_EN = ("Unconfirmed: the sources list this municipality only as supported by a prefectural grant, "
                   "not among the area's 21 member municipalities (高知市 included).")
_MONTH = re.compile(r"\d{4}-\d\d")


def _instant(g: Graph, ids: Ids, value: str) -> URIRef:
    """The time:Instant of a day (``2019-10-18``) or, where the sources give only the month, of a
    month (``2023-03``): one IRI per value, shared by every interval that begins then."""
    s = ids.id(f"instant/{value}")
    g.add((s, RDF.type, TIME.Instant))
    if _MONTH.fullmatch(value):
        g.add((s, TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)))
    else:
        g.add((s, TIME.inXSDDate, Literal(value, datatype=XSD.date)))
    return s


def areas_graph(settings: Settings) -> Graph:
    """Areas, memberships (role, period, agreement dates, sources, whether confirmed) and
    signatories' identities (docs/model.md, "Reference data")."""
    ref = _ref(settings)
    reg = load_registry(ref)
    ids = settings.ids
    g = Graph()
    bind_prefixes(g, settings.base_iri)
    with (ref / "areas.csv").open(encoding="utf-8", newline="") as f:
        area_rows = {r["slug"]: r for r in csv.DictReader(f)}
    for a in reg.areas.values():
        s = ids.area(a.slug)
        g.add((s, RDF.type, RENKEI.Area))
        g.add((s, SKOS.prefLabel, Literal(a.name, lang="ja")))
        g.add((s, RDFS.label, Literal(a.name, lang="ja")))
        g.add((s, RDFS.label, Literal(a.label_en, lang="en")))
        g.add((s, SKOS.editorialNote, Literal("English name is this project's translation.", lang="en")))
        if a.name_note:
            g.add((s, SKOS.note, Literal(a.name_note, lang="en" if a.name_note.isascii() else "ja")))
        row = area_rows[a.slug]
        g.add((s, RENKEI.confirmed, Literal((row.get("confirmed") or "true") == "true")))
        for src, _remark in _sources(row.get("source") or ""):
            g.add((s, DCTERMS.source, src))
        for lang in ("ja", "en"):
            if row.get(f"note_{lang}"):
                g.add((s, SKOS.editorialNote, Literal(row[f"note_{lang}"], lang=lang)))
    path = ref / "memberships.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if r["area"] not in reg.areas:
                raise ReferenceDataError(f"unknown area {r['area']!r}", file=path, line=line)
            if r["code"] and r["code"] not in reg.municipalities:
                raise ReferenceDataError(f"unknown code {r['code']!r}", file=path, line=line)
            area = ids.area(r["area"])
            mem = ids.membership(r["area"], r["code"])
            member = ids.municipality(r["code"])
            # ORG: org:hasMembership is the member's side (the inverse of org:member); the area is
            # reached by org:organization. (Stating area org:hasMembership made an OWL reasoner
            # merge areas with their members: org:member is functional.)
            g.add((mem, RDF.type, ORG.Membership))
            g.add((mem, ORG.organization, area))
            g.add((mem, ORG.member, member))
            g.add((member, ORG.hasMembership, mem))
            prefecture = r["code"] in reg.municipalities and reg.municipalities[r["code"]].kind == "prefecture"
            # A prefecture partner is its own kind of membership (issue 12, point 2): it is not
            # one of the area's municipalities.
            role = RENKEI.PrefecturePartnerRole if prefecture else _ROLES[r["role"]]
            g.add((mem, ORG.role, role))
            if role == RENKEI.CentralCityRole:
                g.add((area, RENKEI.centralCity, member))
            period = URIRef(f"{mem}/period")
            g.add((mem, ORG.memberDuring, period))
            g.add((period, RDF.type, TIME.Interval))
            if r.get("begins"):
                g.add((period, TIME.hasBeginning, _instant(g, ids, r["begins"])))
            confirmed = (r.get("confirmed") or "true") == "true"
            g.add((mem, RENKEI.confirmed, Literal(confirmed)))
            if not confirmed:  # as ontology/framework.ttl: an editorial note says what is unconfirmed
                g.add((mem, SKOS.editorialNote, Literal(_UNCONFIRMED_JA, lang="ja")))
                g.add((mem, SKOS.editorialNote, Literal(_UNCONFIRMED_EN, lang="en")))
            if r["agreement_date"]:
                g.add((mem, RENKEI.agreementDate, Literal(r["agreement_date"], datatype=XSD.date)))
            if r["date_note"]:
                g.add((mem, SKOS.note, Literal(r["date_note"])))
            if r["note"]:
                g.add((mem, SKOS.note, Literal(r["note"])))
            for src, remark in _sources(r["source"]):
                g.add((mem, DCTERMS.source, src))
                if remark:
                    g.add((mem, SKOS.note, Literal(f"source {src}: {remark}")))
    for p in reg.people:
        s = ids.person(p.slug)
        g.add((s, RDF.type, FOAF.Person))
        g.add((s, FOAF.name, Literal(p.name, lang="ja")))
        g.add((s, RDFS.label, Literal(p.name, lang="ja")))
        if p.name_en:
            g.add((s, FOAF.name, Literal(p.name_en, lang="en")))
            g.add((s, RDFS.label, Literal(p.name_en, lang="en")))
        g.add((s, DCTERMS.source, URIRef(p.source)))
        if p.note:
            g.add((s, SKOS.note, Literal(p.note, lang="en")))
    return g


def e_gov_page(law_id: str, article: str | None = None, paragraph: str | None = None) -> URIRef:
    """The e-Gov 法令検索 page of a law, with the anchor of an article or paragraph in it.

    >>> str(e_gov_page("322AC0000000067", "252-2", "1"))
    'https://laws.e-gov.go.jp/law/322AC0000000067#Mp-At_252_2-Pa_1'
    """
    anchor = ""
    if article:
        anchor = "#Mp-At_" + article.replace("-", "_")  # 第252条の2: Mp-At_252_2 (main provision)
        if paragraph:
            anchor += f"-Pa_{paragraph}"
    return URIRef(E_GOV_LAW + law_id + anchor)


def law_graph(settings: Settings) -> Graph:
    """The statute and its provisions (data/reference/law.ttl), each linked to its place on e-Gov
    (``foaf:page``, the page with the provision's anchor; issue 12, point 4)."""
    g = Graph()
    source = _rebased(settings.data_path / "reference" / "law.ttl", settings.base_iri)
    for prefix, ns in source.namespaces():
        g.bind(prefix, ns)
    g += source
    prefix = str(settings.ids.id("law/"))
    pattern = re.compile(r"([0-9A-Z]+)(?:/article/([0-9-]+)(?:/paragraph/([0-9]+))?)?")
    for s in set(g.subjects(RDF.type, ELI.LegalResource)) | set(g.subjects(RDF.type, ELI.LegalResourceSubdivision)):
        match = pattern.fullmatch(str(s)[len(prefix):]) if str(s).startswith(prefix) else None
        if match:
            g.add((s, FOAF.page, e_gov_page(*match.groups())))
    return g


def ontology_graph(settings: Settings) -> Graph:
    """``ontology/renkei.ttl`` with ``ontology/external.ttl``: the external terms the data uses,
    declared as their vocabularies give them (issue 12, point 3), so that a tool reading only
    graph/ontology sees them."""
    renkei = parse_turtle(settings.ontology_path / "renkei.ttl")
    external = settings.ontology_path / "external.ttl"
    if not external.exists():
        return renkei
    g = Graph()
    for prefix, ns in renkei.namespaces():
        g.bind(prefix, ns)
    g += renkei
    g += parse_turtle(external)
    return g


def reference_graphs(settings: Settings) -> dict[URIRef, Graph]:
    """Every reference graph of the dataset, by graph name."""
    ids: Ids = settings.ids
    return {
        ids.graph("ontology"): ontology_graph(settings),
        ids.graph("framework"): _rebased(settings.ontology_path / "framework.ttl", settings.base_iri),
        ids.graph("law"): law_graph(settings),
        ids.graph("municipalities"): municipalities_graph(settings),
        ids.graph("areas"): areas_graph(settings),
        ids.graph("geometry"): geometry_graph(settings),
    }


def context_ntriples(data: Graph, settings: Settings, ntriples: bytes | None = None, *,
                     predicates: frozenset[str] | None = None) -> bytes:
    """What ``data`` (one agreement) needs beside it to be validated, as N-Triples: framework,
    statute, its municipalities (with their prefectures) and areas (without the other members).
    ``ntriples`` is ``data`` as N-Triples, when the caller has it: the municipalities are then
    read from the text, not from rdflib's store (2 ms an agreement). With ``predicates``, only the
    triples with one of them: what the shapes can read (kg.validation.reads).

    Put together from pieces serialised once per process: a build validates thousands of
    agreements, and building each context as an rdflib graph took as long as validating it."""
    ids = settings.ids
    pieces = _context_pieces(settings.ontology_path, _ref(settings), settings.base_iri)
    if predicates is not None:
        pieces = _sliced(pieces, predicates)
    prefix = str(ids.id("municipality/"))
    codes = None if ntriples is None else _codes_in(ntriples, prefix)
    if codes is None:
        codes = {str(o)[len(prefix):] for o in data.all_nodes() if str(o).startswith(prefix)}
    codes |= {pieces.prefecture_of[c] for c in codes if c in pieces.prefecture_of}
    area_prefix = str(ids.id("area/"))
    areas = {str(o) for o in data.objects(None, RENKEI.area) if str(o).startswith(area_prefix)}
    return b"".join([pieces.fixed, *(pieces.municipalities.get(c, b"") for c in sorted(codes)),
                     *(pieces.areas.get(a, b"") for a in sorted(areas))])


def _codes_in(ntriples: bytes, prefix: str) -> set[str] | None:
    """The codes of the municipality IRIs (``prefix`` + code) that are a subject or an object in
    ``ntriples``, as ``Graph.all_nodes()`` would find them; None when the prefix also stands
    elsewhere (inside a literal, say), which this reading does not decide.

    A line of N-Triples is one triple, a literal's line breaks escaped: a node IRI is a line's
    subject (at its start) or its object (a space before it, " ." and the line's end after it)."""
    start = prefix.encode()
    codes: set[str] = set()
    at = ntriples.find(start)
    while at >= 0:
        end = ntriples.find(b">", at)
        code = ntriples[at + len(start):end]
        if at == 0 or ntriples[at - 1:at] != b"<" or end < 0 or b"\\" in code:
            return None
        if at > 1 and ntriples[at - 2:at - 1] != b"\n":  # not a subject: an object, or not a node
            eol = ntriples.find(b"\n", end)
            if ntriples[at - 2:at - 1] != b" " or ntriples[end + 1:None if eol < 0 else eol].strip() != b".":
                return None
        codes.add(code.decode())
        at = ntriples.find(start, end)
    return codes


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process (cached), a key of _sliced's cache
class _ContextPieces:
    fixed: bytes  #: the framework and the statute
    municipalities: dict[str, bytes]  #: code → its description
    prefecture_of: dict[str, str]  #: municipality code → its prefecture's code
    areas: dict[str, bytes]  #: area IRI → its own triples, without memberships


@cache
def _context_pieces(ontology_dir: Path, ref_dir: Path, base: str) -> _ContextPieces:
    def nt(g: Graph) -> bytes:
        return g.serialize(format="nt", encoding="utf-8")

    settings = Settings(root=ontology_dir.parent, data_dir=ref_dir.parent, base_iri=base)
    fixed = nt(_rebased(ontology_dir / "framework.ttl", base)) + nt(law_graph(settings))
    prefix = f"<{settings.ids.id('municipality/')}".encode()
    by_code: dict[str, list[bytes]] = {}
    for line in nt(municipalities_graph(settings)).splitlines(keepends=True):
        if line.startswith(prefix):  # every triple of the graph is about a municipality or prefecture
            by_code.setdefault(line[len(prefix):line.index(b">")].decode(), []).append(line)
    reg = load_registry(ref_dir)
    return _ContextPieces(
        fixed,
        {code: b"".join(lines) for code, lines in by_code.items()},
        {m.code: m.prefecture_code for m in reg.municipalities.values() if m.kind != "prefecture"},
        {str(area): nt(g) for area, g in _area_descriptions(ref_dir, base).items()},
    )


@cache
def _sliced(pieces: _ContextPieces, predicates: frozenset[str]) -> _ContextPieces:
    """``pieces`` with only the triples whose predicate is in ``predicates`` (once per process)."""
    return _ContextPieces(only_read(pieces.fixed, predicates),
                          {c: only_read(nt, predicates) for c, nt in pieces.municipalities.items()},
                          pieces.prefecture_of, {a: only_read(nt, predicates) for a, nt in pieces.areas.items()})


@cache
def _area_descriptions(ref_dir: Path, base: str) -> dict[Node, Graph]:
    """Each area's own triples (not its memberships), built once per process: a build validates
    thousands of agreements, each needing its area's description."""
    full = areas_graph(Settings(data_dir=ref_dir.parent, base_iri=base))
    out: dict[Node, Graph] = {area: Graph() for area in full.subjects(RDF.type, RENKEI.Area)}
    for s, p, o in full:
        if s in out:
            out[s].add((s, p, o))
    return out
