"""The dataset's own vocabulary, for OCR: tesseract's user words and the correction of near misses.

The words come from what the project already holds, never from the texts being read: the framework's
Japanese labels (``ontology/framework.ttl``), the municipalities' names (``data/reference/municipalities.csv``,
with 「…市長」, 「甲…市長」 and 「…の役割」), and the formulae every agreement is written in (第N条, 別表第N, 役割分担,
the lead wordings of docs/model.md). :func:`correct` replaces a near miss of a known term — one
character off, where tesseract was unsure of that character — by the term, and says so.
"""

from __future__ import annotations

import csv
import functools
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Char", "Correction", "Vocabulary", "load"]

_MIN_LENGTH = 3  # a two-character term is too easily one character away from another word
_FORMULAE = (
    "別表", "役割", "役割分担", "甲の役割", "乙の役割", "取組", "取組内容", "内容", "連携協約", "連携協約書",
    "連携中枢都市圏", "連携中枢都市圏形成", "連携中枢都市圏構想推進要綱", "地方自治法", "第252条の2第1項",
    "第252条の2第4項", "昭和22年法律第67号", "主体的に", "中心となって", "中心的な役割", "主導する", "圏域全体",
    "連携して", "取り組む", "協議して", "定めるとおりとする", "記名押印", "目的", "基本方針", "費用分担", "費用負担",
    "役割分担及び費用分担", "連絡会議",
    # how the parties are named and referred to (punctuation aside: 「以下「乙」という」 is 以下乙という)
    "以下甲という", "以下乙という", "甲及び乙", "甲および乙", "甲又は乙", "甲乙記名押印", "甲乙両者",
)
_LABEL = re.compile(r'skos:(?:prefLabel|altLabel|hiddenLabel)\s+((?:"[^"]*"@ja\s*,?\s*)+)')
_LITERAL = re.compile(r'"([^"]*)"@ja')


@dataclass(frozen=True)
class Char:
    """One character of OCR'd text with tesseract's confidence in it (100 for what we put in: spaces)."""

    text: str
    confidence: float
    word: int = -1  # the tesseract word it came from (-1: none)


@dataclass(frozen=True)
class Correction:
    """A near miss replaced by a known term: what tesseract read, what it became, its confidence."""

    read: str
    term: str
    confidence: float


class Vocabulary:
    """Known terms (three characters or more) and the index that finds their near misses."""

    def __init__(self, terms: set[str]) -> None:
        self.terms = frozenset(t for t in terms if len(t) >= _MIN_LENGTH and not t.isascii())
        self.all = frozenset(terms)
        # A term one character off still matches its first or its second half exactly.
        self._halves: dict[str, list[str]] = {}
        for t in sorted(self.terms, key=lambda t: (-len(t), t)):
            h = len(t) // 2
            self._halves.setdefault(t[:h], []).append(t)
            self._halves.setdefault(t[h:], []).append(t)
        self._lengths = sorted({len(k) for k in self._halves}, reverse=True)
        self._term_lengths = sorted({len(t) for t in self.terms})

    def whole(self, text: str) -> str | None:
        """The one known term ``text`` is a near miss of (one character substituted, dropped or added),
        when ``text`` is not itself a term and no other term is as near; else None."""
        if text in self.all or len(text) < _MIN_LENGTH or not _letters(text, ""):
            return None
        near = {t for _, t in self._candidates(text) if _one_edit(text, t) is not None}
        return near.pop() if len(near) == 1 else None

    def coverage(self, text: str) -> int:
        """How many characters of ``text`` lie in a known term (three characters or more) printed whole."""
        covered: set[int] = set()
        for n in self._term_lengths:
            for i in range(len(text) - n + 1):
                if text[i:i + n] in self.terms:
                    covered.update(range(i, i + n))
        return len(covered)

    def words_file(self) -> Path:
        """A file of the words, one a line, for tesseract's ``--user-words`` (written once per process)."""
        return _write(tuple(sorted(self.all)))

    def _candidates(self, text: str) -> set[tuple[int, str]]:
        """(start of a window, term) pairs where a half of a term occurs in ``text``."""
        found = set()
        for n in self._lengths:
            for i in range(len(text) - n + 1):
                for term in self._halves.get(text[i:i + n], ()):
                    h = len(term) // 2
                    if term[:h] == text[i:i + n]:
                        found.add((i, term))
                    if term[h:] == text[i:i + n]:
                        found.add((i - h, term))
        return found

    def correct(self, chars: list[Char], below: float) -> tuple[list[Char], list[Correction]]:
        """``chars`` with each near miss of a term (one character substituted, dropped or added, that
        character's confidence under ``below``) replaced by the term; and the corrections made."""
        corrections: list[Correction] = []
        text = "".join(c.text for c in chars)
        changes: list[tuple[int, int, str, float]] = []
        taken: set[int] = set()
        for start, term in sorted(self._candidates(text), key=lambda p: (-len(p[1]), p[0], p[1])):
            for length in (len(term), len(term) - 1, len(term) + 1):
                end = start + length
                if start < 0 or end > len(text) or taken.intersection(range(start, end)):
                    continue
                window = text[start:end]
                if window in self.all or term in window or window in term or not window.strip() \
                        or any(ch in window for ch in " \u3000\t"):
                    continue
                spot = _one_edit(window, term)
                if spot is None or not _letters(window, term):
                    continue
                confidence = chars[min(start + spot, end - 1)].confidence if end > start else 100.0
                if confidence >= below or _inside_term(text, start, end, self.all):
                    continue
                changes.append((start, end, term, confidence))
                taken.update(range(start, end))
                break
        for start, end, term, confidence in sorted(changes, reverse=True):
            word = chars[start].word
            corrections.append(Correction("".join(c.text for c in chars[start:end]), term, confidence))
            chars = chars[:start] + [Char(ch, confidence, word) for ch in term] + chars[end:]
        corrections.reverse()
        return chars, corrections


def _letters(window: str, term: str) -> bool:
    """Whether both are letters only: a near miss in punctuation (「。）」) is a reading, not a misspelling."""
    return all(unicodedata.category(ch)[0] in "LN" for ch in window + term)


def _inside_term(text: str, start: int, end: int, terms: frozenset[str]) -> bool:
    """Whether the window is part of a longer known term already printed correctly around it."""
    for t in terms:
        if len(t) > end - start:
            i = text.find(t, max(0, start - len(t)), end + len(t))
            if i != -1 and i <= start and end <= i + len(t):
                return True
    return False


def _one_edit(window: str, term: str) -> int | None:
    """The index in ``window`` of the one edit turning it into ``term`` (substitution, deletion or
    insertion); None if they differ by more (or not at all)."""
    if window == term:
        return None
    if len(window) == len(term):
        diff = [i for i, (a, b) in enumerate(zip(window, term, strict=True)) if a != b]
        return diff[0] if len(diff) == 1 else None
    short, long_ = (window, term) if len(window) < len(term) else (term, window)
    if len(long_) - len(short) != 1:
        return None
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return min(i, len(window) - 1)
    return None


@functools.cache
def _write(words: tuple[str, ...]) -> Path:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="kg-ocr-", suffix=".user-words",
                                     delete=False) as handle:
        handle.write("\n".join(words) + "\n")
    return Path(handle.name)


@functools.cache
def load(root: Path) -> Vocabulary:
    """The vocabulary of the project at ``root`` (ontology/framework.ttl, data/reference/municipalities.csv)."""
    terms: set[str] = set(_FORMULAE)
    terms.update(f"第{n}条" for n in range(1, 31))
    terms.update(f"別表第{n}" for n in range(1, 10))
    framework = root / "ontology" / "framework.ttl"
    if framework.exists():
        for group in _LABEL.findall(framework.read_text(encoding="utf-8")):
            for label in _LITERAL.findall(group):
                terms.add(label)
                terms.update(p for p in re.split(r"[、・,，\s]", label) if p)
    terms = {t for t in terms if all(unicodedata.category(ch)[0] in "LN" for ch in t)}
    registry = root / "data" / "reference" / "municipalities.csv"
    if registry.exists():
        with registry.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                name = row.get("name", "")
                if name:
                    terms.update({name, f"{name}の役割"})
                    if name[-1] in "市町村":
                        terms.add(f"{name}長")
                        terms.update({f"甲{name}長", f"乙{name}長"})  # a signature: 「乙　稲美町長」
    return Vocabulary(terms)
