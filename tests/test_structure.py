"""The package keeps the shape issue 15 gave it: small modules that each say their one job, no import
cycle, and no docstring or document pointing at a file that is not in the repository."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
MODULES = sorted(p for p in KG.rglob("*.py") if "node_modules" not in p.parts)
MAX_LINES = 400


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_is_small_and_its_first_line_says_its_job(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_LINES, f"{_name(path)} has {text.count(chr(10))} lines (at most {MAX_LINES})"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and doc.strip().splitlines()[0].strip(), f"{_name(path)} has no docstring saying its job"


def _imports(path: Path) -> set[str]:
    """The kg modules ``path`` imports when it is imported (top level, not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports never run
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("kg"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            if base.startswith("kg"):
                subs = {f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}")}
                out.update(subs if len(subs) == len(node.names) else {base, *subs})
    # A module inside a package imports it first whatever it says: no edge to its own packages.
    own = _name(path)
    return {m for m in out if not own.startswith(m + ".")}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_import_cycle() -> None:
    names = {_name(p): p for p in MODULES}
    graph = {n: {m for m in _imports(p) if m in names and m != n} for n, p in names.items()}
    # a module's import runs its packages' __init__ first: the edges to them are real too
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


#: A path in the repository as docstrings and documents write one: ``kg/store/guard.py``, ``docs/http.md``.
_PATH = re.compile(r"(?<![\w./-])((?:kg|docs|tests|bench|scripts|queries|shapes|ontology|data|\.ci)/[\w./-]*\w)")
_MD_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _missing(text: str, here: Path) -> list[str]:
    missing = []
    for ref in _PATH.findall(text):
        if any(ch in ref for ch in "*<>{}") or ref.endswith((".", "/")) or "NNN" in ref:
            continue  # a pattern or a placeholder, not a file
        if ref.startswith(("bench/.cache", "build/")):
            continue  # made by the commands the text shows (git-ignored)
        # ``queries/021`` names query 021 by its number: a file starting so must exist.
        if not (ROOT / ref).exists() and not any((ROOT / ref).parent.glob((ROOT / ref).name + "*")):
            missing.append(ref)
    if "../shared/" in text and here.is_relative_to(KG):
        missing.append("../shared/ (outside the repository)")
    return missing


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_docstrings_point_at_files_that_exist(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = [ast.get_docstring(n) or "" for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)]
    comments = [line for line in path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    assert not _missing("\n".join(docs + comments), path)


DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "docs").glob("*/*.md"),
               *(ROOT / "bench").glob("*.md")])


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_link_to_files_that_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    broken = [link for link in _MD_LINK.findall(text)
              if "://" not in link and not link.startswith("mailto:") and not (path.parent / link).exists()]
    assert not broken, f"links to missing files: {broken}"
    assert not _missing(text, path)
