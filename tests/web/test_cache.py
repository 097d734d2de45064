"""The page cache: cached pages keep every guard, and no write to the store is ever hidden.

Each test works on its own copy of the session's store (the seed story's report is already in
the process's report cache, so nothing is compared again) and writes to it the ways newsprism
does: through another ``Store`` connection in this process, from another process, and through
the app's own ingest (see ``test_ingest.py``).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from newsprism.model import Article
from newsprism.store import Store
from newsprism.web import create_app
from newsprism.web.cache import Entry, PageCache
from tests.web.conftest import WebData

TOKEN = "correct-horse-battery"
CACHED = ("/", "/?sort=outlets&page=1", "/api/stories", "/api/stories?q=dam")


@pytest.fixture
def db(web_data: WebData, tmp_path: Path) -> Path:
    """A private copy of the session store, safe to write to."""
    target = tmp_path / "copy.db"
    with closing(sqlite3.connect(web_data.db)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def assert_guarded(response: Response) -> None:
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def add_story(store: Store, story_id: str, title: str, outlet: str = "Cache Courier") -> str:
    """One new article in a new story, written the way ingest and clustering write them."""
    article = Article(
        id=f"{story_id}-a",
        title=title,
        text=f"{title}. Officials said the work would take two weeks, the council reported.",
        source=f"test:{story_id}",
        kind="jsonl",
        outlet=outlet,
        date=datetime(2030, 1, 2, 9, 0, tzinfo=UTC),
    )
    added = store.add(article)
    assert added.status == "new", added
    store.save_stories(
        {added.article_id: story_id},
        [
            {
                "id": story_id,
                "title": title,
                "start": "2030-01-02T09:00:00+00:00",
                "end": "2030-01-02T09:00:00+00:00",
                "outlets": [outlet],
                "articles": [added.article_id],
                "independent_sources": 1,
            }
        ],
    )
    return added.article_id


def test_cached_pages_keep_the_security_headers(client: TestClient, web_data: WebData) -> None:
    cache = client.app.state.newsprism.pages  # type: ignore[attr-defined]
    for path in (*CACHED, f"/stories/{web_data.seed_story}", f"/api/stories/{web_data.seed_story}"):
        first = client.get(path)
        hits = cache.hits
        second = client.get(path)
        assert cache.hits == hits + 1, path  # the second answer came from the cache
        assert first.status_code == second.status_code == 200
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert second.headers["content-type"] == first.headers["content-type"]
        for response in (first, second):
            assert_guarded(response)
            assert "no-cache" in response.headers["cache-control"]


def test_conditional_get_answers_304_with_the_security_headers(
    client: TestClient, web_data: WebData
) -> None:
    for path in ("/", f"/stories/{web_data.seed_story}"):
        etag = client.get(path).headers["etag"]
        again = client.get(path, headers={"If-None-Match": f'"other", {etag}'})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert_guarded(again)
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_cached_report_file_keeps_its_own_policy(client: TestClient, web_data: WebData) -> None:
    path = f"/stories/{web_data.seed_story}/report.html"
    for response in (client.get(path), client.get(path)):
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
        assert response.headers["content-disposition"].startswith("attachment;")


def test_a_write_through_another_store_connection_is_seen_at_once(
    client: TestClient, db: Path, web_data: WebData
) -> None:
    cache = client.app.state.newsprism.pages  # type: ignore[attr-defined]
    for path in CACHED:
        client.get(path)
    before = client.get("/api/stories").json()["total"]
    old_etag = client.get("/").headers["etag"]
    assert client.get("/stories/story-cache-new").status_code == 404  # errors are not kept
    story = client.get(f"/stories/{web_data.seed_story}")
    assert "Renamed by the cache test" not in story.text

    with Store(db) as store:  # as `newsprism ingest` would: its own connection
        article_id = add_story(store, "story-cache-new", "Harbour bridge reopens after storm")
        seed = store.story(web_data.seed_story)
        assert seed is not None
        seed["title"] = "Renamed by the cache test"
        store.save_stories({}, [seed])

    assert client.get("/api/stories").json()["total"] == before + 1
    listing = client.get("/")
    assert "Harbour bridge reopens after storm" in listing.text
    assert client.get("/", headers={"If-None-Match": old_etag}).status_code == 200
    assert client.get("/stories/story-cache-new").status_code == 200
    renamed = client.get(f"/stories/{web_data.seed_story}")
    assert "<title>Renamed by the cache test — newsprism</title>" in renamed.text

    # An annotation changes no page here, but it is a write: nothing cached survives it.
    client.get("/")
    misses = cache.misses
    with Store(db) as store:
        store.save_annotation(article_id, "cache-test", {"sentences": []})
    client.get("/")
    assert cache.misses == misses + 1


def test_a_write_from_another_process_is_seen_at_once(client: TestClient, db: Path) -> None:
    assert "Ferry strike ends in the village" not in client.get("/").text
    client.get("/")
    code = textwrap.dedent(
        f"""
        from newsprism.model import Article
        from newsprism.store import Store
        with Store({str(db)!r}) as store:
            article = Article(
                id="other-process-a",
                title="Ferry strike ends in the village",
                text="The ferry strike ended on Friday, the union said in the village.",
                source="test:other-process",
                kind="jsonl",
                outlet="Cache Courier",
            )
            added = store.add(article)
            store.save_stories(
                {{added.article_id: "story-other-process"}},
                [{{"id": "story-other-process", "title": article.title,
                   "outlets": ["Cache Courier"], "articles": [added.article_id]}}],
            )
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert "Ferry strike ends in the village" in client.get("/").text
    found = client.get("/api/stories", params={"q": "ferry"}).json()
    assert [s["id"] for s in found["stories"]] == ["story-other-process"]


def test_an_in_memory_store_is_cached_and_invalidated() -> None:
    app = create_app(":memory:")
    with TestClient(app) as client:
        assert "0 stories" in client.get("/").text
        assert "0 stories" in client.get("/").text
        assert app.state.newsprism.pages.hits >= 1
        add_story(app.state.newsprism.stores.writer, "story-memory", "Storm closes the railway")
        assert "Storm closes the railway" in client.get("/").text


def test_the_token_decides_which_cached_page_is_sent(db: Path) -> None:
    with TestClient(create_app(db, token=TOKEN)) as guarded:
        for _ in range(2):
            anonymous = guarded.get("/")
            assert 'href="/login"' in anonymous.text and "Log out" not in anonymous.text
            authorised = guarded.get("/", headers={"X-Newsprism-Token": TOKEN})
            assert "Log out" in authorised.text and 'href="/login"' not in authorised.text
            wrong = guarded.get("/", headers={"X-Newsprism-Token": "wrong-token"})
            assert 'href="/login"' in wrong.text


def test_a_private_server_never_sends_a_cached_page_without_the_token(db: Path) -> None:
    with TestClient(create_app(db, token=TOKEN, private=True)) as private:
        for path in CACHED:
            for _ in range(2):
                ok = private.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
                assert ok.status_code == 200
            refused = private.get(path, follow_redirects=False)
            assert refused.status_code in (303, 401), path
            assert_guarded(refused)
            wrong = private.get(
                path, headers={"X-Newsprism-Token": "wrong-token"}, follow_redirects=False
            )
            assert wrong.status_code in (303, 401), path


def test_the_cache_is_bounded() -> None:
    def entry(size: int) -> Entry:
        return Entry(200, [], b"x" * size, b'"e"')

    cache = PageCache(max_entries=3, max_bytes=1000, max_entry=600)
    assert cache.get(("a",), 1) is None
    for name in "abcd":
        cache.put((name,), 1, entry(100))
    assert len(cache) == 3 and cache.get(("a",), 1) is None  # least recently used out
    cache.put(("big",), 1, entry(700))  # larger than one entry may be
    assert cache.get(("big",), 1) is None
    for name in "xyz":
        cache.put((name,), 1, entry(450))
    assert cache.size_bytes <= 1000 and len(cache) == 2
    cache.put(("old",), 0, entry(10))  # made before the data changed: not kept
    assert cache.get(("old",), 1) is None
    assert cache.get(("z",), 2) is None and len(cache) == 0  # a new marker forgets all
