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
written (kg.release.load), so the build's memory does not grow with the dataset's size. The release
is assembled by kg.release.assemble: whole, or, when ``build/current`` was built by the same tools,
from it (kg.release.incremental: its store copied, only the changed texts' graphs replaced, its dumps
spliced, its VoID counts and search index updated); ``--force`` assembles it whole.

    build/
      current -> releases/<version>
      releases/<version>/store/          on-disk pyoxigraph store, one named graph per agreement
      releases/<version>/dumps/          the agreements' and reference graphs' parts end to end
                                         (kg.release.dumps), described in catalog.ttl (kg.release.catalogue)
      releases/<version>/search/         the full-text index of the printed texts (kg.search.index)
      releases/<version>/manifest.json
      releases/<version>/dumps-layout.json  where each graph lies in the dumps (kg.release.layout)
      releases/<version>/lease.lock      what readers hold a shared flock on
      cache/<tools digest>/              what was learnt of each conforming text (kg.release.cache):
                                         a rebuild ingests and validates only the texts that changed
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

from rdflib import Graph, URIRef

import kg
from kg.errors import BuildError, KgError, StoreError
from kg.namespaces import ORG, RENKEI
from kg.release.assemble import write_release
from kg.release.cache import BuildCache, Entry, source_key
from kg.release.incremental import plan
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
                report: ProgressReport = silent, beside: Callable[[], None] | None = None) -> dict[str, Entry]:
    """Every source's entry by cache key: from the cache, or ingested and validated (in worker
    processes when there are many); all failures are reported together, in the sources' order.

    ``beside`` is called once the workers are forked (a fork while another thread runs could copy a
    lock it holds), or before any text is ingested here: it starts work of its own beside them."""
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
        if beside is not None:
            beside()
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
            if beside is not None:
                beside()
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


def _reference_graphs(settings: Settings) -> dict[URIRef, Graph]:
    """The reference graphs, and the example queries as data (sh:SPARQLExecutable), so that
    /id/query/NNN dereferences."""
    from kg.querylib import catalog_graph, load_queries
    from kg.reference.graphs import reference_graphs

    refs = reference_graphs(settings)
    refs[settings.ids.graph("queries")] = catalog_graph(load_queries(settings.queries_path), settings)
    return refs


def build(settings: Settings, *, force: bool = False, progress: ProgressReport | None = None) -> Release:
    """Build the dataset from ``settings.data_path`` into a new release and make it current.

    ``progress`` is told where the build is as it goes (phase by phase, item by item)."""
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

    cache = BuildCache(settings.build_path / "cache", tools)
    # The reference graphs are made in a thread while the workers ingest (the build's own process
    # only waits for them then); an error there is raised here by result().
    with ThreadPoolExecutor(1, thread_name_prefix="reference") as meanwhile:
        made: list[Future[dict[URIRef, Graph]]] = []
        agreements = _agreements(settings, shas, cache, report,
                                 beside=lambda: made.append(meanwhile.submit(_reference_graphs, settings)))
        report(Progress("reference", 0, 0))
        refs = made[0].result()
    areas_name = settings.ids.graph("areas")
    refs[areas_name] = refs[areas_name] + Graph()  # a copy: the cached reference graph stays pristine
    _link_memberships(refs[areas_name], agreements.values())
    order = sorted(agreements, key=lambda k: agreements[k].graph)

    releases.mkdir(parents=True, exist_ok=True)
    step = None if force else plan(current, tools, shas, agreements, [str(n) for n in refs], settings)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=releases))
    try:
        with leased(tmp):  # a collector running beside this build leaves the folder alone
            final = write_release(tmp, version, tools, settings, shas, agreements, refs, order, cache, report, step)
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


def _swap_current(build_dir: Path, target: Path) -> None:
    """Point build/current at ``target`` atomically (rename over the old link)."""
    link = build_dir / "current"
    tmp_link = build_dir / f".current.new-{os.getpid()}"  # one per build: two builds may swap at once
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.relative_to(build_dir))
    os.replace(tmp_link, link)


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
