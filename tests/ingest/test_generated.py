"""Round trip with kg.generate: synthetic agreements in T1, T3 and I1 come back as generated.

The generator (kg/generate.py) draws parties, dates and initiatives from the real registry and
records what each text says; ingesting the text must give back the same parties, date, layout,
initiatives per pillar, categories and who leads.
"""

from __future__ import annotations

import gc
import warnings

import pytest

from kg.generate import Generated, plan, render
from kg.ingest import ingest_bytes
from kg.namespaces import RENKEI
from kg.settings import Settings

# docs/framework.md maps 「職員の人材育成」 to 3.C.1 (keyword 人材育成); kg/generate.py lists that title
# under 3.C. The ingester follows docs/framework.md; the generator's table is to be corrected.
FRAMEWORK_MD = {"職員の人材育成": "3.C.1"}



def _corpus() -> list[Generated]:
    # kg.generate._pairs leaves data/reference/memberships.csv open (reported); collect it here,
    # where its ResourceWarning is expected, rather than in whichever test the GC happens to hit.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        corpus = plan(24, seed=1, settings=Settings())
        gc.collect()
    return corpus


CORPUS = _corpus()


def test_generated_corpus_covers_every_generated_layout() -> None:
    assert {g.layout for g in CORPUS} == {"T1", "T3", "I1"}


@pytest.mark.parametrize("generated", CORPUS, ids=lambda g: g.file)
def test_generated_agreement_round_trips(generated: Generated, settings: Settings) -> None:
    result = ingest_bytes(render(generated).encode("utf-8"), generated.file, settings)
    graph, a = result.graph, result.agreement
    assert result.layout == generated.layout
    assert str(a).endswith(f"/{generated.central}-{generated.partner}-{generated.date}")
    assert str(graph.value(a, RENKEI.centralCity)).endswith(generated.central)
    got = []
    for initiative in graph.objects(a, RENKEI.initiative):
        category = graph.value(initiative, RENKEI.category)
        leaders = {str(graph.value(r, RENKEI.actor)).rsplit("/", 1)[-1]
                   for r in graph.objects(initiative, RENKEI.role) if graph.value(r, RENKEI.lead).toPython()}
        got.append((int(str(graph.value(initiative, RENKEI.pillar)).rsplit("/", 1)[-1]),
                    str(category).rsplit("/", 1)[-1] if category else None, frozenset(leaders)))
    want = [(i.pillar, FRAMEWORK_MD.get(i.title, i.category),
             frozenset({generated.partner if i.partner_leads else generated.central}))
            for i in generated.initiatives]
    assert sorted(got, key=str) == sorted(want, key=str)
