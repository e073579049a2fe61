"""Japanese full-text search: index time, size, query latency and relevance of four ways to index.

The texts are what kg.search indexes (kg.search.index.printed_texts: every printed literal of the
agreements and amendments) of a release built by bench/build_bench.py (built here if missing), and of
the query tests' fixture dataset for relevance. Each method indexes the same rows:

    fts5-bigram     SQLite FTS5 (stdlib sqlite3), the text's character bigrams pre-split by
                    kg.search.text (unicode61 tokenizer); a term is a phrase of its bigrams. What
                    kg.search ships (kg.search.index), ranks by BM25 weighted by property.
    fts5-trigram    SQLite FTS5's own trigram tokenizer on the folded text; a term of 3+ characters is a
                    MATCH, a shorter one (most Japanese words: 観光, 医療) a scan of the texts (instr):
                    FTS5's trigram index cannot answer fewer than 3 characters, and in SQLite 3.40 its
                    LIKE '%観光%' silently finds nothing
    fts5-sudachi    SQLite FTS5 over SudachiPy morphemes (sudachidict-core, split mode A: the shortest
                    units), pre-split; a term is a phrase of its morphemes
    tantivy-bigram  tantivy (Rust, pip ``tantivy``) with its n-gram tokenizer (2–2) on the folded text

Figures: index seconds and bytes; per query the median of ``--runs`` timed searches (top 20 subjects,
each subject once, the best first; fts5-bigram also cuts the snippets, as the search page does) after
one untimed run; relevance on the judged set of tests/search/judged.json (mean nDCG@10 and
precision@5 over initiatives and articles) and, at the benchmark size, recall and precision against
an exact substring scan of the same texts (the hits a method must find and the hits it must not).

    .venv/bin/python bench/search_bench.py                # 4,000 agreements, every method
    .venv/bin/python bench/search_bench.py --size 400 --methods fts5-bigram fts5-trigram
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from query_bench import _release  # noqa: E402  (the release bench/build_bench.py built, or built now)

from kg.search.index import SearchIndex, printed_texts, write_texts  # noqa: E402
from kg.search.text import fold, parse_query  # noqa: E402
from tests.search.judging import judged, ndcg, precision, units  # noqa: E402

RESULTS = ROOT / "bench" / "search_bench.json"
Row = tuple[str, str, str, str, str]  # graph, subject, property, language, text
#: Timed queries beyond the judged ones: one character, Latin, a long phrase, a word found nowhere.
EXTRA = ["災", "ict", "住民の暮らしの安全安心確保", "量子計算"]


class Method:
    """One way to index and search: ``build`` the rows into ``folder``, then ``search``."""

    name = ""

    def build(self, rows: list[Row], folder: Path) -> None:
        raise NotImplementedError

    def search(self, query: str, limit: int) -> list[str]:
        raise NotImplementedError


class Bigram(Method):
    name = "fts5-bigram"

    def build(self, rows: list[Row], folder: Path) -> None:
        write_texts(rows, folder / "index.sqlite")
        self.index = SearchIndex(folder / "index.sqlite")

    def search(self, query: str, limit: int) -> list[str]:
        hits = self.index.search(query, limit)
        for hit in hits:  # what the search page pays
            hit.snippet.html()
        return [h.subject for h in hits]


class _Fts5(Method):
    """An FTS5 table of each distinct text's tokens over some tokenizer, and the subjects printing each text
    (as kg.search.index stores them, so the methods differ only by their tokens); subclasses say how a
    text becomes tokens."""

    tokenizer = "unicode61 remove_diacritics 0"

    def tokens(self, text: str) -> str:
        raise NotImplementedError

    def build(self, rows: list[Row], folder: Path) -> None:
        self.db = sqlite3.connect(folder / "index.sqlite")
        self.db.execute(f"CREATE VIRTUAL TABLE t USING fts5(tokens, tokenize = '{self.tokenizer}')")
        self.db.execute("CREATE TABLE occurs (text INTEGER, subject TEXT, PRIMARY KEY (text, subject)) WITHOUT ROWID")
        ids: dict[str, int] = {}
        for r in rows:
            ids.setdefault(r[4], len(ids) + 1)
        self.db.executemany("INSERT INTO t (rowid, tokens) VALUES (?, ?)",
                            ((i, self.tokens(t)) for t, i in ids.items()))
        self.db.executemany("INSERT OR IGNORE INTO occurs VALUES (?, ?)", ((ids[r[4]], r[1]) for r in rows))
        self.db.execute("INSERT INTO t (t) VALUES ('optimize')")
        self.db.commit()

    def ranked(self, where: str, args: Iterable[Any], limit: int, rank: str = "bm25(t)") -> list[str]:
        """The first ``limit`` subjects of the texts matching ``where``, best-ranked text first."""
        found: dict[str, None] = {}  # in rank order
        sql = f"SELECT rowid FROM t WHERE {where} ORDER BY {rank}, rowid"
        for (text,) in self.db.execute(sql, tuple(args)).fetchall():
            for (subject,) in self.db.execute("SELECT subject FROM occurs WHERE text = ? LIMIT ?", (text, limit)):
                found.setdefault(subject)
            if len(found) >= limit:
                break
        return list(found)[:limit]


class Trigram(_Fts5):
    name = "fts5-trigram"
    tokenizer = "trigram"

    def tokens(self, text: str) -> str:
        return fold(text)

    def search(self, query: str, limit: int) -> list[str]:
        terms = parse_query(query)
        if not terms:
            return []
        long = [t for t in terms if len(t) >= 3]
        short = [t for t in terms if len(t) < 3]
        scans = " AND ".join("instr(tokens, ?) > 0" for _ in short)
        if long:
            where = "t MATCH ?" + (f" AND {scans}" if short else "")
            return self.ranked(where, [" AND ".join(f'"{t}"' for t in long), *short], limit)
        # No term FTS5 can answer: a scan, ranked by the text's length (shorter = more to the point).
        return self.ranked(scans, short, limit, rank="length(tokens)")


class Sudachi(_Fts5):
    name = "fts5-sudachi"

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self.tokenizer_ = Dictionary(dict="core").tokenizer(mode=SplitMode.A)

    def morphemes(self, text: str) -> list[str]:
        return [m for m in (fold(x.surface()) for x in self.tokenizer_.tokenize(text)) if m]

    def tokens(self, text: str) -> str:
        # Sudachi refuses inputs over 49,149 bytes; an article's text is far shorter, but cut anyway.
        return " ".join(m for chunk in _chunks(text, 10_000) for m in self.morphemes(chunk))

    def search(self, query: str, limit: int) -> list[str]:
        phrases = [" ".join(self.morphemes(word)) for word in query.split()]
        phrases = [p for p in phrases if p]
        if not phrases:
            return []
        return self.ranked("t MATCH ?", [" AND ".join(f'"{p}"' for p in phrases)], limit)


class Tantivy(Method):
    name = "tantivy-bigram"

    def build(self, rows: list[Row], folder: Path) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("text", stored=False, tokenizer_name="bigram")
        builder.add_text_field("subject", stored=True, tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(folder))
        self.index.register_tokenizer(
            "bigram", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(min_gram=2, max_gram=2)).build())
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        for r in rows:
            writer.add_document(tantivy.Document(text=fold(r[4]), subject=r[1]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: str, limit: int) -> list[str]:
        terms = parse_query(query)
        if not terms:
            return []
        parsed = self.index.parse_query(" AND ".join(f'"{t}"' for t in terms), ["text"])
        searcher = self.index.searcher()
        found: dict[str, None] = {}  # in rank order
        for _score, address in searcher.search(parsed, limit * 10).hits:
            found.setdefault(searcher.doc(address)["subject"][0])
            if len(found) == limit:
                break
        return list(found)


METHODS: dict[str, Callable[[], Method]] = {
    "fts5-bigram": Bigram, "fts5-trigram": Trigram, "fts5-sudachi": Sudachi, "tantivy-bigram": Tantivy}


def _chunks(text: str, size: int) -> Iterable[str]:
    return (text[i:i + size] for i in range(0, len(text), size)) if text else ()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _rows_of_release(release: Path) -> list[Row]:
    import pyoxigraph as ox

    return list(printed_texts(ox.Store.read_only(str(release / "store"))))


def _rows_of_fixture() -> list[Row]:
    from tests.queries.dataset import fixture_graphs, fixture_settings, oxigraph_store

    return list(printed_texts(oxigraph_store(fixture_graphs(fixture_settings()))))


def relevance(method: Method) -> dict[str, float]:
    """Mean nDCG@10 and precision@5 of ``method`` (already built on the fixture rows) on the judged set."""
    scores = [(ndcg(units(method.search(q, 50)), rel), precision(units(method.search(q, 50)), rel))
              for q, rel in judged()]
    return {"ndcg10": statistics.mean(s[0] for s in scores), "p5": statistics.mean(s[1] for s in scores)}


def truth(rows: list[Row], query: str) -> set[str]:
    """The subjects an exact search must find: a printed text holding every folded term."""
    terms = parse_query(query)
    return {r[1] for r in rows if terms and all(t in fold(r[4]) for t in terms)}


def main(argv: list[str] | None = None) -> int:
    """Measure, print a Markdown table, and write bench/search_bench.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    args = parser.parse_args(argv)
    release = _release(args.size, args.seed)
    started = time.perf_counter()
    rows = _rows_of_release(release)
    extract = time.perf_counter() - started
    fixture = _rows_of_fixture()
    queries = [q for q, _ in judged()] + EXTRA
    truths = {q: truth(rows, q) for q in queries}
    print(f"{args.size} agreements: {len(rows):,} printed texts, read from the store in {extract:.1f} s",
          file=sys.stderr)
    figures: dict[str, Any] = {}
    sparql: dict[str, Any] = {}
    scratch = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        for name in args.methods:
            small = METHODS[name]()
            (scratch / f"{name}-fixture").mkdir()
            small.build(fixture, scratch / f"{name}-fixture")
            method = METHODS[name]()
            folder = scratch / name
            folder.mkdir()
            t0 = time.perf_counter()
            method.build(rows, folder)
            built = time.perf_counter() - t0
            per_query: dict[str, float] = {}
            recall: list[float] = []
            exact: list[float] = []
            for q in queries:
                method.search(q, 20)
                times = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    method.search(q, 20)
                    times.append((time.perf_counter() - t0) * 1000)
                per_query[q] = statistics.median(times)
                found = set(method.search(q, 1_000_000))
                if truths[q]:
                    recall.append(len(found & truths[q]) / len(truths[q]))
                if found:
                    exact.append(len(found & truths[q]) / len(found))
            figures[name] = {
                "index_seconds": built, "index_bytes": _size(folder), "query_ms": per_query,
                "median_ms": statistics.median(per_query.values()), "max_ms": max(per_query.values()),
                "recall": statistics.mean(recall), "precision": statistics.mean(exact), **relevance(small),
            }
            print(f"{name}: {figures[name]['median_ms']:.2f} ms median", file=sys.stderr, flush=True)
            if isinstance(method, Bigram):
                sparql = _sparql(release, method.index, args.runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    entry = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": " ".join(["bench/search_bench.py", *(sys.argv[1:] if argv is None else argv)]),
        "size": args.size, "texts": len(rows), "extract_seconds": extract, "runs": args.runs,
        "nproc": os.cpu_count(), "load": os.getloadavg()[0], "memory": _memory(), "methods": figures,
        "sparql": sparql,
    }
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    # A run of some methods keeps the others' last figures (each with its own date and load).
    for figure in figures.values():
        figure.update({"date": entry["date"], "load": entry["load"]})
    entry["methods"] = {**results.get(str(args.size), {}).get("methods", {}), **figures}
    results[str(args.size)] = entry
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _print({**entry, "methods": figures})  # ratios only between methods measured side by side
    return 0


_P = "PREFIX dct: <http://purl.org/dc/terms/>\nPREFIX renkei: <https://w3id.org/renkei/ns#>\n"
_REST = "?agreement renkei:initiative ?initiative . ?initiative dct:identifier ?identifier ; dct:title ?title ."
#: Through kg.store.execute on the release's store: queries/008's question written both ways, and a ranked top 20.
SPARQL = {
    "008 FILTER(CONTAINS)": _P + "SELECT ?agreement ?identifier ?title ?content { ?initiative renkei:content "
    f'?content . FILTER (CONTAINS(?content, "災害")) {_REST} }} ORDER BY ?agreement ?identifier',
    "008 renkei:search": _P + "SELECT ?agreement ?identifier ?title ?content { (?initiative ?_s ?_x ?_p ?content) "
    f'renkei:search (renkei:content "災害") . {_REST} }} ORDER BY ?agreement ?identifier',
    "top 20 renkei:search": _P + 'SELECT ?i ?score ?snippet { (?i ?score ?snippet) renkei:search ("災害 応援" 20) . '
    "?i a renkei:Initiative } ORDER BY DESC(?score)",
}


def _sparql(release: Path, index: SearchIndex, runs: int) -> dict[str, Any]:
    """Median ms and rows of each :data:`SPARQL` query through the query path, with ``index``."""
    import pyoxigraph as ox

    from kg.formats import RESULT_FORMATS
    from kg.store.execute import execute
    from kg.store.guard import check_query

    store = ox.Store.read_only(str(release / "store"))
    out: dict[str, Any] = {}
    for name, text in SPARQL.items():
        times, rows = [], 0
        for _ in range(runs if "top" in name else 3):
            t0 = time.perf_counter()
            rows = execute(store, check_query(text), RESULT_FORMATS[0], limit=100_000, search=index).count
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"median_ms": statistics.median(times), "rows": rows}
    return out


def _memory() -> str:
    try:
        return subprocess.run(["free", "-h"], capture_output=True, text=True, check=True).stdout.splitlines()[1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "?"


def _print(entry: dict[str, Any]) -> None:
    methods = entry["methods"]
    base = methods.get("fts5-bigram")
    print(f"\n{entry['size']} agreements, {entry['texts']:,} printed texts; {entry['nproc']} CPUs, "
          f"load {entry['load']:.2f}; median of {entry['runs']} runs per query\n")
    print("| method | index s | index MB | query median ms | slowest query ms | × fts5-bigram | "
          "recall | precision | nDCG@10 | P@5 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in methods.items():
        ratio = f"{f['median_ms'] / base['median_ms']:.1f}×" if base else "–"
        print(f"| {name} | {f['index_seconds']:.1f} | {f['index_bytes'] / 1e6:.1f} | {f['median_ms']:.2f} | "
              f"{f['max_ms']:.2f} | {ratio} | {f['recall']:.3f} | {f['precision']:.3f} | {f['ndcg10']:.3f} | "
              f"{f['p5']:.3f} |")
    for name, f in entry.get("sparql", {}).items():
        print(f"\nthrough SPARQL: {name}: {f['median_ms']:.1f} ms, {f['rows']} rows", end="")
    print("\n\nper query (ms): " + "; ".join(
        f"{q} " + "/".join(f"{methods[m]['query_ms'][q]:.1f}" for m in methods)
        for q in next(iter(methods.values()))["query_ms"]))


if __name__ == "__main__":
    raise SystemExit(main())
