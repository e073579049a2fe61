"""Namespaces and IRI minting: the one place that knows the base IRI.

>>> ids = Ids("https://w3id.org/renkei/")
>>> str(ids.municipality("072036"))
'https://w3id.org/renkei/id/municipality/072036'
>>> str(ids.agreement("072036", "072109", "2019-10-18"))
'https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18'
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

DEFAULT_BASE = "https://w3id.org/renkei/"


class _Namespace(Namespace):
    """rdflib's ``Namespace``, each term made once: rdflib makes (and checks) a new ``URIRef`` at every
    ``RENKEI.party``, about 600 times a text in a build (≈ 1 ms of a text's 19, docs/perf/build.md).
    A term read as an attribute is kept on the namespace, so the next read is a plain attribute's;
    one read as an item is kept in a table. ``URIRef`` is immutable, so one object serves every use.

    >>> ns = _Namespace("http://example.org/")
    >>> ns.Person is ns.Person and ns["first-name"] is ns["first-name"]
    True
    >>> ns.Person == Namespace("http://example.org/").Person
    True
    """

    _terms: dict[str, URIRef]

    def __new__(cls, value: str | bytes) -> _Namespace:
        ns = super().__new__(cls, value)
        ns.__dict__["_terms"] = {}
        return ns  # type: ignore[return-value]

    def term(self, name: str) -> URIRef:
        if not isinstance(name, str):  # a slice: rdflib's answer, not kept
            return super().term(name)
        made = self._terms.get(name)
        if made is None:
            made = self._terms[name] = super().term(name)
        return made

    def __getattr__(self, name: str) -> URIRef:
        made = super().__getattr__(name)  # raises AttributeError for Python's special names
        self.__dict__[name] = made  # found before __getattr__ from now on (str's own names never reach here)
        return made


RENKEI = _Namespace(DEFAULT_BASE + "ns#")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")
ORG = _Namespace("http://www.w3.org/ns/org#")
VANN = _Namespace("http://purl.org/vocab/vann/")
SH = _Namespace("http://www.w3.org/ns/shacl#")
OA = _Namespace("http://www.w3.org/ns/oa#")  # W3C Web Annotation: selectors into a source document
SPDX = _Namespace("http://spdx.org/rdf/terms#")  # checksums of files (and of the dumps in the catalogue)
CNT = _Namespace("http://www.w3.org/2011/content#")  # W3C Representing Content in RDF: character encodings
GEO = _Namespace("http://www.opengis.net/ont/geosparql#")  # OGC GeoSPARQL: boundaries (WKT), which border which
DCT = DCTERMS

#: e-Gov law id of 地方自治法 (昭和22年法律第67号).
LOCAL_AUTONOMY_ACT = "322AC0000000067"

PREFIXES: dict[str, str] = {
    "renkei": str(RENKEI),
    "eli": str(ELI),
    "org": str(ORG),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "time": str(TIME),
    "dcat": str(DCAT),
    "void": str(VOID),
    "vann": str(VANN),
    "sh": str(SH),
    "oa": str(OA),
    "spdx": str(SPDX),
    "cnt": str(CNT),
    "geo": str(GEO),
}

__all__ = [
    "CNT", "DCT", "DEFAULT_BASE", "ELI", "GEO", "LOCAL_AUTONOMY_ACT", "OA", "ORG", "PREFIXES", "RENKEI", "SH", "SPDX",
    "VANN",
    "Ids", "bind_prefixes",
]


def bind_prefixes(graph: object, base: str = DEFAULT_BASE) -> None:
    """Bind the project's prefixes (and ``rid:`` for the data) on an rdflib graph or dataset."""
    bind = graph.bind  # type: ignore[attr-defined]
    for prefix, iri in PREFIXES.items():
        bind(prefix, iri, override=True)
    bind("rid", base + "id/", override=True)


@dataclass(frozen=True)
class Ids:
    """Mints the IRIs of docs/model.md under one base IRI."""

    base: str = DEFAULT_BASE

    def id(self, path: str) -> URIRef:
        return URIRef(f"{self.base}id/{path}")

    def graph(self, path: str) -> URIRef:
        return URIRef(f"{self.base}graph/{path}")

    def municipality(self, code: str) -> URIRef:
        return self.id(f"municipality/{code}")

    def area(self, slug: str) -> URIRef:
        return self.id(f"area/{slug}")

    def membership(self, area_slug: str, code: str) -> URIRef:
        return self.id(f"area/{area_slug}/member/{code}")

    def person(self, slug: str) -> URIRef:
        return self.id(f"person/{slug}")

    def agreement_key(self, central: str, partner: str, date: str) -> str:
        return f"{central}-{partner}-{date}"

    def agreement(self, central: str, partner: str, date: str) -> URIRef:
        return self.id("agreement/" + self.agreement_key(central, partner, date))

    def amendment(self, central: str, partner: str, date: str) -> URIRef:
        return self.id("amendment/" + self.agreement_key(central, partner, date))

    def agreement_graph(self, central: str, partner: str, date: str) -> URIRef:
        return self.graph("agreement/" + self.agreement_key(central, partner, date))

    def source(self, stem: str) -> URIRef:
        return self.id(f"source/{stem}")

    def excerpt(self, stem: str, first: int, last: int, column: int | None = None) -> URIRef:
        """Lines ``first``–``last`` (1-based) of a source; ``column`` (0-based) narrows a table row to a cell.

        >>> Ids().excerpt("a", 71, 71, column=2).rpartition("/")[2]
        'a#L71-L71-C3'
        """
        cell = f"-C{column + 1}" if column is not None else ""
        return URIRef(f"{self.source(stem)}#L{first}-L{last}{cell}")

    def selector(self, stem: str, value: str) -> URIRef:
        """A selector into a source document, named by what it selects (``line=11,15``, ``page=3/row=4``)."""
        return URIRef(f"{self.source(stem)}/selector/{value}")

    def framework(self, notation: str | None = None) -> URIRef:
        return self.id("framework" if notation is None else f"framework/{notation}")

    def law(self, law_id: str = LOCAL_AUTONOMY_ACT) -> URIRef:
        return self.id(f"law/{law_id}")

    def law_provision(self, article: str, paragraph: int | None = None,
                      law_id: str = LOCAL_AUTONOMY_ACT) -> URIRef:
        """``article`` is '252-2' for 第252条の2."""
        path = f"law/{law_id}/article/{article}"
        if paragraph is not None:
            path += f"/paragraph/{paragraph}"
        return self.id(path)
