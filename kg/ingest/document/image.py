"""Page images of a scan: decoded, rasterised, brought to 300 dpi and deskewed, ready for OCR.

A page is a greyscale numpy array (0 black … 255 white). Deskewing estimates the angle that makes
the page's rows of ink (text lines and ruled lines alike) sharpest — the projection-profile method —
and rotates by it, so that table rules are horizontal and vertical before the cells are found.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageSequence

__all__ = ["Page", "deskew", "ink", "pdf_pages", "image_pages", "skew_angle"]

Gray = NDArray[np.uint8]
TARGET_DPI = 300  # tesseract reads best at about 30 px per character height; 300 dpi gives 10 pt that
_A4_WIDTH_IN = 210 / 25.4


@dataclass
class Page:
    """One page image at (about) 300 dpi, and the angle it was turned by to deskew it."""

    number: int  # 1-based
    gray: Gray
    dpi: float  # of the scan as given (before any upscaling)
    angle: float = 0.0


def _to_gray(image: Image.Image) -> Gray:
    if image.mode not in ("L", "1", "RGB", "I;16"):
        image = image.convert("RGB")
    return np.asarray(image.convert("L"), dtype=np.uint8)


def _scaled(gray: Gray, dpi: float) -> Gray:
    """``gray`` resampled to :data:`TARGET_DPI` when it was scanned below it (upscaling helps tesseract)."""
    import cv2

    if dpi >= TARGET_DPI * 0.9:
        return gray
    factor = TARGET_DPI / dpi
    return np.asarray(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC), dtype=np.uint8)


def _dpi(image: Image.Image) -> float:
    """The image's resolution as recorded, else guessed from an A4 page's width."""
    recorded = image.info.get("dpi")
    if recorded and float(recorded[0]) >= 50:
        return float(recorded[0])
    return min(image.size) / _A4_WIDTH_IN


def image_pages(data: bytes) -> list[Page]:
    """The pages (frames) of a PNG, TIFF or JPEG, greyscale at 300 dpi; raises OSError if unreadable."""
    with Image.open(io.BytesIO(data)) as image:
        pages = []
        for i, frame in enumerate(ImageSequence.Iterator(image), 1):
            dpi = _dpi(frame)
            pages.append(Page(i, _scaled(_to_gray(frame), dpi), dpi))
        return pages


def pdf_pages(data: bytes) -> list[Page]:
    """The pages of a PDF rendered at 300 dpi (pypdfium2); raises ValueError if it is not a readable PDF."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ValueError(str(e)) from None
    pages = []
    try:
        for i in range(len(document)):
            page = document[i]
            bitmap = page.render(scale=TARGET_DPI / 72, grayscale=True)
            pages.append(Page(i + 1, _to_gray(bitmap.to_pil()), _embedded_dpi(page)))
    finally:
        document.close()
    return pages


def _embedded_dpi(page: object) -> float:
    """The resolution of the largest image on a PDF page (what the scanner gave), else 300."""
    import pypdfium2 as pdfium

    best = 0.0
    try:
        width_pt = page.get_width()  # type: ignore[attr-defined]
        for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):  # type: ignore[attr-defined]
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if right > left:
                best = max(best, px_w / ((right - left) / 72) if right - left < width_pt * 2 else 0)
    except Exception:  # noqa: BLE001 - the resolution is only informative
        return float(TARGET_DPI)
    return best or float(TARGET_DPI)


def ink(gray: Gray) -> NDArray[np.uint8]:
    """255 where there is ink, 0 elsewhere: Otsu's threshold after a median filter (scanner speckle)."""
    import cv2

    smooth = cv2.medianBlur(gray, 3)
    _, out = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(out, dtype=np.uint8)


def _rotate(image: NDArray[np.uint8], angle: float, fill: int) -> NDArray[np.uint8]:
    import cv2

    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return np.asarray(cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill),
                      dtype=np.uint8)


def _sharpness(xs: NDArray[np.float64], ys: NDArray[np.float64], angle: float) -> float:
    """How sharp the rows of ink are when the page is turned by ``angle``: the squared steps of the
    histogram of the ink's turned heights (one bin a pixel)."""
    a = np.deg2rad(angle)
    # Turning counter-clockwise by a as seen on screen (y pointing down): y' = y cos a − x sin a.
    heights = np.round(ys * np.cos(a) - xs * np.sin(a)).astype(np.int64)
    rows = np.bincount(heights - heights.min()).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(gray: Gray, limit: float = 5.0) -> float:
    """The angle (degrees, counter-clockwise) to turn ``gray`` by so its lines of ink are horizontal.

    The projection-profile method on the ink's coordinates (no image is turned while searching):
    a coarse search over ±``limit``, then a fine one around the best, to 0.01°.
    """
    ys, xs = np.nonzero(ink(gray))
    if len(xs) == 0:
        return 0.0
    if len(xs) > 400_000:  # a sample is as sharp, and keeps a dense page fast
        pick = np.random.default_rng(0).choice(len(xs), 400_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    fx, fy = xs.astype(np.float64), ys.astype(np.float64)
    coarse = np.arange(-limit, limit + 1e-9, 0.2)
    best = float(max(coarse, key=lambda a: _sharpness(fx, fy, float(a))))
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.01)
    return round(float(max(fine, key=lambda a: _sharpness(fx, fy, float(a)))), 2)


def deskew(page: Page) -> Page:
    """``page`` turned upright (by :func:`skew_angle`); a page already straight is left as it is."""
    angle = skew_angle(page.gray)
    if abs(angle) < 0.05:
        return Page(page.number, page.gray, page.dpi, 0.0)
    return Page(page.number, _rotate(page.gray, angle, 255), page.dpi, angle)
