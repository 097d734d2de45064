"""Event detection on a real store: a small story arriving article by article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsprism.compare.claims import AlignConfig, pair_scores
from newsprism.events import record_events
from newsprism.events.detect import pair_matrix
from newsprism.events.state import StoryState
from newsprism.store import Store
from tests.compare.units import unit
from tests.events import story


@pytest.fixture(scope="module")
def arrivals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The story's four arrivals, each stored and its events recorded in turn."""
    db = tmp_path_factory.mktemp("events") / "events.db"
    out: dict[str, Any] = {"db": db}
    with Store(db) as store:
        for name, make in (
            ("first", story.first),
            ("second", story.second),
            ("copy", story.copy),
            ("version", story.version),
        ):
            results = store.add_many([make()])
            out[name] = {"results": results, "events": record_events(store, results)}
        yield out


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in events]


def test_first_article_opens_the_story(arrivals: dict[str, Any]) -> None:
    assert kinds(arrivals["first"]["events"]) == ["new_story"]


def test_independent_report_brings_outlet_source_claims_conflict_and_quote(
    arrivals: dict[str, Any],
) -> None:
    events = arrivals["second"]["events"]
    found = kinds(events)
    assert found[:2] == ["new_outlet", "new_source"]
    assert events[0]["copy_of"] is None
    assert events[1]["independent_sources"] == 2
    corroborated = [e for e in events if e["kind"] == "claim_corroborated"]
    assert any("sank in Lake Marrow" in e["evidence"][0]["text"] for e in corroborated)
    assert all(e["sources_before"] == 1 and e["sources"] == 2 for e in corroborated)
    new_claims = [e["evidence"][0]["text"] for e in events if e["kind"] == "new_claim"]
    assert any("ignored warnings" in t for t in new_claims)
    assert not any("sank" in t or "capsized" in t for t in new_claims)
    conflict = next(e for e in events if e["kind"] == "figure_conflict")
    assert {v["text"] for v in conflict["values"]} == {"12 people", "At least 15 people"}
    quote = next(e for e in events if e["kind"] == "quote_changed")
    assert quote["between"] == "outlets" and quote["relation"] == "variant"
    assert "Brenner" in quote["speaker"]


def test_wire_copy_is_a_new_outlet_but_no_new_source(arrivals: dict[str, Any]) -> None:
    events = arrivals["copy"]["events"]
    outlet = next(e for e in events if e["kind"] == "new_outlet")
    assert outlet["copy_of"] == "harbour-ferry"
    assert outlet["summary"] == "First report from Valley Gazette (a copy of Harbour Times's text)"
    assert "new_source" not in kinds(events)
    assert "claim_corroborated" not in kinds(events)  # a copy adds no independent source
    assert [e["evidence"][0]["text"] for e in events if e["kind"] == "new_claim"] == [
        "The Valley Gazette will update this story."
    ]


def test_new_version_reports_headline_figure_and_quote_changes(arrivals: dict[str, Any]) -> None:
    assert arrivals["version"]["results"][0].status == "version"
    events = arrivals["version"]["events"]
    assert "new_outlet" not in kinds(events) and "new_source" not in kinds(events)
    headline = next(e for e in events if e["kind"] == "headline_changed")
    assert headline["before"] == "Ferry sinks in Lake Marrow, 12 dead"
    assert headline["after"].endswith("rises to 14")
    own = next(
        e
        for e in events
        if e["kind"] == "figure_conflict"
        and {v["text"] for v in e["values"]} == {"12 people", "14 people"}
    )
    assert own["judgement"] == "update"
    quote = next(e for e in events if e["kind"] == "quote_changed")
    assert quote["between"] == "versions"
    assert any("in our power" in d["text"] for d in quote["differences"])
    # Unchanged sentences of the new version are not news again.
    assert "new_claim" not in kinds(events) and "claim_corroborated" not in kinds(events)


def test_evidence_spans_point_into_the_articles(arrivals: dict[str, Any]) -> None:
    with Store(arrivals["db"]) as store:
        events = store.story_events()
        for event in events:
            for span in event["evidence"]:
                article = store.get(span["article"])
                assert article is not None
                if span.get("field") == "title":
                    assert span["text"] == article.title
                else:
                    assert article.text[span["start"] : span["end"]] == span["text"]


def test_events_are_stored_with_their_numbers(arrivals: dict[str, Any]) -> None:
    returned = [
        e for name in ("first", "second", "copy", "version") for e in arrivals[name]["events"]
    ]
    with Store(arrivals["db"]) as store:
        stored = store.story_events()
    assert [e["pk"] for e in stored] == [e["pk"] for e in returned]
    assert [e["kind"] for e in stored] == [e["kind"] for e in returned]
    assert stored[1]["summary"] == returned[1]["summary"]


def test_rerun_records_nothing_twice(arrivals: dict[str, Any]) -> None:
    with Store(arrivals["db"]) as store:
        before = store.story_events()
        results = arrivals["second"]["results"] + arrivals["version"]["results"]
        assert record_events(store, results) == []
        assert store.story_events() == before


def test_state_survives_a_restart_and_detection_continues(tmp_path: Path) -> None:
    db = tmp_path / "restart.db"
    with Store(db) as store:
        record_events(store, store.add_many([story.first()]))
    with Store(db) as store:  # a new process: only the saved state is known
        state = StoryState.from_dict(store.event_state(store.story_events()[0]["story_id"]))
        assert state is not None and state.seen == ["harbour-ferry"]
        events = record_events(store, store.add_many([story.second()]))
    assert kinds(events)[:2] == ["new_outlet", "new_source"]
    assert "new_story" not in kinds(events)


def test_story_without_state_is_taken_in_silently_first(tmp_path: Path) -> None:
    """An existing database (articles stored before events existed): the earlier articles
    build the state without events, and only the new one is news."""
    from newsprism.stories import assign_stories

    with Store(tmp_path / "old.db") as store:
        stored = store.add_many([story.first(), story.second()])
        assign_stories(store, [r.article_id for r in stored])
        events = record_events(store, store.add_many([story.copy()]))
    assert "new_story" not in kinds(events)
    assert "new_outlet" in kinds(events)
    assert {e["article_id"] for e in events} == {"valley-ferry"}


def test_incremental_scores_are_compares_scores() -> None:
    """The score of a new unit against the saved rows is the one compare gives the pair
    inside the whole story (same centring, same rarity weights), up to float16 storage."""
    rng = np.random.default_rng(7)
    texts = [
        "The ferry sank in the lake on Monday evening",
        "Rescue boats pulled survivors from the cold water",
        "The operator said it would cooperate with investigators",
        "A ferry capsized on the lake on Monday night",
        "Survivors were pulled from the water by rescue boats",
        "Families waited at the harbour for news overnight",
    ]
    units = [unit(f"a{k // 3}", k, t) for k, t in enumerate(texts)]
    vectors = rng.normal(size=(6, 384)).astype(np.float32)
    vectors[3] = vectors[0] + 0.3 * vectors[3]  # a paraphrase: close vectors
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    whole = pair_scores(units, vectors, AlignConfig()).matrix
    state = StoryState()
    state.add_rows(vectors[:3], [sorted(u.terms) for u in units[:3]], "a0")
    state.n_units = 3
    state.vector_sum = vectors[:3].sum(axis=0).astype(np.float64)
    for u in units[:3]:
        for t in u.terms:
            state.df[t] = state.df.get(t, 0) + 1
    state = StoryState.from_dict(state.to_dict())  # through the stored form
    assert state is not None
    incremental = pair_matrix(state, units[3:], vectors[3:], [0, 1, 2])
    np.testing.assert_allclose(incremental, whole[3:, :3], atol=5e-3)
    assert incremental[0, 0] >= AlignConfig().bar > incremental[2, 0]


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        from newsprism.embed import default_embedder

        self.inner = default_embedder()
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


def test_a_wire_copy_reuses_the_vectors_of_sentences_the_story_holds(tmp_path: Path) -> None:
    with Store(tmp_path / "copy.db") as store:
        record_events(store, store.add_many([story.first()]))
        counting = CountingEmbedder()
        events = record_events(store, store.add_many([story.copy()]), embedder=counting)
    # Its one line of its own, and the first report's quote, which needs a vector now that
    # two articles quote its speaker; the copied sentences and the copied quote are not encoded.
    assert counting.texts == [
        "We are doing everything we can to find every last person",
        "The Valley Gazette will update this story.",
    ]
    assert [e["kind"] for e in events] == ["new_outlet", "new_claim"]
