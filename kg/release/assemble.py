"""Assembling a release's folder from a build's parts: store, dumps, statistics, catalogue, search index, manifest.

kg.release.build decides what the release holds (the texts' cache entries, the reference graphs) and
calls :func:`write_release` with a temporary folder; the release is assembled there, whole or from the
previous release (kg.release.incremental), and moved to its place in ``releases/``:

- whole: the dumps are the graphs' parts end to end (kg.release.dumps), and the store is bulk-loaded
  from their N-Quads in batches as they are written (kg.release.load), then optimised;
- from the previous release: its store copied and the changed graphs replaced
  (kg.release.incremental.assemble_store), the dumps spliced from its files (kg.release.layout);
- then, either way, the statistics graph and the catalogue (kg.release.publish), while the search index
  is written (kg.search.index) in a thread beside the dumps or the publishing: it reads only the texts'
  graphs, loaded by then, and sqlite and pyoxigraph let go of the GIL.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

import kg
from kg.errors import StoreError
from kg.release.cache import BuildCache, Entry
from kg.release.dumps import Parts, graph_parts, write_dumps
from kg.release.incremental import Plan, assemble_store
from kg.release.layout import Layout, recorded, splice_dumps, write_layout
from kg.release.load import BatchLoader
from kg.release.manifest import Manifest, Source
from kg.release.progress import Progress, ProgressReport, silent
from kg.settings import Settings
from kg.store.release import leased

__all__ = ["write_release"]

log = logging.getLogger(__name__)

def write_release(tmp: Path, version: str, tools: str, settings: Settings, shas: dict[Path, str],
                   agreements: dict[str, Entry], refs: dict[URIRef, Graph], order: list[str],
                   cache: BuildCache, report: ProgressReport = silent, step: Plan | None = None) -> Path:
    """Write the release into ``tmp`` and move it to its place in ``releases/``; where it went.

    With ``step``, the release is made from the previous one (kg.release.incremental); if anything
    fails on the way, the whole release is assembled instead (logged): never a wrong release."""
    graphs = {agreements[k].graph: agreements[k].triples for k in order}
    graphs |= {str(n): len(g) for n, g in refs.items()}
    ref_parts = _ReferenceParts(refs, settings.base_iri)
    manifest = Manifest(
        version=version,
        created=dt.datetime.now(dt.UTC).replace(microsecond=0),
        base_iri=settings.base_iri,
        generator=f"renkei-kg {kg.__version__}",
        agreements=sorted(a.agreement for a in agreements.values()
                          if a.agreement.startswith(str(settings.ids.id("agreement/")))),
        amendments=sorted(a.agreement for a in agreements.values()
                          if a.agreement.startswith(str(settings.ids.id("amendment/")))),
        graphs=graphs,
        sources=[Source(file=p.name, sha256=sha) for p, sha in shas.items()],
        tools=tools,
    )
    if step is not None:
        try:
            with leased(step.previous):  # no collector deletes it while its store and index are read
                return _assemble(tmp, manifest, settings, agreements, ref_parts, order, cache, report, step)
        except Exception as e:  # noqa: BLE001 — whatever it was, the whole assembly is the answer
            log.warning("could not make the release from %s (%s: %s); assembling the whole release",
                        step.manifest.version, type(e).__name__, e)
            for name in ("store", "dumps", "search"):
                shutil.rmtree(tmp / name, ignore_errors=True)
    return _assemble(tmp, manifest, settings, agreements, ref_parts, order, cache, report, None)


def _assemble(tmp: Path, manifest: Manifest, settings: Settings, entries: dict[str, Entry],
              ref_parts: Mapping[str, Parts], order: list[str], cache: BuildCache, report: ProgressReport,
              step: Plan | None) -> Path:
    """The store, dumps, statistics, catalogue and search index of the release in ``tmp``, then its
    manifest; moved into place. Whole, or from the previous release as ``step`` says."""
    from kg.release.publish import DumpDigests, Previous, publish, published_statistics
    from kg.search.index import update_index, write_index

    # The dumps are the agreements' cached parts put end to end, then the reference graphs'.
    named = [*((entries[k].graph, k) for k in order), *((name, "") for name in ref_parts)]
    layout: Layout = []
    parts = _counted(recorded(((g, cache.parts(k) if k else ref_parts[g]) for g, k in named), layout),
                     len(manifest.graphs), report)
    previous: Previous | None = None
    digests: DumpDigests | None = None
    if step is None:  # the store is bulk-loaded from the N-Quads as they are written, in batches
        store = ox.Store(str(tmp / "store"))
        with BatchLoader(store) as loader:
            write_dumps(parts, tmp / "dumps", nquads=loader.add)
        report(Progress("optimize", 0, 0))
        # The dumps are hashed on the core optimize() leaves idle (RocksDB compacts in one thread).
        digests = DumpDigests(tmp / "dumps")
        store.optimize()  # the batches' files merged, before the catalogue and the index read the store
        report(Progress("publish", 0, 0))
        # Before the index's thread starts: beside its Python loop, each row and triple this step hands
        # to Python waits for the GIL (0.3 s alone, 2.5 s beside it; docs/perf/build.md, "Session 10").
        statistics: ox.NamedNode | None = published_statistics(store, tmp, settings)
    else:
        report(Progress("store", 0, 0))
        store = assemble_store(step, tmp / "store", cache, ref_parts)
        previous = Previous(ox.Store.read_only(str(step.previous / "store")), step.manifest.statistics,
                            frozenset(ox.NamedNode(g) for g in step.changed))
        statistics = None  # counted by publish(), beside the few graphs indexed again
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as pool:
        if step is None:
            indexed = pool.submit(write_index, store, tmp)
        else:
            indexed = pool.submit(update_index, step.previous, tmp, store, step.remove, step.added)
            layout = _spliced(step, named, cache, ref_parts, tmp / "dumps", report) or layout
            if not layout:  # the previous release's dumps could not be spliced: written whole
                write_dumps(parts, tmp / "dumps")
            report(Progress("publish", 0, 0))
        counts = publish(store, tmp, manifest, settings, previous, digests, statistics)
        report(Progress("search", 0, 0))
        indexed.result()
    graphs = dict(manifest.graphs)
    for name in store.named_graphs():  # the graphs publish() made: the catalogue, the statistics
        if isinstance(name, ox.NamedNode) and name.value not in graphs:
            graphs[name.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, name))
    manifest = manifest.model_copy(update={"graphs": graphs, "quads": len(store), "statistics": counts})
    store.flush()
    del store, previous
    write_layout(tmp, layout)
    manifest.write(tmp)
    tmp.chmod(0o755)  # mkdtemp makes it private; a server may run as another user
    return _move_into_place(tmp, tmp.parent, manifest.version)


class _ReferenceParts(Mapping[str, Parts]):
    """The reference graphs' parts by name, each made when first asked for: a release made from the
    previous one needs only those of the graphs it reloads (kg.release.incremental.REMADE)."""

    def __init__(self, refs: dict[URIRef, Graph], base: str) -> None:
        self._graphs = {str(n): g for n, g in refs.items()}
        self._base = base
        self._made: dict[str, Parts] = {}

    def __getitem__(self, name: str) -> Parts:
        if name not in self._made:
            nt = self._graphs[name].serialize(format="nt", encoding="utf-8")
            self._made[name] = graph_parts(name, nt, self._base)
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._graphs)

    def __len__(self) -> int:
        return len(self._graphs)


def _spliced(step: Plan, named: list[tuple[str, str]], cache: BuildCache, ref_parts: Mapping[str, Parts],
             dumps_dir: Path, report: ProgressReport) -> Layout:
    """The dumps written from the previous release's (kg.release.layout), the unchanged graphs' bytes
    copied; their layout, or an empty one (logged) when the previous dumps cannot be spliced."""
    loaded = set(step.load)

    def written(k: str, g: str) -> Callable[[], Parts]:  # a text's parts from the cache, or a reference graph's
        return lambda: cache.parts(k) if k else ref_parts[g]

    graphs = [(g, None if (k not in loaded if k else g not in step.reload) else written(k, g)) for g, k in named]
    report(Progress("dumps", 0, len(graphs)))
    try:
        layout = splice_dumps(step.previous, graphs, dumps_dir)
    except StoreError as e:
        log.info("writing the dumps whole: %s", e)
        shutil.rmtree(dumps_dir, ignore_errors=True)
        return []
    report(Progress("dumps", len(graphs), len(graphs)))
    return layout


def _counted(parts: Iterable[Parts], total: int, report: ProgressReport) -> Iterator[Parts]:
    """``parts``, telling ``report`` how many graphs of ``total`` have gone to the dumps."""
    report(Progress("dumps", 0, total))
    for n, graph in enumerate(parts, start=1):
        yield graph
        report(Progress("dumps", n, total))





def _move_into_place(tmp: Path, releases: Path, version: str) -> Path:
    """Rename ``tmp`` to ``releases/<version>``, or, when that exists (``kg build --force``, or two
    builds at once), to ``<version>+2``, ``+3`` …: a release is never deleted to make room, since a
    server may be reading it; the superseded one goes when no process uses it (:func:`collect`)."""
    for n in range(1, 1000):
        final = releases / (version if n == 1 else f"{version}+{n}")
        if final.exists():
            continue
        try:
            tmp.rename(final)
        except OSError as e:
            if e.errno in (errno.EEXIST, errno.ENOTEMPTY):  # taken by a build beside ours meanwhile
                continue
            raise
        return final
    raise StoreError(f"999 releases of version {version} already exist", file=releases)


