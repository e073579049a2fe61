"""Property-based: on random small graphs, a query answers the same before and after ``rewrite``.

Two properties. (1) The family's shapes — an outer pattern that certainly binds the shared
variables, and an anti-join written as NOT EXISTS or OPTIONAL/!BOUND — are always rewritten, and
answer the same on pyoxigraph and on rdflib. (2) Random groups mixing triples, OPTIONAL, UNION,
VALUES with UNDEF, inner FILTERs on inner and outer variables, paths with and without zero-length
steps, and either anti-join form anywhere in the group: whatever the rewriter decides, the answer
does not change. Property (2) is what catches an unsound condition; (1) that the rewriter is not
merely refusing everything.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.store.rewrite import explain

from .engines import on_oxigraph, on_rdflib, oxigraph_store, rdflib_dataset

PREFIX = "PREFIX : <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
NODES = [":n0", ":n1", ":n2", ":n3"]
LITERALS = ["1", "1.0", '"x"', '"x"@ja']
PREDICATES = [":p", ":q"]

triple = st.tuples(st.sampled_from(NODES), st.sampled_from(PREDICATES),
                   st.sampled_from(NODES + LITERALS), st.sampled_from([":g0", ":g1"]))
graphs = st.lists(triple, min_size=0, max_size=14)


def trig(quads: list[tuple[str, str, str, str]]) -> str:
    """The quads as TriG."""
    return PREFIX.replace("PREFIX", "@prefix").replace(">\n", "> .\n") + "".join(
        f"{g} {{ {s} {p} {o} . }}\n" for s, p, o, g in quads)


OUTER_VARS = ["?a", "?b", "?c"]
INNER_VARS = ["?a", "?b", "?c", "?x", "?y"]
PATHS = [":p", ":q", ":p/:q", "^:p", ":p+", ":p|:q", ":p*", ":q?"]


@st.composite
def outer_triple(draw: st.DrawFn) -> str:
    s = draw(st.sampled_from(OUTER_VARS + NODES[:1]))
    return f"{s} {draw(st.sampled_from(PATHS[:6]))} {draw(st.sampled_from(OUTER_VARS + NODES[:1]))}"


@st.composite
def inner_group(draw: st.DrawFn) -> tuple[str, list[str]]:
    """G: one or two triples, maybe a FILTER; and the variables its triples bind."""
    # Zero-length paths are refused every time: drawn rarely, so most groups test a decision.
    triples = [f"{draw(st.sampled_from(INNER_VARS))} {draw(st.sampled_from(PATHS + PATHS[:6] * 3))} "
               f"{draw(st.sampled_from(INNER_VARS + NODES[:1] + LITERALS[:2]))}"
               for _ in range(draw(st.integers(1, 2)))]
    bound = sorted({v for t in triples for v in t.split() if v.startswith("?")})
    text = " . ".join(triples)
    kind = draw(st.sampled_from(["none", "none", "eq", "same", "ne", "gt"]))
    if kind != "none":
        a = draw(st.sampled_from(bound))
        b = draw(st.sampled_from(OUTER_VARS + INNER_VARS))
        text += {"eq": f" FILTER({a} = {b})", "same": f" FILTER(sameTerm({a}, {b}))",
                 "ne": f" FILTER({a} != {b})", "gt": f" FILTER({a} > {b})"}[kind]
    return text, bound


@st.composite
def random_query(draw: st.DrawFn) -> str:
    parts = [draw(outer_triple()) for _ in range(draw(st.integers(0, 3)))]
    extras = draw(st.lists(st.sampled_from(["optional", "union", "values", "bind"]), max_size=2, unique=True))
    for e in extras:
        if e == "optional":
            parts.append(f"OPTIONAL {{ {draw(outer_triple())} }}")
        elif e == "union":
            parts.append(f"{{ {draw(outer_triple())} }} UNION {{ {draw(outer_triple())} }}")
        elif e == "values":
            parts.append(f"VALUES {draw(st.sampled_from(OUTER_VARS))} {{ :n0 UNDEF :n1 }}")
        else:
            parts.append(f"BIND({draw(st.sampled_from(OUTER_VARS))} AS ?e)")
    g, bound = draw(inner_group())
    if draw(st.booleans()):
        site = [f"FILTER NOT EXISTS {{ {g} }}"]
    else:
        site = [f"OPTIONAL {{ {g} }}", f"FILTER(!BOUND({draw(st.sampled_from(bound))}))"]
    at = draw(st.integers(0, len(parts)))
    parts[at:at] = site
    head = draw(st.sampled_from(["SELECT *", "SELECT ?a ?b", "SELECT DISTINCT ?a", "SELECT ?a ?x"]))
    return f"{PREFIX}{head} {{ {' . '.join(parts)} }}"


@st.composite
def family_query(draw: st.DrawFn) -> str:
    """A family shape that meets every condition: always rewritten."""
    agreement, category = "?a", "?c"
    outer = [f"{agreement} :p ?area", f"{category} :q ?area"]
    path = draw(st.sampled_from([f"{agreement} :p/:q {category}", f"{agreement} :p ?i . ?i :q {category}",
                                 f"{agreement} :p+ ?i . ?i :q {category}"]))
    form = draw(st.sampled_from(["not-exists", "optional"]))
    if form == "not-exists":
        parts = [*outer, f"FILTER NOT EXISTS {{ {path} }}"]
    else:
        var = "?i" if "?i" in path else None
        if var is None:
            path, var = f"{agreement} :p ?i . ?i :q {category}", "?i"
        parts = [*outer, f"OPTIONAL {{ {path} }}", f"FILTER(!BOUND({var}))"]
    return f"{PREFIX}SELECT {agreement} {category} {{ {' . '.join(parts)} }}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs, family_query())
def test_family_shapes_are_rewritten_and_answer_the_same(quads: list[tuple[str, str, str, str]], query: str) -> None:
    text, decisions = explain(query)
    assert decisions and all(d.rewritten for d in decisions), decisions
    data = trig(quads)
    assert on_oxigraph(oxigraph_store(data), text) == on_oxigraph(oxigraph_store(data), query)
    assert on_rdflib(rdflib_dataset(data), text) == on_rdflib(rdflib_dataset(data), query)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs, random_query())
def test_random_groups_answer_the_same_after_rewrite(quads: list[tuple[str, str, str, str]], query: str) -> None:
    store = oxigraph_store(trig(quads))
    text, decisions = explain(query)
    event("rewritten" if text != query else "left alone")
    assert on_oxigraph(store, text) == on_oxigraph(store, query)
