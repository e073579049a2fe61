"""SVG primitives: an accessible document, escaped text, and text widths estimated without fonts.

The charts are plain SVG 1.1 strings (no plotting library): a few hundred shapes each, which is
what a hand-written generator does best, and the output stays diffable and testable with
``xml.etree``. Accessibility follows the WAI-ARIA Graphics module and SVG 2 §5.9: the root has
``role="img"`` and is labelled by its ``<title>`` and described by its ``<desc>``; every shape
that means something carries its own ``<title>``, which browsers show as a tooltip.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

__all__ = [
    "FONT_FAMILY", "PALETTE", "attr", "document", "esc", "fit", "text", "text_width",
]

#: Japanese-capable fonts first (macOS, Windows, Noto/IPA on Linux), then the generic family.
FONT_FAMILY = ("'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', "
               "'Yu Gothic', 'Meiryo', 'IPAexGothic', 'IPAGothic', 'IPAPGothic', sans-serif")

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), one per pillar.
PALETTE = {"1": "#0072B2", "2": "#E69F00", "3": "#009E73", "": "#666666"}
ACCENT = "#D55E00"


def esc(value: object) -> str:
    """Text content escaped for XML."""
    return _escape(str(value))


def attr(value: object) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(str(value))


def text_width(s: str, size: float) -> float:
    """Estimated width of ``s`` at font size ``size``: full-width characters 1 em, others 0.6 em.

    >>> text_width("3.A.7 災害対策", 10)
    76.0
    """
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in s)


def fit(s: str, size: float, width: float) -> str:
    """``s`` shortened with 「…」 so it fits ``width`` at font size ``size``.

    >>> fit("産学金官民一体となった経済戦略の策定", 10, 60)
    '産学金官民…'
    """
    if text_width(s, size) <= width:
        return s
    while s and text_width(s + "…", size) > width:
        s = s[:-1]
    return s + "…"


def text(x: float, y: float, content: str, *, size: float = 12, anchor: str = "start",
         extra: str = "", tooltip: str | None = None) -> str:
    """A ``<text>`` element, with a ``<title>`` tooltip when the shown text is shortened."""
    tip = f"<title>{esc(tooltip)}</title>" if tooltip and tooltip != content else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
            f"{tip}{esc(content)}</text>")


def document(width: float, height: float, title: str, desc: str, body: list[str], *,
             id_prefix: str = "chart") -> str:
    """A standalone SVG document of ``width`` × ``height`` with title, description and body."""
    w, h = round(width), round(height)
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family={attr(FONT_FAMILY)} lang="ja">',
        f'<title id="{id_prefix}-title">{esc(title)}</title>',
        f'<desc id="{id_prefix}-desc">{esc(desc)}</desc>',
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        *body,
        "</svg>",
        "",
    ])
