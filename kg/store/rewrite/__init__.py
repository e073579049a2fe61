"""Rewrite anti-joins written as ``FILTER NOT EXISTS`` or ``OPTIONAL … FILTER(!BOUND)`` into ``MINUS``.

pyoxigraph evaluates ``FILTER NOT EXISTS { G }`` once per candidate row and ``MINUS { G }`` as one
hash anti-join: "agreements lacking a category" takes minutes the first way at 4,000 agreements
and milliseconds the second (issue 5). The three forms are *not* equivalent in general (SPARQL 1.1
Query §8.3), so a query is rewritten only where the spec's semantics make them equal; every other
query is returned byte for byte (but for the dotted names and one-value VALUES below).

>>> q = '''PREFIX r: <https://w3id.org/renkei/ns#>
... SELECT ?a ?c { ?a r:area ?x . ?c r:area ?x FILTER NOT EXISTS { ?a r:initiative/r:category ?c } }'''
>>> print(rewrite(q).splitlines()[1])
SELECT ?a ?c { ?a r:area ?x . ?c r:area ?x MINUS { ?a r:initiative/r:category ?c } }
>>> rewrite("SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?x ?y ?z } }")  # no shared variable: left alone
'SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?x ?y ?z } }'

``FILTER (!EXISTS { G })`` is the same site as ``FILTER NOT EXISTS { G }``: §18.2.2.2 translates
both to ``fn:not(exists(G))``.

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
6. For ``OPTIONAL { G } … } GROUP BY ?k … HAVING (COUNT(?v) = 0)`` (the counting spelling of
   condition 5, with ``COUNT(DISTINCT ?v)`` too): condition 5, with the HAVING in the filter's
   place, the HAVING the only constraint, and every variable G shares with the group a GROUP BY
   key. Then G matches every row of a group or none (its shared values are the group's), so a
   group counts no ``?v`` exactly when none of its rows has a match, i.e. when MINUS keeps all
   of them; the rows MINUS keeps are the rows the LeftJoin kept unextended, so the other
   aggregates are unchanged (§18.5 Group, Aggregation). The HAVING is removed.

A ``FILTER EXISTS { B }`` directly in the G of a NOT EXISTS, B triples only, is first written as
B joined to G (``kg.store.rewrite.text.flatten_exists`` says why that is the same test), so the
nested spelling "no initiative ``?j`` such that EXISTS { ``?j`` has the category }" meets
condition 1. And a prefixed name with two dots or more in its local part (``fw:3.A.7``), which
pyoxigraph 0.5.13 rejects, is written as its IRI first (``kg.store.rewrite.names``), and the
variable of a one-value ``VALUES`` (a parameter of the library's queries) or of a constant
``BIND`` as its value in the FILTERs of its group, which pyoxigraph otherwise applies after every join
(``kg.store.rewrite.constants``).

The FILTER's place does not matter (a group's filters apply to the whole group, §18.2.2.5): the
MINUS is put at the end of the group, where it applies to the same solutions. The query is edited
as text — only the site changes — and the result must parse. rdflib's ``translateAlgebra`` is not
used: of the 21 queries in queries/ it turned 8 into text that fails to parse or means something
else (HAVING written as FILTER; FROM dropped, rdflib#3156; ASK unsupported).
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

from rdflib.paths import Path
from rdflib.term import Variable

from kg.store.rewrite.constants import inline_constants
from kg.store.rewrite.names import expand_dotted_names
from kg.store.rewrite.scope import Refused, algebra, analyse_inner, certainly_bound, possibly_bound
from kg.store.rewrite.text import (
    AMBIGUOUS_IRI,
    Site,
    Text,
    apply_edits,
    equalities,
    flatten_exists,
    removal,
    sites,
)

__all__ = ["Decision", "explain", "rewrite"]

log = logging.getLogger(__name__)

#: Most candidate sites looked at in one query; a query with more is left as written beyond them.
MAX_SITES = 32
#: Longest query text analysed: rdflib's parser is slow on huge texts, and such a text is no user's
#: hand-written comparison query.
MAX_CHARS = 100_000


@dataclass(frozen=True)
class Decision:
    """What was decided for one candidate site: where, which form, whether rewritten, and why."""

    line: int
    form: str  # "NOT EXISTS", "OPTIONAL/!BOUND" or "OPTIONAL/HAVING"
    rewritten: bool
    reason: str


def _normalised_inner(prologue: str, text: str, certain: set[Variable],
                      possible: set[Variable]) -> tuple[str, set[Variable], set[str]]:
    """G's text with each ``?inner = ?outer`` FILTER turned into a shared variable (condition 2)."""
    renamed: set[str] = set()
    for _ in range(8):
        triples, own, foreign = analyse_inner(prologue, text)
        if not foreign:
            return text, own, renamed
        g = Text("{" + text + "}")
        for first, last, a, b, same in equalities(g):
            va, vb = Variable(a), Variable(b)
            if va in own and vb in foreign:
                inner, outer = va, vb
            elif vb in own and va in foreign:
                inner, outer = vb, va
            else:
                continue
            if outer not in certain:
                raise Refused(f"the inner FILTER equates ?{inner} with ?{outer}, which is not certainly bound outside")
            if inner in possible:
                raise Refused(f"?{inner} is bound outside too, and NOT EXISTS would substitute it (§18.6)")
            iri_like = any(s == inner or p == inner for s, p, _o in triples if not isinstance(p, Path))
            if not same and not iri_like:
                raise Refused(f"'?{inner} = ?{outer}' compares values, not terms (1 = 1.0), unless ?{inner} "
                               "is a subject or predicate (an IRI or blank node, §17.4.1.7)")
            edits = [removal(g, first, last)]
            edits += [(t.start, t.end, f"?{outer}") for k, t in enumerate(g.toks)
                      if t.kind == "var" and t.name == str(inner) and not first <= k <= last]
            text = apply_edits(g.text, edits)[1:-1]
            renamed.add(str(inner))
            break
        else:
            names = ", ".join(sorted("?" + v for v in foreign))
            raise Refused(f"a FILTER in the inner group reads {names}, which the group does not bind "
                           "(the outer value under NOT EXISTS, none under MINUS; §18.6)")
    raise Refused("too many equalities in the inner group")


# --- one site ------------------------------------------------------------------------------------


def _rewrite_site(q: Text, site: Site) -> str:
    """The query with ``site`` rewritten to MINUS, or Refused saying which condition fails."""
    go, gc = site.group
    if q.in_exists(go):
        raise Refused("the group is inside another EXISTS, whose substitution could remove the shared "
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
    p = algebra(prologue, outer)
    certain, possible = certainly_bound(p), possibly_bound(p)
    ib, ie = site.inner
    written = q.between(ib, ie)
    flat = flatten_exists(written) if site.form == "NOT EXISTS" else written
    inner, own, renamed = _normalised_inner(prologue, flat, certain, possible)
    shared = own & possible
    if not shared:
        raise Refused("the inner group shares no variable with the group: MINUS would remove nothing "
                       "(§18.5 Minus), NOT EXISTS everything or nothing (§8.3.3)")
    if shared - certain:
        names = ", ".join(sorted("?" + v for v in shared - certain))
        raise Refused(f"{names} shared with the inner group but not certainly bound before it "
                       "(OPTIONAL, UNION, BIND or VALUES): where unbound, MINUS keeps the row (§8.3.3)")
    if site.form == "OPTIONAL/HAVING" and {str(v) for v in shared} - set(site.keys):
        names = ", ".join(sorted("?" + v for v in {str(v) for v in shared} - set(site.keys)))
        raise Refused(f"{names} shared with the OPTIONAL but not a GROUP BY key: a group may hold rows "
                       "where it matches and rows where it does not (§18.5 Group)")
    unchanged = inner == written
    if site.form != "NOT EXISTS":
        if Variable(site.var) not in own and site.var not in renamed:
            raise Refused(f"?{site.var} is not bound by the OPTIONAL's triples")
        inside = {t.name for t in q.toks[ib:ie + 1] if t.kind == "var"}
        outside = {t.name for k, t in enumerate(q.toks) if t.kind == "var"
                   and not ib <= k <= ie and not first <= k <= last}
        if site.var in outside or Variable(site.var) in possible:
            # !BOUND(?v) of a variable bound outside the OPTIONAL tests that binding, not G (§17.4.1.1).
            raise Refused(f"?{site.var} is bound outside the OPTIONAL too: !BOUND tests that binding")
        leaked = (inside - {str(v) for v in shared}) & outside
        if leaked:
            raise Refused(f"{', '.join(sorted('?' + v for v in leaked))} of the OPTIONAL is used elsewhere "
                           "in the query, where it would no longer be bound")
        if any(t.text == "*" and q.at(k - 1).word("SELECT", "DISTINCT", "REDUCED", "DESCRIBE")
               for k, t in enumerate(q.toks)):
            raise Refused("SELECT * would lose the OPTIONAL's variables from its header")
        gone = removal(q, first, last) if site.form == "OPTIONAL/!BOUND" else _having_removal(q, first, last)
        edits = [(q.toks[site.keyword].start, q.toks[site.keyword].end, "MINUS"), gone]
        if not unchanged:
            edits.append((q.toks[ib].end, q.toks[ie].start, inner))
        return apply_edits(q.text, edits)
    # NOT EXISTS: in place when nothing but the group's end follows, else moved to the group's end.
    follow = last + 2 if q.at(last + 1).text == "." else last + 1
    g_text = q.between(ib, ie) if unchanged else inner
    if follow == gc:
        return apply_edits(q.text, [(start, end, "MINUS {" + g_text + "}")])
    # After the group's last token, indented as the FILTER was, so the text keeps its shape.
    line_start = q.text.rfind("\n", 0, start) + 1
    indent = q.text[line_start:start] if not q.text[line_start:start].strip() else " "
    at = q.toks[gc - 1].end
    moved = ("\n" + indent if indent != " " else " ") + "MINUS {" + g_text + "}"
    return apply_edits(q.text, [removal(q, first, last), (at, at, moved)])


def _having_removal(q: Text, first: int, last: int) -> tuple[int, int, str]:
    """Delete the HAVING clause ``first..last``: its line when it stands alone on it."""
    start, end = q.toks[first].start, q.toks[last].end
    line_start = q.text.rfind("\n", 0, start) + 1
    line_end = q.text.find("\n", end)
    line_end = len(q.text) if line_end < 0 else line_end
    if not q.text[line_start:start].strip() and not q.text[end:line_end].strip():
        return line_start, min(line_end + 1, len(q.text)), ""
    return start, end, ""


# --- the public functions ------------------------------------------------------------------------


def _global_refusal(q: Text) -> str | None:
    """A reason to leave the whole query alone, or None."""
    if not q.balanced:
        return "unbalanced braces or parentheses"
    if any(t.word("SERVICE") for t in q.toks):
        return "SERVICE: the remote engine's semantics are not ours to assume"
    if any(t.kind == "iri" and AMBIGUOUS_IRI.search(t.text[1:-1]) for t in q.toks):
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
    query = expand_dotted_names(query)  # the engine rejects them (names.py); the same IRIs
    query = inline_constants(query)  # the engine filters late otherwise (constants.py); the same values
    if len(query) > MAX_CHARS:
        return query, ()
    q = Text(query)
    found = sites(q) if q.balanced else []
    if not found:
        return query, ()
    refusal = _global_refusal(q)
    if refusal is not None:
        return query, tuple(Decision(q.line(s.keyword), s.form, False, refusal) for s in found)
    decisions: list[Decision] = []
    text, skipped = query, 0
    while len(decisions) < MAX_SITES:
        q = Text(text)
        found = sites(q)
        if skipped >= len(found):
            break
        site = found[skipped]
        try:
            new = _rewrite_site(q, site)
            try:
                from rdflib.plugins.sparql.parser import parseQuery

                parseQuery(new)
            except Exception as e:  # noqa: BLE001 — rdflib raises pyparsing's and its own errors
                # Either the query was not one rdflib reads (SPARQL 1.2 syntax, say) or the splice
                # went wrong: in both cases the query is sent as written.
                raise Refused(f"rdflib cannot parse the query as rewritten ({type(e).__name__})") from None
        except Refused as e:
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
