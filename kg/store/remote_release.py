"""Which release a remote store holds, read from its ``graph/catalog`` (written by kg.release.catalogue).

The catalogue's dataset carries ``dcat:version`` (the release's version) and ``dct:modified``
(when it was built), and one ``void:subset`` per named graph with its ``sd:name`` and
``void:triples``: everything the embedded server reads from ``manifest.json`` and its store. So the
same release answers with the same ``ETag`` and ``Last-Modified`` from either store. A remote
without a catalogue (loaded by other means) is described by its graphs under ``BASE/graph/``:
its version is a digest of their names and sizes, its date the moment it was read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kg.errors import NotOnRemote, RemoteStoreError
from kg.settings import Settings

__all__ = [ "RemoteRelease", "read_release"]

log = logging.getLogger(__name__)

Rows = Callable[[str], list[dict[str, str]]]

_CATALOG = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
SELECT ?version ?modified ?graph ?triples ?download ?own WHERE {{
  {{ GRAPH <{catalog}> {{ <{dataset}> dcat:version ?version }} }}
  UNION {{ GRAPH <{catalog}> {{ <{dataset}> dct:modified ?modified }} }}
  UNION {{ GRAPH <{catalog}> {{ <{dataset}> void:subset ?s . ?s sd:name ?graph ; void:triples ?triples }} }}
  UNION {{ GRAPH <{catalog}> {{ <{dataset}> dcat:distribution ?d . ?d dcat:downloadURL ?download }} }}
  UNION {{ SELECT (COUNT(*) AS ?own) {{ GRAPH <{catalog}> {{ ?s ?p ?o }} }} }}
}}"""
_LISTING = """SELECT ?graph (COUNT(*) AS ?triples) WHERE {{
  GRAPH ?graph {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?graph), {prefix}))
}} GROUP BY ?graph"""



@dataclass(frozen=True)
class RemoteRelease:
    """The release a remote store holds: version, date, named graphs with sizes, where its dumps are."""

    endpoint: str
    version: str
    created: datetime
    graphs: dict[str, int] = field(hash=False)
    downloads: tuple[str, ...] = ()
    catalogued: bool = True

    @property
    def dumps_path(self) -> Path:
        """Never a folder here: the dumps stay where ``kg build`` wrote them (see :meth:`where_dumps_are`)."""
        raise NotOnRemote(self.where_dumps_are())

    @property
    def store_path(self) -> Path:
        """Never a folder here: the store is the remote endpoint."""
        raise NotOnRemote(f"the store is the remote endpoint {self.endpoint}, not a directory")

    def where_dumps_are(self, name: str | None = None) -> str:
        """Say that this server keeps no dumps, and where the release's catalogue says they are."""
        urls = [u for u in self.downloads if name is None or u.rsplit("/", 1)[-1] == name]
        listed = (
            "the release's catalogue (/catalog, dcat:downloadURL) puts "
            + ("it at " if name else "them at ")
            + ", ".join(urls[:4])
            + (" …" if len(urls) > 4 else "")
            if urls
            else "the release's catalogue lists no such dump"
        )
        return (
            f"this server answers from the remote store {self.endpoint} and serves no dump files; {listed}. "
            f"They are the files `kg build` wrote in build/releases/{self.version}/dumps/ on the host that "
            "ran `kg push` (docs/deploy.md, 'Serving from a remote store')"
        )


def _literal(text: str) -> str:
    """A SPARQL string literal (JSON's escapes are a subset of SPARQL 1.1 Query §19.7's)."""
    return json.dumps(text, ensure_ascii=False)


def _when(lexical: str | None) -> datetime | None:
    """An ``xsd:dateTime`` or ``xsd:date`` as an aware UTC datetime (HTTP dates are GMT, RFC 9110 §5.6.7)."""
    if not lexical:
        return None
    try:
        stamp = datetime.fromisoformat(lexical.strip())
    except ValueError:
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)


def _digest(graphs: dict[str, int]) -> str:
    return "remote-" + hashlib.sha256(repr(sorted(graphs.items())).encode()).hexdigest()[:16]


def read_release(rows: Rows, endpoint: str, settings: Settings) -> RemoteRelease:
    """Read the remote's catalogue (one query), or describe its graphs when it has none."""
    ids = settings.ids
    catalog = str(ids.graph("catalog"))
    found = rows(_CATALOG.format(catalog=catalog, dataset=str(ids.id("dataset"))))
    version = next((r["version"] for r in found if "version" in r), None)
    created = next((_when(r["modified"]) for r in found if "modified" in r), None)
    graphs = {r["graph"]: int(r["triples"]) for r in found if "graph" in r and r["triples"].isdigit()}
    own = next((int(r["own"]) for r in found if r.get("own", "").isdigit()), 0)
    if own:
        graphs[catalog] = own
        downloads = tuple(sorted({r["download"] for r in found if "download" in r}))
        if version is None or created is None:
            log.warning("the catalogue <%s> on %s has no dcat:version or dct:modified", catalog, endpoint)
        return RemoteRelease(
            endpoint,
            version or _digest(graphs),
            created or datetime.now(UTC).replace(microsecond=0),
            graphs,
            downloads,
        )
    prefix = str(ids.graph(""))
    listed = rows(_LISTING.format(prefix=_literal(prefix)))
    graphs = {r["graph"]: int(r["triples"]) for r in listed if r.get("triples", "").isdigit()}
    if not graphs:
        raise RemoteStoreError(
            f"the remote store holds no graph under <{prefix}>: push a release first "
            "(kg push --endpoint GSP_URL --query-endpoint SPARQL_URL)",
            where=endpoint,
        )
    log.warning("no catalogue <%s> on %s: the version is a digest of its %d graphs", catalog, endpoint, len(graphs))
    return RemoteRelease(endpoint, _digest(graphs), datetime.now(UTC).replace(microsecond=0), graphs, catalogued=False)
