"""Character-level diff of Japanese wording, and its rendering for the terminal and for HTML.

Japanese has no spaces between words, so a word diff would first need a segmenter (MeCab,
Sudachi) and its dictionary; a diff on characters needs neither and marks exactly what changed.
A raw character diff of two unrelated sentences is confetti (single shared characters such as
「の」 left standing between edits), so short equalities squeezed between larger edits are folded
into them, as diff-match-patch's ``diff_cleanupSemantic`` does.

>>> [(s.op, s.text) for s in diff("二本松市と連携して取り組む。", "甲と連携して取り組む。")]
[('delete', '二本松市'), ('insert', '甲'), ('equal', 'と連携して取り組む。')]
>>> side_a(diff("高度な医療", "高度医療"))
'高度[-な-]医療'
>>> html_b(diff("<a>", "<b>"))
'&lt;<ins>b</ins>&gt;'
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = [
    "Op", "Segment", "diff", "display_width", "html_a", "html_b", "normalise_title", "side_a", "side_b",
    "similarity", "styled_a", "styled_b",
]

Op = Literal["equal", "delete", "insert"]

#: ANSI SGR codes for the terminal: deletions red and struck through, insertions green and underlined.
ANSI_DELETE = "\x1b[31;9m"
ANSI_INSERT = "\x1b[32;4m"
ANSI_RESET = "\x1b[0m"


@dataclass(frozen=True)
class Segment:
    """A run of characters that both texts share (equal), only A has (delete) or only B has (insert)."""

    op: Op
    text: str


def diff(a: str, b: str, *, cleanup: bool = True) -> list[Segment]:
    """The edit from ``a`` to ``b`` as segments; joining equal+delete gives ``a``, equal+insert ``b``."""
    # autojunk off: its heuristic treats frequent characters (の, 、) as junk in texts over 200
    # characters, which makes the diff of long 内容 cells worse, not faster, at these sizes.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Segment("equal", a[i1:i2]))
            continue
        if i2 > i1:
            out.append(Segment("delete", a[i1:i2]))
        if j2 > j1:
            out.append(Segment("insert", b[j1:j2]))
    return _merge(_semantic_cleanup(out) if cleanup else out)


def _merge(segments: Iterable[Segment]) -> list[Segment]:
    """Canonical form: no empty segments, no two adjacent of one kind, deletions before insertions."""
    out: list[Segment] = []
    pending: dict[str, str] = {"delete": "", "insert": ""}
    for seg in segments:
        if not seg.text:
            continue
        if seg.op == "equal":
            out += [Segment(op, pending[op]) for op in ("delete", "insert") if pending[op]]
            pending = {"delete": "", "insert": ""}
            if out and out[-1].op == "equal":
                out[-1] = Segment("equal", out[-1].text + seg.text)
            else:
                out.append(seg)
        else:
            pending[seg.op] += seg.text
    out += [Segment(op, pending[op]) for op in ("delete", "insert") if pending[op]]
    return out


def _semantic_cleanup(segments: Sequence[Segment]) -> list[Segment]:
    """Fold an equality into its neighbouring edits when it is no longer than the edits on both sides.

    The rule of diff-match-patch ``diff_cleanupSemantic``: such an equality is a coincidence (a
    shared 「の」 or 「、」), not a shared phrase, and showing it splits one change into many.
    """
    segs = _merge(segments)
    changed = True
    while changed:
        changed = False
        for k, seg in enumerate(segs):
            if seg.op != "equal" or k == 0 or k == len(segs) - 1:
                continue
            before = _edit_sizes(segs[:k][::-1])
            after = _edit_sizes(segs[k + 1:])
            if len(seg.text) <= max(before) and len(seg.text) <= max(after):
                segs = _merge([*segs[:k], Segment("delete", seg.text), Segment("insert", seg.text),
                               *segs[k + 1:]])
                changed = True
                break
    return segs


def _edit_sizes(run: Sequence[Segment]) -> tuple[int, int]:
    """Characters deleted and inserted in the edits adjacent to an equality (up to the next equality)."""
    deleted = inserted = 0
    for seg in run:
        if seg.op == "equal":
            break
        if seg.op == "delete":
            deleted += len(seg.text)
        else:
            inserted += len(seg.text)
    return deleted, inserted


def _side(segments: Iterable[Segment], keep: Op, mark: tuple[str, str]) -> str:
    return "".join(s.text if s.op == "equal" else f"{mark[0]}{s.text}{mark[1]}"
                   for s in segments if s.op in ("equal", keep))


def side_a(segments: Iterable[Segment]) -> str:
    """Text A with what B lacks marked ``[-…-]`` (wdiff's notation, for terminals without colour)."""
    return _side(segments, "delete", ("[-", "-]"))


def side_b(segments: Iterable[Segment]) -> str:
    """Text B with what A lacks marked ``{+…+}``."""
    return _side(segments, "insert", ("{+", "+}"))


def styled_a(segments: Iterable[Segment]) -> list[tuple[str, str]]:
    """Text A as (style, text) runs for a colour terminal: style is '' or an ANSI SGR prefix."""
    return [("" if s.op == "equal" else ANSI_DELETE, s.text) for s in segments if s.op != "insert"]


def styled_b(segments: Iterable[Segment]) -> list[tuple[str, str]]:
    """Text B as (style, text) runs for a colour terminal."""
    return [("" if s.op == "equal" else ANSI_INSERT, s.text) for s in segments if s.op != "delete"]


def html_a(segments: Iterable[Segment]) -> str:
    """Text A as escaped HTML with what B lacks in ``<del>``."""
    return "".join(html.escape(s.text) if s.op == "equal" else f"<del>{html.escape(s.text)}</del>"
                   for s in segments if s.op != "insert")


def html_b(segments: Iterable[Segment]) -> str:
    """Text B as escaped HTML with what A lacks in ``<ins>``."""
    return "".join(html.escape(s.text) if s.op == "equal" else f"<ins>{html.escape(s.text)}</ins>"
                   for s in segments if s.op != "delete")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters (漢字, かな, ＡＢ) take two.

    >>> display_width("ICT整備")
    7
    """
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


_TITLE_NOISE = re.compile(r"[\s・、。,.()（）「」『』]|の推進$|の充実$|に関する取組$|に係る取組$")


def normalise_title(title: str) -> str:
    """A title reduced for matching: NFKC (全角→半角), no spaces or punctuation, no 「の推進」-style tail.

    >>> normalise_title("Ｉ Ｃ Ｔ インフラの整備")
    'ICTインフラの整備'
    >>> normalise_title("広域観光の推進")
    '広域観光'
    """
    text = unicodedata.normalize("NFKC", title)
    previous = None
    while previous != text:
        previous, text = text, _TITLE_NOISE.sub("", text)
    return text


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0–1, after :func:`normalise_title` (SequenceMatcher's ratio)."""
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()
