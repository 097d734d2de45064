"""The store contract on both backends: SQLite files and a real PostgreSQL server.

Every test here runs twice, once per backend, so the two stores cannot drift apart. The server
is a throwaway cluster started by ``tests/scale/pgserver.py``; when it cannot start, the
PostgreSQL half is skipped with the reason (and fails under NEWSPRISM_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsprism.errors import StoreError
from newsprism.model import Article, RemovedLine
from newsprism.store import Store, open_store
from newsprism.store.migrations import MIGRATIONS
from newsprism.store.postgres import PostgresStore, postgres_sql, sqlite_to_postgres
from tests.scale.pgserver import fresh_database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return fresh_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


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


def test_open_store_picks_the_backend(db_url: str) -> None:
    with open_store(db_url) as store:
        assert isinstance(store, Store)
        assert isinstance(store, PostgresStore) == db_url.startswith("postgresql://")
        assert store.schema_version() == MIGRATIONS[-1][0]
    with open_store(db_url) as again:  # reopening applies nothing twice
        assert again.schema_version() == MIGRATIONS[-1][0]


def test_duplicates_versions_and_removed_lines(store: Store) -> None:
    first = store.add(_article("The bridge reopened on Friday."))
    assert first.status == "new"
    again = store.add(_article("The bridge reopened on Friday."))
    assert again.status == "duplicate" and again.duplicate_of == first.article_id
    changed = store.add(_article("The bridge reopened on Friday, after nine months."))
    assert changed.status == "version" and changed.article_id == "a1~2"
    assert store.count() == 1 and store.count(all_versions=True) == 2
    [latest] = store.articles()
    assert latest.version == 2 and "nine months" in latest.text
    assert [v.id for v in store.versions("a1")] == ["a1", "a1~2"]
    old = store.get("a1")
    assert old is not None and old.removed == [RemovedLine("Share", "share/social buttons", 3)]
    assert store.id_for_url("https://news.example/a") == "a1~2"
    reused = store.add(_article("Another story entirely here.", url="https://other.example/z"))
    assert reused.status == "new" and reused.article_id.startswith("a1-")


def test_round_trip_keeps_every_field(store: Store) -> None:
    date = datetime(2024, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    article = _article(
        "Text here.", outlet="Gazette", date=date, author="A. Writer", lang="en", credit="AP"
    )
    store.add(article)
    loaded = store.get("a1")
    assert loaded is not None and loaded.to_dict() == article.to_dict()


def test_listing_order_filters_and_prefixes(store: Store) -> None:
    for i, day in enumerate([3, None, 1, 2]):
        date = datetime(2024, 5, day, tzinfo=UTC_) if day else None
        store.add(
            Article(
                id=f"article{i}", title=f"T{i}", text=f"Body number {i} of the test.",
                source="t", kind="jsonl", url=f"https://x.example/{i}",
                outlet="Odd" if i % 2 else "Even", date=date,
            )
        )  # fmt: skip
    assert [a.id for a in store.articles()] == ["article0", "article3", "article2", "article1"]
    assert [a.id for a in store.articles(limit=2, offset=1)] == ["article3", "article2"]
    assert [a.id for a in store.articles(outlet="Odd")] == ["article3", "article1"]
    assert store.get("article") is None  # ambiguous prefix
    found = store.get("article2")
    assert found is not None and found.outlet == "Even"


def test_annotations(store: Store) -> None:
    store.add(_article("Text of the annotated article."))
    store.save_annotation("a1", "nlp/1", {"quotes": [{"text": "x"}]})
    store.save_annotation("a1", "nlp/2", {"quotes": []})  # replaces
    assert store.annotation("a1") == {"quotes": []}
    assert store.annotation("a1", "nlp/1") is None
    with pytest.raises(StoreError):
        store.save_annotation("missing", "nlp/2", {})


def test_stories_and_clusterer_state(store: Store) -> None:
    for i in range(3):
        store.add(_article(f"Story text {i} is here.", url=f"https://s.example/{i}"))
    ids = [a.id for a in store.articles()]
    story = {"id": "story-1", "title": "T", "start": "2024-01-01", "end": "2024-01-02",
             "articles": ids[:2], "outlets": ["A"]}  # fmt: skip
    store.save_stories({ids[0]: "story-1", ids[1]: "story-1"}, [story], {"n": 1})
    assert store.story_of(ids[0]) == "story-1" and store.story_of(ids[2]) is None
    assert store.story("story-1") == story and store.stories() == [story]
    assert {a.id for a in store.story_articles("story-1")} == set(ids[:2])
    assert store.clusterer_state() == {"n": 1}
    # Re-assigning both articles elsewhere removes the now-empty story; the state is replaced.
    other = {**story, "id": "story-2"}
    store.save_stories({ids[0]: "story-2", ids[1]: "story-2"}, [other], {"n": 2})
    assert [s["id"] for s in store.stories()] == ["story-2"]
    assert store.assignments() == {ids[0]: "story-2", ids[1]: "story-2"}
    assert store.clusterer_state() == {"n": 2}


def test_ingest_and_stories_run_on_the_store(store: Store) -> None:
    import newsprism
    from newsprism.stories import stored_clustering

    report = newsprism.ingest(EXAMPLES, store, fetch_links=False)
    assert report.ingested and store.count() == len(report.ingested)
    again = newsprism.ingest(EXAMPLES, store, fetch_links=False)
    assert not again.ingested and len(again.duplicates) == len(report.ingested)
    result = stored_clustering(store)
    assert set(result["assignments"]) == {a.id for a in store.articles()}


def test_web_search_queries_read_through_the_store(store: Store) -> None:
    """web/data.py reads ``store._db`` with SQLite SQL; the PostgreSQL store must answer it."""
    import newsprism
    from newsprism.stories import stored_clustering
    from newsprism.web.data import StoryQuery, outlets, search_stories

    newsprism.ingest(EXAMPLES, store, fetch_links=False)
    stored_clustering(store)
    found, total = search_stories(store, StoryQuery(words="dam"))
    assert total == len(found) >= 1
    assert outlets(store) and all(row["articles"] >= 1 for row in outlets(store))


def test_concurrent_writers_store_one_copy(db_url: str) -> None:
    """Two connections adding the same article at once: one stores it, one sees a duplicate."""
    results: list[str] = []

    def writer() -> None:
        with open_store(db_url) as own:
            for i in range(20):
                results.append(own.add(_article(f"Same text {i}.", url=f"https://c/{i}")).status)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(results)) == ["duplicate", "new"] and results.count("new") == 20
    with open_store(db_url) as check:
        assert check.count(all_versions=True) == 20


def test_schema_matches_sqlite(tmp_path: Path) -> None:
    """The migrated PostgreSQL schema has the same tables and columns as SQLite's."""
    import psycopg

    url = fresh_database()
    PostgresStore(url).close()
    Store(tmp_path / "n.db").close()
    lite = sqlite3.connect(tmp_path / "n.db")
    tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    expected = {t: [r[1] for r in lite.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ).fetchall()
    actual: dict[str, list[str]] = {}
    for table, column in rows:
        actual.setdefault(table, []).append(column)
    assert actual == expected


def test_bad_server_is_a_store_error() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in str(info.value) and "cannot connect" in str(info.value)


def test_dialect_rewrites() -> None:
    assert "GENERATED BY DEFAULT AS IDENTITY" in postgres_sql("pk INTEGER PRIMARY KEY,\n")
    assert "IDENTITY" not in postgres_sql("id INTEGER PRIMARY KEY CHECK (id = 1)")
    assert "IDENTITY" not in postgres_sql("x INTEGER PRIMARY KEY REFERENCES a(pk)")
    assert sqlite_to_postgres("SELECT '?%' FROM t WHERE a = ? AND b LIKE ?") == (
        "SELECT '?%%' FROM t WHERE a = %s AND b LIKE %s"
    )
    assert sqlite_to_postgres("a.outlet = ? COLLATE NOCASE") == "lower(a.outlet) = lower(%s)"


UTC_ = UTC
