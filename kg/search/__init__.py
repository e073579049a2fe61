"""Ranked Japanese full-text search over the printed texts of a release (docs/search.md).

>>> from kg.search.text import parse_query
>>> parse_query("災害 応援")
('災害', '応援')
"""

from kg.search.index import Hit, SearchIndex, write_index
from kg.search.text import Snippet

__all__ = ["Hit", "SearchIndex", "Snippet", "write_index"]
