"""``POST /validate``'s work in a process of its own, with a time limit: an overrunning one is killed.

Validation ingests a text and runs pySHACL: pure Python that a thread cannot stop. A body that
makes either slow (a 1 MB text on one line meets a quadratic search; a large graph meets the
shapes) would hold the server's one validation slot for as long as it runs, and every later
``/validate`` would wait behind it. Here it runs in a worker process that is killed at the time
limit and started again at the next request, as query workers are (kg.server.pool; issue 5,
point 4: "no worker left wedged").

There are ``KG_VALIDATE_WORKERS`` such processes (issue 14, point 3: one slow input held the single
validator for its whole time limit while every other upload waited): a slow upload holds one, and
the others validate the rest meanwhile. Each is started on first use, the most recently used taken
first, so that a quiet server runs one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg import errors
from kg.errors import IngestProblems, KgError, Problem, StoreError
from kg.server.pool import wait_readable
from kg.settings import Settings

__all__ = [
    "MIN_TIME_LIMIT_S", "Validated", "ValidationJob", "ValidationTimeout", "Validator", "ValidatorDied", "validate_job",
]

log = logging.getLogger(__name__)
_CTX = multiprocessing.get_context("spawn")  # never fork a process that runs an event loop
#: An agreement validates in well under a second, a worker starts in about one; unless
#: KG_VALIDATE_TIMEOUT says otherwise, the limit is KG_QUERY_TIMEOUT, but never below this.
MIN_TIME_LIMIT_S = 10.0


class ValidationTimeout(KgError):
    """Raised when a validation runs past its time limit and is stopped (HTTP 503, like a query's)."""

    http_status = 503


class ValidatorDied(KgError):
    """Raised when the validation worker dies mid-validation (it is restarted; HTTP 503)."""

    http_status = 503


@dataclass(frozen=True)
class ValidationJob:
    """One file to validate and the form of the report wanted (``application/json`` or ``text/turtle``)."""

    path: str
    settings: Settings
    media_type: str


@dataclass(frozen=True)
class Validated:
    """A report, written, and whether the data conforms (None when the report does not say)."""

    text: str
    conforms: bool | None


@dataclass(frozen=True)
class _Refused:
    """A KgError raised in the worker, carried back by class name with its place and every problem
    (in both languages, with the fix), so that the answer can list them all in the client's language."""

    error: str
    message: str
    file: str | None
    line: int | None
    where: str | None
    problems: tuple[Problem, ...] = ()


def validate_job(job: ValidationJob) -> Validated:
    """Validate ``job.path`` as ``kg validate`` does and write the report."""
    try:
        from kg.validation.validate import validate_path
    except ImportError as e:  # the shapes' engine is part of the project; say so if it is missing
        raise StoreError(f"validation is unavailable in this installation: {e}",
                         ja=f"このサーバーでは検査を利用できません（{e}）。") from None
    report = validate_path(Path(job.path), job.settings)
    text = report.to_json() if job.media_type == "application/json" else report.to_turtle()
    conforms = getattr(report, "conforms", None)
    return Validated(text, None if conforms is None else bool(conforms))


def _serve(conn: Connection, target: Callable[[ValidationJob], Validated]) -> None:
    """The worker: answer jobs until the pipe closes or the server kills us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the server stops us
    while True:
        try:
            job: ValidationJob = conn.recv()
        except (EOFError, OSError):
            return
        reply: Validated | _Refused
        try:
            reply = target(job)
        except KgError as e:
            reply = _Refused(type(e).__name__, e.message, e.file, e.line, e.where, e.problems)
        except Exception as e:  # noqa: BLE001 — a bug must reach the server as a message, not kill us
            problem = Problem(f"検査中に内部エラーが起きました（{e!r}）。", f"internal error while validating: {e!r}")
            reply = _Refused("KgError", problem.en, None, None, None, (problem,))
            log.exception("validation failed")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


def _error(refused: _Refused) -> KgError:
    cls = getattr(errors, refused.error, KgError)
    if not (isinstance(cls, type) and issubclass(cls, KgError)):
        cls = KgError
    if len(refused.problems) > 1 or refused.error == IngestProblems.__name__:
        return IngestProblems(refused.problems)
    first = refused.problems[0] if refused.problems else None
    if first is None:
        return cls(refused.message, file=refused.file, line=refused.line, where=refused.where)
    return cls(refused.message, file=refused.file, line=refused.line, where=refused.where, ja=first.ja or None,
               fix=first.fix_en, fix_ja=first.fix_ja, page=first.page)


class _Slot:
    """One validation worker process (started on first use) and the parent's end of its pipe."""

    def __init__(self, target: Callable[[ValidationJob], Validated]) -> None:
        self.target = target
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None

    def connection(self) -> Connection:
        """The worker's pipe, starting the worker if it is not running."""
        if self.conn is not None and self.process is not None and self.process.is_alive():
            return self.conn
        self.close()
        parent, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_serve, args=(child, self.target), daemon=True, name="kg-validate-worker")
        self.process.start()
        child.close()
        self.conn = parent
        return parent

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(timeout=5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn = None, None


class Validator:
    """Validations in ``workers`` processes at once, each stopped at ``time_limit`` seconds.

    ``workers`` defaults to KG_VALIDATE_WORKERS; with one, validations run one at a time."""

    def __init__(
        self, time_limit: float, target: Callable[[ValidationJob], Validated] = validate_job,
        workers: int | None = None,
    ) -> None:
        self.time_limit = time_limit
        self.target = target
        self.workers = max(1, workers if workers is not None else Settings().validate_workers)
        self.restarted = 0
        self._slots = [_Slot(target) for _ in range(self.workers)]
        # The most recently used worker first: a quiet server keeps one process, warm.
        self._idle: asyncio.LifoQueue[_Slot] = asyncio.LifoQueue()
        for slot in reversed(self._slots):
            self._idle.put_nowait(slot)

    def close(self) -> None:
        """Stop every worker (on server shutdown)."""
        for slot in self._slots:
            slot.close()

    async def run(self, job: ValidationJob) -> Validated:
        """Validate in an idle worker (started on first use); ValidationTimeout past the time limit."""
        deadline = time.monotonic() + self.time_limit
        try:
            slot = self._idle.get_nowait() if not self._idle.empty() else await asyncio.wait_for(
                self._idle.get(), self.time_limit
            )
        except TimeoutError:
            raise ValidationTimeout(
                f"other validations kept all {self.workers} validation workers busy for {self.time_limit:g} s "
                "(KG_VALIDATE_WORKERS); try again later",
                ja=f"ほかの検査が{self.time_limit:g}秒を超えて検査の処理（{self.workers}個、KG_VALIDATE_WORKERS）を"
                   "すべて使っています。しばらくしてからもう一度送ってください。",
            ) from None
        try:
            conn = slot.connection()
            try:
                conn.send(job)
                await wait_readable(conn, deadline)
                reply: Validated | _Refused = conn.recv()
            except TimeoutError:
                log.warning("validation ran past %.3g s; killing its worker", self.time_limit)
                slot.close()
                self.restarted += 1
                raise ValidationTimeout(
                    f"the validation ran past the time limit of {self.time_limit:g} s and was stopped",
                    ja=f"検査が制限時間の{self.time_limit:g}秒を超えたため中止しました。",
                    fix="send a smaller file, or validate it with kg validate",
                    fix_ja="小さなファイルに分けて送るか、kg validate で検査してください。",
                ) from None
            except (EOFError, OSError) as e:
                slot.close()
                self.restarted += 1
                raise ValidatorDied(f"the validation worker died while validating ({e!r}); it was restarted",
                                    ja="検査の処理が途中で止まりました（再起動しました）。"
                                       "もう一度送ってください。") from None
            except BaseException:
                # Cancelled (the client went away) mid-validation: the worker's state is unknown.
                slot.close()
                self.restarted += 1
                raise
        finally:
            self._idle.put_nowait(slot)
        if isinstance(reply, _Refused):
            raise _error(reply)
        return reply
