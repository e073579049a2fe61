"""Load a release into a private Virtuoso with its bulk loader, so the query benchmark can compare engines.

``load`` starts a Virtuoso instance of its own (scripts/virtuoso.sh with its own directory and ports,
never the project's default instance), dumps the release's pyoxigraph store as N-Quads into a folder
the instance may read (its ``DirsAllowed``), and loads it with Virtuoso's bulk loader
(``ld_dir`` / ``rdf_loader_run`` through isql as dba), after emptying the instance's RDF store
(``RDF_GLOBAL_RESET``) so that it holds this release alone. It then counts the quads of every
graph the release has, on both stores, and fails if they differ. A release already loaded (same
folder, same manifest version and quads) is not loaded again. The time of each step goes to
bench/engines.json; the query figures themselves come from bench/query_bench.py::

    .venv/bin/python bench/engines.py load --release bench/.cache/build-s0-n4000/current
    .venv/bin/python bench/query_bench.py --sizes 4000 --release bench/.cache/build-s0-n4000/current \\
        --engines oxigraph rewrite kg kg-virtuoso --virtuoso http://127.0.0.1:8896/sparql --only 0
    .venv/bin/python bench/engines.py stop

``status`` prints the instance's endpoint and what it holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "engines.json"
SCRIPT = ROOT / "scripts" / "virtuoso.sh"
DEFAULT_DIR = Path("/var/tmp/kg-bench-virtuoso")
HTTP_PORT = 8896
SQL_PORT = 1116


class Instance:
    """One private Virtuoso: its folder (database, ini, credentials, load folder) and its two ports."""

    def __init__(self, folder: Path, http_port: int, sql_port: int) -> None:
        self.folder = folder.resolve()
        self.http_port = http_port
        self.sql_port = sql_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def marker(self) -> Path:
        """What the instance holds: the release folder, its version and quads (written after a load)."""
        return self.folder / "loaded.json"

    def script(self, command: str) -> int:
        """scripts/virtuoso.sh ``command`` on this instance (its own folder and ports); its exit status
        (``status`` exits 3 when the instance does not answer; ``start`` and ``stop`` fail loudly)."""
        env = {**os.environ, "KG_VIRTUOSO_DIR": str(self.folder), "KG_VIRTUOSO_HTTP_PORT": str(self.http_port),
               "KG_VIRTUOSO_SQL_PORT": str(self.sql_port)}
        return subprocess.run(["bash", str(SCRIPT), command], env=env, check=command != "status").returncode

    def isql(self, statements: str) -> str:
        """Run SQL as dba; what isql printed (it exits 0 even when a statement fails, so this reads it)."""
        credentials = (self.folder / "credentials").read_text(encoding="utf-8")
        password = next(line.split(":", 1)[1] for line in credentials.splitlines() if line.startswith("dba:"))
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
             "ERRORS=STDOUT"], input=statements, capture_output=True, text=True, check=True)
        if re.search(r"^\*\*\* Error", done.stdout, re.MULTILINE) or "SQLState" in done.stdout:
            raise SystemExit(f"isql failed on the instance in {self.folder}:\n{done.stdout}")
        return done.stdout


def _manifest(release: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    return {"release": str(release), "version": data.get("version"), "manifest_quads": data.get("quads"),
            "agreements": len(data.get("agreements") or ())}


def _store_counts(release: Path) -> dict[str, int]:
    """Quads per named graph of the release's store (the default graph is empty in a release)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(release / "store"))
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def _virtuoso_counts(instance: Instance, graphs: set[str]) -> dict[str, int]:
    """Quads per graph on Virtuoso, for the graphs the release has (Virtuoso keeps graphs of its own)."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(instance.url)
    client.setQuery("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    client.setReturnFormat(JSON)
    doc: Any = client.queryAndConvert()
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}
    return {g: n for g, n in counts.items() if g in graphs}


def load(instance: Instance, release: Path, *, label: str | None = None, force: bool = False) -> dict[str, Any]:
    """Start the instance and make it hold ``release`` alone; the seconds each step took, kept in
    bench/engines.json under ``label`` (default: the release's number of agreements)."""
    release = release.resolve()
    instance.script("start")
    wanted = _manifest(release)
    if not force and instance.marker.is_file():
        held = json.loads(instance.marker.read_text(encoding="utf-8"))
        if {k: held.get(k) for k in wanted} == wanted:
            print(f"engines.py: {instance.url} already holds {release}", file=sys.stderr)
            return _keep({**held, "reused": True}, label)
    instance.marker.unlink(missing_ok=True)
    folder = instance.folder / "load"  # inside the instance's folder: its DirsAllowed (scripts/virtuoso.sh)
    folder.mkdir(exist_ok=True)
    dump = folder / "dataset.nq"
    import pyoxigraph as ox

    started = time.perf_counter()
    ox.Store.read_only(str(release / "store")).dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    dump_seconds = time.perf_counter() - started
    started = time.perf_counter()
    try:
        # RDF_GLOBAL_RESET empties every graph of this private instance; LOAD_LIST forgets earlier loads.
        instance.isql(f"RDF_GLOBAL_RESET ();\nDELETE FROM DB.DBA.LOAD_LIST;\n"
                      f"ld_dir ('{folder}', 'dataset.nq', 'urn:x-renkei-kg:bench-default');\n"
                      "rdf_loader_run ();\ncheckpoint;\n")
        failed = instance.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
    finally:
        dump.unlink(missing_ok=True)
    load_seconds = time.perf_counter() - started
    if "dataset.nq" in failed:
        raise SystemExit(f"Virtuoso's bulk loader refused {dump}:\n{failed}")
    ours = _store_counts(release)
    theirs = _virtuoso_counts(instance, set(ours))
    if theirs != ours:
        differ = sorted(g for g in ours.keys() | theirs.keys() if ours.get(g) != theirs.get(g))
        raise SystemExit(f"Virtuoso holds other quads than the release in {len(differ)} graphs, e.g. "
                         + ", ".join(f"{g}: {ours.get(g)} vs {theirs.get(g)}" for g in differ[:3]))
    record = {**wanted, "quads": sum(ours.values()), "graphs": len(ours), "dump_seconds": dump_seconds,
              "load_seconds": load_seconds, "url": instance.url, "date": time.strftime("%Y-%m-%d %H:%M %Z"),
              "load": os.getloadavg()[0], "nproc": os.cpu_count()}
    instance.marker.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    _keep(record, label)
    print(f"engines.py: {record['quads']:,} quads in {len(ours)} graphs dumped in {dump_seconds:.0f} s, "
          f"bulk-loaded into Virtuoso in {load_seconds:.0f} s; same count per graph on both", file=sys.stderr)
    return record


def _keep(record: dict[str, Any], label: str | None) -> dict[str, Any]:
    """Write ``record`` into bench/engines.json under ``label`` (default: its number of agreements)."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results[label or str(record["agreements"])] = record
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return record


def main(argv: list[str] | None = None) -> int:
    """``load``, ``status`` or ``stop``; ``load`` prints the endpoint URL on stdout, ``status`` exits 3
    when the instance does not answer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["load", "status", "stop"])
    parser.add_argument("--release", type=Path, help="the release folder to load (load)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the instance's folder")
    parser.add_argument("--http-port", type=int, default=HTTP_PORT)
    parser.add_argument("--sql-port", type=int, default=SQL_PORT)
    parser.add_argument("--label", help="key of the figures in bench/engines.json (default: agreements)")
    parser.add_argument("--force", action="store_true", help="load again even if the instance holds the release")
    args = parser.parse_args(argv)
    instance = Instance(args.dir, args.http_port, args.sql_port)
    if args.command == "load":
        if args.release is None:
            parser.error("load needs --release")
        load(instance, args.release, label=args.label, force=args.force)
        print(instance.url)
    elif args.command == "stop":
        instance.script("stop")
    else:
        code = instance.script("status")
        if code == 0 and instance.marker.is_file():
            print(instance.marker.read_text(encoding="utf-8"), end="")
        return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
