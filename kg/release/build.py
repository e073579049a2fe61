"""Build the dataset: every source text ingested and validated, the reference graphs, one store.

A build writes a new *release* beside the current one and swaps ``build/current`` to it only
when everything conformed and was written; a refused or failed build leaves the previous release
serving untouched (issue 2, DESIGN "kg build").

A release is never deleted while a process reads it (issue 14, point 2): readers hold a lease on
it (kg.store.release), and a build deletes superseded releases, and folders killed builds left,
only when nobody holds them (:func:`collect`). A rebuild with unchanged inputs changes nothing on
disk; ``--force`` writes a new folder (``<version>+2``) beside the served one.

A build tells how far it is through a ProgressReport (kg.release.progress), which
``kg build`` draws (kg.cli.build); the store is loaded in bounded batches while the dumps are
written (kg.release.load), so the build's memory does not grow with the dataset's size.

    build/
      current -> releases/<version>
      releases/<version>/store/          on-disk pyoxigraph store, one named graph per agreement
      releases/<version>/dumps/          the agreements' and reference graphs' parts end to end
                                         (kg.release.dumps), described in catalog.ttl (kg.release.catalogue)
      releases/<version>/search/         the full-text index of the printed texts (kg.search.index)
      releases/<version>/manifest.json
      releases/<version>/lease.lock      what readers hold a shared flock on
      cache/<tools digest>/              what was learnt of each conforming text (kg.release.cache):
                                         a rebuild ingests and validates only the texts that changed
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

import kg
from kg.errors import BuildError, KgError, StoreError
from kg.namespaces import ORG, RENKEI
from kg.release.cache import BuildCache, Entry, source_key
from kg.release.dumps import Parts, graph_parts, write_dumps
from kg.release.incremental import Plan, assemble_store, plan
from kg.release.load import BatchLoader
from kg.release.manifest import Manifest, Source
from kg.release.progress import Progress, ProgressReport, silent
from kg.release.text import ingest_and_validate
from kg.settings import Settings
from kg.store.release import Release, leased, remove_unused  # the one Release type; re-exported

__all__ = ["Release", "build", "collect", "current_release", "ensure_built", "source_files"]

log = logging.getLogger(__name__)

#: Below this many sources, validating in the main process beats starting workers.
PARALLEL_THRESHOLD = 8
#: Files whose bytes make up a release's identity (data, vocabulary, shapes, code).
#: (.toml: the annex reader's column wordings.)
_DIGESTED = {".csv", ".ttl", ".py", ".toml", ".txt", ".html", ".htm", ".json", ".rq", ".topojson"}
#: How many superseded releases to keep beside the current one.
KEEP_RELEASES = 2


def source_files(settings: Settings) -> list[Path]:
    """The agreement texts of the dataset, in a stable order."""
    folder = settings.data_path / "sources"
    # Texts, 例規集 pages, PDFs, Word files and scans; imported here so that `kg serve` starts without
    # the ingester (kg/ingest/document/sniff.py has the one list).
    from kg.ingest.document.sniff import SUFFIXES

    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(head: str, folders: list[Path]) -> str:
    """A digest of ``head`` and of every file under ``folders`` that a build reads."""
    h = hashlib.sha256(head.encode())
    for folder in folders:
        for p in sorted(p for p in folder.rglob("*")
                        if p.suffix in _DIGESTED and "node_modules" not in p.parts and p.is_file()):
            h.update(p.name.encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def _tools_digest(settings: Settings) -> str:
    """What ingesting and validating one text depends on besides the text: the code, shapes,
    ontology, reference data and base IRI (the key of the build cache)."""
    return _digest(kg.__version__ + " " + settings.base_iri, [
        settings.data_path / "reference", settings.ontology_path, settings.shapes_path, Path(kg.__file__).parent])


def _inputs_digest(settings: Settings, tools: str, sources: dict[Path, str]) -> str:
    """A version id that changes whenever an input or the code that reads it changes: the tools,
    the queries, and each source's name and SHA-256."""
    return _digest(tools + "".join(f" {p.name}:{sha}" for p, sha in sources.items()), [settings.queries_path])


def current_release(settings: Settings, *, hold: bool = True) -> Release | None:
    """The release ``build/current`` points at, or None when there is none (or it is broken).

    It is leased for the rest of the process (kg.store.release) unless ``hold`` is False."""
    link = settings.build_path / "current"
    if not (link / "manifest.json").is_file():
        return None
    try:
        return Release.open(link, hold=hold)
    except StoreError as e:
        log.warning("ignoring the current release: %s", e)
        return None


def ensure_built(settings: Settings) -> Release:
    """The current release, building one first if there is none."""
    return current_release(settings) or build(settings)


def _agreements(settings: Settings, sources: dict[Path, str], cache: BuildCache,
                report: ProgressReport = silent) -> dict[str, Entry]:
    """Every source's entry by cache key: from the cache, or ingested and validated (in worker
    processes when there are many); all failures are reported together, in the sources' order."""
    errors: dict[str, str] = {}
    done: dict[str, Entry] = {}
    todo: list[tuple[Path, str]] = []
    for p, sha in sources.items():
        key = source_key(p, sha)
        entry = cache.get(key)
        if entry is None:
            todo.append((p, key))
        else:
            done[key] = entry
    log.info("%d of %d sources from the build cache; ingesting %d", len(done), len(sources), len(todo))
    report(Progress("agreements", len(done), len(sources)))
    if len(todo) < PARALLEL_THRESHOLD:
        for p, key in todo:
            try:
                done[key] = ingest_and_validate(p, settings, cache, key)
            except KgError as e:
                errors[key] = str(e)
            report(Progress("agreements", len(done) + len(errors), len(sources)))
    else:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            futures: dict[Future[Entry], str] = {
                pool.submit(ingest_and_validate, p, settings, cache, key): key for p, key in todo}
            for f in as_completed(futures):
                try:
                    done[futures[f]] = f.result()
                except KgError as e:
                    errors[futures[f]] = str(e)
                report(Progress("agreements", len(done) + len(errors), len(sources)))
    if errors:
        order = [key for _, key in todo]
        raise BuildError(f"{len(errors)} of {len(sources)} sources refused; the previous build is kept.\n"
                         + "\n".join(errors[key] for key in order if key in errors))
    counts = Counter(a.agreement for a in done.values())
    dupes = {k for k, n in counts.items() if n > 1}
    if dupes:
        raise BuildError(f"two sources give the same agreement IRI: {sorted(dupes)}")
    return done


def _link_memberships(areas: Graph, agreements: Iterable[Entry]) -> None:
    """Point each membership (area, partner) at the agreement text we hold for it."""
    for a in agreements:
        if not a.area or not a.partner:
            continue
        for mem in areas.subjects(ORG.organization, URIRef(a.area)):
            if (mem, ORG.member, URIRef(a.partner)) in areas:
                areas.add((mem, RENKEI.agreement, URIRef(a.agreement)))


def build(settings: Settings, *, force: bool = False, progress: ProgressReport | None = None) -> Release:
    """Build the dataset from ``settings.data_path`` into a new release and make it current.

    ``progress`` is told where the build is as it goes (phase by phase, item by item)."""
    from kg.reference.graphs import reference_graphs

    report = progress or silent
    started = time.perf_counter()
    sources = source_files(settings)
    if not sources:
        raise BuildError("no agreement texts found", file=settings.data_path / "sources")
    report(Progress("sources", 0, len(sources)))
    shas = {p: _sha256(p) for p in sources}  # each text read and hashed once
    report(Progress("sources", len(sources), len(sources)))
    tools = _tools_digest(settings)
    version = _inputs_digest(settings, tools, shas)
    current = current_release(settings, hold=False)
    if current is not None and current.version == version and not force:
        log.info("release %s is up to date", version)
        return current
    releases = settings.build_path / "releases"
    if not force and (releases / version / "manifest.json").is_file():
        # Built before (the inputs went back to what they were): made current again, not rebuilt.
        _swap_current(settings.build_path, releases / version)
        log.info("release %s was built before: current again", version)
        return Release.open(releases / version, hold=False)

    from kg.querylib import catalog_graph, load_queries

    cache = BuildCache(settings.build_path / "cache", tools)
    agreements = _agreements(settings, shas, cache, report)
    report(Progress("reference", 0, 0))
    refs = reference_graphs(settings)
    # The example queries as data (sh:SPARQLExecutable), so /id/query/NNN dereferences.
    refs[settings.ids.graph("queries")] = catalog_graph(load_queries(settings.queries_path), settings)
    areas_name = settings.ids.graph("areas")
    refs[areas_name] = refs[areas_name] + Graph()  # a copy: the cached reference graph stays pristine
    _link_memberships(refs[areas_name], agreements.values())
    order = sorted(agreements, key=lambda k: agreements[k].graph)

    releases.mkdir(parents=True, exist_ok=True)
    step = None if force else plan(current, tools, shas, agreements, [str(n) for n in refs], settings)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=releases))
    try:
        with leased(tmp):  # a collector running beside this build leaves the folder alone
            final = _write_release(tmp, version, tools, settings, shas, agreements, refs, order, cache, report, step)
            _swap_current(settings.build_path, final)
    except KgError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"could not write the release: {e}", file=tmp) from e
    collect(releases, keep={final.name})
    cache.prune(keep=set(agreements))
    log.info("built release %s in %.1f s", version, time.perf_counter() - started)
    return Release.open(final, hold=False)


def _write_release(tmp: Path, version: str, tools: str, settings: Settings, shas: dict[Path, str],
                   agreements: dict[str, Entry], refs: dict[URIRef, Graph], order: list[str],
                   cache: BuildCache, report: ProgressReport = silent, step: Plan | None = None) -> Path:
    """Write the release into ``tmp`` and move it to its place in ``releases/``; where it went.

    With ``step``, the release is made from the previous one (kg.release.incremental); if anything
    fails on the way, the whole release is assembled instead (logged): never a wrong release."""
    graphs = {agreements[k].graph: agreements[k].triples for k in order}
    graphs |= {str(n): len(g) for n, g in refs.items()}
    ref_parts = {str(n): graph_parts(str(n), g.serialize(format="nt", encoding="utf-8"), settings.base_iri)
                 for n, g in refs.items()}
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
                return _assemble(tmp, manifest, settings, ref_parts, order, cache, report, step)
        except Exception as e:  # noqa: BLE001 — whatever it was, the whole assembly is the answer
            log.warning("could not make the release from %s (%s: %s); assembling the whole release",
                        step.manifest.version, type(e).__name__, e)
            for name in ("store", "dumps", "search"):
                shutil.rmtree(tmp / name, ignore_errors=True)
    return _assemble(tmp, manifest, settings, ref_parts, order, cache, report, None)


def _assemble(tmp: Path, manifest: Manifest, settings: Settings, ref_parts: dict[str, Parts], order: list[str],
              cache: BuildCache, report: ProgressReport, step: Plan | None) -> Path:
    """The store, dumps, statistics, catalogue and search index of the release in ``tmp``, then its
    manifest; moved into place. Whole, or from the previous release as ``step`` says."""
    from kg.release.publish import Previous, publish
    from kg.search.index import update_index, write_index

    # The dumps are the agreements' cached parts put end to end, then the reference graphs'.
    parts = _counted(chain((cache.parts(k) for k in order), ref_parts.values()), len(manifest.graphs), report)
    previous: Previous | None = None
    if step is None:  # the store is bulk-loaded from the N-Quads as they are written, in batches
        store = ox.Store(str(tmp / "store"))
        with BatchLoader(store) as loader:
            write_dumps(parts, tmp / "dumps", nquads=loader.add)
        report(Progress("optimize", 0, 0))
        store.optimize()  # the batches' files merged, before the catalogue and the index read the store
    else:
        report(Progress("store", 0, 0))
        store = assemble_store(step, tmp / "store", cache, ref_parts)
        previous = Previous(ox.Store.read_only(str(step.previous / "store")), step.manifest.statistics,
                            frozenset(ox.NamedNode(g) for g in step.changed))
    # The search index reads only the texts' graphs, which are loaded now: it is written in a thread
    # beside the dumps (from the previous release) or the publishing (sqlite and pyoxigraph let go of the GIL).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as pool:
        if step is None:
            indexed = pool.submit(write_index, store, tmp)
        else:
            indexed = pool.submit(update_index, step.previous, tmp, store, step.remove, step.added)
            write_dumps(parts, tmp / "dumps")
        report(Progress("publish", 0, 0))
        statistics = publish(store, tmp, manifest, settings, previous)
        report(Progress("search", 0, 0))
        indexed.result()
    graphs = dict(manifest.graphs)
    for name in store.named_graphs():  # the graphs publish() made: the catalogue, the statistics
        if isinstance(name, ox.NamedNode) and name.value not in graphs:
            graphs[name.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, name))
    manifest = manifest.model_copy(update={"graphs": graphs, "quads": len(store), "statistics": statistics})
    store.flush()
    del store, previous
    manifest.write(tmp)
    tmp.chmod(0o755)  # mkdtemp makes it private; a server may run as another user
    return _move_into_place(tmp, tmp.parent, manifest.version)


def _counted(parts: Iterable[Parts], total: int, report: ProgressReport) -> Iterator[Parts]:
    """``parts``, telling ``report`` how many graphs of ``total`` have gone to the dumps."""
    report(Progress("dumps", 0, total))
    for n, graph in enumerate(parts, start=1):
        yield graph
        report(Progress("dumps", n, total))



def _swap_current(build_dir: Path, target: Path) -> None:
    """Point build/current at ``target`` atomically (rename over the old link)."""
    link = build_dir / "current"
    tmp_link = build_dir / f".current.new-{os.getpid()}"  # one per build: two builds may swap at once
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(build_dir))
    os.replace(tmp_link, link)


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


def collect(releases: Path, keep: set[str]) -> list[Path]:
    """Delete what no process uses: superseded releases beyond the newest KEEP_RELEASES, the
    temporary folders of builds that were killed, and half-deleted ``.trash-*`` folders.

    Safe while servers and other builds run: a release or build folder is deleted only when no
    process holds its lease (:func:`kg.store.release.remove_unused`), and never the one
    ``build/current`` points at. Returns what was deleted.
    """
    current = (releases.parent / "current").resolve()
    keep = keep | {current.name}
    folders = [p for p in releases.iterdir() if p.is_dir() and not p.is_symlink()]
    removed: list[Path] = []
    for p in folders:
        if p.name.startswith(".trash-"):  # renamed under an exclusive lock: nobody can open it
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.name.startswith(".") and remove_unused(p, make_lock=_age(p) > _ABANDONED_S):
            removed.append(p)  # a build's temporary folder whose build is gone
    old = sorted((p for p in folders if p.name not in keep and not p.name.startswith(".")),
                 key=_age)
    removed += [p for p in old[KEEP_RELEASES:] if remove_unused(p)]
    return removed


#: A build's temporary folder without a lock file is taken for abandoned only after this long
#: (a build makes its lock file right after the folder).
_ABANDONED_S = 600.0


def _age(folder: Path) -> float:
    """Seconds since the release in ``folder`` was written (its manifest, else the folder)."""
    manifest = folder / "manifest.json"
    try:
        return time.time() - (manifest if manifest.is_file() else folder).stat().st_mtime
    except OSError:
        return 0.0
