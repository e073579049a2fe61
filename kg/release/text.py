"""The per-text work of a build: ingest one source text, validate it, keep what was learnt in the cache.

kg.release.build runs :func:`ingest_and_validate` for each text the build cache does not hold, in
worker processes when there are many; everything it needs comes in its arguments, so it pickles.
"""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path

from kg.errors import BuildError
from kg.namespaces import RENKEI
from kg.release.cache import BuildCache, Entry
from kg.release.dumps import graph_parts
from kg.settings import Settings

__all__ = ["ingest_and_validate"]

#: Whether this process has frozen what it keeps for every text (see :func:`ingest_and_validate`).
_frozen = False


def ingest_and_validate(path: Path, settings: Settings, cache: BuildCache, key: str) -> Entry:
    """Worker: ingest one text, validate it, keep it in the cache; or raise KgError.

    An amendment has no area of its own: its area and partner are empty, so no membership is
    linked to it.

    The cycle collector is off while a text is worked on: the text's objects are freed by their
    counts once it is done, and collecting while they are alive scanned them again and again (1.5
    ms a text). In a worker process, after its first text, what the process keeps for every text
    (the registry, the shapes, the reference context) is frozen out of the collector's reach
    (``gc.freeze``), so that no full collection walks it again; a build's own process is left
    as it is."""
    global _frozen
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _ingest_and_validate(path, settings, cache, key)
    finally:
        if enabled:
            if not _frozen and multiprocessing.parent_process() is not None:
                _frozen = True
                gc.collect()
                gc.freeze()
            gc.enable()


def _ingest_and_validate(path: Path, settings: Settings, cache: BuildCache, key: str) -> Entry:
    from kg.ingest import ingest_file
    from kg.ingest.serialise import ntriples
    from kg.validation.validate import conforms, validate_graph

    result = ingest_file(path, settings)
    nt = ntriples(result.graph)
    if not conforms(result.graph, settings, ntriples=nt):
        report = validate_graph(result.graph, settings, ntriples=nt)
        raise BuildError("does not conform to the shapes:\n" + report.to_text(lang="en"), file=path)
    area = next(iter(result.graph.objects(result.agreement, RENKEI.area)), None)
    partners = set(result.graph.objects(result.agreement, RENKEI.party)) - set(
        result.graph.objects(result.agreement, RENKEI.centralCity))
    partner = next(iter(partners), None)
    entry = Entry(str(result.agreement), str(result.graph_name), str(area or ""), str(partner or ""),
                  result.source, len(result.graph))
    cache.put(key, entry, graph_parts(entry.graph, nt, settings.base_iri))
    return entry
