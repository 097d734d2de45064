"""Quality gate: story clustering floors on the dev data in ../shared/data (a change may not
lower them). The 8.3k-article NeuS train+val run takes minutes here, so it lives in
``newsprism eval clustering --data ../shared/data/neus --split train+val``, not in this file."""

from __future__ import annotations

import pytest

from newsprism.cluster import StoryClusterer
from newsprism.eval.clustering import bcubed, evaluate_clustering, read_dataset
from tests.conftest import shared_path

pytestmark = pytest.mark.eval

# Measured (B-cubed F1): ECB+ dev 0.923, NeuS val 0.904; rounded down less a little slack.
# (NeuS train+val, 8.3k articles, measured 0.79 by the command in the module docstring.)
ECB_DEV_F1 = 0.915
NEUS_VAL_F1 = 0.895
# One-by-one ingest builds each vector with the idf known at its arrival, so it may differ from
# the batch; measured agreement with the batch on NeuS val: B-cubed F1 0.972.
ONLINE_AGREEMENT_F1 = 0.95


def test_ecb_dev_floor() -> None:
    result = evaluate_clustering(shared_path("data", "ecbplus", "docs.dev.jsonl"), baselines=False)
    assert result.systems["newsprism"].f1 >= ECB_DEV_F1


def test_neus_val_floor() -> None:
    result = evaluate_clustering(shared_path("data", "neus"), split="val", baselines=False)
    assert result.systems["newsprism"].f1 >= NEUS_VAL_F1


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
