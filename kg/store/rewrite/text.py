"""A SPARQL query as tokens, its groups, its candidate sites, and edits of its text.

The tokens follow SPARQL 1.1 Query §19.8 closely enough to find braces, keywords and variables
outside strings, IRIs and comments; everything else is left to rdflib's parser (kg.store.rewrite.scope).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.store.lexer import TOKEN as _TOKEN

__all__ = ["AMBIGUOUS_IRI", "Edit", "Site", "Text", "apply_edits", "equalities", "flatten_exists", "removal",
           "sites"]

# An IRIREF is read wherever '<…>' matches, as SPARQL's lexer does (§19.8), but inside an
# expression '?a<?b&&?c>?d' is two comparisons. Such characters in an "IRI" make the reading
# ambiguous, and a query holding one is left alone rather than guessed at.
AMBIGUOUS_IRI = re.compile(r"[?$'()&|=!,\s]")
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


@dataclass(frozen=True)
class _Tok:
    """One token: its kind (a group name of the pattern above), text and place."""

    kind: str
    text: str
    start: int
    end: int

    def word(self, *words: str) -> bool:
        """Whether this is one of the keywords ``words`` (SPARQL keywords ignore case, §19.1)."""
        return self.kind == "word" and self.text.upper() in words

    @property
    def name(self) -> str:  # a variable's name without its sigil (?x and $x are one variable)
        return self.text[1:]


@dataclass(frozen=True)
class Site:
    """One candidate: an anti-join written as FILTER NOT EXISTS, or as OPTIONAL with FILTER(!BOUND)."""

    form: str
    group: tuple[int, int]  # token indexes of the enclosing group's braces
    filter: tuple[int, int]  # first and last token of FILTER (NOT EXISTS …), FILTER(!BOUND(…)) or HAVING (…)
    inner: tuple[int, int]  # the braces of G
    keyword: int  # the FILTER (NOT EXISTS) or OPTIONAL token, for ordering and line numbers
    var: str = ""  # ?v of !BOUND(?v) or of HAVING (COUNT(?v) = 0)
    keys: tuple[str, ...] = ()  # OPTIONAL/HAVING: the GROUP BY variables

class Text:
    """A query's tokens and the pairing of its braces and parentheses."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = [_Tok(m.lastgroup or "op", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
                     if m.lastgroup not in ("ws", "comment")]
        self.pair: dict[int, int] = {}
        self.parent: dict[int, int] = {}  # '{' index → index of the enclosing '{' (-1 at top level)
        stack: list[int] = []
        parens: list[int] = []
        for i, t in enumerate(self.toks):
            if t.text == "{":
                self.parent[i] = next((j for j in reversed(stack)), -1)
                stack.append(i)
            elif t.text == "}" and stack:
                j = stack.pop()
                self.pair[i], self.pair[j] = j, i
            elif t.text == "(":
                parens.append(i)
            elif t.text == ")" and parens:
                j = parens.pop()
                self.pair[i], self.pair[j] = j, i
        self.balanced = not stack and not parens

    def at(self, i: int) -> _Tok:
        """Token ``i``, or an empty end token past either end (so look-ahead needs no bounds checks)."""
        return self.toks[i] if 0 <= i < len(self.toks) else _Tok("end", "", len(self.text), len(self.text))

    def between(self, a: int, b: int) -> str:
        """The text strictly between tokens ``a`` and ``b``."""
        return self.text[self.toks[a].end:self.toks[b].start]

    def line(self, i: int) -> int:
        """The 1-based line token ``i`` starts on."""
        return self.text.count("\n", 0, self.toks[i].start) + 1

    def children(self, open_: int) -> Iterator[int]:
        """Token indexes directly inside the group opened at ``open_`` (nested groups skipped)."""
        i = open_ + 1
        while i < self.pair[open_]:
            yield i
            i = self.pair[i] + 1 if self.toks[i].text == "{" else i + 1

    def in_exists(self, open_: int) -> bool:
        """Whether the group opened at ``open_`` is, or is inside, an EXISTS / NOT EXISTS group."""
        while open_ >= 0:
            if self.at(open_ - 1).word("EXISTS"):
                return True
            open_ = self.parent[open_]
        return False

    def prologue(self) -> str:
        """BASE and PREFIX declarations: everything before the query form."""
        first = next((t for t in self.toks if t.word(*_FORMS)), None)
        return self.text[:first.start] if first else ""


def sites(q: Text) -> list[Site]:
    """Every FILTER NOT EXISTS and OPTIONAL/FILTER(!BOUND) pair in a group, in text order."""
    found: list[Site] = []
    for open_ in sorted(i for i, t in enumerate(q.toks) if t.text == "{" and i in q.pair):
        group = (open_, q.pair[open_])
        optionals: list[int] = []
        bounds: list[tuple[int, int, str]] = []
        for i in q.children(open_):
            t = q.toks[i]
            if t.word("OPTIONAL") and q.at(i + 1).text == "{":
                optionals.append(i)
            elif not t.word("FILTER"):
                continue
            elif q.at(i + 1).word("NOT") and q.at(i + 2).word("EXISTS") and q.at(i + 3).text == "{":
                found.append(Site("NOT EXISTS", group, (i, q.pair[i + 3]), (i + 3, q.pair[i + 3]), i))
            elif (q.at(i + 1).text == "(" and (q.at(i + 2).word("NOT") or q.at(i + 2).text == "!")
                  and q.at(i + 3).word("EXISTS") and q.at(i + 4).text == "{"
                  and q.pair.get(q.pair[i + 4] + 1) == i + 1):
                # FILTER (NOT EXISTS { G }) and FILTER (!EXISTS { G }): §18.2.2.2 translates NOT EXISTS
                # to fn:not(exists(G)), which is what '!' applied to EXISTS is.
                found.append(Site("NOT EXISTS", group, (i, q.pair[i + 1]), (i + 4, q.pair[i + 4]), i))
            elif [x.kind if x.kind == "var" else x.text.upper() for x in q.toks[i + 1:i + 8]] == \
                    ["(", "!", "BOUND", "(", "var", ")", ")"]:
                bounds.append((i, i + 7, q.at(i + 5).name))
        having = _count_is_zero(q, group[1])
        if having is not None:
            bounds.append(having[:3])
        for first, last, var in bounds:
            holding = [o for o in optionals if any(t.kind == "var" and t.name == var
                                                  for t in q.toks[o + 2:q.pair[o + 1]])]
            if len(holding) == 1:
                o = holding[0]
                counted = having is not None and first == having[0]
                form, keys = ("OPTIONAL/HAVING", having[3]) if having and counted else ("OPTIONAL/!BOUND", ())
                found.append(Site(form, group, (first, last), (o + 1, q.pair[o + 1]), o, var, keys))
    return sorted(found, key=lambda s: s.keyword)


Edit = tuple[int, int, str]  # replace text[start:end] with the string


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def removal(q: Text, first: int, last: int) -> Edit:
    """Delete tokens ``first..last`` (and a '.' after them) leaving a well-formed group (§19.8 [55]).

    A FILTER may stand between two triples, where it also separates them: then a '.' takes its
    place; after '{' or '.' nothing may (a group cannot start with '.', nor hold '..').
    """
    if q.at(last + 1).text == ".":
        last += 1
    start, end = q.toks[first].start, q.toks[last].end
    if q.at(first - 1).text not in ("{", "."):
        return start, end, " . "
    # Alone on its lines: take the lines away whole, so the rewritten query still reads well.
    line_start = q.text.rfind("\n", 0, start) + 1
    line_end = q.text.find("\n", end)
    line_end = len(q.text) if line_end < 0 else line_end
    if not q.text[line_start:start].strip() and not q.text[end:line_end].strip() and line_end < len(q.text):
        return line_start, line_end + 1, ""
    return start, end, " "


def equalities(g: Text) -> Iterator[tuple[int, int, str, str, bool]]:
    """FILTERs directly in G of the form ``(?a = ?b)`` or ``sameTerm(?a, ?b)``: span, names, sameTerm?"""
    for i in g.children(0):
        if not g.toks[i].word("FILTER"):
            continue
        shape = [t.kind if t.kind == "var" else t.text.upper() for t in g.toks[i + 1:i + 10]]
        if shape[:5] == ["(", "var", "=", "var", ")"]:
            yield i, i + 5, g.toks[i + 2].name, g.toks[i + 4].name, False
        elif shape[:8] == ["(", "SAMETERM", "(", "var", ",", "var", ")", ")"]:
            yield i, i + 8, g.toks[i + 4].name, g.toks[i + 6].name, True
        elif shape[:6] == ["SAMETERM", "(", "var", ",", "var", ")"]:
            yield i, i + 6, g.toks[i + 3].name, g.toks[i + 5].name, True


def _count_is_zero(q: Text, close: int) -> tuple[int, int, str, tuple[str, ...]] | None:
    """``} GROUP BY ?k … HAVING (COUNT([DISTINCT] ?v) = 0)`` right after the group closed at
    ``close``, as the whole HAVING: its first and last token, ``v`` and the GROUP BY variables."""
    if not (q.at(close + 1).word("GROUP") and q.at(close + 2).word("BY")):
        return None
    k = close + 3
    keys: list[str] = []
    while q.at(k).kind == "var":
        keys.append(q.at(k).name)
        k += 1
    if not keys or not q.at(k).word("HAVING"):
        return None
    for body in (["(", "COUNT", "(", "var", ")", "=", "0", ")"],
                 ["(", "COUNT", "(", "DISTINCT", "var", ")", "=", "0", ")"]):
        shape = [t.kind if t.kind == "var" else t.text.upper() for t in q.toks[k + 1:k + 1 + len(body)]]
        last = k + len(body)
        # The only constraint: another after it would filter the groups too.
        after = q.at(last + 1)
        alone = after.kind == "end" or after.text == "}" or after.word("ORDER", "LIMIT", "OFFSET", "VALUES")
        if shape == body and alone:
            return k, last, q.at(k + 1 + body.index("var")).name, tuple(keys)
    return None


# What B of a nested ``FILTER EXISTS { B }`` may not hold for it to be joined to G (flatten_exists).
_NOT_IN_B = frozenset({"OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "BIND", "VALUES", "SELECT",
                       "EXISTS", "FILTER"})


def flatten_exists(inner: str) -> str:
    """G's text with each ``FILTER EXISTS { B }`` directly in it, B triples only, written as B
    joined to G's patterns: the same test wherever only whether G has a solution is asked.

    Under NOT EXISTS, §18.6 substitutes the outer row μ into G and asks for a solution α of G's
    patterns for which EXISTS { B }, with μ and α substituted, holds: a solution of B compatible
    with μ ∪ α, i.e. a solution of G's patterns joined with B's that is compatible with μ. The join
    may give several rows where the filter gave one, which no existence test sees. B must be
    triples only (no group, FILTER, BIND or blank node label, whose scope would change); G's
    conditions (a BGP, no zero-length path, §18.4) are checked on the result, as on any G.
    """
    g = Text("{" + inner + "}")
    if not g.balanced:
        return inner
    edits: list[Edit] = []
    for i in g.children(0):
        if not g.toks[i].word("FILTER"):
            continue
        if g.at(i + 1).word("EXISTS") and g.at(i + 2).text == "{":
            bo, last = i + 2, g.pair[i + 2]
        elif (g.at(i + 1).text == "(" and g.at(i + 2).word("EXISTS") and g.at(i + 3).text == "{"
              and g.pair.get(g.pair[i + 3] + 1) == i + 1):
            bo, last = i + 3, g.pair[i + 1]
        else:
            continue
        body = g.toks[bo + 1:g.pair[bo]]
        if not body or any(t.text in ("{", "[") or t.word(*_NOT_IN_B) or (t.kind == "pname" and t.text.startswith("_:"))
                           for t in body):
            continue
        b = g.between(bo, g.pair[bo]).strip()
        b = b[:-1].rstrip() if body[-1].text == "." else b
        before = "" if g.at(i - 1).text in ("{", ".") else ". "
        after = "" if g.at(last + 1).text in ("}", ".") else " ."
        edits.append((g.toks[i].start, g.toks[last].end, before + b + after))
    return apply_edits(g.text, edits)[1:-1] if edits else inner
