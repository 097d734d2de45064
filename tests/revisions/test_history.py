"""Versions from a real store: their times, which two to compare, the report entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsprism.errors import NewsprismError
from newsprism.revisions.history import (
    Version,
    add_revisions,
    choose,
    describe,
    history,
    page_view,
    report_entry,
    revised_after_publication,
)
from newsprism.store import Store, open_store
from tests.revisions.stores import PUBLISHED, store_with_versions, version
from tests.scale.pgserver import fresh_database


def test_history_has_every_version_with_its_stored_time(tmp_path: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    ids = store_with_versions(tmp_path / "n.db")
    assert ids == ["gazette-dam", "gazette-dam~2", "gazette-dam~3"]
    with Store(tmp_path / "n.db") as store:
        for named in ids:  # any version's id
            article, versions = history(store, named)
            assert article.id == named and [v.article.id for v in versions] == ids
        herald, alone = history(store, "herald-d")  # a unique prefix
        assert herald.id == "herald-dam" and [v.article.id for v in alone] == ["herald-dam"]
        assert all(v.stored is not None and v.stored >= before for v in versions)
        assert store.ingested_times(["nope", ids[0]]).keys() == {ids[0]}
        with pytest.raises(NewsprismError, match="no article with id 'nope'"):
            history(store, "nope")


def _versions(count: int = 3) -> list[Version]:
    now = datetime.now(UTC)
    out = []
    for n in range(1, count + 1):
        article = version(n)
        article.id = "gazette-dam" if n == 1 else f"gazette-dam~{n}"
        article.version = n
        out.append(Version(article, now + timedelta(minutes=n)))
    return out


def _numbers(pair: tuple[Version, Version]) -> tuple[int, int]:
    return pair[0].number, pair[1].number


def test_choose_which_versions_to_compare() -> None:
    versions = _versions()
    first, second, third = (v.article for v in versions)
    assert _numbers(choose(versions, first)) == (2, 3)  # the base id: the latest change
    assert _numbers(choose(versions, second)) == (1, 2)  # a version's id: its own change
    assert _numbers(choose(versions, third)) == (2, 3)
    assert _numbers(choose(versions, first, version=2)) == (1, 2)
    assert _numbers(choose(versions, first, start=1)) == (1, 3)
    assert _numbers(choose(versions, first, start=3, end=1)) == (3, 1)
    assert _numbers(choose(versions, first, end=2)) == (1, 2)
    for bad, message in [
        ({"version": 1}, "version 1 is the first: give --version 2 to 3"),
        ({"version": 4}, r"version 4 is not stored \(this article has versions 1–3\)"),
        ({"version": 0}, "version 0 is not stored"),
        ({"start": 2, "end": 2}, "--from and --to name the same version"),
        ({"end": 1}, "--to names the first version"),
        ({"version": 2, "start": 1}, "not both"),
    ]:
        with pytest.raises(ValueError, match=message):
            choose(versions, first, **bad)
    with pytest.raises(NewsprismError, match="has only one version"):
        choose(versions[:1], first)


def test_revised_after_publication() -> None:
    versions = _versions(2)  # stored now, published in 2024
    assert revised_after_publication(versions) is True
    for v in versions:
        v.article.date = datetime.now(UTC) + timedelta(days=30)  # stated publication ahead
    assert revised_after_publication(versions) is False
    for v in versions:
        v.article.date = datetime(2024, 3, 1)  # a naive date counts as UTC
    assert revised_after_publication(versions) is True
    for v in versions:
        v.article.date = None
    assert revised_after_publication(versions) is None


def test_report_entry_says_what_changed_from_the_first_version() -> None:
    versions = _versions()
    entry = report_entry(versions, "gazette-dam~3")
    assert entry is not None
    assert entry["compared_version"] == 3 and entry["after_publication"] is True
    assert [v["id"] for v in entry["versions"]] == [v.article.id for v in versions]
    assert entry["versions"][0]["published"] == PUBLISHED.isoformat()
    assert entry["title"] == {
        "old": "Dam talks end without deal",
        "new": "Dam talks collapse without deal",
    }
    assert entry["summary"] == "title changed; 2 passages reworded, 10 words added"
    text = versions[2].article.text
    assert [(c["kind"], c["old_text"], c["new_text"]) for c in entry["changes"]] == [
        ("reworded", "four", "five"),
        ("reworded", "May", "June"),
        ("added", "", "A second round of talks is planned for next week."),
    ]
    assert all(text[c["start"] : c["end"]] == c["new_text"] for c in entry["changes"])
    line = describe(entry)
    assert line.startswith("revised after publication (3 versions: v1 stored ")
    assert line.endswith("v3 compared): title changed; 2 passages reworded, 10 words added; "
                         "the first title was “Dam talks end without deal”")  # fmt: skip
    assert report_entry(versions[:1], "gazette-dam") is None
    first = report_entry(versions, "gazette-dam")
    assert first is not None and first["summary"] == "2 later versions not compared"


def test_add_revisions_and_the_page_view_read_the_store(tmp_path: Path) -> None:
    store_with_versions(tmp_path / "n.db", count=2)
    report: dict[str, Any] = {"articles": [{"id": "gazette-dam~2"}, {"id": "herald-dam"}]}
    with Store(tmp_path / "n.db") as store:
        assert add_revisions(report, store) == 1
        assert report["articles"][0]["revisions"]["summary"] == (
            "title changed; 2 passages reworded"
        )
        assert "revisions" not in report["articles"][1]
        latest = store.get("gazette-dam~2")
        assert latest is not None
        versions, revision = page_view(store, latest)
        assert len(versions) == 2 and revision is not None
        assert (revision.old.number, revision.new.number) == (1, 2)
        first = store.get("gazette-dam")
        assert first is not None
        assert page_view(store, first)[1] is None  # the first version has none before it
        revision = page_view(store, first, against=2)[1]
        assert revision is not None and (revision.old.number, revision.new.number) == (1, 2)
        with pytest.raises(ValueError, match="version 5"):
            page_view(store, first, against=5)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_story_compares_the_latest_version_of_each_article(tmp_path: Path, backend: str) -> None:
    db = str(tmp_path / "n.db") if backend == "sqlite" else fresh_database()
    ids = store_with_versions(db, count=2)
    with open_store(db) as store:
        assert list(store.ingested_times(ids)) == ids
        assert [v.article.id for v in history(store, ids[1])[1]] == ids
        every = [*ids, "herald-dam"]
        story = {"id": "story-1", "title": "Dam", "articles": every}
        store.save_stories(dict.fromkeys(every, "story-1"), [story])
        assert [a.id for a in store.story_articles("story-1")] == ["gazette-dam~2", "herald-dam"]
        # Only the old version in the story: it stays (the new one went elsewhere).
        store.save_stories({"gazette-dam~2": "story-2"}, [{"id": "story-2", "title": "Other"}])
        assert [a.id for a in store.story_articles("story-1")] == ["gazette-dam", "herald-dam"]
