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


def test_a_revised_article_counts_once_with_its_new_headline(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from newsprism.model import Article

    text = (
        "Talks on the Marrow dam collapsed on Monday without a deal, officials said. The talks "
        "lasted four hours and ended without agreement on funding. The minister said repairs "
        "would start in May."
    )

    def article(aid: str, title: str, body: str, hour: int) -> Article:
        return Article(id=aid, title=title, text=body, source=aid, kind="jsonl",
                       url=f"https://{aid}.example/dam", outlet=aid.title(),
                       date=datetime(2024, 3, 1, hour, tzinfo=UTC))  # fmt: skip

    with newsprism.Store(tmp_path / "v.db") as store:
        first = [store.add(article("gazette", "Dam talks end without deal", text, 10)),
                 store.add(article("herald", "Dam deal fails", text.replace("May", "spring"),
                                   11))]  # fmt: skip
        assign_stories(store, [r.article_id for r in first])
        revised = store.add(
            article("gazette", "Dam talks collapse", text.replace("four", "five"), 10)
        )
        assert revised.status == "version"
        [story_id] = assign_stories(store, [revised.article_id])
        story = store.story(story_id)
        assert story is not None
        assert sorted(story["articles"]) == sorted([revised.article_id, first[1].article_id])
        assert story["title"] == "Dam talks collapse"
        assert store.story_of(first[0].article_id) == story_id  # the history stays assigned
        assert {a.id for a in store.story_articles(story_id)} == set(story["articles"])
