"""`newsprism story ID [--events]` as a user runs it: a real process over a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.events import record_events
from newsprism.store import Store
from tests.conftest import ROOT
from tests.events import story


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("story") / "story.db"
    with Store(path) as store:
        events = record_events(store, store.add_many([story.first()]))
        record_events(store, store.add_many([story.second()]))
    return path, events[0]["story_id"]


def test_story_events_json(db: tuple[Path, str]) -> None:
    path, story_id = db
    result = run("story", story_id, "--events", "--format", "json", "--db", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["story"]["id"] == story_id
    assert [a["outlet"] for a in data["articles"]] == ["Harbour Times", "Lakeside Post"]
    kinds = [e["kind"] for e in data["events"]]
    assert kinds[0] == "new_story" and "new_source" in kinds
    assert all({"pk", "at", "summary", "evidence"} <= set(e) for e in data["events"])


def test_story_text_lists_events_with_their_evidence(db: tuple[Path, str]) -> None:
    path, story_id = db
    result = run("story", story_id, "--events", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "Ferry sinks in Lake Marrow, 12 dead" in result.stdout
    assert "new_source: Lakeside Post is a new independent source" in result.stdout
    assert "“Survivors said the crew had ignored warnings" in result.stdout
    plain = run("story", story_id, "--db", str(path))
    assert "Lakeside Post" in plain.stdout and "new_source" not in plain.stdout


def test_unknown_story_is_a_clean_error(db: tuple[Path, str]) -> None:
    result = run("story", "story-nope", "--db", str(db[0]))
    assert result.returncode == 1
    assert "no stored story with id 'story-nope'" in result.stderr
