"""The SQLite store on real files: migrations, WAL, idempotent ingest, versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import newsprism
from newsprism.errors import StoreError
from newsprism.model import Article, RemovedLine
from newsprism.store import Store
from newsprism.store.migrations import MIGRATIONS


def _article(text: str, url: str | None = "https://news.example/a", **kw: object) -> Article:
    return Article(
        id="a1",
        title="Title",
        text=text,
        source="test",
        kind="text",
        url=url,
        removed=[RemovedLine("Share", "share/social buttons", 3)],
        **kw,  # type: ignore[arg-type]
    )


def test_migrations_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:
        assert store.schema_version() == MIGRATIONS[-1][0]
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with Store(db) as again:  # reopening applies nothing twice
        assert again.schema_version() == MIGRATIONS[-1][0]


def test_same_content_is_a_duplicate_changed_content_a_version(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        first = store.add(_article("The bridge reopened on Friday."))
        assert first.status == "new"
        again = store.add(_article("The bridge reopened on Friday."))
        assert again.status == "duplicate" and again.duplicate_of == first.article_id
        other_url = store.add(_article("The bridge reopened on Friday.", url="https://b.example/x"))
        assert other_url.status == "duplicate"
        changed = store.add(_article("The bridge reopened on Friday, after nine months."))
        assert changed.status == "version" and changed.article_id == "a1~2"
        assert store.count() == 1 and store.count(all_versions=True) == 2
        [latest] = store.articles()
        assert latest.version == 2 and "nine months" in latest.text
        assert [v.id for v in store.versions("a1")] == ["a1", "a1~2"]
        old = store.get("a1")
        assert old is not None and old.removed == [RemovedLine("Share", "share/social buttons", 3)]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    date = datetime(2024, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    article = _article(
        "Text here.",
        outlet="Gazette",
        date=date,
        author="A. Writer",
        lang="en",
        credit="Gazette and agencies",
    )
    with Store(tmp_path / "n.db") as store:
        store.add(article)
        loaded = store.get("a1")
    assert loaded is not None
    assert loaded.to_dict() == article.to_dict()


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError) as info:
        Store(bad)
    assert str(bad) in str(info.value)


def test_python_api_ingest_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Harbour reopens\n\nThe harbour reopened on Tuesday after the storm passed.")
    db = tmp_path / "news.db"
    first = newsprism.ingest(path, db)
    second = newsprism.ingest([path], db)
    assert (len(first.ingested), len(second.ingested), len(second.duplicates)) == (1, 0, 1)
    path.write_text("Harbour reopens\n\nThe harbour reopened on Wednesday after the storm.")
    third = newsprism.ingest(path, db)
    # No URL: the changed text is another article, not lost and not a duplicate.
    assert len(third.ingested) == 1
    with newsprism.Store(db) as store:
        assert store.count() == 2


def test_several_connections_opening_a_new_database_at_once(tmp_path: Path) -> None:
    """Regression: concurrent first opens raced on the journal mode and the migrations."""
    import threading

    for attempt in range(10):
        db = tmp_path / f"new{attempt}.db"
        errors: list[BaseException] = []

        def open_it(path: Path = db, errors: list[BaseException] = errors) -> None:
            try:
                with Store(path) as store:
                    store.count()
            except BaseException as err:
                errors.append(err)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with Store(db) as store:
            assert store.schema_version() == MIGRATIONS[-1][0]


def test_add_many_is_add_one_by_one_in_one_transaction(tmp_path: Path) -> None:
    def batch() -> list[Article]:
        same_id = _article("Another story at another address.", url="https://c.example/y")
        return [
            _article("The bridge reopened on Friday."),
            _article("The bridge reopened on Friday.", url="https://b.example/x"),  # duplicate
            _article("The bridge reopened on Friday, after nine months."),  # a version
            same_id,  # the id a1 again, another URL: kept under a suffixed id
            _article("No address at all.", url=None),
        ]

    with Store(tmp_path / "one.db") as one, Store(tmp_path / "many.db") as many:
        singles = [one.add(a) for a in batch()]
        together = many.add_many(batch())
        assert together == singles
        assert [(a.id, a.version, a.text) for a in many.articles(all_versions=True)] == [
            (a.id, a.version, a.text) for a in one.articles(all_versions=True)
        ]
        assert many.add_many([]) == []


def test_id_prefix_is_literal_percent_and_underscore_are_not_wildcards(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        article = _article("One article about the canal repairs.")
        article.id = "abc_def-17-xyz"
        store.add(article)
        assert store.get("%%%%%%") is None
        assert store.get("______") is None
        assert store.get("%-17-%") is None
        assert store.get("abc!de") is None
        found = store.get("abc_de")
        assert found is not None and found.id == "abc_def-17-xyz"


def test_a_stored_article_is_queued_for_its_story_until_assigned(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        added = store.add(_article("Queued until a story takes it."))
        assert store.pending_stories() == [added.article_id]
        store.save_stories({added.article_id: "s1"}, [{"id": "s1", "articles": [added.article_id]}])
        assert store.pending_stories() == []
