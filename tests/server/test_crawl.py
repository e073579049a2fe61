"""Every link reachable from ``/`` resolves (issue 11, "Done when"): a breadth-first crawl of the
site as a browser sees it, following each same-origin ``href`` and ``src``, finds no 4xx or 5xx, and
each ``#fragment`` of a link lands on an element with that id (``/ns#Agreement``, ``/shapes#AG-01-…``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import pytest

from tests.server.conftest import Server

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "ja"}
MAX_URLS = 2000
CONCURRENCY = 4


class _Links(HTMLParser):
    """The ``href``/``src`` of a page (not of ``<a download>`` templates in scripts) and its element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"] or "")
        for name in ("href", "src"):
            value = a.get(name)
            if value and not value.startswith(("mailto:", "javascript:", "data:", "tel:")):
                self.links.append(value)


@dataclass
class Crawl:
    """What a crawl found: the status of every URL, where each was linked from, the ids of each page."""

    status: dict[str, int] = field(default_factory=dict)
    referrer: dict[str, str] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  #: (page, fragment, linked from)


async def crawl(origin: str, start: str = "/", limit: int = MAX_URLS) -> Crawl:
    """Breadth-first from ``start``, at most ``limit`` URLs, ``CONCURRENCY`` requests at a time."""
    found = Crawl()
    queue: deque[str] = deque([origin + start])
    seen = {origin + start}
    host = urlsplit(origin).netloc

    async def visit(client: httpx.AsyncClient, url: str) -> list[str]:
        async with client.stream("GET", url, headers=BROWSER) as r:
            found.status[url] = r.status_code
            if not r.headers.get("content-type", "").startswith("text/html") or r.status_code >= 400:
                return []  # a dump or RDF file: its status is what matters, its bytes are not read
            body = (await r.aread()).decode("utf-8", "replace")
        parser = _Links()
        parser.feed(body)
        found.ids[url] = parser.ids
        out = []
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if urlsplit(target).netloc != host:
                continue
            if fragment:
                found.fragments.append((target, fragment, url))
            out.append(target)
        return out

    async with httpx.AsyncClient(timeout=60, follow_redirects=False) as client:
        while queue and len(found.status) < limit:
            batch = [queue.popleft() for _ in range(min(CONCURRENCY, len(queue), limit - len(found.status)))]
            for url, links in zip(batch, await asyncio.gather(*(visit(client, u) for u in batch)), strict=True):
                for link in links:
                    if link not in seen:
                        seen.add(link)
                        found.referrer[link] = url
                        queue.append(link)
    return found


@pytest.fixture(scope="module")
def crawled(server: Server) -> Crawl:
    return asyncio.run(crawl(server.url))


def _missing(found: Crawl, pages: str = "") -> list[tuple[str, str, str]]:
    """Links ``page#fragment`` (to pages under ``pages``) whose page has no element with that id."""
    return sorted({(page, fragment, source) for page, fragment, source in found.fragments
                   if page in found.ids and fragment not in found.ids[page]
                   and urlsplit(page).path.startswith(pages)})


def test_every_link_reachable_from_the_home_page_resolves(server: Server, crawled: Crawl) -> None:
    assert len(crawled.status) > 50, "the crawl reached the site's pages"
    for must in ("/ns", "/shapes", "/catalog", "/dumps", "/id/framework", "/context.jsonld"):
        assert server.url + must in crawled.status, f"{must} is linked from the site"
    broken = {url: code for url, code in crawled.status.items() if code >= 400}
    assert not broken, "\n".join(
        f"{code} {url} (linked from {crawled.referrer.get(url, '-')})" for url, code in sorted(broken.items())
    )


@pytest.mark.parametrize("pages", ["/ns", "/shapes", "/catalog"])
def test_links_into_the_vocabulary_and_shapes_land_on_their_term(crawled: Crawl, pages: str) -> None:
    missing = _missing(crawled, pages)
    assert not missing, "\n".join(f"no #{f} on {p} (linked from {s})" for p, f, s in missing[:50])


def test_every_fragment_lands_on_an_anchor(crawled: Crawl) -> None:
    missing = _missing(crawled)
    assert not missing, "\n".join(f"no #{f} on {p} (linked from {s})" for p, f, s in missing[:50])
