"""``kg.store.push`` against a real Virtuoso: idempotent replacement, counts, stale graphs, chunks, errors."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.release.build import Release
from kg.store.push import push, push_release, remote_counts

from .conftest import Pushes, Virtuoso
from .results import from_triples

pytestmark = pytest.mark.virtuoso


def _graphs(release: Release) -> dict[str, int]:
    """Every named graph of the release's store with its triple count: what a push must send."""
    store = ox.Store.read_only(str(release.store_path))
    graphs = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g))
              for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert graphs, "the release's store has no named graph"
    return graphs


def test_release_under_test_holds_agreements_and_reference_graphs(release: Release,
                                                                    graph_prefix: str) -> None:
    names = set(_graphs(release))
    assert any(n.startswith(graph_prefix + "agreement/") for n in names), names
    assert graph_prefix + "municipalities" in names


def test_every_graph_the_manifest_counts_is_pushed_with_that_count(release: Release, pushed: Pushes) -> None:
    manifest = release.manifest.graphs
    assert isinstance(manifest, dict)
    sent = {c.graph: c.sent for c in pushed.first.changes}
    assert {g: sent.get(g) for g in manifest} == manifest


def test_first_push_creates_every_graph_of_the_release(pushed: Pushes, release: Release) -> None:
    changes = {c.graph: c for c in pushed.first.changes}
    assert set(changes) == set(_graphs(release))
    for graph, n in _graphs(release).items():
        c = changes[graph]
        assert (c.action, c.before, c.sent, c.after) == ("create", None, n, n), graph


def test_second_push_replaces_each_graph_and_reports_the_old_count(pushed: Pushes, release: Release) -> None:
    for c in pushed.second.changes:
        n = _graphs(release)[c.graph]
        assert (c.action, c.before, c.sent, c.after) == ("replace", n, n, n), c.graph


def test_remote_holds_exactly_the_release_graph_by_graph(pushed: Pushes, release: Release,
                                                          virtuoso: Virtuoso) -> None:
    store = ox.Store.read_only(str(release.store_path))
    for graph in _graphs(release):
        r = httpx.get(virtuoso.gsp_anonymous, params={"graph": graph},
                      headers={"Accept": "application/n-triples"}, timeout=60)
        r.raise_for_status()
        remote = from_triples(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
        local = from_triples(q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        assert remote.rows is not None and local.rows is not None
        assert remote == local, f"<{graph}> differs: only remote {remote.rows - local.rows}, " \
                                f"only local {local.rows - remote.rows}"


def _put(virtuoso: Virtuoso, graph: str, body: bytes) -> None:
    with httpx.Client(auth=httpx.DigestAuth(virtuoso.user, virtuoso.password), timeout=60) as client:
        client.put(virtuoso.gsp, params={"graph": graph}, content=body,
                   headers={"Content-Type": "application/n-triples"}).raise_for_status()


def test_stale_graphs_are_listed_kept_then_deleted_only_with_prune(
        pushed: Pushes, release: Release, virtuoso: Virtuoso, graph_prefix: str) -> None:
    # A prefix of its own, so that the test pushes one small graph instead of the whole release.
    prefix = f"{graph_prefix}test/run-{uuid.uuid4().hex}/"
    stale, outside = prefix + "stale", f"urn:renkei-kg-test:outside-{uuid.uuid4().hex}"
    for graph in (stale, outside):
        _put(virtuoso, graph, b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n")
    law = [graph_prefix + "law"]
    try:
        kept = push(release.store_path, law, virtuoso.endpoint(), version="t", graph_prefix=prefix)
        assert kept.stale == {stale: 2} and not kept.pruned
        assert stale in remote_counts(virtuoso.endpoint(), prefix)
        pruned = push(release.store_path, law, virtuoso.endpoint(), version="t", graph_prefix=prefix,
                      prune=True)
        assert pruned.stale == {stale: 2} and pruned.pruned
        assert remote_counts(virtuoso.endpoint(), prefix) == {}
        # A graph outside the prefix is not the dataset's: never listed, never deleted.
        assert remote_counts(virtuoso.endpoint(), outside) == {outside: 2}
    finally:
        with httpx.Client(auth=httpx.DigestAuth(virtuoso.user, virtuoso.password), timeout=60) as client:
            for graph in (stale, outside):
                client.delete(virtuoso.gsp, params={"graph": graph})


def test_dry_run_reports_a_missing_graph_and_writes_nothing(
        pushed: Pushes, release: Release, virtuoso: Virtuoso, graph_prefix: str) -> None:
    victim = graph_prefix + "law"
    with httpx.Client(auth=httpx.DigestAuth(virtuoso.user, virtuoso.password), timeout=60) as client:
        client.delete(virtuoso.gsp, params={"graph": victim}).raise_for_status()
    try:
        report = push_release(release, virtuoso.endpoint(), graph_prefix=graph_prefix, dry_run=True)
        change = next(c for c in report.changes if c.graph == victim)
        assert (change.action, change.before, change.after) == ("create", None, None)
        assert victim not in remote_counts(virtuoso.endpoint(), graph_prefix)
    finally:
        push(release.store_path, [victim], virtuoso.endpoint(), version=release.version, graph_prefix=victim)


def test_graph_larger_than_one_request_arrives_whole(pushed: Pushes, release: Release, virtuoso: Virtuoso,
                                                     graph_prefix: str) -> None:
    big = graph_prefix + "municipalities"
    report = push(release.store_path, [big], virtuoso.endpoint(), version=release.version, graph_prefix=big,
                  chunk_bytes=256 * 1024)
    (change,) = report.changes
    assert change.requests > 3
    assert change.after == change.sent == _graphs(release)[big]


def test_blank_nodes_keep_their_links_when_a_graph_is_chunked(tmp_path: Path, virtuoso: Virtuoso,
                                                              graph_prefix: str) -> None:
    graph = ox.NamedNode(f"{graph_prefix}test/bnodes-{uuid.uuid4().hex}")
    store = ox.Store(str(tmp_path / "store"))
    p, q = ox.NamedNode("urn:p"), ox.NamedNode("urn:q")
    for i in range(50):  # 50 subjects, each pointing at its own blank node, which carries a value
        node = ox.BlankNode()
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), p, node, graph))
        store.add(ox.Quad(node, q, ox.Literal(str(i)), graph))
    for i in range(3000):
        store.add(ox.Quad(ox.NamedNode(f"urn:g{i}"), p, ox.Literal("郡山市" * 5, language="ja"), graph))
    store.flush()
    del store
    try:
        report = push(tmp_path / "store", [graph.value], virtuoso.endpoint(), version="test",
                      graph_prefix=graph.value, chunk_bytes=16 * 1024)
        assert report.changes[0].requests > 5 and report.changes[0].after == 3100
        query = (f"SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE {{ GRAPH <{graph.value}> "
                 "{ ?s <urn:p> ?b . ?b <urn:q> ?v } }")
        joined = httpx.post(virtuoso.query, headers={"Accept": "application/sparql-results+json"}, timeout=60,
                            data={"query": query}).json()
        assert joined["results"]["bindings"][0]["n"]["value"] == "50"
    finally:
        with httpx.Client(auth=httpx.DigestAuth(virtuoso.user, virtuoso.password), timeout=60) as client:
            client.delete(virtuoso.gsp, params={"graph": graph.value})


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param({"auth": ("kg_push", "not-the-password")}, "HTTP 401", id="wrong-password"),
    pytest.param({"auth": None}, "HTTP 403", id="no-credentials"),  # the anonymous user may not write
    pytest.param({"gsp": "http://127.0.0.1:{port}/no-such-store"}, "HTTP 501", id="wrong-path"),
])
def test_refused_write_names_status_url_and_graph(changes: dict[str, object], expected: str, release: Release,
                                                  virtuoso: Virtuoso, graph_prefix: str) -> None:
    port = virtuoso.base.rsplit(":", 1)[1]
    changes = {k: v.format(port=port) if isinstance(v, str) else v for k, v in changes.items()}
    if changes.get("auth", ...) is None:
        changes["gsp"] = virtuoso.gsp_anonymous
    endpoint = virtuoso.endpoint(**changes)
    graph = graph_prefix + "law"
    with pytest.raises(StoreError) as caught:
        push(release.store_path, [graph], endpoint, version="test", graph_prefix=graph)
    message = str(caught.value)
    assert expected in message and endpoint.gsp in message and f"<{graph}>" in message, message


def test_unknown_query_endpoint_is_a_store_error_naming_it(virtuoso: Virtuoso, graph_prefix: str) -> None:
    endpoint = virtuoso.endpoint(query=f"{virtuoso.base}/no-such-sparql")
    with pytest.raises(StoreError, match="no-such-sparql"):
        remote_counts(endpoint, graph_prefix)
