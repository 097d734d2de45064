"""Story clustering on hand-written articles: hard negatives, order, incremental == batch, state."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newsprism.cluster import ClusterConfig, StoryClusterer, cluster_articles, story_id_for
from newsprism.model import Article

DAY0 = datetime(2023, 2, 6, 8, 0, tzinfo=UTC)


def art(aid: str, title: str, text: str, day: float | None = 0, outlet: str = "x") -> Article:
    date = DAY0 + timedelta(days=day) if day is not None else None
    return Article(
        id=aid, title=title, text=text, source=aid, kind="text", date=date, outlet=outlet
    )


TURKEY = [
    art(
        "tr1",
        "Powerful earthquake kills thousands in Turkey and Syria",
        "A magnitude 7.8 earthquake struck near Gaziantep in southern Turkey before dawn, "
        "toppling apartment blocks across Kahramanmaras and Hatay and killing thousands in "
        "Turkey and northern Syria. Rescuers searched rubble in freezing rain.",
        0,
        "a",
    ),
    art(
        "tr2",
        "Turkey Syria quake death toll climbs as rescuers dig through rubble",
        "Rescuers in Hatay and Kahramanmaras dug through collapsed buildings after the "
        "magnitude 7.8 quake near Gaziantep. The death toll in Turkey and Syria rose to "
        "thousands, officials said, and aftershocks rattled the region.",
        1,
        "b",
    ),
    art(
        "tr3",
        "Aftershocks hit Gaziantep as Turkey quake toll rises",
        "Strong aftershocks shook Gaziantep and Hatay a day after the 7.8 magnitude "
        "earthquake, as rescuers in Turkey and Syria pulled survivors from rubble and the "
        "death toll rose into the thousands.",
        1.5,
        "c",
    ),
]
MOROCCO = [
    art(
        "ma1",
        "Earthquake in Morocco's Atlas mountains kills hundreds",
        "A magnitude 6.8 earthquake struck the High Atlas mountains south of Marrakech late "
        "on Friday, flattening mud-brick villages in Al Haouz province and killing hundreds. "
        "Rescuers struggled to reach remote villages.",
        214,
        "a",
    ),
    art(
        "ma2",
        "Morocco quake: villagers in Al Haouz dig for survivors",
        "Villagers in Al Haouz province and the High Atlas dug through mud-brick ruins for "
        "survivors of the magnitude 6.8 earthquake near Marrakech, as the death toll in "
        "Morocco rose past two thousand.",
        215,
        "b",
    ),
]
BLINKEN_CHINA = [
    art(
        "b1",
        "Blinken meets Xi in Beijing to steady ties",
        "Secretary of State Antony Blinken met President Xi Jinping in Beijing, the first "
        "visit by a top US diplomat in five years, as both sides sought to steady relations "
        "strained over Taiwan and a spy balloon.",
        130,
        "a",
    ),
    art(
        "b2",
        "Xi and Blinken agree to stabilise US-China relations",
        "Chinese President Xi Jinping told Antony Blinken in Beijing that the two countries "
        "had agreed to stabilise relations, at the end of the secretary of state's visit "
        "overshadowed by Taiwan tensions and the balloon incident.",
        131,
        "b",
    ),
]
BLINKEN_ISRAEL = [
    art(
        "b3",
        "Blinken arrives in Israel to urge humanitarian pauses in Gaza",
        "Secretary of State Antony Blinken arrived in Tel Aviv to press Israel for "
        "humanitarian pauses in Gaza to let aid and hostages out, as Israeli forces "
        "encircled Gaza City.",
        267,
        "a",
    ),
    art(
        "b4",
        "Blinken presses Netanyahu on Gaza aid and civilian deaths",
        "Antony Blinken told Benjamin Netanyahu in Tel Aviv that Israel must do more to "
        "protect civilians in Gaza and allow aid trucks in, as the secretary of state's "
        "visit came amid rising deaths in Gaza City.",
        268,
        "b",
    ),
]
ALL = TURKEY + MOROCCO + BLINKEN_CHINA + BLINKEN_ISRAEL


def groups(assignments: dict[str, str]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for aid, sid in assignments.items():
        by_story.setdefault(sid, set()).add(aid)
    return {frozenset(v) for v in by_story.values()}


def test_two_earthquakes_in_one_year_stay_apart() -> None:
    stories = groups(StoryClusterer().add_many(TURKEY + MOROCCO))
    assert frozenset(a.id for a in TURKEY) in stories
    assert frozenset(a.id for a in MOROCCO) in stories


def test_same_official_in_two_events_months_apart_stays_apart() -> None:
    stories = groups(StoryClusterer().add_many(BLINKEN_CHINA + BLINKEN_ISRAEL))
    assert frozenset({"b1", "b2"}) in stories
    assert frozenset({"b3", "b4"}) in stories


def test_same_official_apart_even_without_dates() -> None:
    undated = [art(a.id, a.title, a.text, None) for a in BLINKEN_CHINA + BLINKEN_ISRAEL]
    stories = groups(StoryClusterer().add_many(undated))
    assert frozenset({"b1", "b2"}) in stories
    assert frozenset({"b3", "b4"}) in stories


def test_any_input_order_gives_the_same_stories_and_ids() -> None:
    expected = cluster_articles(ALL)
    for seed in range(5):
        shuffled = ALL[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_articles(shuffled) == expected


def test_story_id_is_the_earliest_articles_hash() -> None:
    assignments = StoryClusterer().add_many(TURKEY)
    assert set(assignments.values()) == {story_id_for("tr1")}


def test_incremental_add_equals_batch_when_articles_arrive_in_date_order() -> None:
    # The documented bound: one-by-one ingest builds each vector with the idf known at its
    # arrival; on these stories that never changes a decision.
    batch = StoryClusterer().add_many(ALL)
    online = StoryClusterer()
    for article in sorted(ALL, key=lambda a: (a.date, a.id)):
        online.add(article)
    assert groups(online.assignments()) == groups(batch)


def test_adding_an_article_twice_keeps_its_story() -> None:
    clusterer = StoryClusterer()
    first = clusterer.add(TURKEY[0])
    assert clusterer.add(TURKEY[0]) == first
    assert len(clusterer.assignments()) == 1


def test_state_round_trips_through_json() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(TURKEY + BLINKEN_CHINA)
    state = json.loads(json.dumps(clusterer.state()))
    restored = StoryClusterer.from_state(state)
    assert restored.assignments() == clusterer.assignments()
    # Both continue identically.
    assert restored.add_many(MOROCCO) == clusterer.add_many(MOROCCO)
    assert [s.to_dict() for s in restored.stories()] == [s.to_dict() for s in clusterer.stories()]


def test_window_closes_old_stories_and_bounds_memory() -> None:
    clusterer = StoryClusterer(ClusterConfig(window_days=14))
    clusterer.add_many(TURKEY)
    clusterer.add_many(BLINKEN_ISRAEL)
    assert clusterer.active_articles() == len(BLINKEN_ISRAEL)
    assert clusterer.story_of("tr1") == story_id_for("tr1")
    ids = {s.id for s in clusterer.stories()}
    assert story_id_for("tr1") in ids and story_id_for("b3") in ids


def test_story_summary_fields() -> None:
    result = cluster_articles(TURKEY)
    (story,) = result["stories"]
    assert story["title"] == TURKEY[0].title
    assert story["outlets"] == ["a", "b", "c"]
    assert story["articles"] == ["tr1", "tr2", "tr3"]
    assert story["start"] == TURKEY[0].date.isoformat()  # type: ignore[union-attr]
    assert story["independent_sources"] == 3


def test_drained_closed_stories_leave_memory() -> None:
    clusterer = StoryClusterer(ClusterConfig(window_days=14))
    clusterer.add_many(TURKEY + BLINKEN_ISRAEL)
    closed, assigned = clusterer.drain_closed()
    assert [s.id for s in closed] == [story_id_for("tr1")]
    assert assigned == {a.id: story_id_for("tr1") for a in TURKEY}
    assert set(clusterer.assignments()) == {"b3", "b4"}


def test_term_index_scores_are_exact_dot_products() -> None:
    """The flat-buffer index gives every live slot sharing a term its float32 products summed
    in float64 in term order, through growth, removals and repacking."""
    import numpy as np

    from newsprism.cluster.features import SparseVector
    from newsprism.cluster.index import TermIndex

    rng = np.random.default_rng(3)
    index, vectors, live = TermIndex(), {}, []
    for slot in range(1500):
        ids = np.unique(rng.zipf(1.4, int(rng.integers(1, 60))) % 3000).astype(np.int64)
        weights = rng.random(len(ids)).astype(np.float32)
        vec = SparseVector(ids, weights / np.float32(np.linalg.norm(weights)))
        if slot % 50 == 0:
            found, scores = index.query(vec)
            expected = {}
            for other in live:
                o = vectors[other]
                total = 0.0
                for tid, w in zip(vec.ids.tolist(), vec.weights, strict=True):
                    hit = np.flatnonzero(o.ids == tid)
                    if len(hit):
                        total += float(o.weights[hit[0]] * w)
                if total:
                    expected[other] = np.float32(total)
            assert found.tolist() == sorted(expected)
            assert scores.tolist() == [expected[s] for s in found.tolist()]
        index.add(slot, vec)
        vectors[slot] = vec
        live.append(slot)
        if len(live) > 300:  # a sliding window: the oldest leave, the postings get repacked
            index.remove(live.pop(0))
    assert len(index) == 300


def test_pair_similarities_are_the_index_scores() -> None:
    """The similarity matrix of a group holds, bit for bit, the scores the index gave each
    pair (rounded to float32 as neighbour lists keep them), symmetric, in any block size."""
    import numpy as np

    from newsprism.cluster.features import SparseVector
    from newsprism.cluster.index import TermIndex
    from newsprism.cluster.stories import _pair_dots

    rng = np.random.default_rng(11)
    vectors = []
    for _ in range(80):
        ids = np.unique(rng.zipf(1.3, int(rng.integers(1, 90))) % 500).astype(np.int64)
        weights = rng.random(len(ids)).astype(np.float32)
        vectors.append(SparseVector(ids, weights / np.float32(np.linalg.norm(weights))))
    vectors.append(SparseVector(np.zeros(0, np.int64), np.zeros(0, np.float32)))
    sim = _pair_dots(vectors)
    assert np.array_equal(sim, sim.T)
    assert np.array_equal(sim, _pair_dots(vectors, budget=300))  # many small blocks
    index, compared = TermIndex(), 0
    for slot, vec in enumerate(vectors):
        found, scores = index.query(vec)
        for other, score in zip(found.tolist(), scores.tolist(), strict=True):
            assert sim[slot, other] == score
            compared += 1
        index.add(slot, vec)
    assert compared > 1000
    assert not sim[-1].any()  # an empty vector shares nothing


def _stream(n: int, per_day: int = 40) -> list[Article]:
    from newsprism.scale.synthetic import SyntheticNews

    out = []
    for i, r in enumerate(SyntheticNews(seed=5, per_day=per_day).articles(n)):
        date = datetime.fromisoformat(r["date"])
        out.append(Article(id=f"s{i}", title=r["title"], text=r["text"], source="t",
                           kind="text", outlet=r["outlet"], date=date))  # fmt: skip
    return out


def test_lineage_elsewhere_and_given_tokens_change_nothing() -> None:
    """An executor for lineage and tokens worked out elsewhere (as lists or counted) give
    the very same clusterer; the active stories' lineage is then shared with the executor."""
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    from newsprism.cluster.features import article_tokens

    articles = _stream(600)
    days: dict[str, list[Article]] = {}
    for a in articles:
        days.setdefault(a.date.date().isoformat(), []).append(a)  # type: ignore[union-attr]
    plain = StoryClusterer()
    with ThreadPoolExecutor(1) as pool:
        helped = StoryClusterer(executor=pool)
        for i, day in enumerate(sorted(days)):
            batch = days[day]
            plain.add_many(batch)
            tokens = [article_tokens(a.title, a.text, 2) for a in batch]
            helped.add_many(batch, tokens if i % 2 else [Counter(t) for t in tokens])
        assert sum(len(m) > 1 for m in helped._stories.values()) > 8  # enough to share
        assert helped.drain_closed() == plain.drain_closed()
        assert helped.stories() == plain.stories()
        assert json.dumps(helped.state()) == json.dumps(plain.state())


def test_neighbour_lists_keep_the_strongest_ranked() -> None:
    """A pruned neighbour list is the strongest pairs, strongest first (ties by slot), its
    weakest pair at hand; a list never pruned keeps its pairs in arrival order."""
    clusterer = StoryClusterer(ClusterConfig(max_neighbours=6))
    clusterer.add_many(_stream(300, per_day=300))
    pruned = 0
    for entry in clusterer._entries.values():
        items = list(entry.neighbours.items())
        if entry.floor is None:
            assert len(items) <= 6
            continue
        pruned += 1
        assert len(items) == 6
        assert items == sorted(items, key=lambda kv: (-kv[1], kv[0]))
        assert entry.floor == (items[-1][1], items[-1][0])
    assert pruned > 100


def test_public_neighbour_lists_name_articles_strongest_first() -> None:
    undated = [replace(a, date=None) for a in TURKEY + MOROCCO]  # all stay in the window
    clusterer = StoryClusterer(ClusterConfig(max_neighbours=3))
    clusterer.add_many(undated)
    lists = clusterer.neighbour_lists()
    assert set(lists) == {a.id for a in undated}
    for aid, kept in lists.items():
        assert len(kept) <= 3
        assert all(other != aid and other in lists for other, _ in kept)
        sims = [s for _, s in kept]
        assert sims == sorted(sims, reverse=True)
    # one quake's reports are each other's strongest neighbours, the other quake is not
    assert {other for other, _ in lists["tr1"][:2]} == {"tr2", "tr3"}


def test_small_group_paths_equal_the_general_ones() -> None:
    """The plain-Python average link of small groups merges exactly as the numpy one (ties
    included), and a small group's pair similarities read from the neighbour lists equal
    ``_pair_dots`` bit for bit."""
    import numpy as np

    from newsprism.cluster import StoryClusterer
    from newsprism.cluster.stories import (
        _average_link_numpy,
        _average_link_small,
        _known_pairs,
        _pair_dots,
    )

    rng = np.random.default_rng(5)
    for trial in range(400):
        n = int(rng.integers(2, 13))
        adj = rng.normal(0.0, 0.1, (n, n))
        if trial % 2:  # coarse values: many ties
            adj = np.round(adj, 1)
        adj = (adj + adj.T) / 2
        assert _average_link_small(adj.tolist(), 0.0) == _average_link_numpy(adj, 0.0)
    clusterer = StoryClusterer()
    clusterer.add_many(
        Article(
            id=f"a{i}",
            title=f"Flood in {town} closes bridge",
            text=f"Rain flooded {town} on Monday; the bridge over the {river} closed. " * 3,
            source="t",
            kind="text",
        )
        for i, (town, river) in enumerate(
            [
                ("Arlo", "Tesk"),
                ("Arlo", "Tesk"),
                ("Bremi", "Tesk"),
                ("Corva", "Ulm"),
                ("Arlo", "Ulm"),
                ("Dessa", "Vorn"),
                ("Bremi", "Vorn"),
            ]
        )
    )
    entries = list(clusterer._entries.values())
    known = _known_pairs(entries)
    exact = _pair_dots([e.vec for e in entries])
    off = ~np.eye(len(entries), dtype=bool)
    assert np.array_equal(known[off], exact[off])
    for i, a in enumerate(entries):  # pairs no neighbour list holds are worked out by dot
        for j, b in enumerate(entries):
            if i != j:
                assert a.vec.dot(b.vec) == exact[i, j]
