"""An HTML 例規集 page → the lines the text pipeline reads, each with the HTML line it came from.

Pages of the municipal 例規集 systems (reiki_honbun pages: the body in ``<div>``/``<p>`` with
class names for 条, 項 and 見出し, the 別表 as a ``<table>``) are parsed with the standard
library's :class:`html.parser.HTMLParser` into a small tree (:mod:`kg.ingest.page_tree`), never
with regular expressions. Then:

- the page's chrome is dropped: ``<head>``, scripts and styles, ``<nav>``, forms, the page's own
  ``<header>``/``<footer>`` (not those of an article), and elements whose id or class names
  navigation, menus, breadcrumbs and the like (or whose id is the page's header or footer);
- every block element (``<p>``, ``<div>``, ``<h1>``…, ``<li>``) and ``<br>`` ends a line;
- a data table becomes one tab-separated line per ``<tr>``, cells spanning rows repeated on the
  rows below (``rowspan``, as a merged 分野 cell of T2) and spanning columns padded with empty
  cells (``colspan``), so every row has the header's columns; a row of one cell is a plain line
  (a pillar heading printed across the table); a table of one column, or one that holds another
  table, is layout, and its cells are read as blocks;
- white space collapses as a browser shows it (CSS Text 3 §4.1): a line break between two
  East Asian wide characters disappears (「連携協\\n約」 reads 「連携協約」), other runs become one
  space; U+3000 and ``&nbsp;`` are kept as spaces.

>>> lines = page_lines("<html><body><nav>ホーム</nav>\\n<p>第1条　目的\\nとする。</p>\\n"
...                    "<table><tr><th>取組</th><th>内容</th></tr>\\n<tr><td>(1) 観光</td><td>誘客</td></tr>"
...                    "</table></body></html>")
>>> lines
[(2, '第1条\\u3000目的とする。'), (4, '取組\\t内容'), (5, '(1) 観光\\t誘客')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from kg.ingest.page_tree import BLOCK, Element, Text, parse

__all__ = ["page_lines"]

_SKIP = frozenset({"head", "script", "style", "noscript", "template", "nav", "form", "button", "select", "textarea",
                   "iframe", "object", "svg", "aside"})
#: <header> and <footer> are the page's banner and footer only outside sectioning content (WAI-ARIA
#: HTML-AAM: they map to banner/contentinfo unless inside article, aside, main, nav or section).
_LANDMARKS = frozenset({"header", "footer"})
_SECTIONING = frozenset({"main", "article", "section", "aside", "nav"})
#: Parts of an id or class name (split at - and _) that mark page chrome rather than the text.
_CHROME = frozenset({"nav", "navi", "gnav", "lnav", "navigation", "menu", "breadcrumb", "breadcrumbs", "pankuzu",
                     "topicpath", "toolbar", "pagetop", "skip", "sidebar", "utility", "banner", "search",
                     "copyright", "sns", "share"})
#: Parts that mark chrome in an id only: a page has one #header or #footer, while a class such as
#: 「law-header」 may well hold the title.
_CHROME_ID = frozenset({"header", "footer", "foot", "tool", "tools", "side"})
_CELL = frozenset({"td", "th"})
_SPACE = re.compile(r"[ \t\n\r\f]+")


def _parts(value: str) -> set[str]:
    """The lower-case words of an id or class attribute, split at spaces, hyphens and underscores."""
    return {part for word in value.lower().split() for part in re.split(r"[-_]", word)}


def _is_chrome(element: Element, sectioned: bool) -> bool:
    """True for page chrome: by tag, by being hidden, or by an id/class that names navigation.

    ``sectioned`` tells whether the element stands inside sectioning content (``<main>``, …).
    """
    if element.tag in _SKIP or "hidden" in element.attrs or element.attrs.get("aria-hidden") == "true":
        return True
    if element.tag in _LANDMARKS and not sectioned:
        return True
    ids, classes = _parts(element.attrs.get("id", "")), _parts(element.attrs.get("class", ""))
    return bool((ids | classes) & _CHROME or ids & _CHROME_ID)


def _wide(char: str) -> bool:
    """True for an East Asian wide or full-width character (CSS Text 3 §4.1.3)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _collapse(text: str) -> str:
    """White space as a browser renders it; see the module docstring."""
    def space(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        if "\n" in m.group(0) and before and after and _wide(before) and _wide(after):
            return ""
        return " "
    return _SPACE.sub(space, text).replace("\xa0", " ").strip(" ")


def _inline(node: Element | Text) -> str:
    """All the text under ``node`` as one line (blocks and ``<br>`` inside a cell join up)."""
    texts: list[str] = []
    stack: list[Element | Text] = [node]  # a stack, not recursion: see _walk
    while stack:
        n = stack.pop()
        if isinstance(n, Text):
            texts.append(n.text)
        elif not _is_chrome(n, sectioned=True):
            stack.extend(reversed(n.children))
    return "".join(texts)


class _Lines:
    """Collects output lines; text accumulates until a block boundary ends the line."""

    def __init__(self) -> None:
        """No lines yet."""
        self.lines: list[tuple[int, str]] = []
        self.parts: list[str] = []
        self.line: int | None = None

    def text(self, text: str, line: int) -> None:
        """Add inline text; the line's origin is where its first visible text stands."""
        if self.line is None and text.strip():
            self.line = line + text[: len(text) - len(text.lstrip())].count("\n")
        self.parts.append(text)

    def end(self) -> None:
        """End the current line (a block boundary); an empty one is dropped."""
        text = _collapse("".join(self.parts))
        if text and self.line is not None:
            self.lines.append((self.line, text))
        self.parts, self.line = [], None

    def row(self, text: str, line: int) -> None:
        """A whole line at once (a table row)."""
        self.end()
        self.lines.append((line, text))


def _rows(table: Element) -> list[Element]:
    """The ``<tr>`` of a table, through ``<thead>``/``<tbody>``/``<tfoot>``, not of nested tables."""
    found = []
    for child in table.children:
        if isinstance(child, Element) and child.tag == "tr":
            found.append(child)
        elif isinstance(child, Element) and child.tag in ("thead", "tbody", "tfoot"):
            found.extend(_rows(child))
    return found


def _cells(row: Element) -> list[Element]:
    """The ``<td>``/``<th>`` of a row."""
    return [c for c in row.children if isinstance(c, Element) and c.tag in _CELL]


def _holds_table(node: Element) -> bool:
    """True if a table stands anywhere inside ``node``."""
    stack = list(node.children)  # a stack, not recursion: see _walk
    while stack:
        c = stack.pop()
        if isinstance(c, Element):
            if c.tag == "table":
                return True
            stack.extend(c.children)
    return False


def _is_layout(table: Element) -> bool:
    """True for a table used for layout: no row of two cells, or a cell that holds another table."""
    rows = _rows(table)
    return max((len(_cells(r)) for r in rows), default=0) <= 1 or any(
        _holds_table(cell) for row in rows for cell in _cells(row))


def _grid_row(row: Element, pending: dict[int, tuple[int, str]]) -> list[str]:
    """One row's cells on the table's grid; ``pending`` holds cells spanned down from rows above
    (column → rows still spanned, text) and is updated for the rows below."""
    values: list[str] = []

    def spanned() -> None:
        """Put the cells spanned down from above into this row's next columns."""
        while len(values) in pending:
            left, text = pending.pop(len(values))
            values.append(text)
            if left > 1:
                pending[len(values) - 1] = (left - 1, text)

    for cell in _cells(row):
        spanned()
        text = _collapse(_inline(cell)).replace("\t", " ")
        if cell.span("rowspan") > 1:
            pending[len(values)] = (cell.span("rowspan") - 1, text)
        values.append(text)
        values.extend("" for _ in range(cell.span("colspan") - 1))
    spanned()
    return values


def _table(table: Element, out: _Lines) -> None:
    """One tab-separated line per row, with row- and column-spanning cells laid out on the grid."""
    for caption in (c for c in table.children if isinstance(c, Element) and c.tag == "caption"):
        out.row(_collapse(_inline(caption)), caption.line)
    pending: dict[int, tuple[int, str]] = {}
    for row in _rows(table):
        values = _grid_row(row, pending)
        if len(_cells(row)) == 1:
            if values[0]:
                out.row(values[0], row.line)  # a heading printed across the table
        elif any(values):
            out.row("\t".join(values), row.line)


def _sectioned(node: Element, outer: bool) -> bool:
    return outer or node.tag in _SECTIONING or node.attrs.get("role") == "main"


def _walk(root: Element, out: _Lines) -> None:
    """Lay out the children of ``root``: blocks end lines, tables become rows.

    An explicit stack, not recursion: a broken export with thousands of unclosed <div>s nests that
    deep, past Python's recursion limit (found by tests/robustness)."""
    # Each frame: the children still to lay out, whether we are inside a sectioning element, and
    # whether the element is a block (its end ends the line).
    stack: list[tuple[Iterator[Element | Text], bool, bool]] = [(iter(root.children), _sectioned(root, False), False)]
    while stack:
        children, sectioned, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                out.end()
        elif isinstance(child, Text):
            out.text(child.text, child.line)
        elif _is_chrome(child, sectioned):
            continue
        elif child.tag == "br":
            out.end()
        elif child.tag == "table" and not _is_layout(child):
            _table(child, out)
        else:
            is_block = child.tag in BLOCK or child.tag in _LANDMARKS
            if is_block:
                out.end()
            stack.append((iter(child.children), _sectioned(child, sectioned), is_block))


def _main(root: Element) -> Element:
    """The page's ``<main>`` (or ``role="main"``) if it has one, else the whole document."""
    stack = [root]
    while stack:
        node = stack.pop(0)
        if node.tag == "main" or node.attrs.get("role") == "main":
            return node
        stack.extend(c for c in node.children if isinstance(c, Element) and not _is_chrome(c, False))
    return root


def page_lines(html: str) -> list[tuple[int, str]]:
    """The text lines of an HTML page as (HTML line number, text), chrome left out."""
    out = _Lines()
    _walk(_main(parse(html)), out)
    out.end()
    return out.lines
