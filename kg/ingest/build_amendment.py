"""A read amending agreement → its rdflib graph (docs/ingest.md, "Amendments").

::

    rid:amendment/072036-072109-2020-07-08 a renkei:Amendment ;
        eli:amends rid:agreement/072036-072109-2019-10-18 ;     # minted: it need not be in the dataset
        eli:date_document "2020-07-08"^^xsd:date ;              # signed
        eli:date_applicability "2020-07-08"^^xsd:date ;         # takes effect (附則)
        renkei:change …/change/1, … .
    …/change/1 a renkei:Change ;
        renkei:changes rid:agreement/072036-072109-2019-10-18/initiative/3-5 ;
        renkei:oldText "災害対策"@ja ; renkei:newText "災害・感染症対策"@ja ;
        renkei:text "別表3の(5)の項中「災害対策」を…に改める。"@ja ; prov:wasDerivedFrom <…#L5-L5> .

Like an agreement's, the graph has no timestamps and no blank nodes.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.ingest.amendment import AmendmentText
from kg.ingest.build import Built, Writer, english_name_of
from kg.ingest.dates import PrintedDate
from kg.ingest.parties import Parties
from kg.ingest.signatories import Signatory
from kg.ingest.store import TripleStore
from kg.namespaces import ELI, RENKEI, Ids, bind_prefixes

__all__ = ["build_amendment"]


def build_amendment(text: AmendmentText, parties: Parties, date: PrintedDate, signatories: list[Signatory],
                    basis: tuple[str, int | None] | None, ids: Ids) -> Built:
    """Write the graph of one amending agreement; its IRI and named graph as an agreement's, under amendment/."""
    central, partner = parties.central.code, parties.partner.code
    key = ids.agreement_key(central, partner, date.date.isoformat())
    amendment = ids.amendment(central, partner, date.date.isoformat())
    amended = ids.agreement(central, partner, text.amended_date.date.isoformat())
    graph_name = ids.graph("amendment/" + key)
    graph = Graph(store=TripleStore(), identifier=graph_name)
    bind_prefixes(graph, ids.base)
    doc = text.doc
    w = Writer(ids, doc.source, amendment, graph)
    a = amendment
    w.add(a, RDF.type, RENKEI.Amendment)
    w.titled(a, doc.titles)
    names = english_name_of(parties)
    w.labelled(a, f"Amendment of the cooperation agreement between {names[0]} and {names[1]} "
                  f"({text.amended_date.date.isoformat()}), concluded {date.date.isoformat()}")
    w.add(a, ELI.amends, amended)
    w.dated(a, date)
    effect = (text.effect or date).date  # 「締結の日から施行する」: it takes effect when signed
    w.add(a, ELI.date_applicability, Literal(effect.isoformat(), datatype=XSD.date))
    w.publication(doc)
    if basis is not None:
        w.add(a, ELI.based_on, ids.law_provision(*basis))
    for party in parties:
        w.add(a, RENKEI.party, ids.municipality(party.code))
    w.add(a, RENKEI.centralCity, ids.municipality(central))
    w.add(a, RENKEI.preamble, "\n".join(line.text for line in doc.preamble))
    w.add(a, RENKEI.closingFormula, "\n".join(line.text for line in doc.closing))
    w.source_document()
    for change in text.changes:
        node = URIRef(f"{a}/change/{change.number}")
        w.add(node, RDF.type, RENKEI.Change)
        w.add(node, RENKEI.number, change.number)
        w.add(node, RENKEI.text, change.provision)
        w.add(node, RENKEI.changes, URIRef(f"{amended}/{change.target.path}"))
        w.add(node, RENKEI.oldText, change.old)
        w.add(node, RENKEI.newText, change.new)
        w.add(a, RENKEI.change, node)
        w.add(node, ELI.is_part_of, a)
        w.derived(node, change.span)
    for sig in signatories:
        w.signatory(sig)
    return Built(amendment, graph_name, graph)
