"""The benchmark's shingle metric on cases small enough to count by hand, and the dataset reader."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.errors import DatasetError
from newsprism.eval.extraction import (
    bootstrap_ci,
    cli_command,
    evaluate_extraction,
    format_extraction,
    metrics_from_scores,
    shingle_scores,
)


def test_identical_texts() -> None:
    # 5 tokens -> 2 shingles, both matched.
    assert shingle_scores("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)


def test_punctuation_and_spacing_are_not_tokens() -> None:
    assert shingle_scores("Hello, world! How are you?", "Hello world\n How  are you") == (
        1.0,
        0.0,
        0.0,
    )


def test_tokens_keep_their_case() -> None:
    # both shingles of each side hold "How" or "how": nothing shared, as in the benchmark
    assert shingle_scores("Hello world How are you", "Hello world how are you") == (0.0, 0.5, 0.5)


def test_unicode_words_are_tokens() -> None:
    assert shingle_scores("Der Stadtrat hat die Brücke beschlossen", "Stadtrat hat die Brücke") == (
        pytest.approx((1 / 3, 0.0, 2 / 3))
    )


def test_partial_overlap() -> None:
    # true shingles: [the cat sat on] [cat sat on the] [sat on the mat]
    # pred shingles: [the cat sat on] [cat sat on a] [sat on a mat] -> tp 1, fp 2, fn 2
    assert shingle_scores("the cat sat on the mat", "the cat sat on a mat") == pytest.approx(
        (0.2, 0.4, 0.4)
    )


def test_empty_prediction() -> None:
    # 2 true shingles, none predicted
    assert shingle_scores("a b c d e", "") == (0.0, 0.0, 1.0)


def test_empty_truth() -> None:
    assert shingle_scores("", "a b c d e") == (0.0, 1.0, 0.0)


def test_both_empty_gives_no_shingles() -> None:
    assert shingle_scores("", "  ,. ") == (0.0, 0.0, 0.0)


def test_fewer_than_four_tokens_make_one_shingle() -> None:
    assert shingle_scores("hello world", "hello world") == (1.0, 0.0, 0.0)
    # (hello, world) vs (hello, there): nothing shared
    assert shingle_scores("hello world", "hello there") == (0.0, 0.5, 0.5)
    # a 2-token shingle never matches a 4-token one
    assert shingle_scores("a b", "a b c d") == (0.0, 0.5, 0.5)


def test_repeated_shingles_are_counted() -> None:
    # "a b c d a b c d" has 5 shingles, [a b c d] twice; the prediction has it once:
    # tp 1, fp 0, fn 4
    assert shingle_scores("a b c d a b c d", "a b c d") == pytest.approx((0.2, 0.0, 0.8))
    # and the other way round: tp 1, fp 4, fn 0
    assert shingle_scores("a b c d", "a b c d a b c d") == pytest.approx((0.2, 0.8, 0.0))


def test_other_n() -> None:
    # bigrams: true [a b] [b c]; pred [a b] [b d] -> tp 1, fp 1, fn 1
    assert shingle_scores("a b c", "a b d", n=2) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_precision_recall_f1_by_hand() -> None:
    scores = [
        (1.0, 0.0, 0.0),  # perfect: P 1, R 1
        (0.0, 0.0, 1.0),  # empty prediction: counts for recall only (R 0)
        (0.0, 1.0, 0.0),  # empty truth: counts for precision only (P 0)
        (0.2, 0.4, 0.4),  # P 1/3, R 1/3
        (0.0, 0.0, 0.0),  # both empty: counts for neither
    ]
    metrics = metrics_from_scores(scores)
    assert metrics["precision"] == pytest.approx((1 + 0 + 1 / 3) / 3)
    assert metrics["recall"] == pytest.approx((1 + 0 + 1 / 3) / 3)
    assert metrics["f1"] == pytest.approx(4 / 9)


def test_f1_is_harmonic_mean_of_dataset_precision_and_recall() -> None:
    # P = 0.5 / 0.5 = 1, R = 0.5 / 1.0 = 0.5
    metrics = metrics_from_scores([(0.5, 0.0, 0.5)])
    assert metrics == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})


def test_bootstrap_interval_is_seeded_and_zero_without_spread() -> None:
    same = [(0.5, 0.25, 0.25)] * 20
    assert bootstrap_ci(same) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    spread = [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.5, 0.5, 0.0), (0.2, 0.4, 0.4)] * 5
    first, second = bootstrap_ci(spread), bootstrap_ci(spread)
    assert first == second
    assert 0 < first["precision"] < 1


# --- the dataset layout, on a tiny dataset of our own --------------------------------------------

BODY = (
    "Train drivers returned to work on Thursday after union leaders accepted a pay offer that "
    "ends a two-week strike across the network."
)


def _write_dataset(root: Path) -> Path:
    (root / "html").mkdir(parents=True)
    truth = {"strike": {"articleBody": BODY, "url": "https://planet.example/strike"}}
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    html = (
        "<html><head><title>Rail strike ends</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Rail strike ends</h1><p>{BODY}</p></article></body></html>"
    )
    with gzip.open(root / "html" / "strike.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(html)
    return root


def test_evaluate_any_directory_with_the_layout(tmp_path: Path) -> None:
    data = _write_dataset(tmp_path / "data")
    dump = tmp_path / "dump.json"
    seen: list[tuple[int, int]] = []
    result = evaluate_extraction(
        data, dump=dump, progress=lambda done, total: seen.append((done, total))
    )
    assert [s.name for s in result.systems] == [
        "newsprism",
        "trafilatura",
        "trafilatura favor_precision",
    ]
    assert result.newsprism.metrics == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result.newsprism.pages == 1
    assert json.loads(dump.read_text(encoding="utf-8")) == {"strike": BODY}
    assert seen[-1] == (3, 3)
    table = format_extraction(result)
    assert "newsprism" in table and "1.000 ± 0.000" in table and "ms/page" in table


def test_cli_prints_the_table(tmp_path: Path) -> None:
    data = _write_dataset(tmp_path / "data")
    outcome = CliRunner().invoke(cli_command, ["--data", str(data), "--no-baselines"])
    assert outcome.exit_code == 0, outcome.output
    assert "newsprism" in outcome.output
    assert "favor_precision" not in outcome.output


def test_cli_reports_a_bad_layout_as_a_clean_error(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(cli_command, ["--data", str(tmp_path / "missing")])
    assert outcome.exit_code == 1
    assert "extraction dataset directory not found" in outcome.output
    assert "Traceback" not in outcome.output


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("no-truth", "ground-truth.json is missing"),
        ("no-html-dir", "html/ directory is missing"),
        ("no-page", "no HTML for page 'strike'"),
        ("bad-json", "cannot read ground truth"),
        ("not-pages", "ground truth is not a non-empty JSON object of pages"),
        ("no-body", "page 'strike' has no articleBody string"),
    ],
)
def test_wrong_layout_raises_dataset_error(tmp_path: Path, breakage: str, message: str) -> None:
    data = _write_dataset(tmp_path / "data")
    truth = data / "ground-truth.json"
    if breakage == "no-truth":
        truth.unlink()
    elif breakage == "no-html-dir":
        (data / "html" / "strike.html.gz").unlink()
        (data / "html").rmdir()
    elif breakage == "no-page":
        (data / "html" / "strike.html.gz").unlink()
    elif breakage == "bad-json":
        truth.write_text("{not json", encoding="utf-8")
    elif breakage == "not-pages":
        truth.write_text("[]", encoding="utf-8")
    elif breakage == "no-body":
        truth.write_text(json.dumps({"strike": {"articleBody": 3}}), encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        evaluate_extraction(data, baselines=False)
