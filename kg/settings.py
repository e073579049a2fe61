"""The one settings class (environment variables with the ``KG_`` prefix)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.namespaces import DEFAULT_BASE, Ids

__all__ = ["Engine", "Settings"]

#: The SHACL engines (kg.shacl) ``KG_SHACL_ENGINE`` may name.
Engine = Literal["turbo", "pyshacl"]

_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where data lives, where the build goes, and how the server behaves."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    base_iri: str = Field(DEFAULT_BASE, description="Base IRI of the data (ends with '/').")
    root: Path = Field(_ROOT, description="Project root holding ontology/, shapes/, data/, queries/.")
    data_dir: Path | None = Field(None, description="Agreement sources and reference data (default ROOT/data).")
    build_dir: Path | None = Field(None, description="Where builds (store, dumps) go (default ROOT/build).")
    host: str = Field("127.0.0.1", description="Address `kg serve` listens on.")
    port: int = Field(8000, description="Port `kg serve` listens on.")
    query_timeout: float = Field(30.0, description="Seconds after which a SPARQL query is stopped.")
    result_limit: int = Field(10_000, description="Most rows (or triples) one query returns; announced.")
    max_body_bytes: int = Field(1_000_000, description="Largest request body accepted (413 beyond).")
    max_upload_bytes: int = Field(30_000_000, description="Largest document POST /validate accepts (413 beyond): "
                                  "a scanned agreement of twenty pages is a few megabytes.")
    workers: int = Field(2, description="Query worker processes of the server.")
    cache_bytes: int = Field(64 * 2**20, ge=0, description="Bytes of answers `kg serve` keeps per release "
                             "(kg/server/cache.py; 0 keeps none).")
    validate_timeout: float | None = Field(None, gt=0, description="Seconds after which POST /validate is stopped "
                                           "(default: KG_QUERY_TIMEOUT, but at least 10).")
    shacl_engine: Engine = Field("turbo", description="SHACL engine: turbo (pyshacl-turbo, native) or "
                                 "pyshacl (the reference implementation); both give the same reports.")
    store: str | None = Field(None, description="What `kg serve` serves instead of build/current: a release "
                              "directory or store path, or sparql:URL of a remote store loaded by `kg push`.")
    ocr_review_confidence: float = Field(80.0, ge=0, le=100, description="OCR: words read with a confidence "
                                         "(0–100) under this are listed for review (`kg ingest --review`).")
    ocr_page_confidence: float = Field(70.0, ge=0, le=100, description="OCR: a page whose mean word confidence "
                                       "is under this is refused as too poor to read, rather than read wrongly.")
    ocr_correct_confidence: float = Field(90.0, ge=0, le=100, description="OCR: a near miss of a known term is "
                                          "corrected to it only where tesseract's confidence was under this.")

    @property
    def ids(self) -> Ids:
        return Ids(self.base_iri)

    @property
    def data_path(self) -> Path:
        return self.data_dir or self.root / "data"

    @property
    def build_path(self) -> Path:
        return self.build_dir or self.root / "build"

    @property
    def ontology_path(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_path(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_path(self) -> Path:
        return self.root / "queries"
