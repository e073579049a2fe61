"""Proactive content negotiation (RFC 9110 §12.5.1): pick the offer the client weighs highest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.formats import GRAPH_FORMATS, Format

__all__ = [
    "EXTENSIONS", "HTML", "REPRESENTATIONS", "MediaRange", "Representation", "best_match", "choose_representation",
    "link_header", "offered", "parse_accept", "prefers_html", "quality", "split_extension",
]


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


# ── Representations of one resource: /id/…, /ns, /shapes, /catalog (issue 11, point 1) ────────────


@dataclass(frozen=True)
class Representation:
    """One way a resource is written: the HTML page (``fmt`` None) or an RDF format, and the media
    type its answer is labelled with (``application/trig`` for Turtle written as TriG)."""

    fmt: Format | None
    media_type: str

    @property
    def is_html(self) -> bool:
        return self.fmt is None


HTML = Representation(None, "text/html")
#: Turtle is a subset of TriG (a TriG document may hold only the default graph) and of N3, so a
#: resource's Turtle description is also its TriG and N3 one; each answer says which it is.
_TURTLE = next(f for f in GRAPH_FORMATS if f.name == "turtle")
_SUPERSETS = (Representation(_TURTLE, "application/trig"), Representation(_TURTLE, "text/n3"))
#: Every representation a resource has, the preferred first; RDF by the canonical media type of
#: each graph format (kg.formats), then its other media types.
REPRESENTATIONS: tuple[Representation, ...] = (
    HTML,
    *(Representation(f, f.media_type) for f in GRAPH_FORMATS),
    *_SUPERSETS,
)
#: File extensions on a resource's URL (``/id/area/koriyama.ttl``, ``/ns.jsonld``) and what they ask for.
EXTENSIONS: dict[str, Representation] = {
    ".html": HTML,
    **{"." + f.extension: Representation(f, f.media_type) for f in GRAPH_FORMATS},
    ".json": Representation(next(f for f in GRAPH_FORMATS if f.name == "jsonld"), "application/ld+json"),
    ".trig": _SUPERSETS[0],
    ".n3": _SUPERSETS[1],
}


def split_extension(path: str) -> tuple[str, Representation | None]:
    """``("area/koriyama", Turtle)`` for ``area/koriyama.ttl``; the path unchanged and None otherwise.

    >>> split_extension("area/koriyama.ttl")[0], split_extension(".ttl")[0], split_extension("ns")
    ('area/koriyama', '', ('ns', None))
    """
    for ext, rep in EXTENSIONS.items():
        if path.endswith(ext):
            return path[: -len(ext)], rep
    return path, None


def choose_representation(accept: str | None, html: bool = True, machines_first: bool = False
                          ) -> Representation | None:
    """The representation the Accept header weighs highest (HTML first on ties, if offered), or None
    when none is acceptable (the caller answers 406 with :func:`offered`).

    ``machines_first`` (the catalogue, the vocabulary): HTML only when ``text/html`` is named and
    weighed at least as high as RDF (:func:`prefers_html`), so ``*/*`` and no Accept get RDF, as a
    harvester expects.

    >>> choose_representation("application/trig").media_type, choose_representation("text/n3").fmt.name
    ('application/trig', 'turtle')
    >>> choose_representation("image/png") is None, choose_representation(None).is_html
    (True, True)
    >>> choose_representation("*/*", machines_first=True).media_type
    'text/turtle'
    """
    if html and machines_first:
        if prefers_html(accept):
            return HTML
        return choose_representation(accept, html=False) or choose_representation(accept)
    reps = [r for r in REPRESENTATIONS if html or not r.is_html]
    by_media: dict[str, Representation] = {}
    for rep in reps:
        by_media.setdefault(rep.media_type, rep)
        if rep.fmt is not None and rep.media_type == rep.fmt.media_type:
            for other in rep.fmt.other_media_types:
                by_media.setdefault(other, rep)
    chosen = best_match(accept, list(by_media))
    return by_media[chosen] if chosen is not None else None


def offered(html: bool = True) -> list[str]:
    """The media types a resource answers to, for a 406's list of what is offered."""
    return [r.media_type for r in REPRESENTATIONS if html or not r.is_html]


def link_header(url: str, served: Representation, *, extensions: bool = True, html: bool = True,
                describedby: str = "/catalog") -> str:
    """An RFC 8288 ``Link`` value: every other representation of the resource at ``url`` as
    ``rel="alternate"`` (at its extension URL when ``extensions``, else at ``url`` itself, told
    apart by ``type``), and the catalogue (DCAT and VoID) as ``rel="describedby"``.

    >>> link_header("/ns", HTML).split(", ")[0]
    '</ns.ttl>; rel="alternate"; type="text/turtle"'
    """
    links = []
    for rep in REPRESENTATIONS:
        if rep == served or (rep.is_html and not html):
            continue
        ext = next(e for e, r in EXTENSIONS.items() if r == rep) if extensions else ""
        links.append(f'<{url}{ext}>; rel="alternate"; type="{rep.media_type}"')
    links.append(f'<{describedby}>; rel="describedby"; type="text/turtle"')
    return ", ".join(links)
