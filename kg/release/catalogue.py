"""The DCAT catalogue and VoID description of a release's dumps, SPARQL service and graphs.

:func:`catalog_graph` describes the dumps as kg.release.publish leaves them (after the statistics
graph is appended). The dumps hold every named graph except ``graph/catalog``: the catalogue states
each dump's size and checksum, so it cannot be inside the files it describes (it is served at ``/catalog``).
The catalogue follows DCAT-AP 3.0.1 (SEMICeu), its mandatory and recommended shapes (contact
point, typed publisher, themes, spatial and temporal coverage, format and availability of each
distribution; docs/deploy.md lists the few shapes left out and why); VoID follows the W3C Interest
Group Note (2011). Every URL a harvester follows (landing page, downloads, endpoint, homepage) is
under the deployment's base IRI (``KG_BASE_IRI``), so a local deployment's catalogue never points
at w3id.org.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from kg.namespaces import DCT, ELI, ORG, PREFIXES, RENKEI, SPDX, bind_prefixes
from kg.reference.graphs import e_stat_iri
from kg.release.dumps import DUMPS
from kg.release.manifest import Manifest
from kg.release.statistics import QB, SDMX_DIMENSION, SDMX_MEASURE
from kg.release.void import counted
from kg.settings import Settings

__all__ = ["CATALOG_FILE", "catalog_graph", "file_sha256"]

log = logging.getLogger(__name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "http://www.iana.org/assignments/media-types/"
#: EU Publications Office authority tables (DCAT-AP's controlled vocabularies) and ADMS schemes.
EU = "http://publications.europa.eu/resource/authority/"
EU_LANG = EU + "language/"
GOVE = URIRef(EU + "data-theme/GOVE")
JAPAN = URIRef(EU + "country/JPN")
STABLE = URIRef(EU + "planned-availability/STABLE")
ATTRIBUTION = URIRef("http://purl.org/adms/licencetype/Attribution")
NON_PROFIT = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
#: Each dump's EU file type (dct:format), beside its IANA media type (dcat:mediaType).
FILE_TYPES = {"dataset.ttl": "RDF_TURTLE", "dataset.nt": "RDF_N_TRIPLES", "dataset.nq": "RDF_N_QUADS",
              "dataset.trig": "RDF_TRIG", "dataset.jsonld": "JSON_LD"}
CATALOG_FILE = "catalog.ttl"


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, streamed (a dump of 4,000 agreements is 700 MB)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _lit(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def _date(manifest: Manifest) -> Literal:
    return Literal(manifest.created.isoformat(), datatype=XSD.dateTime)


#: Titles of the schemes the catalogue's controlled values come from (DCAT-AP: a scheme has a title).
SCHEME_TITLES = {
    EU + "data-theme": "Data theme", EU + "country": "Country", EU + "file-type": "File type",
    EU + "language": "Language", EU + "planned-availability": "Planned availability",
    "http://purl.org/adms/licencetype/1.0": "Licence type", "http://purl.org/adms/publishertype/1.0": "Publisher type",
}


def _concept(g: Graph, concept: URIRef, scheme: URIRef, *labels: Literal) -> None:
    """A value of a controlled vocabulary, with the scheme it belongs to: DCAT-AP's
    controlled-vocabulary shapes check skos:inScheme, which the tables would otherwise give."""
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.inScheme, scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    if str(scheme) in SCHEME_TITLES:
        g.add((scheme, DCT.title, Literal(SCHEME_TITLES[str(scheme)], lang="en")))
    for label in labels:
        g.add((concept, SKOS.prefLabel, label))


def _extents(settings: Settings) -> dict[str, tuple[str, str, str]]:
    """Bounding box and centroid (WKT) by prefecture code, and Japan's as ``JPN``
    (data/reference/prefecture-extents.csv, written by scripts/prefecture_extents.py)."""
    path = settings.data_path / "reference" / "prefecture-extents.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["code"]: (r["name"], r["bbox"], r["centroid"]) for r in csv.DictReader(f)}


# The joins below read the union, not a list of 4,000 graphs that pyoxigraph probes at each join step
# (140 s at 4,000, docs/perf/build.md); the union adds only the catalogue graph: the same answers.


def _covered_prefectures(store: ox.Store) -> list[str]:
    """The 6-digit codes of the prefectures the dataset covers: those of every area member and
    agreement party (a prefecture member or party counts itself)."""
    # The members first, each once, then their prefecture: joining the two unions directly made
    # pyoxigraph pair every member with every prefecture (24 s on the published data, 0.02 s so).
    query = f"""SELECT DISTINCT ?code {{
        {{ SELECT DISTINCT ?m {{ {{ ?membership <{ORG.member}> ?m }} UNION {{ ?agreement <{RENKEI.party}> ?m }} }} }}
        OPTIONAL {{ ?m <{RENKEI.prefecture}> ?prefecture }}
        BIND(COALESCE(?prefecture, ?m) AS ?p)
        ?p a <{RENKEI.Prefecture}> ; <{RENKEI.localGovernmentCode}> ?code }} ORDER BY ?code"""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return [str(row["code"].value) for row in solutions if row["code"] is not None]


def _signing_dates(store: ox.Store) -> tuple[str, str] | None:
    """The first and last signing dates in the dataset: of the agreements whose text is in it and
    of the memberships the registry dates (each is an agreement signed with the central city)."""
    query = f"""SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) {{
        {{ ?a a <{RENKEI.Agreement}> ; <{ELI.date_document}> ?d }} UNION {{ ?m <{RENKEI.agreementDate}> ?d }} }}"""
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        if row["first"] is not None and row["last"] is not None:
            return str(row["first"].value), str(row["last"].value)
    return None


def catalog_graph(store: ox.Store, dumps_dir: Path, manifest: Manifest, settings: Settings,
                  statistics: dict[str, int] | None = None, digests: dict[str, str] | None = None) -> Graph:
    """The DCAT-AP 3 catalogue and the VoID description of the release, as an rdflib graph.

    ``statistics`` are the VoID counts (kg.release.void) when the caller has them, else they are
    counted here; ``digests`` the dump files' SHA-256 by file name, else they are computed here."""
    base = settings.base_iri
    ids = settings.ids
    catalog_iri = ox.NamedNode(str(ids.graph("catalog")))
    g = Graph()
    p: URIRef  # the loops below pair predicates with IRIs and literals alike
    o: Node
    bind_prefixes(g, base)
    g.bind("spdx", SPDX)
    g.bind("sd", SD)
    g.bind("vcard", VCARD)
    g.bind("gsp", GSP)
    g.bind("dcatap", DCATAP)
    catalog, dataset, service = ids.id("catalog"), ids.id("dataset"), ids.id("service/sparql")
    publisher, contact = ids.id("publisher"), ids.id("publisher/contact")
    theme_scheme, theme = ids.id("theme"), ids.id("theme/gyozaisei")
    endpoint = URIRef(base + "sparql")
    issued = _date(manifest)
    version = manifest.version

    def titled(node: URIRef, ja: str, en: str, desc_ja: str, desc_en: str) -> None:
        g.add((node, DCT.title, Literal(ja, lang="ja")))
        g.add((node, DCT.title, Literal(en, lang="en")))
        g.add((node, DCT.description, Literal(desc_ja, lang="ja")))
        g.add((node, DCT.description, Literal(desc_en, lang="en")))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("renkei-kg プロジェクト", lang="ja")))
    g.add((publisher, FOAF.name, Literal("The renkei-kg project", lang="en")))
    g.add((publisher, FOAF.homepage, URIRef(base)))
    g.add((publisher, DCT.type, NON_PROFIT))
    _concept(g, NON_PROFIT, URIRef("http://purl.org/adms/publishertype/1.0"),
             Literal("Non-Profit Organisation", lang="en"))
    # The contact point is the deployment itself (its home page), so that a copy of the catalogue
    # served elsewhere sends people to whoever serves it.
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("renkei-kg プロジェクト", lang="ja")))
    g.add((contact, VCARD.fn, Literal("The renkei-kg project", lang="en")))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    g.add((CC_BY, RDF.type, DCT.LicenseDocument))
    g.add((CC_BY, DCT.title, Literal("Creative Commons Attribution 4.0 International", lang="en")))
    g.add((CC_BY, DCT.identifier, Literal("CC-BY-4.0")))  # its SPDX licence identifier
    g.add((CC_BY, DCT.type, ATTRIBUTION))
    _concept(g, ATTRIBUTION, URIRef("http://purl.org/adms/licencetype/1.0"), Literal("Attribution", lang="en"))
    # Themes: the EU data theme "Government and public sector" and a Japanese category, e-Stat's
    # statistical field 行財政 (政府統計の分野), as a concept of our own scheme.
    _concept(g, GOVE, URIRef(EU + "data-theme"), Literal("Government and public sector", lang="en"),
             Literal("政府・公共部門", lang="ja"))
    _concept(g, theme, theme_scheme, Literal("行財政", lang="ja"),
             Literal("Government administration and finance", lang="en"))
    g.add((theme, SKOS.editorialNote,
           Literal("政府統計の分野（e-Stat）の「行財政」に倣う。英語名は本プロジェクトによる訳。", lang="ja")))
    g.add((theme, SKOS.editorialNote, Literal(
        "Follows the field 行財政 of the Japanese government's statistical fields (e-Stat); the English "
        "name is this project's translation.", lang="en")))
    for p, lang, text in ((DCT.title, "ja", "連携協約ナレッジグラフの分類"), (DCT.title, "en", "renkei-kg categories")):
        g.add((theme_scheme, p, Literal(text, lang=lang)))
        g.add((theme_scheme, SKOS.prefLabel, Literal(text, lang=lang)))
    g.add((theme_scheme, SKOS.hasTopConcept, theme))
    # Spatial coverage: Japan, and each prefecture covered, as e-Stat standard area code IRIs
    # (the prefecture's territory, not the prefecture as an organisation).
    extents = _extents(settings)
    _concept(g, JAPAN, URIRef(EU + "country"), Literal("日本", lang="ja"), Literal("Japan", lang="en"))
    places = [(JAPAN, "JPN")] + [(e_stat_iri(code), code) for code in _covered_prefectures(store)]
    for place, code in places:
        g.add((place, RDF.type, DCT.Location))
        if code in extents:
            name, bbox, centroid = extents[code]
            if place != JAPAN:
                g.add((place, SKOS.prefLabel, Literal(name, lang="ja")))
            g.add((place, DCAT.bbox, Literal(bbox, datatype=GSP.wktLiteral)))
            g.add((place, DCAT.centroid, Literal(centroid, datatype=GSP.wktLiteral)))
    # DCAT-AP 3 range shapes check rdf:type with sh:class, so every linked resource says what it is.
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((endpoint, RDF.type, RDFS.Resource))
    for standard in (URIRef(base + "ns#"), URIRef("https://www.w3.org/TR/sparql11-protocol/")):
        g.add((standard, RDF.type, DCT.Standard))
    for code, ja, en in (("JPN", "日本語", "Japanese"), ("ENG", "英語", "English")):
        g.add((URIRef(EU_LANG + code), RDF.type, DCT.LinguisticSystem))
        _concept(g, URIRef(EU_LANG + code), URIRef(EU + "language"), Literal(ja, lang="ja"), Literal(en, lang="en"))

    g.add((catalog, RDF.type, DCAT.Catalog))
    titled(
        catalog,
        "連携協約ナレッジグラフ カタログ",
        "renkei-kg catalogue",
        "連携中枢都市圏の連携協約を linked data として公開するデータセットとサービスの目録。",
        "The datasets and services of renkei-kg, Japanese cooperation agreements as linked data.",
    )
    for p, o in (
        (DCT.publisher, publisher),
        (DCAT.dataset, dataset),
        (DCAT.service, service),
        (DCT.license, CC_BY),
        (FOAF.homepage, URIRef(base)),
        (DCT.language, URIRef(EU_LANG + "JPN")),
        (DCT.language, URIRef(EU_LANG + "ENG")),
        (DCT.spatial, JAPAN),
        (DCAT.themeTaxonomy, URIRef(EU + "data-theme")),
        (DCAT.themeTaxonomy, theme_scheme),
    ):
        g.add((catalog, p, o))
    g.add((catalog, DCT.issued, issued))
    g.add((catalog, DCT.modified, issued))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    titled(
        dataset,
        "連携中枢都市圏 連携協約ナレッジグラフ",
        "Knowledge graph of cooperation agreements (renkei-kg)",
        "連携中枢都市圏の連携協約（地方自治法第252条の2）の条文・別表の取組と役割分担、"
        "地方公共団体と圏域の参照データ。協約の文言は原文のまま（@ja）。",
        "The articles, annexed initiatives and role allocations of 連携協約 (Local Autonomy Act "
        "art. 252-2), with municipality and area reference data. English labels are unofficial.",
    )
    for kw, lang in (
        ("連携中枢都市圏", "ja"),
        ("連携協約", "ja"),
        ("地方自治", "ja"),
        ("inter-municipal cooperation", "en"),
        ("linked data", "en"),
        ("Japan", "en"),
    ):
        g.add((dataset, DCAT.keyword, Literal(kw, lang=lang)))
    for p, o in (
        (DCT.publisher, publisher),
        (DCT.license, CC_BY),
        (DCAT.landingPage, URIRef(base)),
        (DCT.language, URIRef(EU_LANG + "JPN")),
        (DCT.language, URIRef(EU_LANG + "ENG")),
        (VOID.sparqlEndpoint, endpoint),
        (VOID.uriSpace, Literal(base + "id/")),
        (VOID.rootResource, ids.id("framework")),
        (DCT.conformsTo, URIRef(base + "ns#")),
        (DCAT.contactPoint, contact),
        (DCAT.theme, GOVE),
        (DCAT.theme, theme),
        *((DCT.spatial, place) for place, _code in places),
    ):
        g.add((dataset, p, o))
    dates = _signing_dates(store)
    if dates is not None:
        period = ids.id("dataset/temporal")
        g.add((dataset, DCT.temporal, period))
        g.add((period, RDF.type, DCT.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(dates[0], datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(dates[1], datatype=XSD.date)))
    g.add((dataset, DCT.issued, issued))
    g.add((dataset, DCT.modified, issued))
    if version:
        g.add((dataset, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3 term; rdflib 7 lacks it
    for name, value in (statistics if statistics is not None else counted(store, catalog_iri, base)).items():
        g.add((dataset, VOID[name], Literal(value)))
    for prefix in ("renkei", "eli", "org", "skos", "dct", "prov"):
        g.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    for vocabulary in (QB, SDMX_DIMENSION, SDMX_MEASURE):  # the statistics graph's (kg.release.statistics)
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))

    for path in sorted(dumps_dir.iterdir()):
        dump = next((d for d in DUMPS if path.name in (d.name, d.name + ".gz")), None)
        if dump is None:
            continue
        compressed = path.suffix == ".gz"
        dist = ids.id(f"dataset/distribution/{path.name}")
        url = URIRef(f"{base}dumps/{path.name}")
        digest = (digests or {}).get(path.name) or file_sha256(path)
        g.add((dataset, DCAT.distribution, dist))
        g.add((dataset, VOID.dataDump, url))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCT.title, Literal(dump.title_en + (", gzip" if compressed else ""), lang="en")))
        form = dump.title_en.split(" ")[0]
        g.add((dist, DCT.description, Literal(
            f"データセット全体の {form} 形式のダンプ" + ("（gzip 圧縮）。" if compressed else "。"), lang="ja")))
        g.add((dist, DCT.description, Literal(
            f"The whole dataset as {dump.title_en}" + (", gzip-compressed." if compressed else "."), lang="en")))
        media = URIRef(IANA + dump.media_type)
        g.add((media, RDF.type, DCT.MediaType))
        file_type = URIRef(EU + "file-type/" + FILE_TYPES[dump.name])
        g.add((file_type, RDF.type, DCT.MediaTypeOrExtent))
        _concept(g, file_type, URIRef(EU + "file-type"), Literal(FILE_TYPES[dump.name].replace("_", " "), lang="en"))
        g.add((dist, DCT.format, file_type))
        g.add((dist, DCATAP.availability, STABLE))
        for p, o in (
            (DCAT.accessURL, url),
            (DCAT.downloadURL, url),
            (DCAT.mediaType, media),
            (DCT.license, CC_BY),
            (DCAT.byteSize, _lit(path.stat().st_size)),
        ):
            g.add((dist, p, o))
        g.add((dist, DCT.issued, issued))
        if compressed:
            gz = URIRef(IANA + "application/gzip")
            g.add((gz, RDF.type, DCT.MediaType))
            g.add((dist, DCAT.compressFormat, gz))
        checksum = ids.id(f"dataset/distribution/{path.name}/checksum")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add(
            (checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))
        )
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    _concept(g, STABLE, URIRef(EU + "planned-availability"), Literal("stable", lang="en"))

    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    titled(
        service,
        "連携協約ナレッジグラフ SPARQL エンドポイント",
        "renkei-kg SPARQL endpoint",
        "SPARQL 1.1 プロトコルによる読み取り専用の問い合わせ窓口。既定グラフは全名前付きグラフの和。",
        "A read-only SPARQL 1.1 Protocol endpoint; the default graph is the union of all named graphs.",
    )
    for p, o in (
        (DCAT.endpointURL, endpoint),
        (DCAT.endpointDescription, endpoint),
        (DCAT.servesDataset, dataset),
        (DCT.license, CC_BY),
        (DCT.publisher, publisher),
        (DCT.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")),
        (SD.endpoint, endpoint),
        (DCAT.contactPoint, contact),
        (DCAT.theme, GOVE),
        (DCAT.theme, theme),
    ):
        g.add((service, p, o))
    for kw, lang in (("SPARQL", "en"), ("連携協約", "ja"), ("linked data", "en")):
        g.add((service, DCAT.keyword, Literal(kw, lang=lang)))

    graphs = manifest.graphs
    for graph in sorted(str(n.value) for n in store.named_graphs() if isinstance(n, ox.NamedNode)):
        if graph == catalog_iri.value:
            continue
        subset = ids.id("dataset/subset/" + graph.removeprefix(base + "graph/"))
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(graph)))
        count = graphs.get(graph)
        if count is None:
            count = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        g.add((subset, VOID.triples, Literal(int(count))))
    return g
