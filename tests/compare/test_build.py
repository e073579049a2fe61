"""On a real ``kg build`` of data/: the store a release holds is what compare and the charts read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.compare import StoreSource, compare
from kg.settings import Settings
from kg.svg import coverage, timeline

from .conftest import KORIYAMA, ROOT


@pytest.mark.slow
def test_the_current_release_is_read_through_store_source(tmp_path: Path) -> None:
    settings = Settings(root=ROOT, data_dir=ROOT / "data", build_dir=tmp_path)
    source = StoreSource.current(settings)  # builds first: there is no release in tmp_path yet
    assert (tmp_path / "current" / "manifest.json").is_file()
    same = compare(source, settings.ids, KORIYAMA, KORIYAMA)
    assert len(same.rows) == len(same.a.initiatives) > 0
    tl = timeline(source)
    assert tl.marks > 40 and len(tl.rows) == 37  # the registry's areas and its additions
    ringed = [m for r in tl.rows for m in r.marks if m.in_dataset]
    assert [m.date.isoformat() for m in ringed] == ["2019-10-18"]  # the founding agreement
    assert [r.label for r in coverage(source, settings.ids).rows] == ["郡山市–二本松市 2019-10-18"]
