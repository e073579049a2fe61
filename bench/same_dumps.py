"""Whether two releases hold the same graphs: their ``dumps/dataset.nq`` compared named graph by named graph.

A change meant to make a build faster must not change what it publishes. This reads the N-Quads dump
of two releases (or two ``dataset.nq`` files), groups the quads by graph, and compares each graph:
as sets of statements when it has no blank node, by isomorphism (``rdflib.compare``) when it has.
It prints the graphs only one side has and those that differ, and exits 1 if there are any.

    KG_DATA_DIR=bench/.cache/corpus-s0-n400 KG_BUILD_DIR=/tmp/b-before kg build   # with the old code
    KG_DATA_DIR=bench/.cache/corpus-s0-n400 KG_BUILD_DIR=/tmp/b-after kg build
    .venv/bin/python bench/same_dumps.py /tmp/b-before/current /tmp/b-after/current
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic


def graphs(path: Path) -> dict[str, list[ox.Triple]]:
    """The triples of each graph of a release (or N-Quads file), by graph name ("" the default)."""
    nq = path / "dumps" / "dataset.nq" if path.is_dir() else path
    out: dict[str, list[ox.Triple]] = defaultdict(list)
    with nq.open("rb") as f:
        for q in ox.parse(f, format=ox.RdfFormat.N_QUADS):
            out[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""].append(q.triple)
    return out


def same(a: list[ox.Triple], b: list[ox.Triple]) -> bool:
    """Whether two graphs are the same: equal sets without blank nodes, isomorphic with them."""
    def blank(t: ox.Triple) -> bool:
        return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)

    if not any(blank(t) for t in (*a, *b)):
        return set(a) == set(b)

    def rdflib_graph(triples: list[ox.Triple]) -> Graph:
        return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")

    return isomorphic(rdflib_graph(a), rdflib_graph(b))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="a release folder or a dataset.nq")
    parser.add_argument("after", type=Path, help="a release folder or a dataset.nq")
    args = parser.parse_args(argv)
    before, after = graphs(args.before), graphs(args.after)
    only = sorted(set(before) ^ set(after))
    differ = sorted(g for g in set(before) & set(after) if not same(before[g], after[g]))
    for g in only:
        print(f"only in {'before' if g in before else 'after'}: {g or '(default graph)'}")
    for g in differ:
        print(f"differs: {g or '(default graph)'} ({len(before[g])} and {len(after[g])} quads)")
    quads = sum(len(t) for t in before.values())
    print(f"{len(before)} and {len(after)} graphs, {quads} and {sum(len(t) for t in after.values())} quads; "
          f"{len(set(before) & set(after)) - len(differ)} the same, {len(differ)} differ, {len(only)} on one side")
    return 1 if only or differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
