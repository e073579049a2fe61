"""Paths and IRIs the validator tests share (a module of its own: ``conftest`` is not importable
reliably when the whole suite runs)."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
SHAPES_DATA = ROOT / "tests" / "data" / "shapes"
AGREEMENT = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"
#: The partner's role in annex row 3-(8) 「I C T インフラの整備」.
ROLE_3_8_PARTNER = URIRef(f"{AGREEMENT}/initiative/3-8/role/072109")
INGEST_DATA = ROOT / "tests" / "data" / "ingest"
#: The amendment of the founding agreement (composed), and a fresh one of the T3 sample.
AMENDMENT_TEXT = INGEST_DATA / "amendment-koriyama-nihonmatsu-2020.txt"
FRESH_AMENDMENT_TEXT = INGEST_DATA / "fresh" / "amendment-kumamoto-yamaga-2023.txt"
AMENDMENT = "https://w3id.org/renkei/id/amendment/072036-072109-2020-07-08"
#: A 例規集 page (HTML) holding an agreement: validated through the ingester, as a text is.
PAGE = INGEST_DATA / "fresh" / "page-t3-kumamoto-koshi-eucjp.html"
