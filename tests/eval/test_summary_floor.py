"""Pinned floors for the neutral summary on NeuS val (ROUGE F1, article part of the target).

A change may not lower these. Measured with `newsprism eval summary --data ../shared/data/neus
--split val`; the floors sit a little under the measured figures.
"""

from __future__ import annotations

import pytest

from newsprism.eval.summary import evaluate_summary, rouge, rouge_l, rouge_n, tokens
from tests.conftest import shared_path

FLOORS = {"rouge1": 0.350, "rouge2": 0.140, "rougeL": 0.237}


def test_rouge_reimplementation_on_known_values() -> None:
    ref = tokens("the cat sat on the mat")
    pred = tokens("the cat lay on the mat")
    assert rouge_n(pred, ref, 1) == pytest.approx(5 / 6)
    assert rouge_n(pred, ref, 2) == pytest.approx(3 / 5)
    assert rouge_l(pred, ref) == pytest.approx(5 / 6)
    assert rouge("", "anything") == (0.0, 0.0, 0.0)


@pytest.mark.eval
def test_summary_rouge_floor() -> None:
    data = shared_path("data", "neus")
    result = evaluate_summary(data, split="val", baselines=True)
    r1, r2, rl = result.scores["newsprism"]
    assert r1 >= FLOORS["rouge1"]
    assert r2 >= FLOORS["rouge2"]
    assert rl >= FLOORS["rougeL"]
    # The baselines run in the same pass, so a broken reader shows here too.
    assert result.scores["lead-1"][0] > 0.3
