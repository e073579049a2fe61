"""The clerk's jobs in validation workers: an upload written to a temporary file, and what is done with it.

``POST /validate``'s reports (:data:`PAGE_JOB`, :data:`LINES_JOB`, or the JSON and Turtle ones of
``app.state.validator``) and ``POST /compare``'s draft (:class:`DraftJob`: ingested and read as an
agreement beside what the dataset says of the names and framework it refers to) run as jobs of
:class:`~kg.server.validator.Validator` runners, so that neither the ingester nor pyoxigraph runs on
the server's thread. An error names the upload as the client named it, never our temporary file
(:class:`Refused`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from fastapi import Request

from kg.compare.model import Agreement
from kg.errors import InputError, KgError, Problem
from kg.server.context import ServerContext
from kg.server.rows import Row
from kg.server.validator import Validated, ValidationJob, Validator
from kg.settings import Settings

__all__ = ["LINES_JOB", "PAGE_JOB", "DraftJob", "Refused", "Upload", "clerk_job", "clerk_validator", "in_worker",
           "read_draft"]

#: The clerk's jobs: the page's bundle (report, Turtle, lines), the lines alone (a draft: :class:`DraftJob`).
PAGE_JOB, LINES_JOB = "text/html", "text/plain"


@dataclass(frozen=True)
class Upload:
    """What the client sent: the file's bytes and the name it is validated under (with its suffix)."""

    body: bytes
    name: str
    #: The form's other fields (``/compare``'s ``b``), or the query's parameters for a raw body.
    fields: dict[str, str] = field(default_factory=dict)


class Refused(Exception):
    """A KgError whose problems name the upload as the client named it (not our temporary file)."""

    def __init__(self, error: KgError, problems: tuple[Problem, ...], source: str, upload: Upload) -> None:
        super().__init__(str(error))
        self.error, self.problems, self.source, self.upload = error, problems, source, upload


def clerk_validator(request: Request) -> Validator:
    """The worker of the page's jobs (:func:`clerk_job`), started on first use with the time limit of the
    JSON one's, and kept on ``app.state``."""
    state = request.app.state
    found: Validator | None = getattr(state, "clerk_validator", None)
    if found is None:
        found = Validator(state.validator.time_limit, target=clerk_job)
        state.clerk_validator = found
    return found


async def in_worker(request: Request, ctx: ServerContext, kind: str, upload: Upload) -> Validated:
    """Run ``kind`` on ``upload`` in a worker: the JSON or Turtle report in ``app.state.validator``, the
    page's jobs in :func:`clerk_validator`; every path in the answer names the upload, not our temporary file."""
    validator: Validator = (
        request.app.state.validator if kind in ("application/json", "text/turtle") else clerk_validator(request)
    )
    validated = await _on_upload(validator, upload, lambda path: ValidationJob(path, ctx.settings, kind))
    assert isinstance(validated, Validated)
    return validated


async def read_draft(request: Request, ctx: ServerContext, upload: Upload, known: tuple[Row, ...]) -> Agreement:
    """``POST /compare``'s draft, ingested and read in :func:`clerk_validator`'s worker beside ``known``:
    what the dataset says of the names and framework it may refer to (kg.server.compare.KNOWN, asked
    through the query pool before)."""
    drafted = await _on_upload(clerk_validator(request), upload, lambda path: DraftJob(path, ctx.settings, known))
    assert isinstance(drafted, Agreement)
    return drafted


async def _on_upload(validator: Validator, upload: Upload, job: Callable[[str], object]) -> object:
    """The answer to ``job(path)``, ``upload`` written to ``path`` in a temporary folder; a Validated's text
    and an error's files name the upload as the client named it, not our temporary file."""
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        path = Path(tmp) / upload.name
        path.write_bytes(upload.body)
        try:
            answer = await validator.call(job(str(path)), validator.time_limit)
        except KgError as e:
            def local(file: str | None) -> str | None:
                return file[len(tmp) + 1:] if file and file.startswith(tmp + "/") else file

            e.file = local(e.file)
            problems = tuple(replace(p, file=local(p.file)) for p in e.problems)
            raise Refused(e, problems, path.name, upload) from None
        if isinstance(answer, Validated):
            return replace(answer, text=answer.text.replace(tmp + "/", ""))
        return answer


@dataclass(frozen=True)
class DraftJob:
    """A draft to ingest and read as ``/compare`` reads an agreement, beside ``known`` (rows of the dataset)."""

    path: str
    settings: Settings
    known: tuple[Row, ...]


class _Known:
    """The rows of kg.server.compare.KNOWN as the dataset :class:`~kg.compare.draft.DraftSource` asks:
    each of its two questions is answered with all of them, and takes only the variables it asked for
    (names and codes; notations, labels and broader concepts), so the draft gets the same triples."""

    def __init__(self, rows: tuple[Row, ...]) -> None:
        self.rows = list(rows)

    def query(self, sparql: str) -> list[Row]:
        return self.rows


def _read_draft(job: DraftJob) -> Agreement:
    """The draft's agreement, ingested and read in the worker (the draft is never published)."""
    from kg.compare import read_agreement
    from kg.compare.draft import DraftSource
    from kg.ingest import ingest_file

    path = Path(job.path)
    result = ingest_file(path, job.settings)
    if result.kind != "agreement":
        raise InputError("an amending agreement changes another one: compare the agreement itself",
                         file=path, ja="変更協約です。比較できるのは連携協約そのものです。",
                         fix="upload the agreement's text", fix_ja="連携協約の本文を送ってください。")
    drafted = DraftSource(result.graph.serialize(format="nt"), str(result.agreement), _Known(job.known))
    return read_agreement(drafted, job.settings.ids, drafted.agreement)


def clerk_job(job: ValidationJob | DraftJob) -> Validated | Agreement:
    """The page's work in the worker, by ``job.media_type``: :data:`PAGE_JOB` the report (as JSON and
    Turtle) and the text's lines; :data:`LINES_JOB` the lines alone; a :class:`DraftJob`, the draft's
    agreement read (``/compare``'s draft)."""
    if isinstance(job, DraftJob):
        return _read_draft(job)
    path = Path(job.path)
    lines = _lines(path, job.settings)
    if job.media_type == LINES_JOB:
        return Validated(json.dumps({"lines": lines}, ensure_ascii=False), None)
    from kg.validation.validate import validate_path

    report = validate_path(path, job.settings)
    page = {"json": report.to_json(), "turtle": report.to_turtle(), "lines": lines}
    return Validated(json.dumps(page, ensure_ascii=False), report.conforms)


def _lines(path: Path, settings: Settings) -> list[tuple[int, str, int | None]]:
    """(source line, text, page) of each line of the file as the validator reads it: RDF as written,
    anything else as the ingester reads it (a page's lines by their HTML line, a PDF's with its page)."""
    from kg.ingest.document.sniff import read_document
    from kg.validation.validate import RDF_SUFFIXES

    data = path.read_bytes()
    if path.suffix.lower() in RDF_SUFFIXES:
        return [(n, text, None) for n, text in enumerate(data.decode("utf-8", "replace").splitlines(), 1)]
    source = read_document(data, path.name, settings)
    out = []
    for i, text in enumerate(source.lines):
        position = source.position(i)
        out.append((source.origin(i), text, position.page if position is not None else None))
    return out


