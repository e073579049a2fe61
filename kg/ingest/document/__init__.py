"""Documents as published and drafted (PDF, scans and images, Word) → the lines the text pipeline reads.

Each format's reader turns its file into one intermediate form, :class:`~kg.ingest.document.form.Form`:
text lines and table rows in reading order, each with where it stands (page and box, paragraph,
table cell) and, for OCR, how sure the engine was. :func:`~kg.ingest.document.form.to_source` makes
that form the :class:`~kg.ingest.decode.SourceText` every later step (segment → annex → build)
consumes, so no layout logic exists twice: a PDF's ruled table arrives as cells (one tab-separated
line per row, cells never containing a tab), not as guesses from spacing.
"""

__all__: list[str] = []
