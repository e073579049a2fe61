"""A release made from the previous one: its store copied, only the changed texts' graphs replaced.

A warm build (one text changed, the build cache holding the others) used to assemble the whole release
again: load 3 M quads, optimise, count VoID over the union, index every printed text (≈ 45 s at 4,000
agreements, docs/perf/build.md). When the release ``build/current`` points at was built with the same
tools (code, shapes, reference data, base IRI: kg.release.build._tools_digest, kept in its manifest),
every text whose file name and SHA-256 are in its manifest has the same graph in it; so the new release
starts from a copy of its store (pyoxigraph's ``Store.backup``: a RocksDB checkpoint, hard links to
files RocksDB never rewrites, so the served release is not changed) and

- removes the graphs of the texts that changed or went, and the reference graphs that depend on the
  texts or on the queries (``graph/areas`` links memberships to agreements; ``graph/queries``);
- bulk-loads the new and changed texts' N-Quads from the build cache, and those reference graphs';
- leaves the statistics and catalogue graphs to kg.release.publish (recounted; VoID updated from the
  previous counts, kg.release.void.updated), and the search index to kg.search.index.update_index.

:func:`plan` says whether a release can be made so (and logs why not); kg.release.build falls back to
the whole assembly when it cannot, or when anything fails on the way.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.release.cache import BuildCache, Entry, source_key
from kg.release.dumps import Parts
from kg.release.load import BatchLoader
from kg.release.manifest import Manifest
from kg.settings import Settings
from kg.store.release import Release

__all__ = ["MAX_CHANGED", "Plan", "assemble_store", "plan"]

log = logging.getLogger(__name__)

#: Above this share of changed texts (and more than a few), loading everything afresh is as quick:
#: the VoID counts are updated with a few index look-ups per changed triple.
MAX_CHANGED = 0.25
#: The reference graphs made again from the texts or the queries at each build (the others depend
#: only on the tools).
REMADE = ("areas", "queries")


@dataclass(frozen=True)
class Plan:
    """How to make a release from ``previous``: the graphs to drop from its store and the texts
    (cache keys) and reference graphs (names) whose graphs to load into it."""

    previous: Path
    manifest: Manifest
    remove: frozenset[str]
    load: tuple[str, ...]
    added: frozenset[str]  #: the loaded texts' graphs
    reload: tuple[str, ...]

    @property
    def changed(self) -> frozenset[str]:
        """Every named graph the new store holds otherwise than the previous one (but the statistics
        and catalogue graphs, which publishing makes again)."""
        return self.remove | self.added | set(self.reload)


def plan(previous: Release | None, tools: str, shas: Mapping[Path, str], agreements: Mapping[str, Entry],
         references: list[str], settings: Settings) -> Plan | None:
    """How to make the new release from ``previous``, or None (logged) when it cannot be: none, built
    by other tools or before manifests kept what is needed, or too much changed."""
    if previous is None:
        return None
    m = previous.manifest
    reason = ""
    generated = {str(settings.ids.graph(n)) for n in ("statistics", "catalog")}
    if m is None or m.demo is not None:
        reason = "is a demo release or has no manifest"
    elif m.tools != tools or m.base_iri != settings.base_iri:
        reason = "was built with other code, shapes or reference data"
    elif not m.statistics:
        reason = "has no VoID counts in its manifest (built before they were kept)"
    elif not all((previous.path / f).is_file() for f in ("store/CURRENT", "search/index.sqlite")):
        reason = "has no store or search index"
    elif not set(references) | generated <= set(m.graphs):
        reason = "lacks a reference graph"
    if reason:
        log.info("assembling the whole release: the previous one (%s) %s", m.version if m else previous.path, reason)
        return None
    assert m is not None
    before = {(s.file, s.sha256) for s in m.sources}
    unchanged = {source_key(p, sha) for p, sha in shas.items() if (p.name, sha) in before}
    kept = {agreements[k].graph for k in unchanged}
    texts = set(m.graphs) - set(references) - generated
    load = tuple(sorted((k for k in agreements if k not in unchanged), key=lambda k: agreements[k].graph))
    if not kept <= texts or len(load) > max(MAX_CHANGED * len(agreements), 8):
        log.info("assembling the whole release: %d of %d texts changed since %s", len(load), len(agreements), m.version)
        return None
    names = {str(settings.ids.graph(n)) for n in REMADE}
    reload = tuple(r for r in references if r in names)
    log.info("making the release from %s: %d texts to load, %d graphs to drop", m.version, len(load),
             len(texts - kept))
    return Plan(previous.path, m, frozenset(texts - kept), load, frozenset(agreements[k].graph for k in load), reload)


def _nquads(parts: Parts) -> bytes:
    member = parts.get("dataset.nq")
    return zlib.decompress(member, wbits=31) if member else b""


def assemble_store(p: Plan, folder: Path, cache: BuildCache, references: Mapping[str, Parts]) -> ox.Store:
    """The new release's store at ``folder`` (not existing yet), made from the previous release's as
    ``p`` says; the previous one is only read. The statistics and catalogue graphs are still the
    previous release's: kg.release.publish.publish makes them again."""
    ox.Store.read_only(str(p.previous / "store")).backup(str(folder))
    store = ox.Store(str(folder))
    for name in sorted(p.remove | set(p.reload)):
        graph = ox.NamedNode(name)
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    with BatchLoader(store) as loader:
        for nquads in [*(_nquads(cache.parts(k)) for k in p.load), *(_nquads(references[r]) for r in p.reload)]:
            if nquads:
                loader.add(nquads)
    return store
