"""Proactive content negotiation (RFC 9110 §12.5.1): pick the offer the client weighs highest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MediaRange", "best_match", "parse_accept", "prefers_html", "quality"]


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype`` (either may be ``*``) and its weight."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 no."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def quality(params: Sequence[str]) -> float:
    """The ``q`` of one element of an Accept or Accept-Language header (RFC 9110 §12.4.2), from its
    parameters (``["q=0.5"]``); 1 when absent or unreadable.

    >>> quality(["q=0.5"]), quality([]), quality(["q=x"])
    (0.5, 1.0, 1.0)
    """
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = min(1.0, max(0.0, float(value)))
            except ValueError:
                q = 1.0
    return q


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header leniently: malformed elements are ignored, a bad ``q`` counts as 1.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/html;q=0.5, */*;q=0.1")]
    [('text', 'html', 0.5), ('*', '*', 0.1)]
    """
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        parts = [p.strip() for p in element.split(";")]
        media = parts[0].lower()
        if "/" not in media:
            continue
        t, _, s = media.partition("/")
        ranges.append(MediaRange(t.strip(), s.strip(), quality(parts[1:])))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    best_specificity, q = -1, 0.0
    for r in ranges:
        spec = r.matches(media_type)
        if spec > best_specificity:
            best_specificity, q = spec, r.q
    return q if best_specificity >= 0 else 0.0


def best_match(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer with the highest weight (ties go to the earlier offer); None if nothing is acceptable.

    No Accept header means anything is acceptable (RFC 9110 §12.5.1), so the first offer wins.

    >>> best_match("application/json;q=0.9, text/csv", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> best_match("image/png", ["text/turtle"]) is None
    True
    """
    if not offers:
        return None
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    scored = [(_quality(ranges, offer), -i, offer) for i, offer in enumerate(offers)]
    q, _, offer = max(scored)
    return offer if q > 0 else None


def prefers_html(header: str | None) -> bool:
    """True when a browser is asking: text/html is acceptable and weighed at least as high as RDF."""
    ranges = parse_accept(header)
    html = _quality(ranges, "text/html")
    if html <= 0 or not any(r.type == "text" and r.subtype == "html" for r in ranges):
        return False
    return html >= max(
        _quality(ranges, m) for m in ("text/turtle", "application/ld+json", "application/sparql-results+json")
    )
