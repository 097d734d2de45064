"""A real `newsprism ingest` killed at random points: after a re-run nothing is lost, nothing is
stored twice, and every article has a story (issue 16, item 2)."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.store import Store

ARTICLES = 40
SEEDS = [1, 2, 3, 4, 5]
TOPICS = ["canal", "ferry", "harbour", "bridge", "railway"]


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for n in range(ARTICLES):
        topic = TOPICS[n % len(TOPICS)]
        (folder / f"{n:03d}.txt").write_text(
            f"The {topic} report number {n}\n\n"
            f"Officials said on Monday that work on the {topic} would take {n + 2} weeks. "
            f"Engineers inspected the {topic} at dawn, and a spokeswoman said the cost of "
            f"repair number {n} was not yet known. Residents near the {topic} were told to "
            "expect delays through the month.\n"
        )
    return folder


def _ingest(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "ingest", str(folder), "--db", str(db), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _figures(db: Path) -> tuple[int, int, int]:
    """(stored, distinct contents, without a story) among the latest versions."""
    with sqlite3.connect(db) as conn:
        stored, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT content_hash) FROM articles WHERE is_latest = 1"
        ).fetchone()
        orphans = conn.execute(
            "SELECT COUNT(*) FROM articles WHERE is_latest = 1 AND id NOT IN "
            "(SELECT article_id FROM story_assignments)"
        ).fetchone()[0]
    return stored, distinct, orphans


@pytest.fixture(scope="module")
def full_run_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long one uninterrupted ingest of the corpus takes here: the kills fall inside it."""
    tmp = tmp_path_factory.mktemp("full")
    start = time.monotonic()
    done = _ingest(_corpus(tmp / "in"), tmp / "n.db")
    assert done.wait(timeout=120) == 0
    return time.monotonic() - start


@pytest.mark.parametrize("seed", SEEDS)
def test_a_killed_ingest_loses_nothing_after_a_rerun(
    tmp_path: Path, seed: int, full_run_seconds: float
) -> None:
    folder, db = _corpus(tmp_path / "in"), tmp_path / "n.db"
    delay = random.Random(seed).uniform(0.15, 0.95) * full_run_seconds
    victim = _ingest(folder, db)
    time.sleep(delay)
    victim.kill()
    victim.wait(timeout=30)
    rerun = _ingest(folder, db)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    assert _figures(db) == (ARTICLES, ARTICLES, 0)  # 0 lost, 0 duplicated, 0 without a story
    with Store(db) as store:
        assert store.pending_stories() == []


def test_an_article_and_its_queue_entry_are_one_write(tmp_path: Path) -> None:
    """Stored but not grouped (a kill between the two steps): the next run groups it."""
    from newsprism.ingest import assign_pending, ingest

    folder = _corpus(tmp_path / "in")
    with Store(tmp_path / "n.db") as store:
        report = ingest(folder, store)  # stores and queues; the story step is the caller's
        assert sorted(store.pending_stories()) == sorted(report.ingested)
        assert sorted(assign_pending(store)) == sorted(report.ingested)
        assert store.pending_stories() == [] and len(store.assignments()) == ARTICLES
        assert assign_pending(store) == []
