"""Jinja filters: links that stay on this server for our IRIs, and compact names for the rest."""

from __future__ import annotations

from functools import partial

from jinja2 import Environment

from kg.namespaces import PREFIXES

__all__ = ["curie", "href", "install"]


def href(iri: str, base: str) -> str:
    """Where a link to ``iri`` goes: our own page for IRIs under the base, the IRI itself otherwise."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def curie(iri: str, base: str) -> str:
    """``renkei:Agreement``, ``rid:municipality/072036`` — or the IRI when no prefix fits."""
    if iri.startswith(base + "id/"):
        return "rid:" + iri[len(base) + 3 :]
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def install(env: Environment, base: str) -> None:
    """Register the filters with the base IRI of the release bound."""
    env.filters["href"] = partial(href, base=base)
    env.filters["curie"] = partial(curie, base=base)
