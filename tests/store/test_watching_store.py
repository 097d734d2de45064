"""The watching tables (watch list, fetch state, story events, deliveries) on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.store import Store, open_store
from tests.scale.pgserver import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = str(tmp_path / "news.db") if request.param == "sqlite" else fresh_database()
    with open_store(url) as opened:
        yield opened


def test_watch_list(store: Store) -> None:
    assert store.watch_add("https://feeds.example/rss", 900, {"match": ["Xinjiang"]})
    assert not store.watch_add("https://feeds.example/rss", 600)  # updated, not new
    assert store.watch_add("/srv/inbox")
    listed = store.watches()
    assert [w["source"] for w in listed] == ["https://feeds.example/rss", "/srv/inbox"] or [
        w["source"] for w in listed
    ] == ["/srv/inbox", "https://feeds.example/rss"]
    rss = next(w for w in listed if w["source"].startswith("https"))
    assert rss["every_s"] == 600 and rss["options"] == {}
    assert store.watch_remove("/srv/inbox") and not store.watch_remove("/srv/inbox")
    assert [w["source"] for w in store.watches()] == ["https://feeds.example/rss"]


def test_fetch_state(store: Store) -> None:
    assert store.fetch_state("https://a.example/") is None
    store.save_fetch_state("https://a.example/", {"etag": '"x1"', "failures": 0})
    store.save_fetch_states({"https://a.example/": {"etag": '"x2"'}, "https://b.example/": {}})
    assert store.fetch_state("https://a.example/") == {"etag": '"x2"'}
    assert set(store.fetch_states()) == {"https://a.example/", "https://b.example/"}


def test_events_state_and_deliveries(store: Store) -> None:
    pks = store.add_story_events(
        [
            {"story_id": "s1", "kind": "new_outlet", "article_id": "a1", "outlet": "Wire"},
            {"story_id": "s2", "kind": "new_claim", "spans": [[0, 5]]},
        ]
    )
    assert len(pks) == 2 and pks[0] < pks[1]
    assert store.event_state("s1") is None
    more = store.save_event_state("s1", {"claims": 3}, [{"story_id": "s1", "kind": "headline"}])
    assert len(more) == 1 and more[0] > pks[1]
    assert store.event_state("s1") == {"claims": 3}
    assert store.save_event_state("s1", {"claims": 4}) == []
    assert store.event_state("s1") == {"claims": 4}
    s1 = store.story_events("s1")
    assert [e["kind"] for e in s1] == ["new_outlet", "headline"]
    assert s1[0]["outlet"] == "Wire" and s1[0]["article_id"] == "a1" and s1[0]["at"]
    assert [e["pk"] for e in store.story_events(after=pks[0])] == [pks[1], more[0]]
    assert store.story_events(newest_first=True, limit=1)[0]["pk"] == more[0]
    assert store.story_events("s2")[0]["spans"] == [[0, 5]]

    hook = "https://hooks.example/x"
    assert [e["pk"] for e in store.undelivered(hook)] == [*pks, *more]
    store.record_delivery(pks[0], hook, "sent", 1)
    store.record_delivery(pks[1], hook, "failed", 3, "HTTP 500")
    assert store.delivery(pks[1], hook)["last_error"] == "HTTP 500"  # type: ignore[index]
    assert [e["pk"] for e in store.undelivered(hook)] == [pks[1], more[0]]
    assert store.delivery(more[0], hook) is None


def test_event_queue(store: Store) -> None:
    from newsprism.model import Article

    def article(aid: str, text: str) -> Article:
        return Article(id=aid, title="T", text=text, source=aid, kind="text",
                       url=f"https://news.example/{aid}")  # fmt: skip

    new = store.add(article("a", "First text."), queue_events=True)
    plain = store.add(article("b", "Other text."))  # not queued: ingest works events out never
    dup = store.add(article("c", "First text."), queue_events=True)  # a duplicate: not queued
    edit = store.add(article("a", "First text, edited."), queue_events=True)
    assert (new.status, plain.status, dup.status, edit.status) == ("new", "new", "duplicate",
                                                                   "version")  # fmt: skip
    assert store.queued_events() == [("a", "new"), ("a~2", "version")]
    store.save_event_state("s1", {"seen": ["a"]}, [{"story_id": "s1", "kind": "x"}], done=["a"])
    assert store.queued_events() == [("a~2", "version")]
    store.dequeue_events(["a~2"])
    assert store.queued_events() == []
