"""`newsprism diff` as a user runs it: a real process over a real SQLite store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.revisions.stores import store_with_versions


def diff(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", "diff", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def test_text_diff_of_the_latest_version(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store_with_versions(db, count=2)
    result = diff(db, "gazette-dam")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Dam talks collapse without deal"
    assert lines[1].startswith("from  v1  gazette-dam    stored ")
    assert lines[1].endswith(", published 1 March 2024, 10:00 UTC")
    assert lines[2].startswith("  to  v2  gazette-dam~2  stored ")
    assert "Title: Dam talks [-end-]{+collapse+} without deal" in lines
    assert "\x1b[" not in result.stdout  # colour only on a terminal
    body = result.stdout.split("Body (changed paragraphs):\n", 1)[1]
    assert body.splitlines()[:5] == [
        "  [… 1 unchanged paragraph …]",
        "",
        "The talks lasted [-four-]{+five+} hours and ended without agreement on funding, "
        "officials said.",
        "",
        "The minister said repairs would start in [-May-]{+June+}.",
    ]
    assert lines[-1] == "title changed; 2 passages reworded"


def test_three_versions_by_number_and_range_as_json(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store_with_versions(db, count=3)
    latest = diff(db, "gazette-dam")  # the base id: the latest change, v2 -> v3
    assert latest.returncode == 0, latest.stderr
    assert "{+A second round of talks is planned for next week.+}" in latest.stdout
    assert latest.stdout.rstrip().endswith("\n10 words added")
    second = json.loads(diff(db, "gazette-dam", "--version", "2", "--format", "json").stdout)
    assert (second["from"]["version"], second["to"]["version"]) == (1, 2)
    assert second["article"] == "gazette-dam" and len(second["versions"]) == 3
    assert second["summary"] == "title changed; 2 passages reworded"
    assert second["to"]["published"] == "2024-03-01T10:00:00+00:00"
    assert second["to"]["stored"] >= second["from"]["stored"]
    [title_change] = second["title"]["changes"]
    assert title_change == {"kind": "reworded", "old": [10, 13], "new": [10, 18],
                            "old_text": "end", "new_text": "collapse"}  # fmt: skip
    assert [c["new_text"] for c in second["body"]["changes"]] == ["five", "June"]
    by_id = json.loads(diff(db, "gazette-dam~2", "--format", "json").stdout)
    assert (by_id["from"]["version"], by_id["to"]["version"]) == (1, 2)  # that version's change
    whole = json.loads(
        diff(db, "gazette-dam", "--from", "1", "--to", "3", "--format", "json").stdout
    )
    # v3 has 40 words: "five" and "June" reworded, a sentence of 10 added, 28 as before
    assert whole["body"]["counts"] == {
        "reworded": 2, "added": 10, "removed": 0, "unchanged": 28, "punctuation": 0
    }  # fmt: skip


def test_errors_are_one_line_without_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store_with_versions(db, count=2)
    for args, code, message in [
        (("nope",), 1, "Error: no article with id 'nope' (`newsprism articles` lists the ids)"),
        (("herald-dam",), 1, "Error: article 'herald-dam' has only one version: nothing to "
         "compare (a version is stored when a known URL returns changed text)"),
        (("gazette-dam", "--version", "3"), 2,
         "Error: version 3 is not stored (this article has versions 1–2)"),
        (("gazette-dam", "--version", "1"), 2,
         "Error: version 1 is the first: give --version 2"),
        (("gazette-dam", "--version", "x"), 2, None),
    ]:  # fmt: skip
        result = diff(db, *args)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
        if message:
            assert result.stderr.strip() == message


def test_colour_marks_the_changes_on_a_terminal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsprism.cli import cli

    db = tmp_path / "n.db"
    store_with_versions(db, count=2)
    result = CliRunner().invoke(cli, ["diff", "gazette-dam", "--db", str(db)], color=True)
    assert result.exit_code == 0, result.output
    assert "\x1b[31m[-four-]\x1b[0m\x1b[32m{+five+}\x1b[0m" in result.output
    assert "\x1b[31m[-end-]\x1b[0m\x1b[32m{+collapse+}\x1b[0m" in result.output
