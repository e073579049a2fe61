"""Where a command's output goes and in what: stdout or a file written atomically, in an RDF syntax."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path

from kg.errors import InputError
from kg.formats import Format, by_extension

__all__ = ["RdfOutput", "emit", "write_atomically"]


class RdfOutput(StrEnum):
    """The ``--format`` choices of the commands that write RDF, by file extension (rows of kg.formats)."""

    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"

    @property
    def syntax(self) -> Format:
        """The row of kg.formats' table this choice names."""
        fmt = by_extension(self.value)
        assert fmt is not None  # every member is an extension of the table (tests/test_formats.py)
        return fmt


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror}", file=path, ja=f"書き込めません（{e.strerror}）。",
                         fix_ja="出力先のフォルダと書込み権限を確かめてください。",
                         fix="check the output folder and that you may write there") from e
    try:
        # the mode a new file gets (0644 under umask 022), not mkstemp's 0600: what a command writes is
        # meant to be read by others, published or served (issue 14, point 6)
        umask = os.umask(0)  # the only way to read it; the commands are single-threaded
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"cannot write: {e.strerror}", file=path, ja=f"書き込めません（{e.strerror}）。",
                         fix_ja="出力先のフォルダの空き容量と書込み権限を確かめてください。",
                         fix="check the free space and permissions of the output folder") from e


def emit(data: bytes, output: Path | None) -> None:
    """``data`` to stdout when no ``output`` is given, else atomically to that file."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, data)
