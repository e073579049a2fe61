"""``kg push``: load the current release into a remote store through the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import json

import typer

from kg.settings import Settings

__all__ = ["register"]


def _credentials(auth: str | None) -> tuple[str, str] | None:
    if auth is None:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user:
        raise typer.BadParameter("expected USER:PASSWORD（USER:PASSWORD の形で指定してください）", param_hint="--auth")
    return user, password


def _count(n: int | None) -> str:
    return "-" if n is None else str(n)


def push_command(
    endpoint: str = typer.Option(..., "--endpoint", metavar="URL",
                                 help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth"),
    query_endpoint: str | None = typer.Option(
        None, "--query-endpoint", metavar="URL",
        help="SPARQL query endpoint of the same store (e.g. …/sparql): one query counts every graph before "
             "and after, lists stale graphs and checks the push. Without it each graph is counted by a GET."),
    auth: str | None = typer.Option(None, "--auth", metavar="USER:PASSWORD", envvar="KG_PUSH_AUTH",
                                    help="Credentials (or set KG_PUSH_AUTH, which keeps them out of `ps`)."),
    auth_scheme: str = typer.Option("auto", "--auth-scheme",
                                    help="auto (answer the server's challenge), basic or digest."),
    graph_prefix: str | None = typer.Option(
        None, "--graph-prefix", metavar="IRI",
        help="Remote graphs under this IRI belong to the dataset (default: BASE_IRI + 'graph/'); only "
             "they are listed as stale and, with --prune, deleted."),
    prune: bool = typer.Option(False, "--prune",
                               help="Delete remote graphs under the prefix that the release lacks."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count and report, but write nothing."),
    chunk_bytes: int = typer.Option(4 * 1024 * 1024, "--chunk-bytes", min=1024,
                                    help="Largest request body; a bigger graph goes as a PUT, then POSTs."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Replace each named graph of the current release on a remote store (idempotent: one PUT per graph).

    Reports, per graph, how many triples the remote held before and how many were sent.
    """
    from kg.release.build import ensure_built
    from kg.store.push import Endpoint, GraphChange, push_release

    if auth_scheme not in ("auto", "basic", "digest"):
        raise typer.BadParameter("expected auto, basic or digest（auto、basic、digest のいずれかを指定してください）",
                                 param_hint="--auth-scheme")
    if output not in ("text", "json"):
        raise typer.BadParameter("expected text or json（text または json を指定してください）", param_hint="--format")
    settings = Settings()
    release = ensure_built(settings)
    target = Endpoint(endpoint, query_endpoint, _credentials(auth), auth_scheme)  # type: ignore[arg-type]
    prefix = graph_prefix or str(settings.ids.graph(""))
    text = output == "text"
    if text:
        verb = "would push" if dry_run else "pushing"
        typer.echo(f"{verb} release {release.version} to {endpoint}")

    def progress(c: GraphChange) -> None:
        if text:
            typer.echo(f"  {c.action:7} {c.graph}  {_count(c.before)} → {c.sent} triples"
                       + (f" ({c.requests} requests)" if c.requests > 1 else ""))

    report = push_release(release, target, graph_prefix=prefix, prune=prune, dry_run=dry_run,
                          chunk_bytes=chunk_bytes, progress=progress)
    if not text:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    replaced = sum(1 for c in report.changes if c.action == "replace")
    sent = sum(c.sent for c in report.changes)
    typer.echo(f"{len(report.changes) - replaced} created, {replaced} replaced, {sent} triples"
               + (" (dry run: nothing written)" if dry_run else "")
               + ("; remote counts match" if any(c.after is not None for c in report.changes) else ""))
    if report.stale is None:
        typer.echo("stale graphs: not checked (give --query-endpoint to list them)")
    elif report.stale:
        state = "deleted" if report.pruned else ("would be kept" if dry_run else "kept; --prune deletes them")
        typer.echo(f"{len(report.stale)} remote graph(s) under {prefix} are not in this release ({state}):")
        for g, n in report.stale.items():
            typer.echo(f"  {g}  {n} triples")


def register(app: typer.Typer) -> None:
    app.command("push")(push_command)
