"""The Atom feeds (per story and global) and the story page's timeline, in process."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from newsprism.events import record_events
from newsprism.events.feed import ATOM, atom_feed
from newsprism.store import Store
from newsprism.web import create_app
from tests.events import story

A = f"{{{ATOM}}}"
HOSTILE_TITLE = "<script>window.__xss=1</script> & ]]> \x0b\x1b[31m Ferry 🚢 sinks"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    db = tmp_path_factory.mktemp("feeds") / "feeds.db"
    with Store(db) as store:
        first = replace(story.first(), title=HOSTILE_TITLE)
        events = record_events(store, store.add_many([first]))
        events += record_events(store, store.add_many([story.second()]))
        story_id = events[0]["story_id"]
    with TestClient(create_app(db)) as c:
        yield c, story_id


def entries(body: bytes) -> list[ET.Element]:
    root = ET.fromstring(body)
    assert root.tag == f"{A}feed"
    return root.findall(f"{A}entry")


def test_story_feed_is_atom_with_every_event(client: tuple[TestClient, str]) -> None:
    c, story_id = client
    response = c.get(f"/stories/{story_id}/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    found = entries(response.content)
    kinds = [e.find(f"{A}category").get("term") for e in found]  # type: ignore[union-attr]
    assert kinds[-1] == "new_story"  # newest first
    assert {"new_outlet", "new_source", "claim_corroborated", "figure_conflict"} <= set(kinds)
    ids = [e.findtext(f"{A}id") for e in found]
    assert len(set(ids)) == len(ids)
    link = found[0].find(f"{A}link[@rel='alternate']")
    assert link is not None and link.get("href") == f"http://testserver/stories/{story_id}"


def test_hostile_text_stays_text(client: tuple[TestClient, str]) -> None:
    c, story_id = client
    body = c.get(f"/stories/{story_id}/feed.atom").content
    assert b"<script>" not in body and b"\x0b" not in body and b"\x1b" not in body
    opened = next(e for e in entries(body) if "New story" in (e.findtext(f"{A}title") or ""))
    content = opened.findtext(f"{A}content") or ""
    assert "<script>window.__xss=1</script> & ]]>" in content and "🚢" in content


def test_global_feed_has_the_stories_events(client: tuple[TestClient, str]) -> None:
    c, story_id = client
    response = c.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    found = entries(response.content)
    assert found and all(story_id in (e.findtext(f"{A}id") or "") for e in found)


def test_unknown_story_feed_is_404(client: tuple[TestClient, str]) -> None:
    c, _ = client
    assert c.get("/stories/no-such-story/feed.atom").status_code == 404


def test_story_page_shows_the_timeline_escaped(client: tuple[TestClient, str]) -> None:
    c, story_id = client
    page = c.get(f"/stories/{story_id}").text
    assert "What was learned when" in page
    assert f'href="/stories/{story_id}/feed.atom"' in page
    assert 'type="application/atom+xml"' in page
    assert "<script>window.__xss" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "Claim carried by more sources" in page


def test_empty_feed_is_well_formed() -> None:
    body = atom_feed([], base_url="http://x/", feed_path="/feed.atom", title="t", feed_id="urn:x")
    assert entries(body) == []
    assert ET.fromstring(body).findtext(f"{A}updated")


def test_events_json_twin_pages_with_after(client: tuple[TestClient, str]) -> None:
    c, story_id = client
    listed = c.get(f"/api/stories/{story_id}/events")
    assert listed.status_code == 200
    events = listed.json()["events"]
    assert events[0]["kind"] == "new_story" and len(events) > 3
    assert [e["pk"] for e in events] == sorted(e["pk"] for e in events)
    later = c.get(f"/api/stories/{story_id}/events", params={"after": events[1]["pk"]}).json()
    assert [e["pk"] for e in later["events"]] == [e["pk"] for e in events[2:]]
    assert c.get("/api/stories/no-such-story/events").status_code == 404
    assert c.get(f"/api/stories/{story_id}/events", params={"after": -1}).status_code == 422
