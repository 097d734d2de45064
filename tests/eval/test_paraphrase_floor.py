"""The pair decision "same claim?" on MRPC train (issue 15): reader, then a pinned floor.

Full train.tsv (`newsprism eval paraphrase`): newsprism 0.739 accuracy / 0.827 F1 against
word overlap 0.728 / 0.814, TF-IDF 0.716 / 0.808, MiniLM 0.733 / 0.819, each at the threshold
chosen on train. The CI test scores every fourth pair (1,019): newsprism 0.735 / 0.822,
word overlap 0.733 / 0.814, TF-IDF 0.720 / 0.808, MiniLM 0.731 / 0.815.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.errors import DatasetError
from newsprism.eval.paraphrase import evaluate_paraphrase, read_pairs
from tests.conftest import shared_path


def test_reader_names_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        "1\t11\t12\tThe mayor opened it.\tIt was opened by the mayor.\n"
        "maybe\t13\t14\tA.\tB.\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match=r"pairs.tsv:3"):
        read_pairs(path)


@pytest.mark.eval
def test_paraphrase_floor_and_ahead_of_baselines() -> None:
    result = evaluate_paraphrase(shared_path("data", "mrpc", "train.tsv"), every=4)
    assert result.pairs == 1019
    _, acc, f1 = result.rows["newsprism"]
    assert acc >= 0.73 and f1 >= 0.815, (acc, f1)
    for name in ("word-overlap", "tfidf", "minilm"):
        assert result.rows[name][1] < acc and result.rows[name][2] < f1, name
