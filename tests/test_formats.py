"""kg.formats is the one table of RDF syntaxes: every row is complete, unambiguous and what rdflib and
pyoxigraph read and write under the names it gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg.cli.output import RdfOutput
from kg.formats import DATASET_FORMATS, GRAPH_FORMATS, RDF_FORMATS, RESULT_FORMATS, by_extension, by_media_type

_S, _P, _G = URIRef("https://w3id.org/renkei/id/x"), URIRef("https://w3id.org/renkei/ns#p"), \
    URIRef("https://w3id.org/renkei/graph/g")


def test_every_name_extension_and_media_type_names_one_row() -> None:
    for rows in (RDF_FORMATS, RESULT_FORMATS):
        assert len({f.name for f in rows}) == len(rows)
        assert len({f.extension for f in rows}) == len(rows)
        media = [m for f in rows for m in f.media_types]
        assert len(set(media)) == len(media), "a media type names two rows"
    assert set(GRAPH_FORMATS) | set(DATASET_FORMATS) == set(RDF_FORMATS)


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_each_rdf_row_is_complete_and_found_by_its_names(fmt) -> None:  # type: ignore[no-untyped-def]
    assert fmt.label and fmt.rdflib and isinstance(fmt.rdf_format, ox.RdfFormat)
    assert by_extension("." + fmt.extension) is fmt
    assert all(by_media_type(m) is fmt for m in fmt.media_types)
    assert fmt.rdf_format.supports_datasets == fmt.datasets


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_rdflib_writes_what_pyoxigraph_reads_back_under_the_rows_names(fmt) -> None:  # type: ignore[no-untyped-def]
    data: Graph = Dataset() if fmt.datasets else Graph()
    target = data.graph(_G) if isinstance(data, Dataset) else data
    target.add((_S, _P, Literal("郡山市", lang="ja")))
    body = data.serialize(format=fmt.rdflib, encoding="utf-8")
    quads = list(ox.parse(body, format=fmt.rdf_format))
    assert [q.object.value for q in quads] == ["郡山市"]
    if fmt.datasets:
        assert quads[0].graph_name == ox.NamedNode(str(_G))


def test_the_commands_rdf_choices_are_rows_of_the_table() -> None:
    assert [o.syntax.extension for o in RdfOutput] == [o.value for o in RdfOutput]
