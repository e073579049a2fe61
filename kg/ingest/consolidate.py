"""An agreement as in force on a given date: its graph with the wording its amendments put in place.

An amending agreement (``renkei:Amendment``, docs/ingest.md) rewrites wording of the agreement it
``eli:amends``, each ``renkei:Change`` replacing ``renkei:oldText`` with ``renkei:newText`` in the
part it ``renkei:changes``. :func:`in_force` replays, in the order they took effect, the changes
of every amendment whose ``eli:date_applicability`` is on or before the date asked for:

- the part a change names is its scope: a row (initiative) with its title, content and roles, a
  role, an article with its paragraphs and items, a paragraph;
- every occurrence of the old wording in the scope is replaced, as the 改め文 convention has it
  (「…の項中「A」を「B」に改める」 changes each A in that row), and the text of what holds a
  changed paragraph or item (the article) follows;
- a change whose old wording does not occur is a :class:`~kg.errors.ConsolidationError` naming the
  amendment's source line, since replaying the rest would give a text that never was in force.

The result is a new graph (the input is never modified) with the agreement's own IRIs, the
consolidated wording, ``eli:amended_by`` from the agreement to each amendment applied and from
each changed part to its change, and ``eli:version_date`` the date asked for. A changed role's
``renkei:lead`` is read again from its new wording; categories stay those of the original text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from kg.errors import ConsolidationError, KgError, UnknownAgreementError
from kg.ingest.derivations import leads
from kg.namespaces import ELI, RENKEI, bind_prefixes

if TYPE_CHECKING:
    from kg.ingest import IngestResult

__all__ = ["Source", "amendment_errors", "check_amendments", "in_force"]

#: Where the data may come from: an rdflib graph or dataset, or a pyoxigraph store.
Source = Graph | ox.Store
#: The properties that hold printed wording an amendment can rewrite.
TEXT = (RENKEI.text, RENKEI.content, DCTERMS.title)
#: How a part holds its parts: an article its paragraphs and items, a row its roles.
_PARTS = (ELI.has_part, RENKEI.role)


@dataclass(frozen=True)
class _Change:
    """One change to replay, with what an error needs to name it."""

    iri: URIRef
    amendment: URIRef
    target: URIRef
    old: str
    new: str
    file: str | None
    line: int | None


def _store_graph(store: ox.Store, graphs: Iterable[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]) -> Graph:
    """The quads of ``graphs`` of a pyoxigraph store, as one rdflib graph of their triples."""
    dataset = Dataset()
    for name in graphs:
        data = ox.serialize(store.quads_for_pattern(None, None, None, name), format=ox.RdfFormat.N_QUADS)
        if data:
            dataset.parse(data=data.decode("utf-8"), format="nquads")
    out = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


def _load(source: Source, agreement: URIRef) -> Graph:
    """The graphs that hold the agreement and the amendments that amend it, as one graph."""
    if isinstance(source, ox.Store):
        node = ox.NamedNode(str(agreement))
        names = {q.graph_name for q in source.quads_for_pattern(node, ox.NamedNode(str(RDF.type)), None, None)}
        names |= {q.graph_name for q in source.quads_for_pattern(None, ox.NamedNode(str(ELI.amends)), node, None)}
        return _store_graph(source, names)
    if isinstance(source, Dataset):
        out = Graph()
        for graph in source.graphs():
            if (agreement, RDF.type, None) in graph or (None, ELI.amends, agreement) in graph:
                out += graph
        return out
    return source


def _owned(graph: Graph, agreement: URIRef) -> set[Node]:
    """The agreement, every node minted under its IRI, and the provenance they point to."""
    prefix = f"{agreement}/"
    nodes: set[Node] = {agreement}
    nodes |= {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)}
    excerpts = {o for n in nodes for o in graph.objects(n, PROV.wasDerivedFrom)}
    documents = {o for e in excerpts for o in graph.objects(e, RENKEI.sourceDocument)}
    # What is minted under a source document's IRI: its selectors, checksum and reading (OCR).
    under = tuple(f"{d}/" for d in documents)
    minted = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(under)} if under else set()
    return nodes | excerpts | documents | minted


def _changes(graph: Graph, agreement: URIRef, on: dt.date) -> list[_Change]:
    """The changes of every amendment in force on ``on``, in the order they are to be replayed."""
    amendments = []
    for amendment in graph.subjects(ELI.amends, agreement):
        applies = graph.value(amendment, ELI.date_applicability)
        if isinstance(applies, Literal) and isinstance(applies.toPython(), dt.date) and applies.toPython() <= on:
            signed = graph.value(amendment, ELI.date_document)
            amendments.append((applies.toPython(), str(signed or ""), str(amendment), amendment))
    found = []
    for *_, amendment in sorted(amendments):
        changes = sorted(graph.objects(amendment, RENKEI.change),
                         key=lambda c: int(graph.value(c, RENKEI.number) or 0))  # type: ignore[arg-type]
        for change in changes:
            target, old = graph.value(change, RENKEI.changes), graph.value(change, RENKEI.oldText)
            if not isinstance(target, URIRef) or old is None:
                continue  # an insertion without anchor has nothing to replay against
            excerpt = graph.value(change, PROV.wasDerivedFrom)
            line = graph.value(excerpt, RENKEI.firstLine) if excerpt is not None else None
            document = graph.value(excerpt, RENKEI.sourceDocument) if excerpt is not None else None
            file = graph.value(document, DCTERMS.title) if document is not None else None
            found.append(_Change(URIRef(str(change)), URIRef(str(amendment)), target, str(old),
                                 str(graph.value(change, RENKEI.newText) or ""),
                                 str(file) if file is not None else None,
                                 int(line.toPython()) if isinstance(line, Literal) else None))
    return found


def _scope(view: Graph, target: URIRef) -> Iterator[Node]:
    """The target and every part below it."""
    seen: set[Node] = set()
    stack: list[Node] = [target]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(o for p in _PARTS for o in view.objects(node, p))


def _holders(view: Graph, node: Node) -> Iterator[Node]:
    """What holds ``node``, outward (a paragraph's article; an item's paragraph and article)."""
    seen = {node}
    holder = view.value(node, ELI.is_part_of)
    while holder is not None and holder not in seen:
        seen.add(holder)
        yield holder
        holder = view.value(holder, ELI.is_part_of)


def _replace(view: Graph, node: Node, prop: URIRef, before: Literal, after: str) -> None:
    """Swap one literal for its new wording, keeping its language tag."""
    view.remove((node, prop, before))
    view.add((node, prop, Literal(after, lang=before.language, datatype=before.datatype)))


def _apply(view: Graph, agreement: URIRef, change: _Change) -> None:
    """Replay one change on ``view``; an error if its old wording is not in its scope."""
    target = change.target
    if (target, None, None) not in view and target.endswith("/paragraph/1"):
        target = URIRef(target.removesuffix("/paragraph/1"))  # 「第4条第1項」 of a one-paragraph article
    count = 0
    for node in list(_scope(view, target)):
        for prop in TEXT:
            for text in [o for o in view.objects(node, prop) if isinstance(o, Literal)]:
                if change.old not in str(text):
                    continue
                count += str(text).count(change.old)
                after = str(text).replace(change.old, change.new)
                _replace(view, node, prop, text, after)
                if (node, RDF.type, RENKEI.Role) in view and prop == RENKEI.text:
                    # who leads is read from the role's wording (docs/ingest.md), so it follows it
                    view.set((node, RENKEI.lead, Literal(leads(after))))
                if prop == RENKEI.text:
                    for holder in _holders(view, node):  # the article's text holds its paragraph's
                        for whole in [o for o in view.objects(holder, RENKEI.text) if isinstance(o, Literal)]:
                            if str(text) in str(whole):
                                _replace(view, holder, RENKEI.text, whole, str(whole).replace(str(text), after, 1))
    if count == 0:
        part = target.removeprefix(f"{agreement}/") if target != agreement else "the agreement"
        exists = (target, None, None) in view
        missing = f"「{change.old}」 does not occur there" if exists else "it has no such part"
        number = str(change.iri).rsplit("/", 1)[-1]
        part_ja = target.removeprefix(f"{agreement}/") if target != agreement else "協約"
        missing_ja = (f"そこに「{change.old}」という文言がありません" if exists else "原協約にその箇所がありません")
        raise ConsolidationError(
            f"amendment {change.amendment} cannot be applied to {part} of {agreement}: {missing}",
            file=change.file, line=change.line, where=f"change {number}",
            ja=f"変更規定（{number}番目の変更）を原協約 {agreement} の {part_ja} に適用できません。{missing_ja}。",
            fix="quote the old wording exactly as the amended agreement prints it, and check the place (row, "
                "article) the provision names",
            fix_ja="改め文の「…」を原協約の文言と一字一句同じにし、変更する箇所（別表の項、条・項）が正しいか"
                   "確かめてください。")
    view.add((target, ELI.amended_by, change.iri))


def in_force(source: Source, agreement: URIRef | str, on: dt.date) -> Graph:
    """The agreement ``agreement`` as in force on ``on`` (see the module docstring)."""
    agreement = URIRef(str(agreement))
    data = _load(source, agreement)
    if (agreement, RDF.type, RENKEI.Agreement) not in data:
        raise UnknownAgreementError(f"no agreement {agreement} in the data", where=str(agreement),
                                    ja=f"協約 {agreement} がデータにありません。",
                                    fix="check the agreement's key (central-partner-date, e.g. "
                                        "072036-072109-2019-10-18), or give its text with --from",
                                    fix_ja="協約のキー（例: 072036-072109-2019-10-18）を確かめるか、"
                                           "--from で協約の本文を指定してください。")
    view = Graph()
    bind_prefixes(view, str(agreement).split("id/agreement/")[0])
    owned = _owned(data, agreement)
    for s, p, o in data:
        if s in owned:
            view.add((s, p, o))
    applied: list[URIRef] = []
    for change in _changes(data, agreement, on):
        _apply(view, agreement, change)
        if change.amendment not in applied:
            applied.append(change.amendment)
    for amendment in applied:
        view.add((agreement, ELI.amended_by, amendment))
    view.add((agreement, ELI.version_date, Literal(on.isoformat(), datatype=XSD.date)))
    return view


def check_amendments(results: list[IngestResult]) -> None:
    """Replay each amendment on the agreement it amends when both are ingested together.

    An amendment whose old wording is not in the agreement is refused here, at its line, as
    ``kg consolidate`` would refuse it later (:func:`in_force`).
    """
    for _amendment, error in amendment_errors(results):
        raise error


def amendment_errors(results: list[IngestResult]) -> list[tuple[IngestResult, KgError]]:
    """Each amendment that cannot be replayed on the agreement it amends (ingested with it), and why."""
    agreements = {r.agreement: r for r in results if r.kind == "agreement"}
    amending: dict[URIRef, list[IngestResult]] = {}
    for r in results:
        target = r.graph.value(r.agreement, ELI.amends) if r.kind == "amendment" else None
        if isinstance(target, URIRef) and target in agreements:
            amending.setdefault(target, []).append(r)
    refused: list[tuple[IngestResult, KgError]] = []
    for target, amendments in amending.items():
        merged = Graph()
        merged += agreements[target].graph
        for amendment in amendments:
            merged += amendment.graph
        dates = [d.toPython() for a in amendments for d in a.graph.objects(a.agreement, ELI.date_applicability)
                 if isinstance(d, Literal)]
        try:
            in_force(merged, target, max(d for d in dates if isinstance(d, dt.date)))
        except ConsolidationError as e:
            named = Path(e.file or "").name
            culprits = [a for a in amendments if a.source == named] or amendments
            refused.extend((a, e) for a in culprits)
    return refused
