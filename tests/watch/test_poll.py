"""Polling against a real loopback server into a real SQLite store: what is fetched, what is
stored, and what is left alone when nothing changed."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

from newsprism.ingest import FetchLimits
from newsprism.store import Store
from newsprism.watch.poll import PollReport, WatchedSource, Watcher
from tests.watch.server import NewsServer, article_page, entry, http_date, rss_feed

RSS = "application/rss+xml"

TOPICS = {
    "/bridge": ("Bridge reopens after repairs", "river bridge", "cyclists"),
    "/harbour": ("Harbour dredging begins", "harbour channel", "fishing boats"),
    "/library": ("Library extends opening hours", "city library", "students"),
    "/market": ("Market hall gets new roof", "old market hall", "traders"),
}


def page(path: str, extra: str = "") -> str:
    title, place, people = TOPICS[path]
    return article_page(
        title,
        f"Work on the {place} began on Monday, the city council said in a statement, and "
        f"is expected to last until the end of the summer season.",
        f"Officials said the {people} affected would be told about changes in good time, "
        f"and that the budget of the project had been approved last year. {extra}",
    )


def serve_feed(server: NewsServer, paths: list[str], **dates: str) -> None:
    entries = [entry(server, p, TOPICS[p][0], updated=dates.get(p.strip("/"), "")) for p in paths]
    server.set("/feed.xml", rss_feed("Loopback News", entries), content_type=RSS)


def watcher(store: Store, **options: object) -> Watcher:
    options.setdefault("host_interval_s", 0.0)
    options.setdefault("stories", False)
    return Watcher(store, **options)  # type: ignore[arg-type]


def poll_once(w: Watcher, *names: str, every: float = 900.0) -> list[PollReport]:
    return w.round([WatchedSource(n, every) for n in names], scheduled=False)


def test_feed_new_entries_then_nothing_fetched_again(news_server: NewsServer, store: Store) -> None:
    for path in ("/bridge", "/harbour"):
        news_server.set(path, page(path))
    serve_feed(news_server, ["/bridge", "/harbour"])
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        [first] = poll_once(w, feed)
        [second] = poll_once(w, feed)
    assert (first.new, first.updated, first.unchanged, first.failed) == (2, 0, 0, 0)
    assert store.count() == 2
    # The second poll: the feed answers 304 to its ETag; no page is asked for again.
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 2, 0)
    assert second.note == "not modified"
    assert news_server.hits("/feed.xml") == 2
    assert news_server.not_modified("/feed.xml") == 1
    assert news_server.hits("/bridge") == news_server.hits("/harbour") == 1
    first_ask, second_ask = (r.headers for r in news_server.requests("/feed.xml"))
    assert "if-none-match" not in first_ask and second_ask["if-none-match"].startswith('"')
    assert store.count() == 2


def test_a_new_feed_body_with_the_same_entries_asks_for_no_page(
    news_server: NewsServer, store: Store
) -> None:
    for path in ("/bridge", "/harbour"):
        news_server.set(path, page(path))
    serve_feed(news_server, ["/bridge", "/harbour"])
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        poll_once(w, feed)
        serve_feed(news_server, ["/harbour", "/bridge"])  # another order: another body
        [report] = poll_once(w, feed)
    assert news_server.requests("/feed.xml")[-1].status == 200
    assert (report.new, report.updated, report.unchanged, report.note) == (
        0, 0, 2, "no entry changed"
    )  # fmt: skip
    assert news_server.hits("/bridge") == news_server.hits("/harbour") == 1


def test_new_entry_alone_is_fetched(news_server: NewsServer, store: Store) -> None:
    for path in ("/bridge", "/harbour", "/library"):
        news_server.set(path, page(path))
    serve_feed(news_server, ["/bridge", "/harbour"])
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        poll_once(w, feed)
        serve_feed(news_server, ["/library", "/bridge", "/harbour"])
        [report] = poll_once(w, feed)
    assert (report.new, report.updated, report.unchanged, report.failed) == (1, 0, 2, 0)
    assert [news_server.hits(p) for p in ("/bridge", "/harbour", "/library")] == [1, 1, 1]
    assert store.count() == 3


def test_edited_article_is_stored_as_a_new_version(news_server: NewsServer, store: Store) -> None:
    for path in ("/bridge", "/harbour"):
        news_server.set(path, page(path))
    serve_feed(news_server, ["/bridge", "/harbour"], bridge="Mon, 07 Dec 2026 08:00:00 GMT")
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        poll_once(w, feed)
        news_server.set("/bridge", page("/bridge", "The mayor is to open it on Friday."))
        serve_feed(news_server, ["/bridge", "/harbour"], bridge="Mon, 07 Dec 2026 10:30:00 GMT")
        [report] = poll_once(w, feed)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    [stored] = report.stored
    assert stored.status == "version"
    versions = store.versions(stored.article_id)
    assert [v.version for v in versions] == [1, 2]
    assert "mayor is to open it" in versions[-1].text
    assert "mayor" not in versions[0].text
    assert news_server.hits("/harbour") == 1  # its entry did not change


def test_changed_entry_whose_page_did_not_change_answers_304(
    news_server: NewsServer, store: Store
) -> None:
    news_server.set("/bridge", page("/bridge"))
    serve_feed(news_server, ["/bridge"], bridge="Mon, 07 Dec 2026 08:00:00 GMT")
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        poll_once(w, feed)
        serve_feed(news_server, ["/bridge"], bridge="Mon, 07 Dec 2026 09:00:00 GMT")
        [report] = poll_once(w, feed)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert news_server.hits("/bridge") == 2
    assert news_server.not_modified("/bridge") == 1
    assert store.count(all_versions=True) == 1


def test_page_with_last_modified_and_page_without_validators(
    news_server: NewsServer, store: Store
) -> None:
    stamp = http_date(time.time() - 3600)
    news_server.set("/bridge", page("/bridge"), etag=False, last_modified=stamp)
    news_server.set("/harbour", page("/harbour"), etag=False)  # no validators at all
    names = [news_server.url("/bridge"), news_server.url("/harbour")]
    with watcher(store) as w:
        first = poll_once(w, *names)
        second = poll_once(w, *names)
    assert [r.new for r in first] == [1, 1]
    assert [(r.unchanged, r.note) for r in second] == [(1, "not modified")] * 2
    assert news_server.requests("/bridge")[1].headers["if-modified-since"] == stamp
    assert news_server.not_modified("/bridge") == 1
    # The same body again (a 200): recognised by its digest, not parsed or stored again.
    assert news_server.not_modified("/harbour") == 0
    assert store.count(all_versions=True) == 2


def test_429_with_retry_after_holds_the_host(news_server: NewsServer, store: Store) -> None:
    now = [1_800_000_000.0]
    news_server.set("/bridge", status=429, headers={"Retry-After": "120"})
    news_server.set("/harbour", page("/harbour"))
    bridge, harbour = news_server.url("/bridge"), news_server.url("/harbour")
    with watcher(store, clock=lambda: now[0]) as w:
        [refused, deferred] = poll_once(w, bridge, harbour)
        assert refused.error == "the server answered 429 Too Many Requests"
        assert "Retry-After" in refused.line()
        assert refused.next_poll == now[0] + 120
        # Same host: not asked at all before the time the server gave, and not a failure.
        assert (deferred.polled, deferred.error) == (False, None)
        assert deferred.line().endswith(
            ": not polled (its host asked to wait); next poll 08:02:00"
        )  # 1_800_000_000 + 120 is 08:02:00
        assert news_server.hits("/harbour") == 0
        assert store.fetch_state(harbour) is None
        assert w.next_poll(WatchedSource(harbour, 900)) == now[0] + 120
        state = store.fetch_state(bridge)
        assert state is not None and state["not_before"] == now[0] + 120
        assert state["failures"] == 1

        now[0] += 60
        waiting = poll_once(w, bridge, harbour)
        assert [r.polled for r in waiting] == [False, False]
        assert "not polled (waiting after: the server answered 429" in waiting[0].line()
        assert "not polled (its host asked to wait)" in waiting[1].line()
        assert news_server.hits("/bridge") == 1

        now[0] += 61
        news_server.set("/bridge", page("/bridge"))
        after = poll_once(w, bridge, harbour)
    assert [r.new for r in after] == [1, 1]
    assert news_server.hits("/bridge") == 2 and news_server.hits("/harbour") == 1
    assert "failures" not in (store.fetch_state(bridge) or {})


def test_retry_after_as_an_http_date_and_kept_across_runs(
    news_server: NewsServer, store: Store
) -> None:
    now = 1_800_000_000.0
    news_server.set("/bridge", status=503, headers={"Retry-After": http_date(now + 300)})
    bridge = news_server.url("/bridge")
    with watcher(store, clock=lambda: now) as w:
        [report] = poll_once(w, bridge)
    assert report.error == "the server answered 503 Service Unavailable"
    assert report.next_poll == now + 300
    with watcher(store, clock=lambda: now + 10) as again:  # a new run: the host is still held
        assert again.fetcher.blocked_until(news_server.url("/harbour")) == now + 300


def test_failures_back_off_exponentially(news_server: NewsServer, store: Store) -> None:
    now = [1_800_000_000.0]
    news_server.set("/bridge", "boom", status=500, content_type="text/plain")
    source = WatchedSource(news_server.url("/bridge"), 600)
    waits = []
    with watcher(store, clock=lambda: now[0]) as w:
        for _ in range(4):
            [report] = w.round([source])
            assert report.error == "the server answered 500 Internal Server Error"
            waits.append(report.next_poll - now[0])
            now[0] = report.next_poll
    assert waits == [600, 1200, 2400, 4800]
    assert news_server.hits("/bridge") == 4


def test_slow_and_broken_sources_fail_alone(
    news_server: NewsServer, store: Store, tmp_path: Path
) -> None:
    news_server.set("/bridge", page("/bridge"), delay=1.5)
    news_server.set("/broken.xml", "<rss version='2.0'><channel><title>Half", content_type=RSS)
    news_server.set("/harbour", page("/harbour"))
    names = [news_server.url(p) for p in ("/bridge", "/broken.xml", "/harbour")]
    with watcher(store, limits=FetchLimits(read_timeout=0.5)) as w:
        slow, broken, fine = poll_once(w, *names)
    assert slow.error is not None and "timed out" in slow.error
    assert broken.error is not None and "not a valid RSS/Atom feed" in broken.error
    line = broken.line()
    assert "\n" not in line
    assert f"{names[1]}: failed: not a valid RSS/Atom feed" in line
    assert fine.new == 1


def test_entry_that_timed_out_is_fetched_next_poll(news_server: NewsServer, store: Store) -> None:
    news_server.set("/bridge", page("/bridge"))
    news_server.set("/harbour", page("/harbour"), delay=1.5)
    serve_feed(news_server, ["/bridge", "/harbour"])
    feed = news_server.url("/feed.xml")
    with watcher(store, limits=FetchLimits(read_timeout=0.5)) as w:
        [first] = poll_once(w, feed)
        assert (first.new, first.failed) == (1, 1)
        assert "timed out" in first.line()
        news_server.set("/harbour", page("/harbour"))
        [second] = poll_once(w, feed)
    # The feed is read again (not answered 304), and only the missing entry is fetched.
    assert news_server.not_modified("/feed.xml") == 0
    assert (second.new, second.unchanged, second.failed) == (1, 1, 0)
    assert news_server.hits("/bridge") == 1
    assert store.count() == 2


def test_requests_to_one_host_are_paced(news_server: NewsServer, store: Store) -> None:
    for path in ("/bridge", "/harbour", "/library"):
        news_server.set(path, page(path))
    with watcher(store, host_interval_s=0.3) as w:
        poll_once(w, *(news_server.url(p) for p in ("/bridge", "/harbour", "/library")))
    arrivals = [r.at for r in news_server.requests()]
    assert len(arrivals) == 3
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(arrivals))


def test_stop_finishes_the_article_in_hand_and_the_next_run_resumes(
    news_server: NewsServer, store: Store
) -> None:
    paths = ["/bridge", "/harbour", "/library"]
    for path in paths:
        news_server.set(path, page(path), delay=0.5 if path == "/bridge" else 0.0)
    serve_feed(news_server, paths)
    feed = news_server.url("/feed.xml")
    stop = threading.Event()

    def stop_once_asked() -> None:
        while not news_server.hits("/bridge"):
            time.sleep(0.01)
        stop.set()

    threading.Thread(target=stop_once_asked, daemon=True).start()
    with watcher(store, stop=stop) as w:
        [report] = poll_once(w, feed)
    assert (report.new, report.failed) == (1, 0)
    assert store.count() == 1
    with watcher(store) as resumed:
        [rest] = poll_once(resumed, feed)
    assert (rest.new, rest.unchanged) == (2, 1)
    assert [news_server.hits(p) for p in paths] == [1, 1, 1]


def test_folder_new_changed_and_unchanged_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    first = folder / "bridge.txt"
    first.write_text("Bridge reopens\n\nThe old river bridge reopened to traffic on Friday.\n")
    source = str(folder)
    with watcher(store) as w:
        [one] = poll_once(w, source)
        [two] = poll_once(w, source)
        first.write_text(first.read_text())  # touched: new time, same content
        [touched] = poll_once(w, source)
        (folder / "harbour.txt").write_text(
            "Harbour dredging\n\nDredging of the harbour channel began on Monday morning.\n"
        )
        [added] = poll_once(w, source)
    assert (one.new, two.new, two.unchanged, touched.unchanged, touched.new) == (1, 0, 1, 1, 0)
    assert (added.new, added.unchanged) == (1, 1)
    assert store.count() == 2


def test_log_line_format(news_server: NewsServer, store: Store) -> None:
    news_server.set("/bridge", page("/bridge"))
    now = 1_796_576_400.0  # 2026-12-06T17:00:00Z
    with watcher(store, clock=lambda: now) as w:
        [report] = poll_once(w, news_server.url("/bridge"))
    assert report.line() == (
        f"2026-12-06T17:00:00Z {news_server.url('/bridge')}: 1 new, 0 updated, 0 unchanged, "
        "0 failed; next poll 17:15:00"
    )


@pytest.mark.parametrize("scheduled", [True, False])
def test_a_source_polled_recently_waits_for_its_interval_unless_once(
    news_server: NewsServer, store: Store, scheduled: bool
) -> None:
    news_server.set("/bridge", page("/bridge"))
    source = WatchedSource(news_server.url("/bridge"), 900)
    with watcher(store) as w:
        w.round([source], scheduled=scheduled)
        second = w.round([source], scheduled=scheduled)
    assert len(second) == (0 if scheduled else 1)
    assert news_server.hits("/bridge") == (1 if scheduled else 2)


def test_a_source_not_asked_because_of_stopping_keeps_its_state(
    news_server: NewsServer, store: Store
) -> None:
    news_server.set("/bridge", page("/bridge"))
    source = WatchedSource(news_server.url("/bridge"), 900)
    stop = threading.Event()
    with watcher(store, stop=stop) as w:
        stop.set()
        report = w.poll(source)
    assert (report.polled, report.note) == (False, "stopped")
    assert news_server.hits("/bridge") == 0
    assert store.fetch_state(source.key) is None


def test_a_page_watched_also_as_a_feed_entry_keeps_its_schedule(
    news_server: NewsServer, store: Store
) -> None:
    news_server.set("/bridge", page("/bridge"))
    serve_feed(news_server, ["/bridge"])
    bridge = WatchedSource(news_server.url("/bridge"), 900)
    feed = WatchedSource(news_server.url("/feed.xml"), 900)
    with watcher(store) as w:
        w.round([bridge])
        polled_at = (store.fetch_state(bridge.key) or {})["last_poll"]
        news_server.set("/bridge", page("/bridge", "The mayor is to open it on Friday."))
        serve_feed(news_server, ["/bridge"], bridge="Mon, 07 Dec 2026 10:30:00 GMT")
        [report] = w.round([feed])
        assert report.updated == 1
        state = store.fetch_state(bridge.key) or {}
        assert state["last_poll"] == polled_at
        assert w.round([bridge]) == []  # not due: its own schedule was kept


def test_an_empty_feed_is_no_failure_and_its_first_entry_is_read(
    news_server: NewsServer, store: Store
) -> None:
    # A new feed with no entries yet is well-formed: nothing new, nothing failed, no backoff.
    serve_feed(news_server, [])
    feed = news_server.url("/feed.xml")
    with watcher(store) as w:
        [empty] = poll_once(w, feed)
        assert (empty.new, empty.failed, empty.error, empty.note) == (0, 0, None, "no entries")
        assert "failed:" not in empty.line()
        assert "not_before" not in (store.fetch_state(feed) or {})
        news_server.set("/bridge", page("/bridge"))
        serve_feed(news_server, ["/bridge"])
        [first] = poll_once(w, feed)
    assert (first.new, first.failed) == (1, 0)
