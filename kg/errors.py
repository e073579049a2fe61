"""The one exception tree of renkei-kg.

Every error a user can meet is a :class:`KgError`; the CLI prints its message (never a
traceback) and exits with its ``exit_code``; the server answers with its ``http_status``.

::

    KgError                         exit 2 / HTTP 400
    ├── InputError                  a file or request body that cannot be used at all
    │   ├── DecodeError             bytes that are not text in a known encoding
    │   ├── OcrUnavailable          a scan or image, but no tesseract (or its Japanese model) to read it
    │   ├── RdfSyntaxError          RDF that does not parse
    │   ├── UriTooLong, HeadersTooLarge, RequestTimeout, TooManyConnections, PayloadTooLarge
    │   │                           a request past the server's limits (HTTP 414, 431, 408, 429, 413)
    │   ├── UnsupportedMediaType    a request body of a type not read (HTTP 415)
    │   └── NotAcceptable           no format we write is acceptable to the client (HTTP 406)
    ├── IngestError                 text that cannot be read as an agreement (FILE:LINE)
    │   ├── IngestProblems          every problem found in one file, each a :class:`Problem`
    │   ├── DateError               an impossible or unreadable date
    │   ├── UnknownMunicipalityError a party that is not in the municipality registry
    │   └── ConsolidationError      an amendment whose old wording is not in the agreement it amends
    ├── ReferenceDataError          data/reference is inconsistent (bad code, check digit)
    ├── BuildError                  the dataset does not conform; the previous build is kept
    ├── StoreError                  the store is missing, locked or unreadable
    │   └── RemoteStoreError        a remote endpoint refused or failed a request (kg push)
    ├── ValidationTimeout           a validation ran past its time limit and was stopped (HTTP 503)
    ├── ValidatorDied               the validation worker died mid-validation (HTTP 503)
    ├── NotFound                    what a request names is not here (HTTP 404)
    │   ├── UnknownAgreementError   an agreement name that is not in the dataset
    │   ├── ResourceNotFound        an IRI under /id/ that the dataset does not describe
    │   ├── DumpNotFound            a file name that is not one of the release's dumps
    │   ├── NotInVocabulary         a version or document under /ns that is not published
    │   └── NotOnRemote             a release file (dump, store) asked of a remote store
    └── QueryError                  a SPARQL query that does not parse or is refused
        ├── QueryRefused            update, SERVICE, remote FROM … (HTTP 400/403)
        ├── QueryTimeout            ran past the configured timeout (HTTP 503)
        ├── QueryMemoryLimit        needed more memory than a query worker may use (HTTP 503)
        └── SearchUnavailable       renkei:search on a release without a search index (HTTP 501)

Exceptions that never reach a user are not in the tree: they are signals between two functions of
one module (``ScannedPdf``: "read this PDF by OCR"; ``Refused`` in the rewriter and the validation
page; ``_Gone``, ``_TooDeep``, ``_Doctype``), each caught where it is raised or turned into one of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BuildError", "ConsolidationError", "DateError", "DecodeError", "DumpNotFound", "HeadersTooLarge", "IngestError",
    "IngestProblems", "InputError", "KgError", "NotAcceptable", "NotFound", "NotInVocabulary", "NotOnRemote",
    "OcrUnavailable", "PayloadTooLarge", "Problem", "ProblemList", "QueryError", "QueryMemoryLimit", "QueryRefused",
    "QueryTimeout", "RdfSyntaxError", "ReferenceDataError", "RemoteStoreError", "RequestTimeout", "ResourceNotFound",
    "SearchUnavailable", "StoreError", "TooManyConnections", "UnknownAgreementError", "UnknownMunicipalityError",
    "UnsupportedMediaType", "UriTooLong", "ValidationTimeout", "ValidatorDied",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: what is wrong and how to fix it, in Japanese and English, and where.

    ``where`` names the part a clerk can find (「別表 3-(8)」, 「第3条」); ``line`` is the source line
    (for a PDF or scan, the line of the text read from it; ``page`` then says which page).

    >>> p = Problem("令和2年2月30日は存在しない日付です", "令和2年2月30日 is not a date", file="a.txt", line=3,
    ...             fix_ja="日付を確かめてください", fix_en="check the date")
    >>> p.render("ja")
    'a.txt:3: 令和2年2月30日は存在しない日付です（対処: 日付を確かめてください）'
    >>> p.render("en")
    'a.txt:3: 令和2年2月30日 is not a date (fix: check the date)'
    """

    ja: str
    en: str
    file: str | None = None
    line: int | None = None
    where: str | None = None
    fix_ja: str | None = None
    fix_en: str | None = None
    page: int | None = None

    def location(self) -> str:
        """``FILE:LINE`` and the part (「別表 3-(8)」), or what is known of them; empty when nothing is."""
        parts = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.where:
            parts.append(self.where)
        return " ".join(parts)

    def message(self, lang: str) -> str:
        """What is wrong in ``lang`` ('ja' or 'en'); the other language if this one is missing."""
        return (self.ja or self.en) if lang == "ja" else (self.en or self.ja)

    def fix(self, lang: str) -> str | None:
        """How to fix it in ``lang``, if said."""
        return (self.fix_ja or self.fix_en) if lang == "ja" else (self.fix_en or self.fix_ja)

    def render(self, lang: str = "en") -> str:
        """One line: ``FILE:LINE where: message (fix: …)`` in ``lang``."""
        loc = self.location()
        text = f"{loc}: {self.message(lang)}" if loc else self.message(lang)
        fix = self.fix(lang)
        if fix:
            text += f"（対処: {fix}）" if lang == "ja" else f" (fix: {fix})"
        return text

    def as_dict(self) -> dict[str, object]:
        """For JSON reports: both languages, the location, the fix."""
        return {"message": {"ja": self.ja, "en": self.en}, "file": self.file, "line": self.line,
                "page": self.page, "where": self.where,
                "fix": {"ja": self.fix_ja, "en": self.fix_en} if (self.fix_ja or self.fix_en) else None}


def _restore(cls: type[KgError], message: str, fields: dict[str, object]) -> KgError:
    """A :class:`KgError` unpickled with every field, whatever its class's own ``__init__`` takes."""
    error = cls.__new__(cls)
    KgError.__init__(error, message, **fields)  # type: ignore[arg-type]
    return error


class KgError(Exception):
    """Raised for any failure a user should see as a message, not a traceback.

    ``message`` is English; ``ja`` the same in Japanese (a clerk's report is Japanese first:
    :meth:`render` picks the language). ``fix``/``fix_ja`` say how to put it right.
    """

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 where: str | None = None, ja: str | None = None, fix: str | None = None,
                 fix_ja: str | None = None, page: int | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.where = where
        self.ja = ja
        self.fix_en = fix
        self.fix_ja = fix_ja
        self.page = page
        super().__init__(self.__str__())

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole (a build's worker processes send errors back): class, message and every field."""
        fields = {"file": self.file, "line": self.line, "where": self.where, "ja": self.ja, "fix": self.fix_en,
                  "fix_ja": self.fix_ja, "page": self.page}
        return (_restore, (type(self), self.message, fields))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem this error reports (one, unless it is an :class:`IngestProblems`)."""
        return (Problem(self.ja or "", self.message, self.file, self.line, self.where, self.fix_ja, self.fix_en,
                        self.page),)

    def render(self, lang: str = "en") -> str:
        """Every problem, one per line, in ``lang`` ('ja' or 'en')."""
        return "\n".join(p.render(lang) for p in self.problems)

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


class OcrUnavailable(InputError):
    """Raised when a scanned PDF or image needs OCR and tesseract or its Japanese model is not installed."""


class RdfSyntaxError(InputError):
    """Raised when an RDF file or body does not parse in the format it claims."""


class IngestError(KgError):
    """Raised when a text is readable but cannot be read as an agreement; names FILE:LINE."""


class IngestProblems(IngestError):
    """Raised when a text holds problems that keep it out of the graph: all of them, not only the first.

    ``str()`` and ``message`` give the first (English, for logs); :attr:`problems` gives them all and
    :meth:`render` prints them all in the clerk's language.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self._problems = tuple(problems)
        if not self._problems:
            raise ValueError("IngestProblems needs at least one problem")
        first = self._problems[0]
        more = len(self._problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        tail_ja = f"（ほか{more}件）" if more else ""
        super().__init__(first.en + tail, file=first.file, line=first.line, where=first.where,
                         ja=first.ja + tail_ja, fix=first.fix_en, fix_ja=first.fix_ja, page=first.page)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self._problems,))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found, in the order of the text."""
        return self._problems


class ProblemList:
    """Collects problems while a reader goes on, so that one run reports all of them.

    >>> found = ProblemList("a.txt")
    >>> found.add("行が読めません", "cannot read the line", line=4)
    >>> found.raise_if_any()
    Traceback (most recent call last):
    ...
    kg.errors.IngestProblems: a.txt:4: cannot read the line
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, ja: str, en: str, *, line: int | None = None, where: str | None = None,
            fix_ja: str | None = None, fix_en: str | None = None, page: int | None = None) -> None:
        """Note one problem in this file."""
        self.items.append(Problem(ja, en, self.file, line, where, fix_ja, fix_en, page))

    def extend(self, error: KgError) -> None:
        """Note every problem of an error raised by a step that could not go on."""
        self.items.extend(error.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        """Raise :class:`IngestProblems` with every problem noted (sorted by line), if any."""
        if self.items:
            ordered = sorted(self.items, key=lambda p: (p.line is None, p.line or 0))
            raise IngestProblems(ordered)


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


class NotFound(KgError):
    """Raised when what a request or command names is not here (HTTP 404)."""

    http_status = 404


class UnknownAgreementError(NotFound):
    """Raised when a name given for an agreement is not one in the dataset (HTTP 404); lists close ones."""


class RemoteStoreError(StoreError):
    """Raised when a remote SPARQL or Graph Store Protocol endpoint refuses or fails a request."""


class QueryError(KgError):
    """Raised when a SPARQL query does not parse (the parser's message is kept)."""


class QueryRefused(QueryError):
    """Raised for what a read-only public endpoint will not run: updates, SERVICE, remote FROM."""


class QueryTimeout(QueryError):
    """Raised when a query runs past the configured timeout and is stopped."""

    http_status = 503


class UriTooLong(InputError):
    """Raised when a request target is longer than KG_MAX_URL_BYTES (HTTP 414)."""

    http_status = 414


class HeadersTooLarge(InputError):
    """Raised when a request's headers are larger than KG_MAX_HEADER_BYTES (HTTP 431)."""

    http_status = 431


class RequestTimeout(InputError):
    """Raised when a request's headers or body do not arrive in time (HTTP 408)."""

    http_status = 408


class TooManyConnections(InputError):
    """Raised when one client address holds more than KG_MAX_CLIENT_CONNECTIONS connections (HTTP 429)."""

    http_status = 429


class SearchUnavailable(QueryError):
    """Raised when a query uses renkei:search but the release it runs on has no search index (HTTP 501)."""

    http_status = 501


class PayloadTooLarge(InputError):
    """Raised when a request body is larger than KG_MAX_BODY_BYTES (HTTP 413)."""

    http_status = 413


class UnsupportedMediaType(InputError):
    """Raised when a request body is of a media type the route does not read (HTTP 415)."""

    http_status = 415


class NotAcceptable(InputError):
    """Raised when no format we write is acceptable to the client (HTTP 406)."""

    http_status = 406


class ResourceNotFound(NotFound):
    """Raised when an IRI under /id/ is not in the dataset (HTTP 404)."""


class DumpNotFound(NotFound):
    """Raised for a file name that is not one of the release's dumps (HTTP 404)."""


class NotInVocabulary(NotFound):
    """Raised for a version of the vocabulary, or a document under /ns, that is not published (HTTP 404)."""


class NotOnRemote(NotFound):
    """Raised when a request needs a file of the release (a dump, the store) and the store is remote (HTTP 404)."""


class QueryMemoryLimit(QueryError):
    """Raised when a query needs more memory than a query worker may use (HTTP 503; KG_QUERY_MEMORY)."""

    http_status = 503


class ValidationTimeout(KgError):
    """Raised when a validation runs past its time limit and is stopped (HTTP 503, like a query's)."""

    http_status = 503


class ValidatorDied(KgError):
    """Raised when the validation worker dies mid-validation (it is restarted; HTTP 503)."""

    http_status = 503
