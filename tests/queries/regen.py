"""Regenerate the expected answers of the query library, deliberately.

    python -m tests.queries.regen            # every query
    python -m tests.queries.regen 002 017    # only these numbers

Writes ``queries/expected/NNN_slug.srj`` (or ``.ttl``) from pyoxigraph on the fixture dataset,
rewrites the generated table in ``docs/queries.md``, and says which files changed. Then read
the diff (``git diff queries/expected``) against the source texts: an expected file is what the
answer *must* be, not whatever came out.
"""

from __future__ import annotations

import sys

from kg.querylib import load_queries

from .dataset import QUERIES_DIR, fixture_graphs, fixture_settings, oxigraph_store, with_statistics
from .docs import DOCS_PATH, updated_docs
from .results import expected_path, run_oxigraph


def main(argv: list[str]) -> int:
    """Write the expected files of the queries numbered in ``argv`` (all when empty)."""
    docs = load_queries(QUERIES_DIR)
    wanted = set(argv)
    unknown = wanted - {d.number for d in docs}
    if unknown:
        print(f"no query numbered {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    store = oxigraph_store(with_statistics(fixture_graphs(fixture_settings()), fixture_settings()))
    for doc in docs:
        if wanted and doc.number not in wanted:
            continue
        path = expected_path(doc)
        body = run_oxigraph(store, doc)
        old = path.read_bytes() if path.exists() else None
        if old != body:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            print(f"{'wrote' if old is None else 'changed'} {path.relative_to(QUERIES_DIR.parent)}")
    text = updated_docs(DOCS_PATH.read_text(encoding="utf-8"), docs)
    if text != DOCS_PATH.read_text(encoding="utf-8"):
        DOCS_PATH.write_text(text, encoding="utf-8")
        print(f"changed {DOCS_PATH.relative_to(QUERIES_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
