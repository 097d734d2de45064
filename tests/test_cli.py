"""The CLI as a user runs it: a real process, real files, real SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from newsprism.cli import cli
from tests.conftest import ROOT, shared_path

BODY = "The ferry between the two islands resumed service on Monday after a week of storms."


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSPRISM_DB": str((cwd or ROOT) / "cli-test.db")}
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


def test_batch_with_broken_inputs_ingests_the_rest_and_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(f"Ferry resumes\n\n{BODY}")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "bad.jsonl").write_text(
        '{"title": "x"}\n{oops\n' + json.dumps({"text": BODY + " Again."}) + "\n"
    )
    db = tmp_path / "n.db"
    result = run("ingest", str(tmp_path), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("ingested 2, duplicates skipped 0, failed 4")
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(lines) == 4
    assert any("empty.txt: the file is empty" in line for line in lines)
    assert any("blob.bin: looks like a binary file" in line for line in lines)
    assert any("bad.jsonl:1: field 'text' or 'html' is required" in line for line in lines)
    assert any("bad.jsonl:2: not valid JSON" in line for line in lines)
    again = run("ingest", str(tmp_path / "good.txt"), "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.startswith("ingested 0, duplicates skipped 1, failed 0")


def test_clean_json_has_the_contract_fields(tmp_path: Path) -> None:
    seed = next(shared_path("seeds").glob("000_*.txt"))
    result = run("clean", str(seed), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for field in ("title", "text", "outlet", "date", "author", "lang", "url", "removed", "credit"):
        assert field in data
    assert data["outlet"] == "Al Jazeera" and data["lang"] == "en"
    assert all(set(r) >= {"text", "reason"} for r in data["removed"])


def test_articles_and_show(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Ferry resumes\n\nShare this article\n\n{BODY}")
    db = str(tmp_path / "n.db")
    assert run("ingest", str(tmp_path / "a.txt"), "--db", db, cwd=tmp_path).returncode == 0
    listing = run("articles", "--db", db, "--format", "json", cwd=tmp_path)
    [row] = json.loads(listing.stdout)
    shown = run("show", row["id"], "--db", db, cwd=tmp_path)
    assert shown.returncode == 0
    assert "Ferry resumes" in shown.stdout and "share/social buttons" in shown.stdout
    missing = run("show", "nope", "--db", db, cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: no article with id 'nope'")


def test_unknown_file_and_bad_option_are_clean_errors(tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nowhere.txt"), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 1 and "no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
    usage = run("articles", "--limit", "zero")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append(command)
        if isinstance(command, click.Group):
            found += _commands(command, ctx)
    return found


def test_every_command_has_help() -> None:
    with click.Context(cli) as ctx:
        for command in _commands(cli, ctx):
            assert command.help, f"{command.name} has no help text"


def test_cli_reference_in_docs_matches_help() -> None:
    from newsprism.clidoc import cli_reference

    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert documented == cli_reference(), "run: python -m newsprism.clidoc > docs/cli.md"


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_python_dash_m_works(flag: str) -> None:
    result = run(flag)
    assert result.returncode == 0 and "newsprism" in result.stdout


def test_annotate_file_and_stored_article(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Mayor backs ferry plan\n\nMayor Ana Lind said on Monday that the ferry would return. "
        "“We will not leave the islands cut off,” she said.\n"
    )
    result = run("annotate", str(path), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    [quote] = [q for q in data["quotes"] if q["kind"] == "full"]
    assert quote["speaker_entity"] == "Ana Lind"
    db = str(tmp_path / "n.db")
    assert run("ingest", str(path), "--db", db, cwd=tmp_path).returncode == 0
    shown = run("annotate", "--all", "--db", db, cwd=tmp_path)
    assert shown.returncode == 0 and "Ana Lind" in shown.stdout
    missing = run("annotate", "no-such-id", "--db", db, cwd=tmp_path)
    assert missing.returncode == 1 and "no stored article" in missing.stderr
