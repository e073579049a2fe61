"""A built release on disk: ``store/`` (pyoxigraph), ``dumps/`` and ``manifest.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import StoreError

__all__ = ["Release", "open_read_only"]


def open_read_only(path: Path) -> ox.Store:
    """Open the store at ``path`` read-only (many processes may do so at once), or raise StoreError."""
    if not (path / "CURRENT").is_file():
        raise StoreError("no pyoxigraph store here (run `kg build`)", file=path)
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store read-only: {e}", file=path) from None


@dataclass(frozen=True)
class Release:
    """One immutable release directory and what its manifest says about it."""

    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Release:
        """Read ``path/manifest.json``; a bare store (``kg serve --store``) gets an empty manifest."""
        path = path.resolve()
        if (path / "manifest.json").is_file():
            try:
                manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise StoreError(f"unreadable manifest: {e}", file=path / "manifest.json") from None
            return cls(path, manifest)
        if (path / "store" / "CURRENT").is_file() or (path / "CURRENT").is_file():
            return cls(path, {})
        raise StoreError("neither a release directory nor a pyoxigraph store", file=path)

    @property
    def store_path(self) -> Path:
        return self.path / "store" if (self.path / "store").is_dir() else self.path

    @property
    def dumps_path(self) -> Path:
        return self.path / "dumps"

    @property
    def version(self) -> str:
        return str(self.manifest.get("version") or self.path.name)

    @property
    def created(self) -> datetime:
        """When the release was built (the manifest's ``created``; else the store's mtime)."""
        raw = self.manifest.get("created")
        if isinstance(raw, str):
            try:
                stamp = datetime.fromisoformat(raw.replace("Z", "+00:00"))
                return stamp if stamp.tzinfo else stamp.astimezone()
            except ValueError:
                pass
        return datetime.fromtimestamp((self.store_path / "CURRENT").stat().st_mtime).astimezone()

    @property
    def graphs(self) -> dict[str, int]:
        raw = self.manifest.get("graphs")
        return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
