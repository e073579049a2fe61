"""``kg query``: run one SPARQL query on the local store and print the result."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import InputError
from kg.settings import Settings

__all__ = ["OutputFormat", "query", "register"]


class OutputFormat(StrEnum):
    """How ``kg query`` prints a result."""

    table = "table"
    csv = "csv"
    json = "json"


def _table(doc: dict[str, object]) -> str:
    """SPARQL JSON results as an aligned text table (IRIs in full, literals as printed)."""
    head = doc["head"]
    assert isinstance(head, dict)
    names: list[str] = list(head.get("vars", []))
    results = doc["results"]
    assert isinstance(results, dict)
    rows = [[b.get(n, {}).get("value", "") for n in names] for b in results["bindings"]]
    widths = [max([_width(n) + 1] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(_pad("?" + n, w) for n, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v.replace("\n", "⏎"), w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _width(text: str) -> int:
    from kg.compare.textdiff import display_width  # the one count of terminal columns (wide characters take two)

    return display_width(text.replace("\n", "⏎"))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def query(
    text: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Read the query from a file.", exists=True, dir_okay=False),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")] = OutputFormat.table,
    store: Annotated[
        Path | None, typer.Option(help="Release or store to query (default build/current).")
    ] = None,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service",
        help="Let SERVICE clauses query the remote endpoints they name; by default nothing is fetched and "
             "such a query is refused, as the endpoint refuses it.")] = False,
) -> None:
    """Run a read-only query on the local store (the same checks and limits as the endpoint).

    Nothing is fetched from the network unless asked (``--allow-service``); a ``FROM`` graph must be
    one of the release's graphs, as on the endpoint."""
    from kg.store import Release, by_alias, check_query, execute, open_read_only

    if (text is None) == (file is None):
        raise InputError("give a query or --file, not both and not neither",
                         ja="問合せ（QUERY）か --file のどちらか一方を指定してください。")
    source = file.read_text(encoding="utf-8-sig") if file is not None else str(text)
    settings = Settings()
    if store is None:
        from kg.release.build import ensure_built

        store = ensure_built(settings).path
    release = Release.open(store)
    checked = check_query(source, release.graphs or None, allow_service=allow_service,
                          how_to_allow="kg query --allow-service lets it query the endpoint it names")
    # A graph (CONSTRUCT/DESCRIBE) has no table: it prints as Turtle; json/csv name result formats.
    wanted = ("turtle" if checked.kind.is_graph else "json") if fmt is OutputFormat.table else fmt.value
    out_fmt = by_alias(checked.kind, wanted) or by_alias(checked.kind, "turtle")
    assert out_fmt is not None
    result = execute(open_read_only(release.store_path), checked, out_fmt, limit=settings.result_limit)
    if fmt is OutputFormat.table and not checked.kind.is_graph:
        doc = json.loads(result.body)
        typer.echo(str(doc["boolean"]).lower() if "boolean" in doc else _table(doc))
    else:
        sys.stdout.buffer.write(result.body)
        sys.stdout.flush()
    if result.truncated:
        typer.echo(f"note: result cut at {result.limit} rows (KG_RESULT_LIMIT)", err=True)


def register(app: typer.Typer) -> None:
    """Add ``query`` to the ``kg`` command."""
    app.command("query")(query)
