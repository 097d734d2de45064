"""Clustering metrics, dataset layout detection, and the `eval clustering` command on tiny files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cluster import ClusterConfig
from newsprism.errors import DatasetError, NewsprismError
from newsprism.eval.clustering import (
    bcubed,
    cli_command,
    cluster_config,
    ecb_topic,
    evaluate_clustering,
    evaluate_folds,
    fold_of,
    format_folds,
    pairwise_f1,
    read_dataset,
    tfidf_baseline,
)


def test_bcubed_perfect_and_known_values() -> None:
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    # One cluster of four over gold {2, 2}: each item's precision 2/4, recall 1.
    p, r, f = bcubed(["a"] * 4, ["x", "x", "y", "y"])
    assert (p, r) == (0.5, 1.0)
    assert f == pytest.approx(2 / 3)
    assert pairwise_f1(["a"] * 4, ["x", "x", "y", "y"]) == pytest.approx(2 * (2 / 6) / (1 + 2 / 6))


ECB_LINES = [
    {"doc_id": "1_1", "topic": 1, "cluster": "e1", "url": "https://a.example/x", "text": t}
    for t in [
        "Volcano erupts on Iceland's Reykjanes peninsula\nLava poured from a fissure near "
        "Grindavik on Monday, forcing the evacuation of the fishing town.",
    ]
] + [
    {
        "doc_id": "1_2",
        "topic": 1,
        "cluster": "e1",
        "url": None,
        "text": "Grindavik evacuated as Reykjanes volcano erupts\nA fissure opened near Grindavik "
        "and lava poured toward the evacuated fishing town, Iceland's met office said.",
    },
    {
        "doc_id": "2_1",
        "topic": 2,
        "cluster": "e2",
        "url": None,
        "text": "Central bank raises interest rates\nThe central bank raised its key interest "
        "rate by a quarter point to fight inflation, its governor said on Thursday.",
    },
]


def write_ecb(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in ECB_LINES) + "\n", encoding="utf-8")
    return path


def write_neus(tmp_path: Path) -> Path:
    folder = tmp_path / "neus"
    folder.mkdir()
    story1 = " [SEP] ".join(
        f"TITLE=> {t}. ARTICLE=> {b}"
        for t, b in [
            (
                "Senate passes infrastructure bill",
                "The Senate passed the bipartisan "
                "infrastructure bill with funding for roads, bridges and broadband.",
            ),
            (
                "Bipartisan infrastructure bill clears Senate",
                "Senators approved the "
                "infrastructure bill, sending roads and broadband money to the House.",
            ),
        ]
    )
    story2 = (
        "TITLE=> Hurricane makes landfall in Louisiana. ARTICLE=> The hurricane came "
        "ashore near Port Fourchon with winds of 150 mph, knocking out power in New Orleans."
    )
    (folder / "val.source").write_text(f"{story1}\n{story2}\n", encoding="utf-8")
    return folder


def test_layouts_are_detected(tmp_path: Path) -> None:
    name, articles, gold = read_dataset(write_ecb(tmp_path))
    assert name.startswith("ecb+") and len(articles) == 3 and gold == ["e1", "e1", "e2"]
    assert articles[0].outlet == "a.example"
    name, articles, gold = read_dataset(write_neus(tmp_path), "val")
    assert name == "neus val" and len(articles) == 3 and gold[0] == gold[1] != gold[2]
    assert articles[0].title == "Senate passes infrastructure bill."


def test_bad_layout_is_a_dataset_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad\.jsonl:1"):
        read_dataset(bad)
    with pytest.raises(DatasetError):
        read_dataset(write_neus(tmp_path), "test")


def test_evaluate_and_dump(tmp_path: Path) -> None:
    dump = tmp_path / "pred.json"
    result = evaluate_clustering(write_ecb(tmp_path), dump=dump, baselines=False)
    assert result.systems["newsprism"].f1 == 1.0
    pred = json.loads(dump.read_text(encoding="utf-8"))
    assert pred["1_1"] == pred["1_2"] != pred["2_1"]


def test_tfidf_baseline_separates_the_two_events(tmp_path: Path) -> None:
    _name, articles, gold = read_dataset(write_ecb(tmp_path))
    pred = tfidf_baseline(articles)
    assert pred[0] == pred[1] != pred[2]
    assert bcubed(pred, gold)[2] == 1.0


def test_cli_prints_table_and_turns_errors_into_clean_messages(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli_command, ["--data", str(write_ecb(tmp_path)), "--no-baselines"])
    assert ok.exit_code == 0, ok.output
    assert "newsprism" in ok.output and "B3 F1" in ok.output
    missing = runner.invoke(cli_command, ["--data", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 1
    assert "dataset not found" in missing.output
    assert cli_command.help


def test_ecb_topic_from_the_field_or_the_cluster_label() -> None:
    assert ecb_topic(12, "12_ecbplus") == 12
    assert ecb_topic(None, "7_ecb") == 7
    assert ecb_topic("", "x_ecb") is None


def test_folds_keep_topics_and_stories_whole(tmp_path: Path) -> None:
    path = write_ecb(tmp_path)
    name, articles, gold = read_dataset(path)
    assert fold_of(path, name, articles, gold, 2) == [0, 0, 1]  # topic 1, 1, 2
    neus = write_neus(tmp_path)
    name, articles, gold = read_dataset(neus, "val")
    assert fold_of(neus, name, articles, gold, 2) == [0, 0, 1]  # story 1 (two articles), 2


def test_each_fold_is_scored_on_its_own(tmp_path: Path) -> None:
    results = evaluate_folds(write_ecb(tmp_path), 2, baselines=False)
    assert [r.articles for r in results] == [2, 1]
    assert all(r.systems["newsprism"].f1 == 1.0 for r in results)
    assert [r.dataset.split(", ")[-1] for r in results] == ["topics 1", "topics 2"]
    text = format_folds(results)
    assert "fold 2 of 2 held back" in text and "mean held-back B3 F1: newsprism 1.000" in text


def test_settings_change_one_knob_and_reject_unknown_ones() -> None:
    config = cluster_config(["refine_neighbours_k=8", "cross_language=false"])
    assert config.refine_neighbours_k == 8 and config.cross_language is False
    assert config.threshold == ClusterConfig().threshold
    with pytest.raises(NewsprismError, match="not a clusterer setting"):
        cluster_config(["no_such_knob=1"])
    with pytest.raises(NewsprismError, match="bad value"):
        cluster_config(["max_neighbours=many"])


def test_cli_folds(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data", str(write_ecb(tmp_path)), "--no-baselines", "--folds", "2"]
    ok = runner.invoke(cli_command, [*args, "--set", "refine_neighbours_k=8"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("held back") == 2
    bad = runner.invoke(cli_command, [*args, "--set", "nope=1"])
    assert bad.exit_code == 1 and "not a clusterer setting" in bad.output
