"""Quality gate: wire lineage on the hand-labelled ECB+ dev copy groups may not drop.

Measured when pinned (issue 17), odd / even topics. The shipped copy rule: pair F1 0.929 /
0.964, exact independent-source counts 17/18 / 19/22; with the rule
chosen on the other half (held back): F1 0.935 / 0.964, exact 15/18 / 19/22. Floors sit a
little under these. The 8-gram containment baseline (F1 0.871 / 0.776) is held below us on
both halves. Raise the floors when lineage improves; never lower them to make a change pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.errors import DatasetError
from newsprism.eval.lineage import LineageEval, evaluate_lineage, format_lineage
from tests.conftest import shared_path

SHIPPED_F1 = 0.91  # each half
SHIPPED_EXACT = 0.85  # share of events, each half (17/18 and 19/22 measured)
HELD_OUT_F1 = 0.92  # the rule chosen on the other half
HELD_OUT_EXACT = 0.8  # 15/18 and 19/22 measured


@pytest.fixture(scope="module")
def result() -> LineageEval:
    return evaluate_lineage(
        shared_path("data", "ecbplus", "docs.dev.jsonl"),
        shared_path("data", "lineage", "ecbplus.dev.wire.json"),
        folds=2,
    )


@pytest.mark.eval
def test_lineage_halves_floor(result: LineageEval) -> None:
    table = format_lineage(result)
    parts = dict(result.rows)
    assert parts["all events"][0].gold == 112, table
    for half in ("odd topics", "even topics"):
        ours, baseline = parts[half]
        assert ours.f1 >= SHIPPED_F1, table
        assert ours.exact_share >= SHIPPED_EXACT, table
        assert ours.f1 > baseline.f1, table
        assert ours.exact >= baseline.exact, table


@pytest.mark.eval
def test_lineage_held_out_floor(result: LineageEval) -> None:
    table = format_lineage(result)
    assert len(result.held_out) == 2, table
    for held in result.held_out:
        assert held.held_back.f1 >= HELD_OUT_F1, table
        assert held.held_back.exact_share >= HELD_OUT_EXACT, table


def test_wire_group_field_is_gold_without_labels(tmp_path: Path) -> None:
    from tests.cluster.test_lineage import AGENCY_ONE, AGENCY_TWO, REPRINT_NEW_HEADLINE

    rows = [
        {"doc_id": "a", "cluster": "1_x", "text": AGENCY_ONE, "wire_group": "reuters"},
        {"doc_id": "b", "cluster": "1_x", "text": REPRINT_NEW_HEADLINE, "wire_group": "reuters"},
        {"doc_id": "c", "cluster": "1_x", "text": AGENCY_TWO},
        {"doc_id": "d", "cluster": "2_x", "text": AGENCY_TWO, "wire_group": "ap"},
    ]
    data = tmp_path / "docs.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = evaluate_lineage(data, folds=2)
    data.with_name("plain.jsonl").write_text(json.dumps(rows[2]) + "\n", encoding="utf-8")
    ours = dict(result.rows)["all events"][0]
    assert (ours.tp, ours.predicted, ours.gold, ours.exact) == (1, 1, 1, 2)
    assert result.predicted == {"1_x": [["a", "b"]], "2_x": []}
    with pytest.raises(DatasetError, match="wire_group"):
        evaluate_lineage(data.with_name("plain.jsonl"))
