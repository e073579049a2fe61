"""Rewrite anti-joins written as ``FILTER NOT EXISTS`` or ``OPTIONAL … FILTER(!BOUND)`` into ``MINUS``.

pyoxigraph evaluates ``FILTER NOT EXISTS { G }`` once per candidate row and ``MINUS { G }`` as one
hash anti-join: "agreements lacking a category" takes minutes the first way at 4,000 agreements
and milliseconds the second (issue 5). The three forms are *not* equivalent in general (SPARQL 1.1
Query §8.3), so a query is rewritten only where the spec's semantics make them equal; every other
query is returned byte for byte.

>>> q = '''PREFIX r: <https://w3id.org/renkei/ns#>
... SELECT ?a ?c { ?a r:area ?x . ?c r:area ?x FILTER NOT EXISTS { ?a r:initiative/r:category ?c } }'''
>>> print(rewrite(q).splitlines()[1])
SELECT ?a ?c { ?a r:area ?x . ?c r:area ?x MINUS { ?a r:initiative/r:category ?c } }
>>> rewrite("SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?x ?y ?z } }")  # no shared variable: left alone
'SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?x ?y ?z } }'

Conditions (a site failing any one is left alone; ``explain`` says which):

1. G is one basic graph pattern (§18.2.2.6), possibly with property paths other than ``*`` and
   ``?``, and FILTERs over G's own variables. Then §18.6 ``exists`` (substitute the outer
   solution μ into G, evaluate) is non-empty exactly when some solution of G is compatible with μ
   (§18.5 Compatible Mappings): that is what MINUS tests, *provided* the two share a variable.
   Zero-length paths are refused: with both ends substituted, ``eval(:x p* :x)`` matches even a
   term that is no node of the graph (§18.4, ZeroLengthPath), which the join with an unsubstituted
   G cannot reproduce.
2. A FILTER in G on a variable G does not bind sees the outer value under NOT EXISTS (and under
   OPTIONAL's LeftJoin, §18.2.2.5) but an unbound one under MINUS. Refused, except a simple
   equality ``?inner = ?outer`` / ``sameTerm(?inner, ?outer)``: G's ``?inner`` is renamed to the
   outer variable and the FILTER dropped. For ``=`` that is sound only where ``?inner`` holds an IRI
   or blank node (subject or predicate of a triple of G), for which ``=`` is RDFterm-equal, i.e.
   sameTerm (§17.4.1.7); between literals ``1 = 1.0`` is true but the terms differ.
3. The variables G shares with the group are *certainly bound* there: bound by a triple pattern
   (or sub-select key, or GRAPH variable) outside OPTIONAL, UNION branches, BIND and VALUES with
   UNDEF — and there is at least one. MINUS removes a row only when the domains intersect
   (§18.5 Minus); NOT EXISTS with no shared variable, or one unbound in that row, asks whether
   G has any solution at all (§8.3.3).
4. The group is not inside another EXISTS/NOT EXISTS: that one's substitution could bind the shared
   variable to a constant in G and nothing in the group, which breaks condition 3 (§18.6).
5. For ``OPTIONAL { G } FILTER(!BOUND(?v))``: ``?v`` is bound by G (so always bound when G matches),
   the filter is in the same group, the shared variables are certainly bound *before* the
   OPTIONAL (LeftJoin joins G with what precedes it, §18.2.2.5), and G's other variables appear
   nowhere else in the query — after the filter they are unbound in every row, and after MINUS
   not in scope at all, which ``SELECT *`` would show (so a query with ``*`` is left alone).

The FILTER's place does not matter (a group's filters apply to the whole group, §18.2.2.5): the
MINUS is put at the end of the group, where it applies to the same solutions. The query is edited
as text — only the site changes — and the result must parse. rdflib's ``translateAlgebra`` is not
used: of the 21 queries in queries/ it turned 8 into text that fails to parse or means something
else (HAVING written as FILTER; FROM dropped, rdflib#3156; ASK unsupported).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.term import Literal, URIRef, Variable

if TYPE_CHECKING:  # rdflib's SPARQL parser is imported on first need: most queries have no site
    from rdflib.plugins.sparql.parserutils import CompValue

__all__ = ["Decision", "explain", "rewrite"]

log = logging.getLogger(__name__)

#: Most candidate sites looked at in one query; a query with more is left as written beyond them.
MAX_SITES = 32
#: Longest query text analysed: rdflib's parser is slow on huge texts, and such a text is no user's
#: hand-written comparison query.
MAX_CHARS = 100_000

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+)
  | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.\-:%\u00B7]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<op>&&|\|\||!=|<=|>=|\^\^|.)
    """,
    re.VERBOSE | re.DOTALL,
)
# An IRIREF is read wherever '<…>' matches, as SPARQL's lexer does (§19.8), but inside an
# expression '?a<?b&&?c>?d' is two comparisons. Such characters in an "IRI" make the reading
# ambiguous, and a query holding one is left alone rather than guessed at.
_AMBIGUOUS_IRI = re.compile(r"[?$'()&|=!,\s]")
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_VOLATILE = {"Builtin_RAND", "Builtin_BNODE", "Builtin_UUID", "Builtin_STRUUID"}


@dataclass(frozen=True)
class Decision:
    """What was decided for one candidate site: where, which form, whether rewritten, and why."""

    line: int
    form: str  # "NOT EXISTS" or "OPTIONAL/!BOUND"
    rewritten: bool
    reason: str


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int

    def word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words

    @property
    def name(self) -> str:  # a variable's name without its sigil (?x and $x are one variable)
        return self.text[1:]


@dataclass(frozen=True)
class _Site:
    form: str
    group: tuple[int, int]  # token indexes of the enclosing group's braces
    filter: tuple[int, int]  # first and last token of the FILTER (NOT EXISTS …) / FILTER(!BOUND(…))
    inner: tuple[int, int]  # the braces of G
    keyword: int  # the FILTER (NOT EXISTS) or OPTIONAL token, for ordering and line numbers
    var: str = ""  # ?v of !BOUND(?v)


class _Refused(Exception):
    """A site does not meet a condition; the message says which (it goes into a Decision)."""


class _Text:
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
        return self.toks[i] if 0 <= i < len(self.toks) else _Tok("end", "", len(self.text), len(self.text))

    def between(self, a: int, b: int) -> str:
        """The text strictly between tokens ``a`` and ``b``."""
        return self.text[self.toks[a].end:self.toks[b].start]

    def line(self, i: int) -> int:
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


def _sites(q: _Text) -> list[_Site]:
    """Every FILTER NOT EXISTS and OPTIONAL/FILTER(!BOUND) pair in a group, in text order."""
    found: list[_Site] = []
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
                found.append(_Site("NOT EXISTS", group, (i, q.pair[i + 3]), (i + 3, q.pair[i + 3]), i))
            elif (q.at(i + 1).text == "(" and q.at(i + 2).word("NOT") and q.at(i + 3).word("EXISTS")
                  and q.at(i + 4).text == "{" and q.pair.get(q.pair[i + 4] + 1) == i + 1):
                found.append(_Site("NOT EXISTS", group, (i, q.pair[i + 1]), (i + 4, q.pair[i + 4]), i))
            elif [x.kind if x.kind == "var" else x.text.upper() for x in q.toks[i + 1:i + 8]] == \
                    ["(", "!", "BOUND", "(", "var", ")", ")"]:
                bounds.append((i, i + 7, q.at(i + 5).name))
        for first, last, var in bounds:
            holding = [o for o in optionals if any(t.kind == "var" and t.name == var
                                                  for t in q.toks[o + 2:q.pair[o + 1]])]
            if len(holding) == 1:
                o = holding[0]
                found.append(_Site("OPTIONAL/!BOUND", group, (first, last), (o + 1, q.pair[o + 1]), o, var))
    return sorted(found, key=lambda s: s.keyword)


# --- the algebra (rdflib) of a group parsed on its own -------------------------------------------


def _algebra(prologue: str, group: str) -> CompValue:
    """The algebra of ``SELECT * { group }`` under the query's prologue, below its projection."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        query = translateQuery(parseQuery(f"{prologue}\nSELECT * {{\n{group}\n}}"))
    except Exception as e:  # noqa: BLE001 — rdflib raises pyparsing's and its own errors alike
        raise _Refused(f"rdflib cannot parse the group ({type(e).__name__})") from None
    project: CompValue = query.algebra.p
    return project.p  # type: ignore[no-any-return]


def _all_vars(node: object) -> set[Variable]:
    """Every variable mentioned anywhere below ``node`` (a safe over-estimate of what it binds)."""
    if isinstance(node, Variable):
        return {node}
    if isinstance(node, dict):
        return set().union(*(_all_vars(v) for k, v in node.items() if k != "_vars"))
    if isinstance(node, (list, tuple, set)):
        return set().union(*(_all_vars(v) for v in node))
    return set()


def _triple_vars(triples: Iterable[tuple[object, object, object]]) -> set[Variable]:
    return {t for triple in triples for t in triple if isinstance(t, Variable)}


def _possible(n: CompValue) -> set[Variable]:
    """Variables that may be bound in some solution of ``n`` (in scope, §18.2.1)."""
    name = n.name
    if name == "BGP":
        return _triple_vars(n.triples)
    if name in ("Join", "LeftJoin", "Union"):
        return _possible(n.p1) | _possible(n.p2)
    if name == "Minus":
        return _possible(n.p1)
    if name in ("Filter", "ToMultiSet", "Distinct", "Reduced", "OrderBy", "Slice"):
        return _possible(n.p)
    if name == "Extend":
        return _possible(n.p) | {n.var}
    if name == "Graph":
        return _possible(n.p) | ({n.term} if isinstance(n.term, Variable) else set())
    if name == "Project":
        return set(n.PV) & _possible(n.p)
    if name == "values":
        return {v for row in n.res for v in row}
    return _all_vars(n)


def _certain(n: CompValue) -> set[Variable]:
    """Variables bound in *every* solution of ``n``; an under-estimate where unsure."""
    name = n.name
    if name == "BGP":
        return _triple_vars(n.triples)
    if name == "Join":
        return _certain(n.p1) | _certain(n.p2)
    if name in ("LeftJoin", "Minus"):
        return _certain(n.p1)
    if name == "Union":
        return _certain(n.p1) & _certain(n.p2)
    if name in ("Filter", "ToMultiSet", "Distinct", "Reduced", "OrderBy", "Slice"):
        return _certain(n.p)
    if name == "Graph":
        return _certain(n.p) | ({n.term} if isinstance(n.term, Variable) else set())
    if name == "Project":
        return set(n.PV) & _certain(n.p)
    if name == "values":
        return set.intersection(*({v for v, x in row.items() if x != "UNDEF"} for row in n.res)) if n.res else set()
    if name == "Extend":
        # BIND(expr AS ?v) leaves ?v unbound when expr errs (§18.5 Extend); a constant or a
        # certainly bound variable cannot err. rdflib also writes a sub-select's GROUP BY keys so.
        inner = _certain(n.p)
        sure = isinstance(n.expr, (URIRef, Literal)) or (isinstance(n.expr, Variable) and n.expr in inner)
        return inner | ({n.var} if sure else set())
    if name == "AggregateJoin":
        keys = set(n.p.expr or []) & _certain(n.p.p) if n.p.name == "Group" else set()
        # COUNT always yields a number; SAMPLE of a group key is that key (§18.5 Aggregates).
        return {a.res for a in n.A if a.name == "Aggregate_Count"
                or (a.name == "Aggregate_Sample" and a.vars in keys)}
    return set()


def _path_ok(p: object) -> bool:
    """Property paths that match only existing edges (no zero-length step, §18.4)."""
    if isinstance(p, (URIRef, Variable, NegatedPath)):
        return True
    if isinstance(p, InvPath):
        return _path_ok(p.arg)
    if isinstance(p, (SequencePath, AlternativePath)):
        return all(_path_ok(a) for a in p.args)
    if isinstance(p, MulPath):
        return p.mod == "+" and _path_ok(p.path)
    return False


def _bgp(n: CompValue) -> list[tuple[object, object, object]]:
    """The triples of a pattern that is one basic graph pattern (joined BGPs are one), or refuse."""
    if n.name == "BGP":
        return list(n.triples)
    if n.name == "Join":
        return _bgp(n.p1) + _bgp(n.p2)
    raise _Refused(f"the inner group is not a basic graph pattern (holds {n.name}); §18.6 and §18.5 differ there")


def _names(node: object) -> set[str]:
    """The names of the algebra nodes (CompValue: a dict with a ``name``) under ``node``."""
    if isinstance(node, dict) and isinstance(getattr(node, "name", None), str):
        return {node.name} | _names(dict(node))  # type: ignore[attr-defined]
    if isinstance(node, dict):
        return set().union(*(_names(v) for v in node.values()))
    if isinstance(node, (list, tuple)):
        return set().union(*(_names(v) for v in node))
    return set()


# --- the text edits ------------------------------------------------------------------------------

_Edit = tuple[int, int, str]  # replace text[start:end] with the string


def _apply_edits(text: str, edits: Iterable[_Edit]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _removal(q: _Text, first: int, last: int) -> _Edit:
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


def _equalities(g: _Text) -> Iterator[tuple[int, int, str, str, bool]]:
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


_Triple = tuple[object, object, object]


def _analyse_inner(prologue: str, text: str) -> tuple[list[_Triple], set[Variable], set[Variable]]:
    """G's triples, the variables they bind, and the variables its FILTERs read beyond those."""
    n = _algebra(prologue, text)
    expr = None
    if n.name == "Filter":
        expr, n = n.expr, n.p
    triples = _bgp(n)
    for _s, p, _o in triples:
        if isinstance(p, Path) and not _path_ok(p):
            raise _Refused("the inner group has a path that may have length zero ('*' or '?'), §18.4")
    own = _triple_vars(triples)
    if expr is not None and _names(expr) & {"Builtin_EXISTS", "Builtin_NOTEXISTS"}:
        raise _Refused("a FILTER in the inner group holds another EXISTS, evaluated per row with the "
                       "outer values substituted (§18.6)")
    if expr is not None and _names(expr) & _VOLATILE:
        raise _Refused("a FILTER in the inner group calls RAND, BNODE, UUID or STRUUID, which give a "
                       "new value at each evaluation (§17.4)")
    return triples, own, (_all_vars(expr) - own if expr is not None else set())


def _normalised_inner(prologue: str, text: str, certain: set[Variable],
                      possible: set[Variable]) -> tuple[str, set[Variable], set[str]]:
    """G's text with each ``?inner = ?outer`` FILTER turned into a shared variable (condition 2)."""
    renamed: set[str] = set()
    for _ in range(8):
        triples, own, foreign = _analyse_inner(prologue, text)
        if not foreign:
            return text, own, renamed
        g = _Text("{" + text + "}")
        for first, last, a, b, same in _equalities(g):
            va, vb = Variable(a), Variable(b)
            if va in own and vb in foreign:
                inner, outer = va, vb
            elif vb in own and va in foreign:
                inner, outer = vb, va
            else:
                continue
            if outer not in certain:
                raise _Refused(f"the inner FILTER equates ?{inner} with ?{outer}, which is not certainly bound outside")
            if inner in possible:
                raise _Refused(f"?{inner} is bound outside too, and NOT EXISTS would substitute it (§18.6)")
            iri_like = any(s == inner or p == inner for s, p, _o in triples if not isinstance(p, Path))
            if not same and not iri_like:
                raise _Refused(f"'?{inner} = ?{outer}' compares values, not terms (1 = 1.0), unless ?{inner} "
                               "is a subject or predicate (an IRI or blank node, §17.4.1.7)")
            edits = [_removal(g, first, last)]
            edits += [(t.start, t.end, f"?{outer}") for k, t in enumerate(g.toks)
                      if t.kind == "var" and t.name == str(inner) and not first <= k <= last]
            text = _apply_edits(g.text, edits)[1:-1]
            renamed.add(str(inner))
            break
        else:
            names = ", ".join(sorted("?" + v for v in foreign))
            raise _Refused(f"a FILTER in the inner group reads {names}, which the group does not bind "
                           "(the outer value under NOT EXISTS, none under MINUS; §18.6)")
    raise _Refused("too many equalities in the inner group")


# --- one site ------------------------------------------------------------------------------------


def _rewrite_site(q: _Text, site: _Site) -> str:
    """The query with ``site`` rewritten to MINUS, or _Refused saying which condition fails."""
    go, gc = site.group
    if q.in_exists(go):
        raise _Refused("the group is inside another EXISTS, whose substitution could remove the shared "
                       "variable (§18.6)")
    prologue = q.prologue()
    first, last = site.filter
    start, end = q.toks[first].start, q.toks[last].end
    if site.form == "NOT EXISTS":
        # The whole group's other patterns: the FILTER applies to all of them (§18.2.2.5).
        outer = q.text[q.toks[go].end:start] + " FILTER(true) " + q.text[end:q.toks[gc].start]
    else:
        # What precedes the OPTIONAL: the left side of its LeftJoin (§18.2.2.5).
        outer = q.text[q.toks[go].end:q.toks[site.keyword].start]
    p = _algebra(prologue, outer)
    certain, possible = _certain(p), _possible(p)
    ib, ie = site.inner
    inner, own, renamed = _normalised_inner(prologue, q.between(ib, ie), certain, possible)
    shared = own & possible
    if not shared:
        raise _Refused("the inner group shares no variable with the group: MINUS would remove nothing "
                       "(§18.5 Minus), NOT EXISTS everything or nothing (§8.3.3)")
    if shared - certain:
        names = ", ".join(sorted("?" + v for v in shared - certain))
        raise _Refused(f"{names} shared with the inner group but not certainly bound before it "
                       "(OPTIONAL, UNION, BIND or VALUES): where unbound, MINUS keeps the row (§8.3.3)")
    unchanged = inner == q.between(ib, ie)
    if site.form == "OPTIONAL/!BOUND":
        if Variable(site.var) not in own and site.var not in renamed:
            raise _Refused(f"?{site.var} is not bound by the OPTIONAL's triples")
        inside = {t.name for t in q.toks[ib:ie + 1] if t.kind == "var"}
        outside = {t.name for k, t in enumerate(q.toks) if t.kind == "var"
                   and not ib <= k <= ie and not first <= k <= last}
        if site.var in outside or Variable(site.var) in possible:
            # !BOUND(?v) of a variable bound outside the OPTIONAL tests that binding, not G (§17.4.1.1).
            raise _Refused(f"?{site.var} is bound outside the OPTIONAL too: !BOUND tests that binding")
        leaked = (inside - {str(v) for v in shared}) & outside
        if leaked:
            raise _Refused(f"{', '.join(sorted('?' + v for v in leaked))} of the OPTIONAL is used elsewhere "
                           "in the query, where it would no longer be bound")
        if any(t.text == "*" and q.at(k - 1).word("SELECT", "DISTINCT", "REDUCED", "DESCRIBE")
               for k, t in enumerate(q.toks)):
            raise _Refused("SELECT * would lose the OPTIONAL's variables from its header")
        edits = [(q.toks[site.keyword].start, q.toks[site.keyword].end, "MINUS"), _removal(q, first, last)]
        if not unchanged:
            edits.append((q.toks[ib].end, q.toks[ie].start, inner))
        return _apply_edits(q.text, edits)
    # NOT EXISTS: in place when nothing but the group's end follows, else moved to the group's end.
    follow = last + 2 if q.at(last + 1).text == "." else last + 1
    g_text = q.between(ib, ie) if unchanged else inner
    if follow == gc:
        return _apply_edits(q.text, [(start, end, "MINUS {" + g_text + "}")])
    # After the group's last token, indented as the FILTER was, so the text keeps its shape.
    line_start = q.text.rfind("\n", 0, start) + 1
    indent = q.text[line_start:start] if not q.text[line_start:start].strip() else " "
    at = q.toks[gc - 1].end
    moved = ("\n" + indent if indent != " " else " ") + "MINUS {" + g_text + "}"
    return _apply_edits(q.text, [_removal(q, first, last), (at, at, moved)])


# --- the public functions ------------------------------------------------------------------------


def _global_refusal(q: _Text) -> str | None:
    """A reason to leave the whole query alone, or None."""
    if not q.balanced:
        return "unbalanced braces or parentheses"
    if any(t.word("SERVICE") for t in q.toks):
        return "SERVICE: the remote engine's semantics are not ours to assume"
    if any(t.kind == "iri" and _AMBIGUOUS_IRI.search(t.text[1:-1]) for t in q.toks):
        return "an '<…>' that may be an IRI or two comparisons (§19.8): the reading is ambiguous"
    return None


def explain(query: str) -> tuple[str, list[Decision]]:
    """The rewritten query and one Decision per candidate site (rewritten or why not)."""
    text, decisions = _explain(query)
    return text, list(decisions)


@lru_cache(maxsize=512)
def _explain(query: str) -> tuple[str, tuple[Decision, ...]]:
    """:func:`explain`, remembered: rdflib's parser costs tens of milliseconds a site, and the
    same texts (the library's, a page's examples) come back again and again."""
    if len(query) > MAX_CHARS:
        return query, ()
    q = _Text(query)
    sites = _sites(q) if q.balanced else []
    if not sites:
        return query, ()
    refusal = _global_refusal(q)
    if refusal is not None:
        return query, tuple(Decision(q.line(s.keyword), s.form, False, refusal) for s in sites)
    decisions: list[Decision] = []
    text, skipped = query, 0
    while len(decisions) < MAX_SITES:
        q = _Text(text)
        sites = _sites(q)
        if skipped >= len(sites):
            break
        site = sites[skipped]
        try:
            new = _rewrite_site(q, site)
            try:
                from rdflib.plugins.sparql.parser import parseQuery

                parseQuery(new)
            except Exception as e:  # noqa: BLE001 — rdflib raises pyparsing's and its own errors
                # Either the query was not one rdflib reads (SPARQL 1.2 syntax, say) or the splice
                # went wrong: in both cases the query is sent as written.
                raise _Refused(f"rdflib cannot parse the query as rewritten ({type(e).__name__})") from None
        except _Refused as e:
            decisions.append(Decision(q.line(site.keyword), site.form, False, str(e)))
            skipped += 1
            continue
        decisions.append(Decision(q.line(site.keyword), site.form, True, "rewritten to MINUS"))
        log.debug("rewrote %s at line %d to MINUS", site.form, decisions[-1].line)
        text = new
    return text, tuple(decisions)


def rewrite(query: str) -> str:
    """``query`` with each provably equivalent NOT EXISTS / OPTIONAL-!BOUND anti-join as MINUS."""
    return explain(query)[0]
