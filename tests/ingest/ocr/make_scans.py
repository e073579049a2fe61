"""Render a fixture text as the scanned pages of a printed agreement, for the OCR tests and bench.

The text is typeset the way agreements are printed: A4, IPA Mincho (Debian's ``fonts-ipafont-mincho``),
body paragraphs wrapped at the margin with continuation lines indented one character, and each run
of tab-separated lines (a 別表) as a ruled table whose cells wrap, its header repeated on every page
the table runs onto. The clean pages are then "scanned": rotated a little, softened and speckled.

    .venv/bin/python -m tests.ingest.ocr.make_scans tests/data/ingest/koriyama-nihonmatsu-2019.txt /tmp/scans

writes ``<stem>-300.png`` (page 1), ``<stem>-300.pdf`` (every page), ``<stem>-150-noisy.pdf`` and the
clean pages; nothing is committed, the tests make what they need.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")
A4_MM = (210.0, 297.0)
MARGIN_MM = (25.0, 25.0)  # left/right, top/bottom
BODY_PT, TABLE_PT = 10.5, 9.0
LEADING = 1.6  # line pitch as a multiple of the font size
RULE_MM = 0.3  # table rule thickness
#: Column widths (fractions of the text width) of tables by number of columns.
COLUMNS = {4: (0.22, 0.30, 0.24, 0.24), 5: (0.14, 0.18, 0.24, 0.22, 0.22), 6: (0.12, 0.14, 0.16, 0.2, 0.19, 0.19)}
#: Characters that may not start a line (JIS X 4051 gyoto kinsoku, the common ones): they hang in the margin.
_NO_START = set("、。，．）」』】・ー")


@dataclass(frozen=True)
class Scan:
    """How a clean page is degraded into a scan."""

    dpi: int = 300
    angle: float = 0.7  # degrees, counter-clockwise
    blur: float = 0.6  # Gaussian radius in pixels at the scan's resolution
    noise: float = 10.0  # standard deviation of the grey-level noise (0–255)
    specks: float = 0.0003  # fraction of pixels turned to dark specks
    seed: int = 7


LIGHT = Scan()
HEAVY = Scan(dpi=150, angle=1.2, blur=0.9, noise=45.0, specks=0.004, seed=11)


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _font(pt: float, dpi: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), round(pt / 72 * dpi))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float = 0.0,
          hang: bool = True) -> list[str]:
    """Lines of at most ``width`` pixels (later lines ``indent`` narrower); a space at a break is dropped.

    Punctuation that may not start a line hangs in the margin (``hang``), or, in a table cell where
    it would touch the rule, takes the character before it onto the next line (追い出し).
    """
    lines: list[str] = []
    current = ""
    limit = width
    for ch in text:
        if current and font.getlength(current + ch) > limit and (ch not in _NO_START or not hang):
            carry = ""
            if ch in _NO_START and len(current) > 1:
                current, carry = current[:-1], current[-1]
            lines.append(current.rstrip(" "))
            current = ("" if ch == " " else carry + ch).lstrip(" ")
            limit = width - indent
        else:
            current += ch
    if current or not lines:
        lines.append(current)
    return lines


class _Pages:
    """Pages being typeset: a cursor moving down, a new page when the next block does not fit."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.size = (_px(A4_MM[0], dpi), _px(A4_MM[1], dpi))
        self.left, self.top = _px(MARGIN_MM[0], dpi), _px(MARGIN_MM[1], dpi)
        self.right, self.bottom = self.size[0] - self.left, self.size[1] - self.top
        self.pages: list[Image.Image] = []
        self.new_page()

    def new_page(self) -> None:
        self.page = Image.new("L", self.size, 255)
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.top

    def fits(self, height: float) -> bool:
        return self.y + height <= self.bottom


def _paragraph(p: _Pages, text: str) -> None:
    font = _font(BODY_PT, p.dpi)
    pitch = round(BODY_PT / 72 * p.dpi * LEADING)
    em = font.getlength("あ")
    for i, line in enumerate(_wrap(text, font, p.right - p.left, indent=em)):
        if not p.fits(pitch):
            p.new_page()
        p.draw.text((p.left + (em if i else 0), p.y), line, font=font, fill=0)
        p.y += pitch


def _table(p: _Pages, rows: list[list[str]]) -> None:
    font = _font(TABLE_PT, p.dpi)
    pitch = round(TABLE_PT / 72 * p.dpi * 1.45)
    pad = round(font.size * 0.45)
    rule = max(1, _px(RULE_MM, p.dpi))
    n = len(rows[0])
    fractions = COLUMNS.get(n, tuple(1 / n for _ in range(n)))
    width = p.right - p.left
    xs = [p.left]
    for f in fractions:
        xs.append(xs[-1] + round(f * width))
    xs[-1] = p.right
    header = rows[0]

    def wrapped(row: list[str]) -> tuple[list[list[str]], int]:
        cells = [_wrap(c, font, xs[k + 1] - xs[k] - 2 * pad, hang=False) if c else [] for k, c in enumerate(row)]
        return cells, max(1, *(len(c) for c in cells)) * pitch + 2 * pad

    def draw(row: list[str], top_rule: bool) -> None:
        cells, height = wrapped(row)
        y0, y1 = p.y, p.y + height
        if top_rule:
            p.draw.rectangle((xs[0], y0, xs[-1], y0 + rule - 1), fill=0)
        p.draw.rectangle((xs[0], y1, xs[-1], y1 + rule - 1), fill=0)
        for x in xs:
            p.draw.rectangle((x, y0, x + rule - 1, y1 + rule - 1), fill=0)
        for k, lines in enumerate(cells):
            for i, line in enumerate(lines):
                p.draw.text((xs[k] + pad + rule, y0 + pad + i * pitch), line, font=font, fill=0)
        p.y = y1

    p.y += pitch // 2
    draw(header, True)
    for row in rows[1:]:
        _, height = wrapped(row)
        if not p.fits(height):
            p.new_page()
            draw(header, True)
        draw(row, False)
    p.y += pitch


def render(text: str, dpi: int = 300) -> list[Image.Image]:
    """The clean pages (greyscale, ``dpi``) of ``text``: paragraphs, and tab-separated runs as ruled tables."""
    p = _Pages(dpi)
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    blank = round(BODY_PT / 72 * dpi * 0.6)
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            rows: list[list[str]] = []
            while i < len(lines) and ("\t" in lines[i] or (not lines[i].strip() and _tab_follows(lines, i))):
                if lines[i].strip():
                    rows.append(lines[i].split("\t"))
                i += 1
            _table(p, rows)
            continue
        if line.strip():
            _paragraph(p, line)
        elif p.y > p.top:
            p.y += blank
        i += 1
    return p.pages


def _tab_follows(lines: list[str], i: int) -> bool:
    """Whether the next non-blank line after ``i`` is a table row (a blank line inside a table)."""
    for line in lines[i + 1:]:
        if line.strip():
            return "\t" in line
    return False


def degrade(page: Image.Image, scan: Scan = LIGHT, index: int = 0) -> Image.Image:
    """``page`` (rendered at 300 dpi) as a scanner gives it: resampled to ``scan.dpi``, rotated, blurred, noisy."""
    img = page
    if scan.dpi != 300:
        img = img.resize((round(img.width * scan.dpi / 300), round(img.height * scan.dpi / 300)),
                         Image.Resampling.LANCZOS)
    img = img.rotate(scan.angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if scan.blur:
        img = img.filter(ImageFilter.GaussianBlur(scan.blur))
    rng = np.random.default_rng(scan.seed + index)
    a = np.asarray(img, dtype=np.float32)
    a = a + rng.normal(0.0, scan.noise, a.shape)
    specks = rng.random(a.shape) < scan.specks
    a[specks] = rng.uniform(0, 90, int(specks.sum()))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def scan_pages(text: str, scan: Scan = LIGHT) -> list[Image.Image]:
    """The pages of ``text`` as scanned with ``scan``."""
    return [degrade(page, scan, i) for i, page in enumerate(render(text, 300))]


def png(image: Image.Image, dpi: int = 300) -> bytes:
    """``image`` as PNG bytes recording its resolution."""
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def pdf(images: list[Image.Image], dpi: int = 300) -> bytes:
    """``images`` as a scanned PDF: one page per image, no text layer (Pillow's PDF writer)."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out.getvalue()


def tiff(images: list[Image.Image], dpi: int = 300) -> bytes:
    """``images`` as one multi-page TIFF."""
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Write the scans of each text argument into the directory given last."""
    if len(argv) < 2:
        print(__doc__)
        return 2
    out = Path(argv[-1])
    out.mkdir(parents=True, exist_ok=True)
    for name in argv[:-1]:
        source = Path(name)
        text = source.read_text(encoding="utf-8")
        clean = render(text, 300)
        light = [degrade(p, LIGHT, i) for i, p in enumerate(clean)]
        heavy = [degrade(p, HEAVY, i) for i, p in enumerate(clean)]
        (out / f"{source.stem}-300.png").write_bytes(png(light[0]))
        (out / f"{source.stem}-300.pdf").write_bytes(pdf(light))
        (out / f"{source.stem}-150-noisy.pdf").write_bytes(pdf(heavy, 150))
        for i, page in enumerate(clean, 1):
            page.save(out / f"{source.stem}-clean-{i}.png", dpi=(300, 300))
        print(f"{source.stem}: {len(clean)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
