"""``POST /validate``'s work as jobs of a :class:`~kg.server.runner.Runner`, with a time limit: an
overrunning worker is killed.

Validation ingests a text and runs pySHACL: pure Python that a thread cannot stop. A body that
makes either slow (a 1 MB text on one line meets a quadratic search; a large graph meets the
shapes) would hold the server's one validation slot for as long as it runs, and every later
``/validate`` would wait behind it. Here it runs in a worker process that is killed at the time
limit and started again at the next request, as query workers are (the same runner; issue 5,
point 4: "no worker left wedged"; issue 15: one runner).

There are ``KG_VALIDATE_WORKERS`` such processes (issue 14, point 3: one slow input held the single
validator for its whole time limit while every other upload waited): a slow upload holds one, and
the others validate the rest meanwhile. Each is started on first use, the most recently used taken
first, so that a quiet server runs one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kg.errors import KgError, StoreError, ValidationTimeout, ValidatorDied
from kg.server.runner import Runner, Wording
from kg.settings import Settings
from kg.store.worker import Handler, Internal

__all__ = ["MIN_TIME_LIMIT_S", "Validated", "ValidationJob", "Validator", "validate_job", "validations"]

#: An agreement validates in well under a second, a worker starts in about one; unless
#: KG_VALIDATE_TIMEOUT says otherwise, the limit is KG_QUERY_TIMEOUT, but never below this.
MIN_TIME_LIMIT_S = 10.0




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


def validations(target: Callable[[Any], object]) -> Handler:
    """A validation worker's handler: ``target`` itself (nothing to open)."""
    return target


#: A validation worker's bugs are KgErrors "while validating".
VALIDATING = Internal(KgError, "validating", "検査中")


#: What a validator answers when it cannot validate.
WORDING = Wording(
    busy=lambda budget, workers: ValidationTimeout(
        f"other validations kept all {workers} validation workers busy for {budget:g} s "
        "(KG_VALIDATE_WORKERS); try again later",
        ja=f"ほかの検査が{budget:g}秒を超えて検査の処理（{workers}個、KG_VALIDATE_WORKERS）を"
           "すべて使っています。しばらくしてからもう一度送ってください。",
    ),
    overran=lambda budget: ValidationTimeout(
        f"the validation ran past the time limit of {budget:g} s and was stopped",
        ja=f"検査が制限時間の{budget:g}秒を超えたため中止しました。",
        fix="send a smaller file, or validate it with kg validate",
        fix_ja="小さなファイルに分けて送るか、kg validate で検査してください。",
    ),
    died=lambda e: ValidatorDied(
        f"the validation worker died while validating ({e!r}); it was restarted",
        ja="検査の処理が途中で止まりました（再起動しました）。もう一度送ってください。",
    ),
    out_of_memory=lambda _limit: ValidatorDied(
        "the validation ran out of the worker's memory; the worker was restarted",
        ja="検査の処理がメモリを使い果たしたため再起動しました。小さなファイルに分けて送ってください。",
    ),
)


class Validator(Runner):
    """Validations in ``workers`` processes at once, each stopped at ``time_limit`` seconds.

    ``workers`` defaults to KG_VALIDATE_WORKERS; with one, validations run one at a time."""

    def __init__(
        self, time_limit: float, target: Callable[[Any], object] = validate_job,
        workers: int | None = None,
    ) -> None:
        size = workers if workers is not None else Settings().validate_workers
        super().__init__(partial(validations, target), size, WORDING,
                         name="kg-validate-worker", internal=VALIDATING, lazy=True)
        self.time_limit = time_limit
        self.target = target

    @property
    def workers(self) -> int:
        """Validations that can run at once (KG_VALIDATE_WORKERS)."""
        return self.size

    @property
    def restarted(self) -> int:
        """Workers killed and replaced: at the time limit, dead, or their client gone."""
        return self.respawned

    async def run(self, job: ValidationJob) -> Validated:
        """Validate in an idle worker (started on first use); ValidationTimeout past the time limit."""
        validated: Validated = await self.call(job, self.time_limit)
        return validated
