"""Reference data: the code list, areas and signers (tables), the reference graphs, boundaries, romaji.

``tables`` reads ``data/reference/*.csv``; ``graphs`` turns them, the ontology, the framework and the
statute into the reference named graphs; ``codes`` checks 全国地方公共団体コード; ``geo`` the boundaries
and which municipalities border which; ``romaji`` the English renderings of municipality names.
"""

__all__: list[str] = []
