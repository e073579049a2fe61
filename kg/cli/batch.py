"""Many files at once, for ``kg ingest`` and ``kg validate``: arguments → files, progress, closing table.

FILE arguments may be files, directories (read recursively: every file the command reads, by its
extension; hidden files and folders are skipped) and glob patterns (``*``, ``?``, ``[…]`` and
``**`` for any depth), expanded here too, for shells (cmd.exe, PowerShell, a quoted argument) that
leave them alone. A file named outright is read whatever its extension; an argument that names
nothing is a problem of its own, reported with the others, and the other files are still read.

Problems are printed in the clerk's language (:func:`default_lang`: Japanese under a Japanese
locale); ``--lang`` overrides it.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from kg.errors import KgError, Problem
from kg.ingest.document.sniff import SUFFIXES

__all__ = [
    "INGESTED_SUFFIXES", "MANY", "Lang", "Row", "default_lang", "expand", "print_problems", "print_table",
    "progress",
]

#: What ``kg ingest`` reads, by extension: texts, 例規集 pages, PDFs, Word files and scanned images.
INGESTED_SUFFIXES = SUFFIXES  # what a folder is read for (kg/ingest/document/sniff.py has the one list)
#: From this many files on, a progress bar is shown (on a terminal) while they are read.
MANY = 4
_MAGIC = frozenset("*?[")


class Lang(StrEnum):
    """The language problems and reports are written in (JSON and Turtle always carry both)."""

    ja = "ja"
    en = "en"


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """Japanese when the locale is Japanese, else English.

    The locale is the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX precedence), so
    ``LANG=ja_JP.UTF-8`` gives Japanese and ``LC_ALL=C`` English.

    >>> default_lang({"LANG": "ja_JP.UTF-8"}), default_lang({"LANG": "ja_JP.UTF-8", "LC_ALL": "C"})
    (<Lang.ja: 'ja'>, <Lang.en: 'en'>)
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return Lang.ja if value.lower().startswith("ja") else Lang.en
    return Lang.en


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(directory: Path, suffixes: Sequence[str]) -> list[Path]:
    """Every file under ``directory`` with one of ``suffixes``, in name order, hidden ones left out."""
    return sorted(p for p in directory.rglob("*")
                  if p.suffix.lower() in suffixes and p.is_file() and not _hidden(p, directory))


def expand(arguments: Iterable[Path | str], suffixes: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    """The files the arguments name, each once and in order, and a problem for each that names none.

    >>> files, problems = expand(["docs", "no-such-file.txt"], (".md",))
    >>> Path("docs/ingest.md") in files, [p.en for p in problems]
    (True, ['no such file or directory'])
    """
    files: list[Path] = []
    problems: list[Problem] = []
    listed = ", ".join(suffixes)
    for argument in arguments:
        text = str(argument)
        path = Path(text)
        if path.is_dir():
            found = _walk(path, suffixes)
            if not found:
                problems.append(Problem(
                    f"このフォルダには読み取れるファイル（{listed}）がありません。",
                    f"the folder holds no file to read ({listed})", text,
                    fix_ja="フォルダの指定と、ファイルの拡張子を確かめてください。",
                    fix_en="check the folder, and the files' extensions"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif _MAGIC & set(text):
            matched = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            found = [f for m in matched for f in (_walk(m, suffixes) if m.is_dir() else [m])
                     if m.is_dir() or m.suffix.lower() in suffixes]
            if not found:
                problems.append(Problem(
                    "このパターンに当てはまるファイルがありません。", "no file matches this pattern", text,
                    fix_ja=f"パターンとフォルダを確かめてください（読み取れる拡張子: {listed}）。",
                    fix_en=f"check the pattern and the folder (files read: {listed})"))
            files.extend(found)
        else:
            problems.append(Problem("ファイルもフォルダもありません。", "no such file or directory", text,
                                    fix_ja="ファイル名とフォルダを確かめてください。",
                                    fix_en="check the file's name and folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        resolved = f.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
    return unique, problems


def print_problems(problems: Iterable[Problem] | KgError, lang: str, out: TextIO | None = None) -> None:
    """Every problem, one a line: ``FILE:LINE where: message（対処: …）`` in ``lang``."""
    items = problems.problems if isinstance(problems, KgError) else problems
    stream = out or sys.stderr
    for problem in items:
        print(problem.render(lang), file=stream)
    stream.flush()


@dataclass(frozen=True)
class Row:
    """One file's line of the closing table: what it gave, or its first problem (and how many)."""

    file: str
    subject: str = ""  # the agreement's IRI (kg ingest) or the verdict (kg validate)
    counts: tuple[int, ...] = ()
    problem: Problem | None = None
    more: int = 0  # problems after the first

    @classmethod
    def failed(cls, file: str, error: KgError) -> Row:
        """The row of a file that could not be read: its first problem."""
        problems = error.problems
        return cls(file, problem=problems[0], more=len(problems) - 1)


def _cells(row: Row, heads: Sequence[str], lang: str) -> list[str]:
    if row.problem is None:
        return [row.file, row.subject, *(str(n) for n in row.counts)]
    message = row.problem.message(lang)
    if row.more:
        message += f"（ほか{row.more}件）" if lang == "ja" else f" (and {row.more} more)"
    where = f"{row.problem.line}: " if row.problem.line is not None else ""
    failed = "読めません" if lang == "ja" else "not read"
    return [row.file, failed, *([""] * (len(heads) - 3)), where + message]


def print_table(rows: Sequence[Row], heads: Sequence[str], lang: str, out: TextIO | None = None) -> None:
    """The closing table, on ``out`` (stderr): one row per file, then a total line.

    ``heads`` are the column titles: file, subject, the counts, problem. On a terminal it is drawn
    with rich; otherwise each row is one line of tab-separated cells (easy to grep and to paste into
    a spreadsheet).
    """
    stream = out or sys.stderr
    failed = sum(1 for r in rows if r.problem is not None)
    total = (f"{len(rows)}件中{len(rows) - failed}件を読み取り、{failed}件は読み取れませんでした。" if lang == "ja"
             else f"{len(rows) - failed} of {len(rows)} file{'s' if len(rows) != 1 else ''} read, {failed} failed.")
    body = [_cells(r, heads, lang) for r in rows]
    if stream.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False, title=None)
        for head in heads:  # fold long paths and IRIs rather than cut them: they are to be copied
            table.add_column(head, overflow="fold")
        for cells, row in zip(body, rows, strict=True):
            table.add_row(*cells, style="red" if row.problem is not None else None)
        console = Console(file=stream, highlight=False)
        console.print(table)
        console.print(total)
        return
    print("\t".join(heads), file=stream)
    for cells in body:
        print("\t".join(cells), file=stream)
    print(total, file=stream)
    stream.flush()


@contextmanager
def progress(files: Sequence[Path], lang: str, out: TextIO | None = None) -> Iterator[Iterator[Path]]:
    """Iterate over ``files`` showing how far along it is: a bar on a terminal, a line per file otherwise.

    Fewer than :data:`MANY` files go by silently.
    """
    stream = out or sys.stderr
    if len(files) < MANY:
        yield iter(files)
        return
    if stream.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        label = "読み取り中" if lang == "ja" else "reading"
        with Progress(TextColumn(f"{label} {{task.fields[name]}}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(file=stream), transient=True) as bar:
            task = bar.add_task(label, total=len(files), name="")

            def steps() -> Iterator[Path]:
                for f in files:
                    bar.update(task, name=f.name)
                    yield f
                    bar.advance(task)

            yield steps()
        return

    def lines() -> Iterator[Path]:
        for i, f in enumerate(files, 1):
            print(f"[{i}/{len(files)}] {f}", file=stream)
            stream.flush()
            yield f

    yield lines()
