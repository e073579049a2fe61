"""renkei-kg: a linked-data knowledge graph of Japanese 連携中枢都市圏 cooperation agreements.

The data flows one way: ``kg.ingest`` (decode → normalise → segment → build RDF) →
``kg.validation.validate`` (SHACL) → ``kg.release.build`` (dataset, store, dumps) → ``kg.server`` (HTTP).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
