"""A built release on disk: ``store/`` (pyoxigraph), ``dumps/``, ``manifest.json`` and ``lease.lock``.

A release in use is never deleted (issue 14, point 2). Every process that reads a release — a
server, each of its query workers, ``kg query`` — holds a shared ``flock`` on its ``lease.lock``
for as long as it lives (:func:`lease`); a build deletes a superseded release only when it can take
the lock exclusively (:func:`remove_unused`), i.e. when no process holds it. The kernel drops a
process's locks when it ends, however it ends (``kill -9`` too), so a lease is never left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.release.manifest import Manifest

__all__ = ["LEASE", "Release", "lease", "leased", "open_read_only", "read_releases", "remove_unused"]

log = logging.getLogger(__name__)

#: The file in a release (and in a build's temporary folder) that its users hold a shared lock on.
LEASE = "lease.lock"
#: The leases this process holds: release folder → open file (kept open until the process exits).
_LEASES: dict[Path, int] = {}
#: Every release this process opened, in order (leased or, without a lock file, read unleased).
_READ: list[Path] = []


class _Gone(StoreError):
    """Raised when the release was deleted (or is being deleted) as we came to lease it."""


def _lock(folder: Path, how: int) -> int:
    """An open ``folder/LEASE`` (made if missing and the folder is writable), locked ``how``.

    Raises :class:`_Gone` if the lock is held the other way or the file vanished meanwhile (a
    collector renamed the folder away between our open and our lock)."""
    lock = folder / LEASE
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except FileNotFoundError:
        raise _Gone("the release was deleted", file=folder) from None
    except OSError:  # a read-only folder without a lock file: nobody can collect it either
        fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != os.stat(lock).st_ino:
            raise FileNotFoundError(lock)
    except (BlockingIOError, FileNotFoundError):
        os.close(fd)
        raise _Gone("the release is being deleted (it is no longer current)", file=folder) from None
    return fd


def lease(folder: Path) -> None:
    """Hold a shared lock on the release ``folder`` until this process ends, so no build deletes it.

    Raises StoreError if it is being deleted. Without a lock file and no right to make one (a
    release built before leases, on a read-only disk), the release is read unleased.
    """
    folder = folder.resolve()
    if folder in _LEASES:
        return
    try:
        _LEASES[folder] = _lock(folder, fcntl.LOCK_SH)
    except OSError as e:  # _Gone (a StoreError) goes to the caller
        log.debug("reading %s without a lease: %s", folder, e)
    if folder not in _READ:
        _READ.append(folder)


def read_releases() -> tuple[Path, ...]:
    """The release folders this process has opened (:func:`lease`), the first first: a query worker
    opens exactly one, the release whose store it serves."""
    return tuple(_READ)


@contextlib.contextmanager
def leased(folder: Path) -> Iterator[None]:
    """Hold a shared lock on ``folder`` for the ``with`` block (a build on its temporary folder)."""
    fd = _lock(folder, fcntl.LOCK_SH)
    try:
        yield
    finally:
        os.close(fd)


def remove_unused(folder: Path, *, make_lock: bool = True) -> bool:
    """Delete ``folder`` if no process holds its lease; whether it was deleted.

    Under the exclusive lock the folder is first renamed to a hidden ``.trash-*`` name (atomic: no
    process can open it by its name any more), then deleted. ``make_lock=False`` leaves alone a
    folder without a lock file (a build's temporary folder that has not made its own yet).
    """
    if not make_lock and not (folder / LEASE).is_file():
        return False
    try:
        fd = _lock(folder, fcntl.LOCK_EX)
    except (_Gone, OSError):  # in use (or already being deleted), or unreadable
        return False
    try:
        trash = folder.with_name(f".trash-{folder.name}-{secrets.token_hex(4)}")
        try:
            folder.rename(trash)
        except OSError as e:
            log.warning("could not remove %s: %s", folder, e)
            return False
        shutil.rmtree(trash, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def open_read_only(path: Path) -> ox.Store:
    """Open the store at ``path`` read-only (many processes may do so at once), or raise StoreError.

    The store's release is leased (:func:`lease`) for the rest of the process."""
    if not (path / "CURRENT").is_file():
        raise StoreError("no pyoxigraph store here (run `kg build`)", file=path)
    if path.name == "store" and (path.parent / "manifest.json").is_file():
        lease(path.parent)
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store read-only: {e}", file=path) from None


@dataclass(frozen=True)
class Release:
    """One immutable release directory and what its manifest says about it."""

    path: Path
    #: None for a bare store (``kg serve --store <folder>``), which has no manifest.
    manifest: Manifest | None = None

    @classmethod
    def open(cls, path: Path, *, hold: bool = True) -> Release:
        """Read ``path/manifest.json``; a bare store (``kg serve --store``) gets an empty manifest.

        A release is leased for the rest of the process (:func:`lease`) unless ``hold`` is False (a
        build that only looks at the current version). ``path`` may be a link (``build/current``):
        if a build swaps it and deletes its old target as we open it, the new target is opened."""
        for _attempt in range(3):
            resolved = path.resolve()
            if not hold or not (resolved / "manifest.json").is_file():
                return cls._read(resolved)
            try:
                lease(resolved)
            except _Gone:
                if path.is_symlink():
                    continue
                raise
            return cls._read(resolved)
        raise StoreError("the release was deleted while it was being opened, three times", file=path)

    @classmethod
    def _read(cls, path: Path) -> Release:
        if (path / "manifest.json").is_file():
            return cls(path, Manifest.read(path))
        if (path / "store" / "CURRENT").is_file() or (path / "CURRENT").is_file():
            return cls(path, None)
        raise StoreError("neither a release directory nor a pyoxigraph store", file=path)

    @property
    def store_path(self) -> Path:
        return self.path / "store" if (self.path / "store").is_dir() else self.path

    @property
    def dumps_path(self) -> Path:
        return self.path / "dumps"

    @property
    def version(self) -> str:
        return self.manifest.version if self.manifest else self.path.name

    @property
    def created(self) -> datetime:
        """When the release was built (the manifest's ``created``; else the store's mtime)."""
        if self.manifest:
            stamp = self.manifest.created
            return stamp if stamp.tzinfo else stamp.astimezone()
        return datetime.fromtimestamp((self.store_path / "CURRENT").stat().st_mtime).astimezone()

    @property
    def graphs(self) -> dict[str, int]:
        return dict(self.manifest.graphs) if self.manifest else {}
