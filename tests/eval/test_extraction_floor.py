"""Quality gate: article-body extraction F1 on ../shared/data/extraction may not drop.

The floor is the F1 measured when it was pinned (0.9786), rounded down to three decimals,
minus 0.002 of slack for library updates. Raise it when extraction improves; never lower it
to make a change pass.
"""

from __future__ import annotations

import pytest

from newsprism.eval.extraction import evaluate_extraction, format_extraction
from tests.conftest import shared_path

F1_FLOOR = 0.976


@pytest.mark.eval
def test_extraction_f1_floor_and_beats_trafilatura() -> None:
    result = evaluate_extraction(shared_path("data", "extraction"))
    table = format_extraction(result)
    ours = result.newsprism
    assert ours.pages == 181, table
    assert ours.metrics["f1"] >= F1_FLOOR, table
    plain = result.system("trafilatura")
    assert ours.metrics["f1"] > plain.metrics["f1"], table
    assert ours.metrics["f1"] > result.system("trafilatura favor_precision").metrics["f1"], table
