"""Claim alignment against the hand-made fact gold (issue 15): the scorer, then pinned floors.

Measured on ``../shared/data/alignment`` (5 dev stories) with
`newsprism eval alignment --data ../shared/data/alignment`: pair F1 0.444 (P 0.620, R 0.346),
unique-claim F1 0.761, summary citation precision 1.000, no two summary sentences stating one
fact; baselines TF-IDF cosine >= 0.35 pair F1 0.264 (unique F1 0.738), MiniLM cosine >= 0.60
pair F1 0.269 (unique 0.705). On two BASIL stories MiniLM's pairs score a little higher (0.424
against 0.420, 0.466 against 0.448); the per-story check allows that margin and no more. The
floors sit a little under; a change may not lower them. Every threshold behind these figures
was chosen on one half of the stories and reported on the other (docs/evaluation.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.errors import DatasetError
from newsprism.eval.alignment import (
    GoldStory,
    claim_pairs,
    evaluate_alignment,
    read_story,
    score_report,
    stands_for,
)
from tests.conftest import shared_path

FLOORS = {"pair_f1": 0.43, "unique_f1": 0.75, "citation": 0.97, "duplicates": 0}
STORY_MARGIN = 0.02  # per story, a baseline may lead our pair F1 by this much at most


def _story() -> GoldStory:
    text_a = "The mayor opened the bridge on Monday. It cost four million euros."
    text_b = "On Monday the new bridge was opened by the mayor. Critics called it a waste."
    from newsprism.model import Article

    arts = [
        Article(id=i, title="", text=t, source=i, kind="text")
        for i, t in (("a", text_a), ("b", text_b))
    ]
    return GoldStory(
        "s",
        arts,
        {
            "f1": [("a", 0, 38), ("b", 0, 48)],
            "f2": [("a", 39, len(text_a))],
            "f3": [("b", 49, len(text_b))],
        },
    )


def test_stands_for_needs_half_of_the_shorter_span() -> None:
    story = _story()
    assert stands_for(("a", 0, 38), story) == {"f1"}
    assert stands_for(("a", 0, 20), story) == {"f1"}  # a clause inside the mention
    assert stands_for(("a", 30, 47), story) == set()  # 8 of 17 characters in each: too few


def test_report_scoring_counts_pairs_unique_claims_citations_and_repeats() -> None:
    story = _story()
    unit = {"a0": ("a", 0, 38), "a1": ("a", 39, 67), "b0": ("b", 0, 48), "b1": ("b", 49, 76)}

    def members(*names: str) -> list[dict[str, object]]:
        return [{"article": unit[n][0], "start": unit[n][1], "end": unit[n][2]} for n in names]

    report = {
        # One right pair (a0-b0), one wrong (a1-b1): precision 1/2, recall 1/1.
        "claims": [{"units": members("a0", "b0")}, {"units": members("a1", "b1")}],
        "summary": [
            {"source": {"article": "a", "start": 0, "end": 38}, "articles": ["a", "b"]},
            {"source": {"article": "a", "start": 39, "end": 67}, "articles": ["a", "b"]},
            {"source": {"article": "b", "start": 0, "end": 48}, "articles": ["b"]},
        ],
    }
    s = score_report(report, story)
    assert (s.pred_pairs, s.gold_pairs, s.tp_pairs) == (2, 1, 1)
    # a1 and b1 are unique in the gold but sit in a two-article claim: two missed uniques.
    assert (s.unique_pred, s.unique_gold, s.unique_tp) == (0, 2, 0)
    # Citations: a, b right; a right, b wrong (f2 is a's alone); b right.
    assert (s.cited, s.cited_ok) == (5, 4)
    assert s.duplicate_facts == 1  # the first and third sentence both state f1
    assert claim_pairs([[unit["a0"], unit["a1"]]]) == set()  # same article: no pair


def test_a_bad_story_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text(
        '{"articles": [{"id": "x", "text": "abc"}], "facts": '
        '[{"id": "f1", "mentions": [{"article": "x", "text": "zzz"}]}]}'
    )
    with pytest.raises(DatasetError, match=r"broken\.json.*not in article x"):
        read_story(bad)


@pytest.mark.eval
def test_alignment_floors_and_ahead_of_baselines() -> None:
    result = evaluate_alignment(shared_path("data", "alignment"))
    ours = result.overall("newsprism")
    assert ours.pair[2] >= FLOORS["pair_f1"], ours.pair
    assert ours.unique[2] >= FLOORS["unique_f1"], ours.unique
    assert ours.citation >= FLOORS["citation"], ours.citation
    assert ours.duplicate_facts <= FLOORS["duplicates"]
    for baseline in ("tfidf@0.35", "minilm@0.60", "all-unique"):
        theirs = result.overall(baseline)
        assert ours.pair[2] > theirs.pair[2] and ours.unique[2] > theirs.unique[2], baseline
        for story in result.stories:
            mine = result.scores["newsprism"][story].pair[2]
            other = result.scores[baseline][story].pair[2]
            assert mine >= other - STORY_MARGIN, (story, baseline, mine, other)
