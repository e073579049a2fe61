"""The release manifest: what a release holds, typed, written by the build and read by everyone else.

``releases/<version>/manifest.json`` is written once, by :func:`kg.release.build.build` (and
rewritten by :func:`kg.release.demo.build_demo` for a demo release), and read through
:meth:`Manifest.read` by the store (:class:`kg.store.release.Release`), the server, the catalogue and
the command line. A manifest that does not match this model is refused with the file named, not
half-read.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg.errors import StoreError

__all__ = ["Demo", "Manifest", "Source"]

FILE = "manifest.json"


class Source(BaseModel):
    """One source text of the release: its file name and the SHA-256 of its bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    sha256: str


class Demo(BaseModel):
    """What marks a demo release (``kg demo``): its base IRI, the composed texts, the graphs marked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_iri: str
    composed: list[str]
    graphs_marked: list[str]
    note_ja: str
    note_en: str


class Manifest(BaseModel):
    """One release: version, when and by what it was built, its agreements, graphs and sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    created: datetime
    base_iri: str
    generator: str
    agreements: list[str] = Field(default_factory=list)
    amendments: list[str] = Field(default_factory=list)
    #: Named graph IRI → its number of triples.
    graphs: dict[str, int] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)
    quads: int = 0
    #: The digest of what the build's per-text work depends on (kg.release.build._tools_digest): a
    #: release is made from the previous one only when the two agree (kg.release.incremental).
    tools: str | None = None
    #: The VoID counts of the union graph (kg.release.void.NAMES → count), as the catalogue states them.
    statistics: dict[str, int] = Field(default_factory=dict)
    demo: Demo | None = None

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the release in ``folder``; :class:`StoreError` naming the file if unreadable."""
        path = folder / FILE
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError) as e:
            raise StoreError(f"unreadable manifest: {e}", file=path) from None

    def to_json(self) -> str:
        """The manifest as written to ``manifest.json`` (UTF-8 text, indented, created in ISO 8601)."""
        return json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2)

    def write(self, folder: Path) -> None:
        """Write ``folder/manifest.json``."""
        (folder / FILE).write_text(self.to_json(), "utf-8")
