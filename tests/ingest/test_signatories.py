"""signatories: printed names kept, people identified separately, with a note when they differ."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import IngestError
from kg.ingest.decode import decode
from kg.ingest.parties import Parties, read_parties
from kg.ingest.segment import segment
from kg.ingest.signatories import read_signatories
from kg.ingest.structure import Line
from kg.reference.tables import Registry, load_registry
from kg.settings import Settings

DAY = dt.date(2019, 10, 18)


@pytest.fixture(scope="module")
def registry(settings: Settings) -> Registry:
    return load_registry(settings.data_path / "reference")


@pytest.fixture(scope="module")
def parties(registry: Registry) -> Parties:
    text = "郡山市（以下「甲」という。）及び二本松市（以下「乙」という。）は、締結する。\n第1条 目的。\n"
    return read_parties(segment(decode(text.encode("utf-8"), "x.txt")), registry)


def _lines(*texts: str) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(texts, 40)]


def test_printed_name_equal_but_for_spaces_needs_no_note(parties: Parties, registry: Registry) -> None:
    [sig] = read_signatories(_lines("郡山市", "郡山市長", "品川 萬里"), parties, DAY, registry, "x.txt")
    assert (sig.party, sig.printed_title, sig.printed_name) == ("072036", "郡山市長", "品川 萬里")
    assert sig.person is not None and sig.person.slug == "shinagawa-masato" and sig.note_ja is None


def test_misprinted_name_is_identified_by_term_with_a_note(parties: Parties, registry: Registry) -> None:
    [sig] = read_signatories(_lines("二本松市長", "三保、忠一"), parties, DAY, registry, "x.txt")
    assert sig.printed_name == "三保、忠一" and sig.person is not None and sig.person.name == "三保恵一"
    assert sig.note_ja and "三保、忠一" in sig.note_ja and sig.note_en and "Keiichi Miho" in sig.note_en


def test_block_without_a_name_is_identified_by_term_with_a_note(parties: Parties, registry: Registry) -> None:
    [sig] = read_signatories(_lines("乙\u3000二本松市長"), parties, DAY, registry, "x.txt")
    assert sig.printed_name is None and sig.person is not None and sig.person.slug == "miho-keiichi"
    assert sig.note_en and sig.note_en.startswith("No name is printed")


def test_office_holder_unknown_before_the_term(parties: Parties, registry: Registry) -> None:
    [sig] = read_signatories(_lines("二本松市長"), parties, dt.date(2015, 4, 1), registry, "x.txt")
    assert sig.person is None and sig.note_ja is None


def test_alias_prefixed_party_lines_and_spans(parties: Parties, registry: Registry) -> None:
    lines = _lines("甲\u3000郡山市", "郡山市長", "乙\u3000二本松市", "二本松市長")
    sigs = read_signatories(lines, parties, DAY, registry, "x.txt")
    assert [(s.party, s.span.first, s.span.last) for s in sigs] == [("072036", 40, 41), ("072109", 42, 43)]


def test_unreadable_signature_line_is_refused(parties: Parties, registry: Registry) -> None:
    with pytest.raises(IngestError, match="signature block") as e:
        read_signatories(_lines("立会人 某"), parties, DAY, registry, "x.txt")
    assert e.value.line == 40
