"""Every third-party module the package imports is installed by ``pip install .`` (no extras).

`kg push` once imported httpx, which only the test extra brought: a plain install then failed at
`kg push` (issue 15). The imports are read from the source (ast), each module's distribution from the
installed metadata, and the distributions a plain install brings are the runtime requirements of
pyproject.toml with everything they require in turn.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement string (「pyshacl>=0.30」 → 「pyshacl」)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]).lower()


def _closure(names: set[str]) -> set[str]:
    """``names`` and every distribution they require, unconditionally (markers for extras are left out)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for req in requires:
            if "extra ==" in req:
                continue
            todo.append(_name(req))
    return seen


def _imports() -> dict[str, str]:
    """Top-level module → the first file importing it, for every import in kg/."""
    found: dict[str, str] = {}
    for path in sorted(KG.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_imported_distribution_comes_with_a_plain_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = _closure({_name(r) for r in project["dependencies"]})
    owners = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imports().items()):
        if module == "kg" or module in sys.stdlib_module_names:
            continue
        distributions = {_name(d) for d in owners.get(module, [])}
        assert distributions, f"{module} (imported by {where}) belongs to no installed distribution"
        if not distributions & installed:
            missing.append(f"{module} ({', '.join(sorted(distributions))}) imported by {where}")
    assert not missing, "not brought by `pip install .`: " + "; ".join(missing)
