"""End to end: `newsprism watch --once` twice against a changing local site, with a webhook.

The second round brings a new outlet's report and an edit of the first article; the test
checks the events recorded and the signed deliveries the local receiver got.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.events import verify
from newsprism.events.alerts import SIGNATURE_HEADER
from newsprism.store import Store
from tests.events import story
from tests.events.receiver import receiver
from tests.watch.server import NewsServer, article_page, entry, rss_feed

SECRET = "end-to-end-secret"


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def serve(server: NewsServer, outlet: str, pages: dict[str, tuple[str, str, str]]) -> str:
    """An outlet's pages at their paths (title, text, feed date) and its feed; the feed's URL."""
    for path, (title, text, _) in pages.items():
        server.set(path, article_page(title, *paragraphs(text), site=outlet))
    items = [entry(server, p, t, updated=when) for p, (t, _, when) in pages.items()]
    feed = "/" + outlet.split()[0].lower() + ".xml"
    server.set(feed, rss_feed(outlet, items), content_type="application/rss+xml")
    return server.url(feed)


def test_watch_twice_records_events_and_delivers_them(tmp_path: Path) -> None:
    db = str(tmp_path / "watch.db")
    first, second, version = story.first(), story.second(), story.version()
    with NewsServer() as server, receiver() as hook:
        options = ["--db", db, "--once", "--host-interval", "0"]
        options += ["--notify", hook.url, "--secret", SECRET]
        day = "Mon, 02 Mar 2026"
        harbour = {"/ferry": (first.title, first.text, f"{day} 20:00:00 GMT")}
        feeds = [serve(server, "Harbour Times", harbour)]
        result = CliRunner().invoke(cli, ["watch", "run", *feeds, *options])
        assert result.exit_code == 0, result.stderr
        with Store(db) as store:
            assert [e["kind"] for e in store.story_events()] == ["new_story"]
        assert len(hook.received) == 1

        # Round two: the first article edited at its URL, and a new outlet's report.
        harbour["/ferry"] = (version.title, version.text, f"{day} 22:00:00 GMT")
        lakeside = {"/lakeside": (second.title, second.text, f"{day} 21:00:00 GMT")}
        feeds = [serve(server, "Harbour Times", harbour), serve(server, "Lakeside Post", lakeside)]
        result = CliRunner().invoke(cli, ["watch", "run", *feeds, *options])
        assert result.exit_code == 0, result.stderr

    with Store(db) as store:
        events = store.story_events()
        target = f"webhook:{hook.url}"
        assert all(store.delivery(e["pk"], target)["status"] == "sent" for e in events)  # type: ignore[index]
    kinds = [e["kind"] for e in events]
    assert {"new_outlet", "new_source", "claim_corroborated", "figure_conflict"} <= set(kinds)
    assert "headline_changed" in kinds
    assert "versions" in {e["between"] for e in events if e["kind"] == "quote_changed"}
    assert len({e["story_id"] for e in events}) == 1
    bodies = [json.loads(r.body) for r in hook.received]
    assert [b["pk"] for b in bodies] == [e["pk"] for e in events]
    assert all(verify(r.body, SECRET, r.headers[SIGNATURE_HEADER]) for r in hook.received)
    headline = next(b for b in bodies if b["kind"] == "headline_changed")
    assert headline["after"] == version.title
    assert headline["story_path"] == f"/stories/{events[0]['story_id']}"


def test_events_of_articles_a_killed_watch_stored_are_recorded_next_run(tmp_path: Path) -> None:
    # A watch that was killed after storing two articles (queued for their events in the same
    # write) and before working their events out: the next run records them, and sends them.
    db = str(tmp_path / "killed.db")
    first, second = story.first(), story.second()
    with Store(db) as store:
        results = [store.add(a, queue_events=True) for a in (first, second)]
        assert [i for i, _ in store.queued_events()] == [r.article_id for r in results]
        assert store.story_events() == []
    with NewsServer() as server, receiver() as hook:
        server.set("/empty.xml", rss_feed("Quiet Gazette", []), content_type="application/rss+xml")
        options = ["--db", db, "--once", "--host-interval", "0", "--notify", hook.url]
        result = CliRunner().invoke(cli, ["watch", "run", server.url("/empty.xml"), *options])
        assert result.exit_code == 0, result.stderr
        assert "story events of articles stored earlier recorded" in result.stderr
        with Store(db) as store:
            events = store.story_events()
            assert store.queued_events() == []
        assert {e["article_id"] for e in events} == {r.article_id for r in results}
        assert {"new_story", "new_outlet"} <= {e["kind"] for e in events}
        assert [json.loads(r.body)["pk"] for r in hook.received] == [e["pk"] for e in events]
        # A run after that records nothing again and sends nothing twice.
        again = CliRunner().invoke(cli, ["watch", "run", server.url("/empty.xml"), *options])
        assert again.exit_code == 0, again.stderr
        assert "recorded" not in again.stderr
        assert len(hook.received) == len(events)
    with Store(db) as store:
        assert len(store.story_events()) == len(events)
