"""validate_path on RDF files: every serialisation, and every way a file can be unusable (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from validate_inputs import SHAPES_DATA

from kg.errors import DecodeError, InputError, KgError, RdfSyntaxError
from kg.formats import by_extension
from kg.settings import Settings
from kg.validation.validate import RDF_SUFFIXES, read_rdf, validate_path

BASE = Graph().parse(SHAPES_DATA / "base.ttl")
GRAPH_NAME = URIRef("https://w3id.org/renkei/graph/agreement/072036-072109-2019-10-18")


def _write(folder: Path, suffix: str) -> Path:
    fmt = by_extension(suffix)
    assert fmt is not None
    rdflib_format, quads = fmt.rdflib, fmt.datasets
    path = folder / f"agreement{suffix}"
    if quads:
        ds = Dataset()
        named = ds.graph(GRAPH_NAME)
        for triple in BASE:
            named.add(triple)
        ds.serialize(path, format=rdflib_format, encoding="utf-8")
    else:
        BASE.serialize(path, format=rdflib_format, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_every_rdf_serialisation_of_a_good_agreement_conforms(tmp_path: Path, suffix: str,
                                                             settings: Settings) -> None:
    report = validate_path(_write(tmp_path, suffix), settings)
    assert report.results == () and report.exit_code == 0


@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_read_rdf_keeps_every_triple(tmp_path: Path, suffix: str) -> None:
    g = read_rdf(_write(tmp_path, suffix))
    quads = g.quads((None, None, None, None)) if isinstance(g, Dataset) else ((*t, None) for t in g)
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert len(triples) == len(BASE)


SYNTAX_ERRORS = {
    "turtle-unterminated-string": (".ttl", '@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n'
                                   'ex:a ex:b "open .\n', 3),
    "turtle-undeclared-prefix": (".ttl", "<http://a> <http://b> <http://c> .\n\n"
                                 "foo:a <http://b> <http://c> .\n", 3),
    "ntriples-missing-dot": (".nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> <http://c>\n"
                             "<http://d> <http://b> <http://c> .\n", 3),
    "nquads-bad-iri": (".nq", "<http://a> <http://b> <http://c> <http://g> .\n"
                       "<http://a> <b c> <http://c> .\n", 2),
    "trig-unclosed-graph": (".trig", "<http://g> {\n<http://a> <http://b> <http://c> .\n", 3),
    "jsonld-trailing-comma": (".jsonld", '{"@id": "http://a",\n "http://b": [1,}\n', 2),
    "rdfxml-unclosed": (".rdf", '<?xml version="1.0"?>\n'
                        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                        '<rdf:Description>\n', 4),
}


@pytest.mark.parametrize("name", sorted(SYNTAX_ERRORS))
def test_syntax_error_is_rdf_syntax_error_naming_the_line(tmp_path: Path, name: str,
                                                          settings: Settings) -> None:
    suffix, text, line = SYNTAX_ERRORS[name]
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RdfSyntaxError) as caught:
        validate_path(path, settings)
    assert caught.value.exit_code == 2
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert str(caught.value).startswith(f"{path}:{line}: not valid ")


def test_binary_file_is_a_decode_error(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "garbage.ttl"
    path.write_bytes(b"@prefix ex: <http://ex/> .\n\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(DecodeError, match="not UTF-8") as caught:
        validate_path(path, settings)
    assert caught.value.line == 2 and caught.value.exit_code == 2


@pytest.mark.parametrize("content, expected", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n", "neither a renkei:Agreement nor a renkei:Amendment"),
], ids=["empty", "blank", "no-agreement"])
def test_file_without_an_agreement_is_unusable(tmp_path: Path, content: bytes, expected: str,
                                               settings: Settings) -> None:
    path = tmp_path / "x.ttl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        validate_path(path, settings)


def test_unknown_extension_names_the_ones_it_knows(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "agreement.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError, match=r"unknown file type '.xlsx'.*\.ttl .*\.txt .*\.pdf .*\.docx"):
        validate_path(path, settings)


def test_missing_file_and_directory_are_input_errors(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate_path(tmp_path / "absent.ttl", settings)
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        validate_path(folder, settings)


def test_text_that_is_no_agreement_ends_as_a_kg_error(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("これは協約ではありません。\n", encoding="utf-8")
    with pytest.raises(KgError) as caught:
        validate_path(path, settings)
    assert caught.value.exit_code == 2 and caught.value.file == str(path)
