"""An HTML page → a small element tree, read with the standard library's :class:`html.parser.HTMLParser`.

HTML leaves many end tags implied (a new ``<p>`` ends the open one, a ``<td>`` the cell before it);
the builder closes them as the HTML parsing algorithm does, so that a 例規集 page's blocks and
table cells come out as the browser shows them. Line numbers are those of the start tags and
text in the page, for provenance.

>>> root = parse("<p>一<p>二<table><tr><td>a<td>b</table>")
>>> [e.tag for e in root.children if isinstance(e, Element)]  # each <p> ends the one before
['p', 'p', 'table']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from kg.errors import IngestError

__all__ = ["BLOCK", "MAX_DEPTH", "Element", "Text", "parse"]

#: How deep elements may nest in a page. 例規集 pages nest a few dozen deep; closing an implied or
#: end tag searches the open elements, so a page of 40,000 unclosed <div>s took minutes (issue 14).
MAX_DEPTH = 512

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
#: Elements that end a line before and after them.
BLOCK = frozenset({"address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
                   "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li",
                   "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
                   "ul"})
# HTML's implied end tags (WHATWG HTML §13.2.6.4.7): a start tag closes the nearest open element
# of these kinds, searching no further out than the boundary elements.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "thead": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "li": (frozenset({"li"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
}
# A block start tag closes an open <p> "in button scope" (the same section).
_P_SCOPE = frozenset({"td", "th", "table", "caption", "html", "button", "object"})


@dataclass
class Text:
    """A run of character data and the HTML line it starts on."""

    text: str
    line: int


@dataclass
class Element:
    """An element: its tag, attributes, the line of its start tag, and its children."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element | Text] = field(default_factory=list)

    def span(self, name: str) -> int:
        """The element's ``rowspan``/``colspan`` (1 when absent or unreadable)."""
        value = self.attrs.get(name, "1").strip()
        return max(1, min(int(value), 100)) if value.isdigit() else 1


class _TreeBuilder(HTMLParser):
    """Builds the :class:`Element` tree, closing what HTML leaves implied (``<p>``, ``<td>``, ``<li>``)."""

    def __init__(self) -> None:
        """An empty document."""
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 1)
        self.stack: list[Element] = [self.root]

    def _pop(self, names: frozenset[str], boundary: frozenset[str]) -> None:
        """Close the nearest open element named in ``names``, unless a ``boundary`` element comes first."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag in names:
                del self.stack[i:]
                return
            if self.stack[i].tag in boundary:
                return

    def _close_implied(self, tag: str) -> None:
        """Close the open elements a start tag ``tag`` ends implicitly."""
        if tag in _IMPLIED:
            self._pop(*_IMPLIED[tag])
        if tag in BLOCK:
            self._pop(frozenset({"p"}), _P_SCOPE)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element (void elements are complete at once)."""
        self._close_implied(tag)
        element = Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            if len(self.stack) > MAX_DEPTH:
                self._too_deep()
            self.stack.append(element)

    def _too_deep(self) -> None:
        raise IngestError(
            f"the page nests elements more than {MAX_DEPTH} deep (kg.ingest.page_tree.MAX_DEPTH); "
            "a 例規集 page nests a few dozen", line=self.getpos()[0], where=f"<{self.stack[-1].tag}>",
            ja=f"ページの要素の入れ子が {MAX_DEPTH} 段を超えています（上限 kg.ingest.page_tree.MAX_DEPTH）。"
               "例規集のページは数十段です。",
            fix="save the 例規集 page again from the browser (a broken export leaves elements unclosed)",
            fix_ja="例規集のページをブラウザから保存し直してください（壊れた書き出しは要素が閉じられていません）。")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<br/>``: an element without content."""
        self._close_implied(tag)
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        """Close ``tag`` and whatever is still open inside it; a stray end tag is ignored."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        """Character data, with the line it starts on."""
        self.stack[-1].children.append(Text(data, self.getpos()[0]))



def parse(html: str) -> Element:
    """The document tree of ``html`` (its root is ``#document``)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
