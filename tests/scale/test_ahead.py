"""Stories clustered while the batch stores (scale/ahead.py): the same stories as after storing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsprism.scale import run_batch
from newsprism.scale.synthetic import write_jsonl
from tests.scale.conftest import snapshot


@pytest.fixture(scope="module")
def long_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """900 synthetic articles over about 15 days: many days look complete before the end."""
    return write_jsonl(tmp_path_factory.mktemp("long") / "news.jsonl", 900, per_day=60)


def _run(path: Path, db: Path, workers: int) -> list[str]:
    events: list[str] = []
    run_batch([path], db, chunk=100, checkpoint_every=150, workers=workers,
              on_event=events.append)  # fmt: skip
    return events


def test_stories_clustered_while_storing_are_the_stories_after_storing(
    long_archive: Path, tmp_path: Path
) -> None:
    plain = _run(long_archive, tmp_path / "plain.db", workers=1)
    ahead = _run(long_archive, tmp_path / "ahead.db", workers=2)
    # The overlap did happen: stories left the window before the last partition was stored.
    last_stored = max(i for i, e in enumerate(ahead) if e.startswith("stored partition"))
    early = [e for e in ahead[:last_stored] if e.endswith("(ahead of storing)")]
    assert len(early) >= 2, ahead
    assert not any("ahead" in e for e in plain)
    assert snapshot(tmp_path / "plain.db") == snapshot(tmp_path / "ahead.db")
    assert not list(tmp_path.rglob("stories-ahead.pickle"))  # the queue file is gone


def test_a_late_article_drops_what_was_clustered_ahead(long_archive: Path, tmp_path: Path) -> None:
    """The first article arrives last, after its day was clustered: the batch clusters after
    storing instead, and gets the stories it would have got anyway."""
    lines = long_archive.read_text(encoding="utf-8").splitlines(keepends=True)
    late = tmp_path / "late.jsonl"
    late.write_text("".join(lines[1:] + lines[:1]), encoding="utf-8")
    plain = _run(late, tmp_path / "plain.db", workers=1)
    ahead = _run(late, tmp_path / "ahead.db", workers=2)
    fallback = ahead.index("input far from date order: stories after storing")
    assert any(e.endswith("(ahead of storing)") for e in ahead[:fallback])
    assert plain[-1] == ahead[-1] == "done"
    assert snapshot(tmp_path / "plain.db") == snapshot(tmp_path / "ahead.db")


def test_shuffled_input_gives_the_same_stories(long_archive: Path, tmp_path: Path) -> None:
    lines = long_archive.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(4).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("".join(lines), encoding="utf-8")
    _run(shuffled, tmp_path / "plain.db", workers=1)
    _run(shuffled, tmp_path / "ahead.db", workers=2)
    assert snapshot(tmp_path / "plain.db") == snapshot(tmp_path / "ahead.db")


def test_a_second_batch_continues_the_stories_already_in_the_database(
    long_archive: Path, tmp_path: Path
) -> None:
    lines = long_archive.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:450]), encoding="utf-8")
    second.write_text("".join(lines[450:]), encoding="utf-8")
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        _run(first, db, workers=workers)
        events = _run(second, db, workers=workers)
        assert any("ahead" in e for e in events) == (workers == 2)
    assert snapshot(tmp_path / "w1.db") == snapshot(tmp_path / "w2.db")
