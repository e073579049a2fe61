"""Where each graph's part lies in a release's dumps, so that the next release copies the unchanged ones' bytes.

kg.release.dumps.write_dumps puts the graphs' parts end to end, in the build's order; a warm build
used to write all ten files again (2.6 GB at 4,000 agreements: 10 s of decompressing and writing, for
one text changed). A build records each graph's part lengths in every file (:func:`recorded`: a gzip
member's length, and the length of its text, which the member's last four bytes give, RFC 1952 §2.3.1)
in ``<release>/dumps-layout.json`` (beside the manifest: not a dump, not served), and the next build
(kg.release.incremental) writes its dumps with :func:`splice_dumps`: the unchanged graphs' bytes copied
from the previous release's files (``os.copy_file_range``: in the kernel), the others written from their
parts, as write_dumps would have written them.

What follows the graphs in a previous file (the statistics graph kg.release.publish appended, and
JSON-LD's closing bracket) is checked first: in each gzipped file it must be whole gzip members whose
text is exactly the plain file's tail. Offsets computed wrong would start inside a member or end
elsewhere, so a layout that does not describe the files is refused (:class:`StoreError`) and the
build writes the dumps whole.
"""

from __future__ import annotations

import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import StoreError
from kg.release.dumps import DUMPS, Parts, gzip_member

__all__ = ["FILE", "Layout", "read_layout", "recorded", "splice_dumps", "write_layout"]

FILE = "dumps-layout.json"
#: Each graph written, in order: its name, and per dump file name its (gzip member, text) lengths.
Layout = list[tuple[str, dict[str, tuple[int, int]]]]
_JSONLD = "dataset.jsonld"


#: JSON-LD's pieces around the graphs: (text, gzip member).
_OPEN, _COMMA, _CLOSE = ((t, gzip_member(t)) for t in (b"[", b",\n", b"]\n"))


def _lengths(parts: Parts) -> dict[str, tuple[int, int]]:
    return {name: (len(m), int.from_bytes(m[-4:], "little")) for name, m in parts.items()}


def recorded(parts: Iterable[tuple[str, Parts]], layout: Layout) -> Iterator[Parts]:
    """The parts of each named graph, as given; each non-empty one's lengths appended to ``layout``."""
    for graph, p in parts:
        if p:
            layout.append((graph, _lengths(p)))
        yield p


def write_layout(folder: Path, layout: Layout) -> None:
    (folder / FILE).write_text(json.dumps(layout), encoding="utf-8")


def read_layout(folder: Path) -> Layout:
    try:
        return [(g, {n: (int(a), int(b)) for n, (a, b) in lens.items()})
                for g, lens in json.loads((folder / FILE).read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError) as e:
        raise StoreError(f"unreadable dumps layout: {e}", file=folder / FILE) from None


def _check_tail(old: Path, name: str, end: dict[str, int]) -> None:
    """The plain file's bytes after ``end`` must be the text of the gzipped file's members after its end."""
    plain, packed = old / name, old / (name + ".gz")
    with plain.open("rb") as f:
        f.seek(end[name])
        text = f.read()
    with packed.open("rb") as f:
        f.seek(end[name + ".gz"])
        data = f.read()
    out = []
    while data:
        d = zlib.decompressobj(wbits=31)
        try:
            out.append(d.decompress(data))
        except zlib.error as e:
            raise StoreError(f"{packed.name}: the layout does not match the file ({e})", file=packed) from None
        if not d.eof:
            raise StoreError(f"{packed.name}: the layout does not match the file", file=packed)
        data = d.unused_data
    if b"".join(out) != text or plain.stat().st_size < end[name]:
        raise StoreError(f"{name}: the layout does not match the file", file=plain)


def _write(dst: io.RawIOBase, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[dst.write(view) or 0:]


def _copy(src: int, dst: int, offset: int, count: int) -> None:
    while count > 0:
        n = os.copy_file_range(src, dst, count, offset)
        if n <= 0:
            raise StoreError("the previous dump ended early")
        offset, count = offset + n, count - n


def splice_dumps(previous: Path, graphs: list[tuple[str, Callable[[], Parts] | None]], dumps_dir: Path) -> Layout:
    """Write the dumps into ``dumps_dir`` for ``graphs`` in order: a graph given None is copied from
    the release ``previous`` (whose layout must list it), the others written from their parts. The
    new layout is returned."""
    old = read_layout(previous)
    index = {g: i for i, (g, _) in enumerate(old)}
    fresh = {g: load() for g, load in graphs if load is not None}
    names = [d.name + ext for d in DUMPS for ext in ("", ".gz")]
    start: dict[str, dict[str, int]] = {n: {} for n in names}
    end: dict[str, int] = {}
    for n in names:
        dump, packed = n.removesuffix(".gz"), n.endswith(".gz")
        pos = len(_OPEN[packed]) if dump == _JSONLD else 0
        for i, (g, lens) in enumerate(old):
            pos += len(_COMMA[packed]) if dump == _JSONLD and i else 0
            start[n][g] = pos
            pos += lens[dump][0 if packed else 1]
        end[n] = pos
    old_dir = previous / "dumps"
    for d in DUMPS:
        _check_tail(old_dir, d.name, end)
    layout: Layout = []
    for g, load in graphs:
        if load is None and g not in index:
            raise StoreError(f"the previous release's dumps do not hold the graph <{g}>", file=previous / FILE)
        lens = _lengths(fresh[g]) if load is not None else dict(old[index[g]][1])
        if lens:
            layout.append((g, lens))
    dumps_dir.mkdir(parents=True, exist_ok=True)
    for n in names:
        dump, packed = n.removesuffix(".gz"), n.endswith(".gz")
        jsonld = dump == _JSONLD
        # Unbuffered: what is written and what is copied in the kernel go to the file in order.
        with (old_dir / n).open("rb") as src, (dumps_dir / n).open("wb", buffering=0) as dst:
            span: list[int] = []  # [offset, count] of the previous file's bytes to copy next
            if jsonld:
                _write(dst, _OPEN[packed])
            last: str | None = None
            for j, (g, lens) in enumerate(layout):
                size = lens[dump][0 if packed else 1]
                copied = g not in fresh
                if copied and span and last is not None and index.get(last, -2) + 1 == index[g]:
                    span[1] = start[n][g] + size - span[0]  # the next graph of the previous file (and its comma)
                else:
                    if span:
                        _copy(src.fileno(), dst.fileno(), span[0], span[1])
                        span.clear()
                    if jsonld and j:
                        _write(dst, _COMMA[packed])
                    if copied:
                        span[:] = [start[n][g], size]
                    else:
                        member = fresh[g][dump]
                        _write(dst, member if packed else zlib.decompress(member, wbits=31))
                last = g if copied else None
            if span:
                _copy(src.fileno(), dst.fileno(), span[0], span[1])
            if jsonld:
                _write(dst, _CLOSE[packed])
    return layout
