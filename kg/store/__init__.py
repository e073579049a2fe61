"""Read-only access to a release's pyoxigraph store and safe execution of SPARQL queries on it.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/renkei/id/x"), ox.NamedNode("http://p"),
...                   ox.Literal("郡山市", language="ja"), ox.NamedNode("https://w3id.org/renkei/graph/g")))
>>> q = check_query("SELECT ?o { ?s ?p ?o }")
>>> execute(store, q, RESULT_FORMATS[2], limit=10).body
b'o\\r\\n\\xe9\\x83\\xa1\\xe5\\xb1\\xb1\\xe5\\xb8\\x82\\r\\n'
"""

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, QueryKind, by_alias, formats_for
from kg.store.execute import QueryResult, execute, term_to_json
from kg.store.guard import CheckedQuery, check_query
from kg.store.release import Release, open_read_only

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "CheckedQuery",
    "Format",
    "QueryKind",
    "QueryResult",
    "Release",
    "by_alias",
    "check_query",
    "execute",
    "formats_for",
    "open_read_only",
    "term_to_json",
]
