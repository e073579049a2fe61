"""The validation report: what failed, where in the agreement, how to fix it — in Japanese or English.

A :class:`Report` is built by :mod:`kg.validation.validate` from pySHACL's ``sh:ValidationReport``; it renders
as text for a clerk (``to_text``), JSON for programs (``to_json``) and the SHACL report graph itself
with our labels (``to_turtle``). ``exit_code`` is what ``kg validate`` answers: 0 when there is no
violation (warnings and infos do not fail), 1 otherwise.

>>> r = Report(source="a.ttl", results=())
>>> r.conforms, r.exit_code
(True, 0)
>>> r.to_text(lang="en")
'a.ttl: conforms (0 warnings, 0 infos)'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rdflib import Graph

from kg.validation.locate import Location, Text

__all__ = ["LANGS", "Location", "Report", "Result", "Severity", "Text"]

#: The languages every name, message, description and location exists in.
LANGS: tuple[str, ...] = ("ja", "en")


class Severity(Enum):
    """SHACL's three severities (SHACL §2.1.4), most severe first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        """0 for a violation, 1 for a warning, 2 for an info: the order a report lists them in."""
        return list(Severity).index(self)

    def label(self, lang: str) -> str:
        """The severity's word in ``lang`` (違反/警告/情報)."""
        return _SEVERITY_LABELS[self].get(lang)


_SEVERITY_LABELS = {
    Severity.VIOLATION: Text("違反", "Violation"),
    Severity.WARNING: Text("警告", "Warning"),
    Severity.INFO: Text("情報", "Info"),
}


@dataclass(frozen=True)
class Result:
    """One validation result, with the rule it breaks (shape) and where."""

    severity: Severity
    shape: str  #: the shape's IRI, e.g. https://w3id.org/renkei/shapes#RO-01-role-actor
    name: Text
    message: Text
    description: Text
    focus: str
    path: str | None
    value: str | None
    location: Location

    @property
    def shape_id(self) -> str:
        """The shape's stable id, the part after '#': ``RO-01-role-actor``."""
        return self.shape.rpartition("#")[2] or self.shape

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value, "shape": self.shape, "shape_id": self.shape_id,
            "name": self.name.as_dict(), "message": self.message.as_dict(),
            "description": self.description.as_dict(), "focus": self.focus, "path": self.path,
            "value": self.value, "location": self.location.as_dict(),
        }

    def to_text(self, lang: str) -> str:
        """``FILE:LINE: 違反 [RO-01-role-actor] 別表 3-(8) の役割: message`` and a how-to-fix line."""
        where = self.location.lines()
        head = f"{where}: " if where else ""
        fix = "直し方" if lang == "ja" else "how to fix"
        return (f"{head}{self.severity.label(lang)} [{self.shape_id}] {self.location.text.get(lang)}: "
                f"{self.message.get(lang)}\n    {fix}: {self.description.get(lang)}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one agreement graph (or file)."""

    source: str | None
    results: tuple[Result, ...]
    #: The sh:ValidationReport graph (with our messages, names and locations); empty if not kept.
    graph: Graph = field(default_factory=Graph, compare=False, repr=False)

    @property
    def conforms(self) -> bool:
        """True when no result is a violation: warnings and infos do not make an agreement unusable."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when the agreement conforms, 1 when it has violations (2 is for unusable input)."""
        return 0 if self.conforms else 1

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity is severity)

    def summary(self, lang: str = "en") -> str:
        """One line: the source, whether it conforms, and how many results of each severity."""
        v, w, i = (self.count(s) for s in Severity)
        name = self.source or ("グラフ" if lang == "ja" else "graph")
        if lang == "ja":
            verdict = "適合" if self.conforms else "不適合"
            counts = f"違反 {v}件、警告 {w}件、情報 {i}件" if v else f"警告 {w}件、情報 {i}件"
            return f"{name}: {verdict}（{counts}）"
        counts = f"{_plural(w, 'warning')}, {_plural(i, 'info')}"
        if v:
            return f"{name}: does not conform ({_plural(v, 'violation')}, {counts})"
        return f"{name}: conforms ({counts})"

    def to_text(self, lang: str = "en") -> str:
        """The report for a person: a summary line, then each result, most severe first."""
        return "\n".join([self.summary(lang), *(r.to_text(lang) for r in self.results)])

    def to_json(self, indent: int | None = 2) -> str:
        """The report as one JSON object (both languages), for programs and the HTTP API;
        ``indent=None`` puts it on one line (JSON Lines)."""
        doc = {
            "source": self.source, "conforms": self.conforms, "exit_code": self.exit_code,
            "counts": {s.value: self.count(s) for s in Severity},
            "results": [r.as_dict() for r in self.results],
        }
        return json.dumps(doc, ensure_ascii=False, indent=indent)

    def to_turtle(self) -> str:
        """The sh:ValidationReport graph as Turtle."""
        return self.graph.serialize(format="turtle")

    @classmethod
    def from_json(cls, text: str) -> Report:
        """The report :meth:`to_json` wrote (without its graph), e.g. to print one received over HTTP.

        >>> r = Report(source="a.ttl", results=())
        >>> Report.from_json(r.to_json()) == r
        True
        """
        doc = json.loads(text)
        return cls(doc.get("source"), tuple(_result(r) for r in doc.get("results", ())))


def _text(d: dict[str, str]) -> Text:
    return Text(d.get("ja", ""), d.get("en", ""))


def _result(d: dict[str, Any]) -> Result:
    """A :class:`Result` from :meth:`Result.as_dict`."""
    loc = d["location"]
    location = Location(_text(loc), loc.get("file"), loc.get("first_line"), loc.get("last_line"), loc.get("page"))
    return Result(Severity(d["severity"]), d["shape"], _text(d["name"]), _text(d["message"]),
                  _text(d["description"]), d["focus"], d.get("path"), d.get("value"), location)


# ── Locations: from a focus node to a place in the printed text ──────────────────────────────
# The walk follows docs/model.md: a role belongs to its initiative (^renkei:role), an initiative
# to its annex section and annex (eli:is_part_of) and agreement (^renkei:initiative), a paragraph
# or item to its article, a change to its amendment (^renkei:change); line numbers come from the
# nearest prov:wasDerivedFrom excerpt.
