"""Fixtures for the batch tests: small synthetic archives and comparable snapshots of a store."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from newsprism.scale.synthetic import write_jsonl
from newsprism.store import open_store


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 synthetic articles over about four days (so stories cross day boundaries)."""
    return write_jsonl(tmp_path_factory.mktemp("archive") / "news.jsonl", 200, per_day=60)


def snapshot(db: str | Path) -> dict[str, Any]:
    """Everything a batch decides, in a form two runs can be compared by."""
    with open_store(db) as store:
        articles = sorted(
            (a.id, a.content_hash, a.source, a.version)
            for a in store.articles(limit=None, all_versions=True)
        )
        stories = sorted((s["id"], tuple(s["articles"])) for s in store.stories(limit=None))
        content = hashlib.sha256(repr(articles).encode()).hexdigest()
        return {
            "count": len(articles),
            "content_hash": content,
            "articles": articles,
            "assignments": store.assignments(),
            "stories": stories,
        }
