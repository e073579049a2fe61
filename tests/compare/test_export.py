"""The JSON and CSV shapes of a comparison (docs/compare.md), which scripts rely on."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.compare import CSV_COLUMNS, SCHEMA_VERSION, Comparison, StoreSource, compare, to_csv, to_json
from kg.namespaces import Ids

from .conftest import KORIYAMA, KUMAMOTO

INITIATIVE_KEYS = {"iri", "identifier", "title", "content", "pillar", "category", "categories", "lead", "central_role",
                   "partner_role"}
ROW_KEYS = {"match", "pillar", "category", "similarity", "a", "b", "lead", "diff"}


@pytest.fixture(scope="module")
def comparison(source: StoreSource, ids: Ids) -> Comparison:
    return compare(source, ids, KORIYAMA, KUMAMOTO)


def test_json_has_the_documented_top_level_shape(comparison: Comparison) -> None:
    data = json.loads(json.dumps(to_json(comparison), ensure_ascii=False))
    assert set(data) == {"schema_version", "a", "b", "summary", "rows"}
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["a"]["key"] == KORIYAMA and data["b"]["key"] == KUMAMOTO
    assert data["a"]["central"] == {"iri": "https://w3id.org/renkei/id/municipality/072036", "code": "072036",
                                    "name": "郡山市"}
    assert data["b"]["partner"]["name"] == "山鹿市"
    assert data["summary"]["shared_categories"] == comparison.shared_categories


def test_json_rows_and_summary_agree(comparison: Comparison) -> None:
    data = to_json(comparison)
    rows = data["rows"]
    assert isinstance(rows, list) and len(rows) == len(comparison.rows)
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert summary["pairs"] + summary["only_a"] == len(comparison.a.initiatives)
    assert summary["pairs"] + summary["only_b"] == len(comparison.b.initiatives)
    for row in rows:
        assert set(row) == ROW_KEYS
        for side in ("a", "b"):
            assert row[side] is None or set(row[side]) == INITIATIVE_KEYS
        assert (row["diff"] is None) == (row["match"] in ("only_a", "only_b"))


def test_json_diff_segments_rebuild_both_texts(comparison: Comparison) -> None:
    for row in to_json(comparison)["rows"]:
        if row["diff"] is None:
            continue
        for name in ("title", "content"):
            segs = row["diff"][name]
            assert "".join(s["text"] for s in segs if s["op"] != "insert") == row["a"][name]
            assert "".join(s["text"] for s in segs if s["op"] != "delete") == row["b"][name]


def test_csv_has_a_header_and_one_line_per_row(comparison: Comparison) -> None:
    text = to_csv(comparison)
    assert text.endswith("\r\n")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert list(lines[0]) == list(CSV_COLUMNS)
    assert len(lines) == len(comparison.rows)
    medical = next(r for r in lines if r["category"] == "2.a")
    assert medical["a_title"] == medical["b_title"] == "高度な医療サービスの提供"
    assert medical["match"] == "category" and medical["similarity"] == "1.000"
    assert medical["a_partner_role"].startswith("郡山市と連携して")
    only_a = next(r for r in lines if r["match"] == "only_a")
    assert only_a["b_title"] == "" and only_a["a_title"] == "地域資源を活用した地域経済の裾野拡大"
    # 「地域医療・福祉・子育ての充実」 falls under 3.A.1 and 3.A.3: T3's 子育て支援 pairs with it on 3.A.3.
    childcare = next(r for r in lines if r["b_title"] == "子育て支援の充実")
    assert childcare["match"] == "category" and childcare["category"] == "3.A.3"
