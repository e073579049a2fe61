"""``kg build``: the whole dataset from data/ into a new release of the store and dumps, showing how far it is.

The build (kg.release.build) reports its progress — phase, items done of all — through a
callback; this module alone draws it, on standard error: bars with the time left on a terminal
(rich), and plain lines where nobody watches a terminal (CI, a pipe, a log file) — a phase's start,
its count every :data:`INTERVAL` seconds, its end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bars

from kg.release.progress import PHASES, Phase, Progress, ProgressReport
from kg.settings import Settings

__all__ = ["INTERVAL", "Lines", "progress_display", "register"]

#: Seconds between two lines of the same phase when not on a terminal.
INTERVAL = 10.0


def _label(phase: Phase) -> str:
    en, ja = PHASES[phase]
    return f"{en} ({ja})"


class Lines:
    """Progress as plain lines on ``stream``: a phase's start, its count at most every
    ``interval`` seconds (with the time left at the phase's pace so far), and its end."""

    def __init__(self, stream: IO[str], clock: Callable[[], float] = time.monotonic,
                 interval: float = INTERVAL) -> None:
        self.stream = stream
        self.clock = clock
        self.interval = interval
        self._phase: Phase | None = None
        self._started = self._last = 0.0
        self._first = 0  #: items done when the phase began (texts found in the build cache)
        self._done = self._total = 0

    def __call__(self, p: Progress) -> None:
        now = self.clock()
        if p.phase != self._phase:
            self.finish()
            self._phase, self._started, self._last, self._first = p.phase, now, now, p.done
            self._done, self._total = p.done, p.total
            self._write(f"{_label(p.phase)}" + (f": {p.done:,} of {p.total:,}" if p.total else ""))
            return
        self._done, self._total = p.done, p.total
        if p.total and p.done < p.total and now - self._last >= self.interval:
            self._last = now
            self._write(f"{_label(p.phase)}: {p.done:,} of {p.total:,}, {now - self._started:.0f} s"
                        + self._left(now))

    def _left(self, now: float) -> str:
        pace = (self._done - self._first) / (now - self._started) if now > self._started else 0.0
        if pace <= 0:
            return ""
        return f", about {(self._total - self._done) / pace:.0f} s left"

    def finish(self) -> None:
        """End the phase being shown (a build's last phase ends with the build)."""
        if self._phase is None:
            return
        counts = f" {self._done:,} of {self._total:,}" if self._total else ""
        self._write(f"{_label(self._phase)}:{counts} done in {self.clock() - self._started:.1f} s")
        self._phase = None

    def _write(self, text: str) -> None:
        self.stream.write(f"kg build: {text}\n")
        self.stream.flush()


class _Bars:
    """Progress as rich bars on a terminal: one per phase, the finished ones left standing."""

    def __init__(self, bars: Bars) -> None:
        self.bars = bars
        self._phase: Phase | None = None
        self._task: TaskID | None = None

    def __call__(self, p: Progress) -> None:
        if p.phase != self._phase:
            self.finish()
            self._phase = p.phase
            self._task = self.bars.add_task(_label(p.phase), total=p.total or None)
        assert self._task is not None
        self.bars.update(self._task, completed=p.done, total=p.total or None)

    def finish(self) -> None:
        """Show the phase being drawn as done."""
        if self._task is not None:
            task = self.bars.tasks[self._task]
            self.bars.update(self._task, total=task.total or 1, completed=task.total or 1)
            self.bars.stop_task(self._task)
        self._phase = self._task = None


@contextmanager
def progress_display(console: Console) -> Iterator[ProgressReport]:
    """A build's progress drawn on ``console``: bars on a terminal, plain lines elsewhere."""
    if not console.is_terminal:
        lines = Lines(console.file)
        yield lines
        lines.finish()
        return
    with Bars(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(), console=console) as bars:
        show = _Bars(bars)
        yield show
        show.finish()


def build_command(
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild, whole (not from the current release), even if the inputs have not changed.")] = False,
) -> None:
    """Ingest and validate every text in data/sources, add the reference data, write store and dumps.

    A dataset that does not conform is refused (exit 1) and the previous build keeps serving.
    Progress goes to standard error: bars on a terminal, plain lines otherwise.
    """
    from kg.release.build import build

    with progress_display(Console(file=sys.stderr)) as progress:
        release = build(Settings(), force=force, progress=progress)
    m = release.manifest
    assert m is not None  # kg build writes one
    typer.echo(f"release {release.version}: {len(m.agreements)} agreements, {m.quads} quads, "
               f"{len(m.graphs)} graphs → {release.path}")


def register(app: typer.Typer) -> None:
    app.command("build")(build_command)
