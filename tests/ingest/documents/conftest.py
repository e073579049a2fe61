"""The fixture texts rendered as text PDFs and Word documents, once per session, in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from kg.namespaces import DEFAULT_BASE

from .make import FONT_FILE, read_text, to_docx, to_pdf

Render = Callable[[Path, str], Path]


@pytest.fixture(scope="session")
def render(tmp_path_factory: pytest.TempPathFactory) -> Render:
    """``render(text_path, "pdf" | "docx")``: the document of that fixture text (made once)."""
    if not FONT_FILE.exists():
        pytest.fail(f"{FONT_FILE} is missing: run `bash scripts/system-packages.sh` (fonts-ipafont-mincho)")
    folder = tmp_path_factory.mktemp("documents")
    made: dict[tuple[Path, str], Path] = {}

    def run(text_path: Path, kind: str) -> Path:
        if (text_path, kind) not in made:
            text = read_text(text_path)
            out = folder / kind / f"{text_path.stem}.{kind}"
            out.parent.mkdir(exist_ok=True)
            made[text_path, kind] = to_pdf(text, out) if kind == "pdf" else to_docx(text, out)
        return made[text_path, kind]

    return run


def without_provenance(graph: Graph) -> Graph:
    """The graph without what says where it was read from: the source document, its excerpts and their
    selectors (every triple touching an IRI under ``id/source/``)."""
    source = DEFAULT_BASE + "id/source/"
    out = Graph()
    for triple in graph:
        if not any(str(term).startswith(source) for term in triple):
            out.add(triple)
    return out
