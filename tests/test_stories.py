"""Ingest assigns stories incrementally, in a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import newsprism
from newsprism.stories import assign_stories, stored_clustering
from tests.conftest import ROOT, shared_path


def test_ingest_then_assign_incrementally(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with newsprism.Store(db) as store:
        first = newsprism.ingest(ROOT / "examples" / "articles", store)
        touched = assign_stories(store, first.ingested)
        assert len(touched) == 1
        [story] = store.stories()
        assert len(story["articles"]) == 7
        # Two outlets reprint one wire story: six independent sources among seven articles.
        assert story["independent_sources"] == 6
        second = newsprism.ingest(shared_path("seeds"), store)
        new_story = assign_stories(store, second.ingested)
        assert len(new_story) == 1 and new_story != touched
        assert store.story_of(first.ingested[0]) == touched[0]
        result = stored_clustering(store)
        assert len(result["stories"]) == 2
        assert set(result["assignments"]) == set(first.ingested) | set(second.ingested)
        assert {a.id for a in store.story_articles(new_story[0])} == set(second.ingested)
