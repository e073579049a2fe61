"""Ruled tables in a page image: the rules found by morphology, the cells they enclose.

The ink is opened with a long flat kernel (what survives is horizontal rules) and a long upright one
(vertical rules); a region holding both is a table. Its rows and columns are the rules' positions, and
a rule missing inside a row (or a column) means a merged cell: the cell is kept once, with its span;
the OCR reader repeats its text down the rows it covers and leaves the columns after its first empty,
as the PDF and 例規集 page readers do. The
kernels are longer than any stroke of a character at body sizes (4.5 mm; a 12-pt kanji is 4.2 mm), so
that 「|」-like strokes are never taken for rules. The rules themselves are returned as a mask, so that
the OCR can erase them before reading the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kg.ingest.document.form import Box

__all__ = ["GridCell", "Table", "find_tables", "rules"]

Mask = NDArray[np.uint8]
_MM = 300 / 25.4  # pixels per millimetre at 300 dpi


@dataclass(frozen=True)
class GridCell:
    """One cell (merged cells once): its first row and column (0-based), spans and inner box."""

    row: int
    column: int
    box: Box  # inside the rules
    rows: int = 1
    columns: int = 1


@dataclass(frozen=True)
class Table:
    """A ruled table: its box, its row and column count, and its cells (merged cells once)."""

    box: Box
    row_count: int
    column_count: int
    cells: tuple[GridCell, ...]

    def at(self, row: int, column: int) -> GridCell:
        """The cell covering (``row``, ``column``)."""
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rows and cell.column <= column < cell.column + cell.columns:
                return cell
        raise KeyError((row, column))


def _open(mask: Mask, width: int, height: int) -> Mask:
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))
    return np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), dtype=np.uint8)


def _runs(profile: NDArray[np.float64], threshold: float, gap: int = 2) -> list[tuple[int, int]]:
    """(start, end) of the runs of ``profile`` ≥ ``threshold``, runs closer than ``gap`` joined."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(profile >= threshold):
        if runs and i - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs


def rules(ink: Mask) -> tuple[Mask, Mask]:
    """The horizontal and the vertical rules of a 300-dpi page's ink mask."""
    import cv2

    long_side = round(10 * _MM)
    upright = round(4.5 * _MM)
    horizontal = _open(ink, long_side, 1)
    vertical = _open(ink, 1, upright)
    # A rule broken by noise or a faint scan is joined again along its own direction.
    horizontal = np.asarray(cv2.dilate(horizontal, np.ones((1, 9), np.uint8)), dtype=np.uint8)
    vertical = np.asarray(cv2.dilate(vertical, np.ones((9, 1), np.uint8)), dtype=np.uint8)
    return horizontal, vertical


def find_tables(ink: Mask) -> tuple[list[Table], Mask]:
    """The ruled tables of a (deskewed, 300-dpi) page's ink mask, top to bottom, and the mask of all rules."""
    import cv2

    horizontal, vertical = rules(ink)
    both = cv2.bitwise_or(horizontal, vertical)
    grown = cv2.dilate(both, np.ones((7, 7), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    page_width = ink.shape[1]
    tables = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if w < page_width * 0.25 or h < 3 * _MM:
            continue
        table = _table(horizontal[y:y + h, x:x + w], vertical[y:y + h, x:x + w], x, y)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda t: t.box.top)
    return tables, np.asarray(both, dtype=np.uint8)


def _table(horizontal: Mask, vertical: Mask, x: int, y: int) -> Table | None:
    """The grid of one table region (masks cropped to it; ``x``, ``y`` its offset), None if not a grid."""
    h, w = horizontal.shape
    ys = _runs(horizontal.sum(axis=1, dtype=np.float64) / 255, 0.2 * w)
    xs = _runs(vertical.sum(axis=0, dtype=np.float64) / 255, 5 * _MM)
    if len(ys) < 2 or len(xs) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def present_v(c: int, r: int) -> bool:  # the vertical rule at column boundary c, within row r
        top, bottom = ys[r][1] + 1, ys[r + 1][0]
        band = vertical[top:bottom, xs[c][0]:xs[c][1] + 1]
        return bottom <= top or float(band.max(axis=1).mean()) / 255 > 0.5

    def present_h(r: int, c: int) -> bool:  # the horizontal rule at row boundary r, within column c
        left, right = xs[c][1] + 1, xs[c + 1][0]
        band = horizontal[ys[r][0]:ys[r][1] + 1, left:right]
        return right <= left or float(band.max(axis=0).mean()) / 255 > 0.5

    # Union-find over grid positions: a missing rule joins the two positions it would separate.
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(1, n_cols):
            if not present_v(c, r):
                parent[find(r * n_cols + c)] = find(r * n_cols + c - 1)
    for r in range(1, n_rows):
        for c in range(n_cols):
            if not present_h(r, c):
                parent[find(r * n_cols + c)] = find((r - 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box = Box(x + xs[c0][1] + 1, y + ys[r0][1] + 1, x + xs[c1 + 1][0], y + ys[r1 + 1][0])
        cells.append(GridCell(r0, c0, box, r1 - r0 + 1, c1 - c0 + 1))
    cells.sort(key=lambda c: (c.row, c.column))
    box = Box(x + xs[0][0], y + ys[0][0], x + xs[-1][1] + 1, y + ys[-1][1] + 1)
    return Table(box, n_rows, n_cols, tuple(cells))
