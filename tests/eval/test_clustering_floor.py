"""Quality gate: story clustering floors on the dev data in ../shared/data (a change may not
lower them). The 8.3k-article NeuS train+val run takes minutes here, so it lives in
``newsprism eval clustering --data ../shared/data/neus --split train+val``, not in this file.

The floors that judge a change are the held-back fold figures (issue 17), the same as
``newsprism eval clustering --folds 2``: ECB+ dev split by topic (odd, even), NeuS val by story.

Why the whole-dev ECB+ floor moved from 0.915 to 0.885 (issue 17): it had been pinned after the
refinement over 8 outside neighbours (1dccca6) raised ECB+ dev from 0.896 to 0.919 (0.923 with
20 neighbours kept). That gain was fitted to the dev topics: it left NeuS val unchanged on both
halves (0.937 / 0.893 either way) and lowered held-out ECB+ topics 23-45 from 0.882 to 0.819.
Under the rule that a change lands only if it gains on the held-back halves of both datasets it
was turned off (``ClusterConfig.refine_neighbours_k`` 8 -> 5), and ECB+ dev measures 0.896
again (folds: odd topics 0.920 -> 0.883, even topics 0.927 -> 0.909). No other floor moved."""

from __future__ import annotations

import pytest

from newsprism.cluster import StoryClusterer
from newsprism.eval.clustering import bcubed, evaluate_clustering, evaluate_folds, read_dataset
from tests.conftest import shared_path

pytestmark = pytest.mark.eval

# Measured (B-cubed F1): ECB+ dev 0.896, NeuS val 0.904; rounded down less a little slack.
# (NeuS train+val, 8.3k articles, measured 0.79 by the command in the module docstring.)
ECB_DEV_F1 = 0.885
NEUS_VAL_F1 = 0.895
# Held-back halves (--folds 2), measured: ECB+ odd topics 0.883, even topics 0.909;
# NeuS val odd stories 0.937, even stories 0.893.
ECB_FOLD_F1 = (0.875, 0.90)
NEUS_FOLD_F1 = (0.93, 0.885)
# One-by-one ingest builds each vector with the idf known at its arrival, so it may differ from
# the batch; measured agreement with the batch on NeuS val: B-cubed F1 0.972.
ONLINE_AGREEMENT_F1 = 0.95


def test_ecb_dev_floor() -> None:
    result = evaluate_clustering(shared_path("data", "ecbplus", "docs.dev.jsonl"), baselines=False)
    assert result.systems["newsprism"].f1 >= ECB_DEV_F1


def test_neus_val_floor() -> None:
    result = evaluate_clustering(shared_path("data", "neus"), split="val", baselines=False)
    assert result.systems["newsprism"].f1 >= NEUS_VAL_F1


@pytest.mark.parametrize(
    ("path", "split", "floors"),
    [
        (("data", "ecbplus", "docs.dev.jsonl"), "val", ECB_FOLD_F1),
        (("data", "neus"), "val", NEUS_FOLD_F1),
    ],
    ids=["ecb-dev", "neus-val"],
)
def test_held_back_fold_floors(
    path: tuple[str, ...], split: str, floors: tuple[float, float]
) -> None:
    folds = evaluate_folds(shared_path(*path), 2, baselines=False, split=split)
    scores = [f.systems["newsprism"].f1 for f in folds]
    assert all(f1 >= floor for f1, floor in zip(scores, floors, strict=True)), scores


def test_ecb_dev_batch_is_order_invariant() -> None:
    _name, articles, _gold = read_dataset(shared_path("data", "ecbplus", "docs.dev.jsonl"))
    forward = StoryClusterer().add_many(articles)
    backward = StoryClusterer().add_many(articles[::-1])
    assert forward == backward


def test_one_by_one_ingest_stays_close_to_the_batch() -> None:
    _name, articles, _gold = read_dataset(shared_path("data", "neus"), "val")
    batch = StoryClusterer().add_many(articles)
    online = StoryClusterer()
    for article in articles:
        online.add(article)
    ids = [a.id for a in articles]
    agreement = bcubed([online.story_of(i) for i in ids], [batch[i] for i in ids])[2]
    assert agreement >= ONLINE_AGREEMENT_F1
