"""A draft agreement, ingested but not published, read beside the published dataset.

``/compare`` compares a clerk's draft with a published agreement (「うちの案は隣の市の協約とどこが違うか」).
The draft's graph, as the ingester makes it, names its parties and framework categories by IRI only;
their names, codes, notations and ``skos:broader`` come from the dataset. :class:`DraftSource` holds
the draft's triples and those, in a pyoxigraph store in memory, so that
:func:`~kg.compare.read.read_agreement` reads the draft as it reads a published agreement.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.compare.read import _iriref
from kg.compare.source import PREFIXES, SparqlSource, StoreSource
from kg.errors import InputError

__all__ = ["DraftSource"]

_RENKEI = "https://w3id.org/renkei/ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
#: What the draft refers to, and the triples of each the dataset holds: (variable, predicate, language).
_NAMES = (("name", _SKOS + "prefLabel", "ja"), ("code", _RENKEI + "localGovernmentCode", None))
_FRAMEWORK = (("notation", _SKOS + "notation", None), ("label", _SKOS + "prefLabel", "ja"),
              ("broader", _SKOS + "broader", "iri"))


class DraftSource:
    """The draft's triples with the dataset's names of its parties, area and framework concepts."""

    def __init__(self, ntriples: str, agreement: str, published: SparqlSource) -> None:
        self.agreement = agreement
        store = ox.Store()
        try:
            store.bulk_load(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
        except SyntaxError as e:  # the ingester wrote it: a bug, said as such
            raise InputError(f"the draft's graph cannot be read: {e}",
                             ja=f"案のグラフを読み込めません（{e}）。") from None
        self.source = StoreSource(store)
        me = _iriref(agreement)
        named = self.source.query(PREFIXES + f"""SELECT DISTINCT ?x {{
  {{ {me} renkei:centralCity|renkei:party|renkei:area ?x }}
  UNION {{ {me} renkei:initiative/renkei:role/renkei:actor ?x }} }}""")
        if named:
            values = " ".join(_iriref(r["x"]) for r in named)
            self._add(published.query(PREFIXES + f"""SELECT ?x ?name ?code {{ VALUES ?x {{ {values} }}
  OPTIONAL {{ ?x skos:prefLabel ?name FILTER (lang(?name) = "ja") }}
  OPTIONAL {{ ?x renkei:localGovernmentCode ?code }} }}"""), _NAMES)
        self._add(published.query(PREFIXES + """SELECT ?x ?notation ?label ?broader { ?x skos:notation ?notation
  OPTIONAL { ?x skos:prefLabel ?label FILTER (lang(?label) = "ja") } OPTIONAL { ?x skos:broader ?broader } }"""),
                  _FRAMEWORK)

    def _add(self, rows: list[dict[str, str]], columns: tuple[tuple[str, str, str | None], ...]) -> None:
        store = self.source.store
        for row in rows:
            for var, predicate, kind in columns:
                if var in row:
                    value: ox.NamedNode | ox.Literal = (
                        ox.NamedNode(row[var]) if kind == "iri" else ox.Literal(row[var], language=kind)
                    )
                    store.add(ox.Quad(ox.NamedNode(row["x"]), ox.NamedNode(predicate), value))

    def query(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT over the draft and what the dataset says of what it names."""
        return self.source.query(sparql)
