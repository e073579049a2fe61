"""Publish a release: count its statistics graph, add it to the dumps, and write the catalogue.

The build calls :func:`publish` once, after writing the dumps (kg.release.dumps) and loading the store:
the statistics graph (kg.release.statistics) is counted into the store and appended to every dump as
if it had been the last graph written, then the catalogue (kg.release.catalogue) describes the dumps
as they finally are, in ``dumps/catalog.ttl`` and in the store's ``graph/catalog``.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import BuildError
from kg.release.catalogue import CATALOG_FILE, catalog_graph
from kg.release.dumps import DUMPS, Parts, graph_parts, gzip_member
from kg.release.manifest import Manifest
from kg.release.statistics import add_statistics
from kg.release.void import counted, updated
from kg.settings import Settings

__all__ = ["DumpDigests", "Previous", "publish", "published_statistics"]

log = logging.getLogger(__name__)


def _append_to_dumps(parts: Parts, dumps_dir: Path) -> None:
    """Add one graph's parts at the end of the dumps kg.release.dumps.write_dumps wrote, as if it
    had been the last graph given to it: in JSON-LD, before the closing bracket (its own gzip
    member), after a comma when the array holds a graph already."""
    closing = b"]\n"
    for name, member in parts.items():
        text = zlib.decompress(member, wbits=31)
        plain, packed = dumps_dir / name, dumps_dir / (name + ".gz")
        if name != "dataset.jsonld":
            with plain.open("ab") as f:
                f.write(text)
            with packed.open("ab") as f:
                f.write(member)
            continue
        # write_dumps compresses each piece alone, with gzip's level 6 and no time: the same bytes.
        packed_closing = gzip_member(closing)
        size, packed_size = plain.stat().st_size, packed.stat().st_size
        with plain.open("rb") as f:
            f.seek(max(size - 3, 0))
            tail = f.read()
        with packed.open("rb") as f:
            f.seek(max(packed_size - len(packed_closing), 0))
            packed_tail = f.read()
        if not tail.endswith(closing) or packed_tail != packed_closing:
            raise BuildError(f"{name}: the dump does not end as kg.release.dumps writes it, so the statistics "
                             "graph cannot be added to it", file=str(plain),
                             ja=f"{name} の末尾が kg.release.dumps の書く形でないため、統計グラフを加えられません。")
        comma = b"" if size <= len(b"[" + closing) else b",\n"
        with plain.open("r+b") as f:
            f.truncate(size - len(closing))
            f.seek(0, 2)
            f.write(comma + text + closing)
        with packed.open("r+b") as f:
            f.truncate(packed_size - len(packed_closing))
            f.seek(0, 2)
            f.write((gzip_member(comma) if comma else b"") + member + packed_closing)


def _turtle(ntriples: bytes, prefixes: dict[str, object]) -> bytes:
    """The triples as Turtle, by subject and predicate, with those of ``prefixes`` they use: pyoxigraph's
    writer, as rdflib's took 3.6 s for the 16,550 triples of the catalogue at 4,000 agreements (0.26 s;
    the same graph). Not the data's own prefix: its local names hold slashes, which would be escaped."""
    triples = sorted((q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    used = {p: str(ns) for p, ns in prefixes.items() if p not in ("", "rid") and b"<" + str(ns).encode() in ntriples}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""


#: The bytes at the end of a dump left out of its digest begun early: :func:`_append_to_dumps` rewrites
#: at most the JSON-LD dumps' closing bracket (2 bytes, or its gzip member), and appends.
_TAIL = 1 << 16


def _begin(path: Path) -> tuple[hashlib._Hash, int]:
    """The SHA-256 of ``path`` but its last :data:`_TAIL` bytes, and how many bytes it has read."""
    h = hashlib.sha256()
    end = max(path.stat().st_size - _TAIL, 0)
    with path.open("rb") as f:
        while f.tell() < end:
            chunk = f.read(min(1 << 20, end - f.tell()))
            if not chunk:
                break
            h.update(chunk)
        return h, f.tell()


class DumpDigests:
    """The dumps' SHA-256, begun as soon as kg.release.dumps has written them (in a thread: hashlib
    lets go of the GIL), while the store is optimised on the other core, and finished by
    :func:`publish` once the statistics graph is added: each file's bytes up to :data:`_TAIL` from its
    end are the same then, only the rest is read again (the ten files at 4,000 agreements, 2 GB,
    took ≈ 1.5 CPU-s beside the VoID counts and the search index)."""

    def __init__(self, dumps_dir: Path, threads: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dump-sha256")
        files = sorted(p for p in dumps_dir.iterdir() if p.name.startswith("dataset."))
        self._begun: dict[Path, Future[tuple[hashlib._Hash, int]]] = {p: self._pool.submit(_begin, p) for p in files}
        self._pool.shutdown(wait=False)

    def finished(self) -> dict[str, str]:
        """Each dump's SHA-256 by file name, as the files are now (read past what was hashed)."""
        out: dict[str, str] = {}
        for path, begun in self._begun.items():
            h, done = begun.result()
            with path.open("rb") as f:
                f.seek(done)
                while chunk := f.read(1 << 20):
                    h.update(chunk)
            out[path.name] = h.hexdigest()
        return out


@dataclass(frozen=True)
class Previous:
    """The release a release is made from (kg.release.incremental): its store (read-only), its VoID
    counts, and the named graphs the new store holds otherwise (the statistics graph besides)."""

    store: ox.Store
    statistics: dict[str, int]
    graphs: frozenset[ox.NamedNode]


def published_statistics(store: ox.Store, release_dir: Path, settings: Settings) -> ox.NamedNode:
    """Count the statistics graph into ``store`` (kg.release.statistics) and add it to the dumps in
    ``release_dir/dumps/``; its name. The first step of :func:`publish`, which a caller may take
    itself before: kg.release.assemble does, before the search index's thread starts, since this step
    hands every row and triple to Python, each time waiting for the GIL beside that thread's loop
    (2.4 s at 4,000 agreements, 0.3 s alone)."""
    statistics = add_statistics(store, settings)
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=statistics) or b""
    _append_to_dumps(graph_parts(statistics.value, nt, settings.base_iri), release_dir / "dumps")
    return statistics


def publish(store: ox.Store, release_dir: Path, manifest: Manifest, settings: Settings,
            previous: Previous | None = None, digests: DumpDigests | None = None,
            statistics: ox.NamedNode | None = None) -> dict[str, int]:
    """Count the statistics graph into ``store`` and add it to the dumps in ``release_dir/dumps/``
    (kg.release.dumps wrote them; call this once per release), then describe the dumps: write the
    catalogue file there, and (re)write the catalogue graph ``{base}graph/catalog`` in ``store``.

    The VoID counts are updated from ``previous``'s when given (kg.release.void.updated), else
    counted over the whole store; they are returned. The dumps' SHA-256 are finished from ``digests``
    (begun on the dumps as kg.release.dumps wrote them, :class:`DumpDigests`), else computed meanwhile,
    in threads (hashlib lets go of the GIL). ``statistics`` is the statistics graph when the caller has
    counted and added to the dumps already (:func:`published_statistics`), else it is here."""
    catalog = ox.NamedNode(str(settings.ids.graph("catalog")))
    dumps_dir = release_dir / "dumps"
    if statistics is None:
        statistics = published_statistics(store, release_dir, settings)
    hashing = digests or DumpDigests(dumps_dir, threads=2)
    if previous is None:
        counts = counted(store, catalog, settings.base_iri)
    else:
        counts = updated(previous.store, store, previous.statistics, previous.graphs | {statistics},
                         catalog, settings.base_iri)
    g = catalog_graph(store, dumps_dir, manifest, settings, statistics=counts, digests=hashing.finished())
    # The file is the catalogue of record: the store normalises xsd:nonNegativeInteger (DCAT-AP's
    # type for dcat:byteSize) to xsd:integer (oxigraph/oxigraph#526), so /catalog serves this file
    # and SPARQL sees the same statements with the integer type.
    catalog_nt = g.serialize(format="nt", encoding="utf-8")
    (dumps_dir / CATALOG_FILE).write_bytes(_turtle(catalog_nt, dict(g.namespaces())))
    if store.contains_named_graph(catalog):
        store.remove_graph(catalog)
    store.load(catalog_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=catalog)
    store.flush()
    log.info("described %d dump files in %d catalogue triples in %s", len(DUMPS) * 2, len(g), dumps_dir)
    return counts
