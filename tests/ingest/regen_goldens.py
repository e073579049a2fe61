"""Rewrite the golden files tests/data/ingest/<case>.ttl from <case>.txt, deliberately.

Run ``.venv/bin/python tests/ingest/regen_goldens.py`` after a change that is meant to alter the
graphs, then read ``git diff tests/data/ingest`` by eye before committing: the goldens are the
review of what the ingester writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.errors import KgError
from kg.ingest import ingest_file
from kg.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def main() -> int:
    """Regenerate every golden whose text ingests; report (and skip) the negative cases."""
    settings = Settings()
    for text in sorted((*DATA.glob("*.txt"), *DATA.glob("*.html"))):
        try:
            result = ingest_file(text, settings)
        except KgError as e:
            print(f"skipped (does not ingest): {e}", file=sys.stderr)
            continue
        text.with_suffix(".ttl").write_text(result.graph.serialize(format="turtle"), encoding="utf-8")
        print(f"wrote {text.with_suffix('.ttl').name}: {len(result.graph)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
