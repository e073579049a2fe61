"""Releases: build one from the sources (build, cache), write its dumps and catalogue, and its manifest.

``build`` ingests and validates every source text, loads the store and swaps ``build/current``;
``cache`` keeps what was learnt of each text; ``dumps`` writes every graph in five formats;
``catalogue`` the DCAT catalogue and VoID description; ``manifest`` the typed record of a release;
``demo`` the demo release of composed texts.
"""

__all__: list[str] = []
