"""Jinja filters and globals: links that stay on this server for our IRIs, compact names for the rest,
and the page's one language.

Every page is in Japanese, or in English with ``?lang=en`` — never both (issue 11, point 7). A template
writes its words once in each language, ``{{ L("取組", "Initiatives") }}``, and the global ``page_lang``
(``"ja"`` or ``"en"``) and ``lang_url(lang)`` (this page in the other language) serve the switch in
base.html. Text as printed (titles, contents, roles, names) is shown as printed in both.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from kg.namespaces import PREFIXES

__all__ = ["L", "curie", "href", "install", "lang_of", "lang_url"]


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


def lang_of(context: Context | dict[str, Any]) -> str:
    """The language a page is rendered in: ``en`` when its request asks ``?lang=en``, else ``ja``."""
    request = context.get("request")
    asked = request.query_params.get("lang", "") if request is not None else ""
    return "en" if asked.strip().lower() == "en" else "ja"


@pass_context
def L(context: Context, ja: str, en: str) -> str:  # noqa: N802 — short, as templates use it everywhere
    """The words of the page's language (:func:`lang_of`)."""
    return en if lang_of(context) == "en" else ja


@pass_context
def _page_lang(context: Context) -> str:
    return lang_of(context)


@pass_context
def lang_url(context: Context, lang: str) -> str:
    """This page's URL (path and query) in ``lang``: its ``lang`` parameter set, or dropped for Japanese."""
    request = context.get("request")
    if request is None:
        return "?lang=en" if lang == "en" else "?"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if lang == "en":
        params.append(("lang", "en"))
    query = urlencode(params)
    path: str = request.url.path
    return path + (f"?{query}" if query else "")


def install(env: Environment, base: str) -> None:
    """Register the filters with the base IRI of the release bound, and the language globals."""
    env.filters["href"] = partial(href, base=base)
    env.filters["curie"] = partial(curie, base=base)
    env.globals["L"] = L
    env.globals["page_lang"] = _page_lang
    env.globals["lang_url"] = lang_url
