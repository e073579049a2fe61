"""The one settings class (environment variables with the ``KG_`` prefix)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.errors import InputError
from kg.namespaces import DEFAULT_BASE, Ids

__all__ = ["MIN_QUERY_MEMORY", "QUERY_MEMORY_SHARE", "Engine", "InMemory", "Settings", "available_memory",
           "machine_memory"]

#: The SHACL engines (kg.validation.engine) ``KG_SHACL_ENGINE`` may name.
Engine = Literal["turbo", "pyshacl"]
#: What ``KG_STORE_IN_MEMORY`` may say (kg.store.worker.in_memory decides ``auto``).
InMemory = Literal["auto", "yes", "no"]

_ROOT = Path(__file__).resolve().parent.parent
#: The share of the machine's memory the query workers may use together (KG_QUERY_MEMORY's default).
QUERY_MEMORY_SHARE = 0.5
#: The least memory limit a query worker gets: it starts (Python, pyoxigraph, the store opened) in ~100 MB.
MIN_QUERY_MEMORY = 256 * 2**20


def machine_memory() -> int:
    """Bytes of physical memory of this machine (0 when the platform does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def available_memory() -> int:
    """Bytes of memory the kernel says new work can have without swapping (``MemAvailable``; else
    the machine's memory, 0 when neither is known)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return machine_memory()


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
    workers: int = Field(2, ge=1, description="Query worker processes of the server.")
    query_memory: int | None = Field(None, ge=MIN_QUERY_MEMORY, description="Bytes of memory one query "
                                     "worker may use; a query that needs more is stopped, its worker replaced, "
                                     "and the client answered 503 (default: half the machine's memory divided "
                                     "by KG_WORKERS).")
    store_in_memory: InMemory = Field("auto", description="Whether each query worker answers from a copy of "
                                      "the release held in memory (loaded from dumps/dataset.nq when it starts; "
                                      "from the store on disk until then): yes, no, or auto — in memory when "
                                      "every worker's copy fits in half the available memory and in half of "
                                      "KG_QUERY_MEMORY (docs/perf/in-memory.md).")
    validate_workers: int = Field(2, ge=1, description="Processes validating POST /validate uploads at once; "
                                  "each is killed at its time limit (kg/server/validator.py).")
    max_url_bytes: int = Field(8192, ge=256, description="Longest request target (path and query string) "
                               "accepted (414 beyond).")
    max_header_bytes: int = Field(8192, ge=1024, description="Most bytes of request headers accepted "
                                  "(431 beyond).")
    header_timeout: float = Field(10.0, gt=0, description="Seconds a client has to send a request's line and "
                                  "headers once it connects or starts a request (408 and closed beyond; kg serve).")
    body_timeout: float = Field(30.0, gt=0, description="Seconds a client has to send a request's whole body "
                                "once its headers arrived (408 and closed beyond).")
    max_client_connections: int = Field(64, ge=1, description="Most connections open at once from one client "
                                        "address (kg serve; 429 and closed beyond).")
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

    @classmethod
    def from_env(cls, **values: Any) -> Settings:
        """The settings of the environment (and ``values``); an InputError naming each ``KG_`` variable
        that is not valid, instead of pydantic's traceback."""
        try:
            return cls(**values)
        except ValidationError as e:
            wrong = [(f"KG_{'_'.join(str(part) for part in error['loc']).upper()}", error["msg"], error.get("input"))
                     for error in e.errors()]
            raise InputError(
                "invalid setting: " + "; ".join(f"{name}={given!r}: {msg}" for name, msg, given in wrong),
                ja="設定が正しくありません: " + "、".join(f"{name}={given!r}（{msg}）" for name, msg, given in wrong),
                fix="correct or unset the environment variable (the settings are listed in README.md)",
                fix_ja="環境変数を直すか、設定を外してください（設定の一覧は README.md）。",
            ) from None

    @property
    def query_memory_bytes(self) -> int:
        """KG_QUERY_MEMORY, or half the machine's memory shared by the query workers (at least 256 MB)."""
        if self.query_memory is not None:
            return self.query_memory
        return max(MIN_QUERY_MEMORY, int(machine_memory() * QUERY_MEMORY_SHARE) // self.workers)

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
