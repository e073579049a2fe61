"""The HTTP server: SPARQL 1.1 endpoint, linked-data pages, query page, dumps and catalogue.

>>> from kg.server import create_app  # doctest: +SKIP
>>> app = create_app(Settings(), release=Path("build/current"))  # doctest: +SKIP
"""

from kg.server.app import create_app

__all__ = ["create_app"]
