"""What a build learnt of each source text, kept so that the next build does not learn it again.

Ingesting and validating a text gives the same answer as long as the text, its file name (the
provenance names it), and the *tools* — the code, shapes, ontology, reference data and base IRI
— are the same. So a build keeps, for each text that conformed, what it needs of it: a few facts
(:class:`Entry`) and the graph's dump parts (kg.release.dumps). Rebuilding 4,000 agreements after one
changed ingests and validates one.

    build/cache/<tools digest>/<source_key>.zip   meta.json + one gzip member per dump

A text that did not conform is never cached (its report is made again, and it is cheap). A
cache file is written whole or not at all (a temporary name, then a rename), so an interrupted
build leaves nothing half-written; an unreadable entry is ignored and made again. The build's
dumps are made from the cached parts, so a cache that cannot be written fails the build with a
StoreError naming the folder (and the previous release keeps serving).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import StoreError
from kg.release.dumps import Parts

__all__ = ["BuildCache", "Entry", "source_key"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """What the build needs of one ingested, conforming source."""

    agreement: str  #: the agreement's (or amendment's) IRI
    graph: str  #: its named graph
    area: str  #: its area's IRI ("" for an amendment)
    partner: str  #: the partner municipality's IRI ("" for an amendment)
    source: str  #: the source file name, as the provenance gives it
    triples: int  #: triples in its graph


def source_key(path: Path, sha256: str | None = None) -> str:
    """The cache key of a source text: its file name and the SHA-256 of its bytes (``sha256``, when
    the caller has it)."""
    digest = sha256 or hashlib.sha256(path.read_bytes()).hexdigest()
    return hashlib.sha256(f"{path.name}\0{digest}".encode()).hexdigest()


class BuildCache:
    """The entries of one tools digest under ``root``."""

    def __init__(self, root: Path, tools: str) -> None:
        self.root = root
        self.folder = root / tools

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.zip"

    def get(self, key: str) -> Entry | None:
        """The entry of ``key``, or None when there is none (or it cannot be read)."""
        try:
            with zipfile.ZipFile(self._file(key)) as z:
                return Entry(**json.loads(z.read("meta.json")))
        except FileNotFoundError:
            return None
        except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as e:
            log.warning("ignoring unreadable cache entry %s: %s", key, e)
            return None

    def parts(self, key: str) -> dict[str, bytes]:
        """The dump parts of ``key`` (which :meth:`get` found)."""
        with zipfile.ZipFile(self._file(key)) as z:
            return {name: z.read(name) for name in z.namelist() if name != "meta.json"}

    def put(self, key: str, entry: Entry, parts: Parts) -> None:
        """Keep ``entry`` and ``parts`` under ``key``, atomically."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}-", dir=self.folder)
        except OSError as e:
            raise StoreError(f"cannot write the build cache: {e.strerror}", file=self.folder) from e
        try:
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as z:
                z.writestr("meta.json", json.dumps(asdict(entry), ensure_ascii=False))
                for name, member in parts.items():  # already gzip members: storing is enough
                    z.writestr(name, member)
            os.replace(tmp, self._file(key))
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise StoreError(f"cannot write the build cache: {e.strerror}", file=self.folder) from e
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def prune(self, keep: set[str]) -> None:
        """Delete the entries of other tools digests, and this digest's entries not in ``keep``."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder != self.folder:
                shutil.rmtree(folder, ignore_errors=True)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.startswith(".") and not _abandoned(path):
                    continue  # being written by a build beside this one (put() renames it when done)
                if path.name.removesuffix(".zip") not in keep:
                    path.unlink(missing_ok=True)


#: A temporary cache file older than this was left by a build that was killed.
_ABANDONED_S = 600.0


def _abandoned(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > _ABANDONED_S
    except OSError:
        return False
