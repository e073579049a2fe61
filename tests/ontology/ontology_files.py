"""Paths of the files under test and the vocabulary namespace, shared by the ontology tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "renkei.ttl"
FRAMEWORK = ROOT / "ontology" / "framework.ttl"
LAW = ROOT / "data" / "reference" / "law.ttl"
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
NS = "https://w3id.org/renkei/ns#"
