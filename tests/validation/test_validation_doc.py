"""docs/validation.md lists every shape exactly as shapes/*.ttl defines it (generated, never stale)."""

from __future__ import annotations

import subprocess
import sys

from validate_inputs import ROOT

from kg.namespaces import SH
from kg.settings import Settings
from kg.validation.validate import SHAPES_NS, load_shapes

DOC = ROOT / "docs" / "validation.md"


def test_validation_doc_is_up_to_date_with_the_shapes() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "validation_doc.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr


def test_validation_doc_names_every_rule_with_its_severity() -> None:
    settings = Settings()
    shapes = load_shapes(settings.shapes_path, settings.base_iri).graph
    doc = DOC.read_text(encoding="utf-8")
    rules = [s for s in shapes.subjects(SH.severity, None) if str(s).startswith(SHAPES_NS)]
    assert rules
    for shape in rules:
        severity = str(shapes.value(shape, SH.severity)).rpartition("#")[2]
        assert f"| `{str(shape)[len(SHAPES_NS):]}` | {severity} " in doc
