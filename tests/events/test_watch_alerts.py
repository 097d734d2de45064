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
