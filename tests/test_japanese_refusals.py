"""No refusal a clerk can meet is English-only (issue 9, point 3): every ``raise`` of a KgError in the
modules that read, check and answer for an agreement text passes its Japanese (``ja=``).

A static guard over the source, so that a refusal added later cannot forget it; the messages
themselves are checked through the real ``kg`` in tests/ingest/test_messages.py.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from kg import errors

ROOT = Path(__file__).resolve().parents[1]
#: What `kg ingest`, `kg validate` and `POST /validate` run through, and the commands' own modules.
MODULES = sorted({
    *(ROOT / "kg" / "ingest" / name for name in ("dates.py", "parties.py", "signatories.py", "amendment.py",
                                                 "build_amendment.py", "decode.py", "page.py", "page_text.py",
                                                 "segment.py")),
    ROOT / "kg" / "ingest" / "consolidate.py", ROOT / "kg" / "validation" / "validate.py",
    ROOT / "kg" / "validation" / "locate.py",
    *(ROOT / "kg" / "server" / name for name in ("validate.py", "http.py", "validator.py")),
    *(ROOT / "kg" / "cli").glob("*.py"),
})
#: Raised with every problem's Japanese already inside.
_BILINGUAL_BY_CONSTRUCTION = {"IngestProblems"}
_KG_ERRORS = {name for name, obj in vars(errors).items() if inspect.isclass(obj) and issubclass(obj, errors.KgError)}


def _english_only(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = set(_KG_ERRORS)
    for node in ast.walk(tree):  # the module's own subclasses (PayloadTooLarge, ValidationTimeout …)
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) in known for b in node.bases):
            known.add(node.name)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in known - _BILINGUAL_BY_CONSTRUCTION and not any(k.arg == "ja" for k in node.exc.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    return found


def test_the_guard_reads_modules() -> None:
    assert all(path.is_file() for path in MODULES) and len(MODULES) > 20


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_refusal_has_its_japanese(path: Path) -> None:
    assert _english_only(path) == []
