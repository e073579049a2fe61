"""Validation: run the SHACL shapes on an agreement (engine), say what failed (report) and where (locate).

``validate`` is the entry point (an agreement or amending agreement in, a :class:`~kg.validation.report.Report`
out); ``engine`` runs the shapes (pyshacl-turbo, pySHACL as the reference); ``report`` words each result in
Japanese and English; ``locate`` finds the article, line or annex row a result points at.
"""

__all__: list[str] = []
