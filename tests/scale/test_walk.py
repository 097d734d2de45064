"""`newsprism batch` walks folders as `ingest` does: links out of a folder are skipped (a warning)
unless --follow-links, a link loop or a broken link is that link's failure, a FIFO never blocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsprism
from newsprism.scale import run_batch
from newsprism.scale.commands import batch_command
from newsprism.scale.partitions import input_files
from tests.scale.conftest import snapshot


def _article(title: str, place: str) -> str:
    return (
        f"{title}\n\nThe council of {place} voted on Tuesday to rebuild the old harbour wall "
        f"after the winter storms, the mayor of {place} said in a statement. Work starts in "
        "spring and should end before the autumn, officials said.\n"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """news/ with two articles (one in a subfolder), a link inside, and a link out to a file
    that is not part of the input (a stand-in for /etc/passwd)."""
    outside = tmp_path / "outside.txt"
    outside.write_text(_article("Secret outside the folder", "Elsewhere"))
    news = tmp_path / "news"
    (news / "sub").mkdir(parents=True)
    (news / "a.txt").write_text(_article("Harbour wall to be rebuilt", "Kelmet"))
    (news / "sub" / "b.txt").write_text(_article("Storm damage repaired", "Tesvaryn"))
    (news / "inside-link.txt").symlink_to(news / "a.txt")
    (news / "out-link.txt").symlink_to(outside)
    return news


def test_the_batch_walk_is_the_ingest_walk(folder: Path) -> None:
    found = input_files([folder])
    assert found.files == [folder / "a.txt", folder / "inside-link.txt", folder / "sub" / "b.txt"]
    [skipped] = found.skipped
    assert skipped.where == str(folder / "out-link.txt") and "outside the folder" in skipped.message
    assert found.failures == []
    followed = input_files([folder], follow_links=True)
    assert folder / "out-link.txt" in followed.files and not followed.skipped


def test_a_link_out_of_the_folder_is_skipped_unless_follow_links(
    folder: Path, tmp_path: Path
) -> None:
    report = run_batch([folder], tmp_path / "b.db", workers=1)
    assert (report.stored, report.failures) == (2, 0)
    [warning] = report.warnings
    assert "out-link.txt" in warning and "--follow-links" in warning
    with newsprism.Store(tmp_path / "b.db") as store:
        titles = {a.title for a in store.articles(limit=None)}
    assert "Secret outside the folder" not in titles
    # Batch and ingest agree on what a folder holds.
    newsprism.ingest(folder, tmp_path / "i.db")
    assert snapshot(tmp_path / "b.db")["articles"] == snapshot(tmp_path / "i.db")["articles"]

    followed = run_batch([folder], tmp_path / "f.db", workers=1, follow_links=True)
    assert (followed.stored, followed.failures, followed.warnings) == (3, 0, [])


def test_link_loops_broken_links_and_fifos_are_failures_named_and_the_rest_stored(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    os.mkfifo(folder / "pipe.txt")
    db = tmp_path / "b.db"
    report = run_batch([folder], db, workers=1)
    assert (report.stored, report.failures) == (2, 3)
    samples = "\n".join(report.failure_samples)
    assert f"{folder / 'loop'}: a symbolic link loop" in samples
    assert f"{folder / 'broken.txt'}: a broken symbolic link" in samples
    assert f"{folder / 'pipe.txt'}: not a regular file but a named pipe" in samples
    # A finished batch run again is a no-op that reports the same counts, not twice the walk's.
    again = run_batch([folder], db, workers=1)
    assert (again.stored, again.failures, again.warnings) == (2, 3, report.warnings)


def test_the_batch_command_takes_follow_links(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(batch_command, [str(folder), "--db", str(tmp_path / "p.db"), "-q"])
    assert plain.exit_code == 0, plain.output
    assert f"warning: {folder / 'out-link.txt'}: skipped" in plain.output
    assert "stored 2" in plain.output
    followed = runner.invoke(
        batch_command, [str(folder), "--db", str(tmp_path / "f.db"), "-q", "--follow-links"]
    )
    assert followed.exit_code == 0, followed.output
    assert "stored 3" in followed.output and "warning" not in followed.output
