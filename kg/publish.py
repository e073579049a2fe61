"""Publish a release: the dumps, and the DCAT catalogue and VoID description that describe them.

The build calls :func:`publish` after writing the dumps (kg.dumps) and loading every graph, and
before it swaps ``build/current``. The dumps hold every named graph except ``graph/catalog``:
the catalogue states each dump's size and checksum, so it cannot be inside the files it
describes (it is served at ``/catalog``).
The catalogue follows DCAT-AP 3.0.1 (SEMICeu); VoID follows the W3C Interest Group Note (2011).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from kg.dumps import DUMPS
from kg.namespaces import DCT, PREFIXES, bind_prefixes
from kg.settings import Settings

__all__ = ["CATALOG_FILE", "catalog_graph", "publish"]

log = logging.getLogger(__name__)

SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "http://www.iana.org/assignments/media-types/"
EU_LANG = "http://publications.europa.eu/resource/authority/language/"
CATALOG_FILE = "catalog.ttl"


def _statistics(store: ox.Store, catalog: ox.NamedNode, base: str) -> dict[str, int]:
    """VoID statistics of the published union graph (VoID §4.5), in two queries: one scan of the
    union counts triples, subjects, properties, objects and entities together (six queries, one
    scan each, took 12.6 s at 4,000 agreements)."""
    names = ("triples", "distinctSubjects", "properties", "distinctObjects", "entities", "classes")
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [g for g in store.named_graphs() if g != catalog]
    if not graphs:
        return dict.fromkeys(names, 0)
    scan = ("SELECT (COUNT(DISTINCT *) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinctSubjects) "
            "(COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?distinctObjects) "
            "(COUNT(DISTINCT ?e) AS ?entities) "
            f"{{ ?s ?p ?o BIND(IF(STRSTARTS(STR(?s), '{base}id/'), ?s, ?none) AS ?e) }}")
    classes = "SELECT (COUNT(DISTINCT ?c) AS ?classes) { ?s a ?c }"
    counts: dict[str, int] = {}
    for query in (scan, classes):
        solutions = store.query(query, default_graph=graphs)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            for var in solutions.variables:
                value = row[var]
                counts[var.value] = int(value.value) if value is not None else 0
    return {name: counts.get(name, 0) for name in names}


def _lit(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def _date(manifest: dict[str, Any]) -> Literal:
    created = str(manifest.get("created", ""))
    return Literal(created, datatype=XSD.dateTime) if "T" in created else Literal(created, datatype=XSD.date)


def catalog_graph(store: ox.Store, dumps_dir: Path, manifest: dict[str, Any], settings: Settings) -> Graph:
    """The DCAT-AP 3 catalogue and the VoID description of the release, as an rdflib graph."""
    base = settings.base_iri
    ids = settings.ids
    catalog_iri = ox.NamedNode(str(ids.graph("catalog")))
    g = Graph()
    p: URIRef  # the loops below pair predicates with IRIs and literals alike
    o: Node
    bind_prefixes(g, base)
    g.bind("spdx", SPDX)
    g.bind("sd", SD)
    catalog, dataset, service = ids.id("catalog"), ids.id("dataset"), ids.id("service/sparql")
    publisher = ids.id("publisher")
    endpoint = URIRef(base + "sparql")
    issued = _date(manifest)
    version = str(manifest.get("version", ""))

    def titled(node: URIRef, ja: str, en: str, desc_ja: str, desc_en: str) -> None:
        g.add((node, DCT.title, Literal(ja, lang="ja")))
        g.add((node, DCT.title, Literal(en, lang="en")))
        g.add((node, DCT.description, Literal(desc_ja, lang="ja")))
        g.add((node, DCT.description, Literal(desc_en, lang="en")))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("renkei-kg プロジェクト", lang="ja")))
    g.add((publisher, FOAF.name, Literal("The renkei-kg project", lang="en")))
    g.add((CC_BY, RDF.type, DCT.LicenseDocument))
    g.add((CC_BY, DCT.title, Literal("Creative Commons Attribution 4.0 International", lang="en")))
    # DCAT-AP 3 range shapes check rdf:type with sh:class, so every linked resource says what it is.
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((endpoint, RDF.type, RDFS.Resource))
    for standard in (URIRef(base + "ns#"), URIRef("https://www.w3.org/TR/sparql11-protocol/")):
        g.add((standard, RDF.type, DCT.Standard))
    for code in ("JPN", "ENG"):
        g.add((URIRef(EU_LANG + code), RDF.type, DCT.LinguisticSystem))

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
    ):
        g.add((catalog, p, o))
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
    ):
        g.add((dataset, p, o))
    g.add((dataset, DCT.issued, issued))
    g.add((dataset, DCT.modified, issued))
    if version:
        g.add((dataset, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3 term; rdflib 7 lacks it
    for name, value in _statistics(store, catalog_iri, base).items():
        g.add((dataset, VOID[name], Literal(value)))
    for prefix in ("renkei", "eli", "org", "skos", "dct", "prov"):
        g.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))

    for path in sorted(dumps_dir.iterdir()):
        dump = next((d for d in DUMPS if path.name in (d.name, d.name + ".gz")), None)
        if dump is None:
            continue
        compressed = path.suffix == ".gz"
        dist = ids.id(f"dataset/distribution/{path.name}")
        url = URIRef(f"{base}dumps/{path.name}")
        with path.open("rb") as f:  # streamed: a dump of 4,000 agreements is half a gigabyte
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        g.add((dataset, DCAT.distribution, dist))
        g.add((dataset, VOID.dataDump, url))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCT.title, Literal(dump.title_en + (", gzip" if compressed else ""), lang="en")))
        media = URIRef(IANA + dump.media_type)
        g.add((media, RDF.type, DCT.MediaType))
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
        checksum = BNode(f"checksum-{path.name.replace('.', '-')}")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add(
            (checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))
        )
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))

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
    ):
        g.add((service, p, o))

    graphs = manifest.get("graphs") or {}
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


def publish(store: ox.Store, release_dir: Path, manifest: dict[str, Any], settings: Settings) -> None:
    """Describe the dumps in ``release_dir/dumps/`` (kg.dumps wrote them): write the catalogue file
    there, and (re)write the catalogue graph ``{base}graph/catalog`` in ``store``."""
    catalog = ox.NamedNode(str(settings.ids.graph("catalog")))
    dumps_dir = release_dir / "dumps"
    g = catalog_graph(store, dumps_dir, manifest, settings)
    # The file is the catalogue of record: the store normalises xsd:nonNegativeInteger (DCAT-AP's
    # type for dcat:byteSize) to xsd:integer (oxigraph/oxigraph#526), so /catalog serves this file
    # and SPARQL sees the same statements with the integer type.
    g.serialize(destination=dumps_dir / CATALOG_FILE, format="turtle", encoding="utf-8")
    if store.contains_named_graph(catalog):
        store.remove_graph(catalog)
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=catalog)
    store.flush()
    log.info("described %d dump files in %d catalogue triples in %s", len(DUMPS) * 2, len(g), dumps_dir)
