"""Pictures of the dataset as standalone SVG: a coverage matrix and a timeline of signing dates.

``timeline_svg(timeline(StoreSource.current(settings)))`` is the SVG text of the timeline.
Reading (``coverage``, ``timeline``) is separate from drawing (``coverage_svg``,
``timeline_svg``), so the drawings are tested on data made in the test.
"""

from __future__ import annotations

from kg.svg.coverage import Cell, Column, Coverage, MatrixRow, coverage, coverage_svg
from kg.svg.timeline import Mark, Timeline, TimelineRow, timeline, timeline_svg

__all__ = [
    "Cell", "Column", "Coverage", "Mark", "MatrixRow", "Timeline", "TimelineRow", "coverage", "coverage_svg",
    "timeline", "timeline_svg",
]
