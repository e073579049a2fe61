"""The one exception tree of renkei-kg.

Every error a user can meet is a :class:`KgError`; the CLI prints its message (never a
traceback) and exits with its ``exit_code``; the server answers with its ``http_status``.

::

    KgError                         exit 2 / HTTP 400
    ├── InputError                  a file or request body that cannot be used at all
    │   ├── DecodeError             bytes that are not text in a known encoding
    │   └── RdfSyntaxError          RDF that does not parse
    ├── IngestError                 text that cannot be read as an agreement (FILE:LINE)
    │   ├── UnknownLayoutError      no known layout matches where the text stops making sense
    │   ├── DateError               an impossible or unreadable date
    │   ├── UnknownMunicipalityError a party that is not in the municipality registry
    │   └── ConsolidationError      an amendment whose old wording is not in the agreement it amends
    ├── ReferenceDataError          data/reference is inconsistent (bad code, check digit)
    ├── BuildError                  the dataset does not conform; the previous build is kept
    ├── StoreError                  the store is missing, locked or unreadable
    │   └── RemoteStoreError        a remote endpoint refused or failed a request (kg push)
    ├── UnknownAgreementError       an agreement name that is not in the dataset (HTTP 404)
    └── QueryError                  a SPARQL query that does not parse or is refused
        ├── QueryRefused            update, SERVICE, remote FROM … (HTTP 400/403)
        └── QueryTimeout            ran past the configured timeout (HTTP 503)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BuildError", "ConsolidationError", "DateError", "DecodeError", "IngestError", "InputError", "KgError",
    "QueryError", "QueryRefused", "QueryTimeout", "RdfSyntaxError", "ReferenceDataError", "RemoteStoreError",
    "StoreError", "UnknownAgreementError", "UnknownLayoutError", "UnknownMunicipalityError",
]


class KgError(Exception):
    """Raised for any failure a user should see as a message, not a traceback."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 where: str | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.where = where
        super().__init__(self.__str__())

    def location(self) -> str:
        """``FILE:LINE`` (or what is known of it), empty when nothing is."""
        parts = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.where:
            parts.append(self.where)
        return " ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message


class InputError(KgError):
    """Raised when a file or request body cannot be used at all (empty, binary, unreadable)."""


class DecodeError(InputError):
    """Raised when bytes are not text in UTF-8 (with or without BOM) or Shift_JIS/CP932."""


class RdfSyntaxError(InputError):
    """Raised when an RDF file or body does not parse in the format it claims."""


class IngestError(KgError):
    """Raised when a text is readable but cannot be read as an agreement; names FILE:LINE."""


class UnknownLayoutError(IngestError):
    """Raised when no known layout (docs/layouts) matches; says where the ingester stopped."""


class DateError(IngestError):
    """Raised when a date is impossible (13月45日) or unreadable."""


class UnknownMunicipalityError(IngestError):
    """Raised when a party's name is not in data/reference/municipalities.csv."""


class ConsolidationError(IngestError):
    """Raised when an amendment cannot be replayed: its old wording is not in the agreement it amends."""


class ReferenceDataError(KgError):
    """Raised when reference data is inconsistent: a bad code, a wrong check digit, a duplicate."""


class BuildError(KgError):
    """Raised when a build is refused (non-conforming data); the previous build keeps serving."""

    exit_code = 1


class StoreError(KgError):
    """Raised when the store is missing, locked by another process, or unreadable."""

    http_status = 503


class UnknownAgreementError(KgError):
    """Raised when a name given for an agreement is not one in the dataset (HTTP 404); lists close ones."""

    http_status = 404


class RemoteStoreError(StoreError):
    """Raised when a remote SPARQL or Graph Store Protocol endpoint refuses or fails a request."""


class QueryError(KgError):
    """Raised when a SPARQL query does not parse (the parser's message is kept)."""


class QueryRefused(QueryError):
    """Raised for what a read-only public endpoint will not run: updates, SERVICE, remote FROM."""


class QueryTimeout(QueryError):
    """Raised when a query runs past the configured timeout and is stopped."""

    http_status = 503
