"""`newsprism watch` end to end: the real CLI, a loopback server, a SQLite file."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.store import Store
from tests.conftest import ROOT
from tests.watch.server import NewsServer
from tests.watch.test_poll import RSS, page, serve_feed

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<source>\S+): (?P<new>\d+) new, (?P<updated>\d+) "
    r"updated, (?P<unchanged>\d+) unchanged, (?P<failed>\d+) failed( \([^)]*\))?; "
    r"next poll \d\d:\d\d:\d\d$"
)


def watch(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["watch", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def counts(line: str) -> tuple[int, int, int, int]:
    match = LINE.match(line)
    assert match, line
    return (
        int(match["new"]),
        int(match["updated"]),
        int(match["unchanged"]),
        int(match["failed"]),
    )


def test_once_twice_with_a_change_between(news_server: NewsServer, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    for path in ("/bridge", "/harbour", "/library"):
        news_server.set(path, page(path))
    serve_feed(news_server, ["/bridge", "/harbour"])
    feed = news_server.url("/feed.xml")
    args = [feed, "--db", db, "--once", "--host-interval", "0"]

    code, out, err = watch(*args)
    assert code == 0, err
    assert counts(out.strip()) == (2, 0, 0, 0)
    assert "watched 1 round, 1 polls: 2 new, 0 updated, 0 failed" in err

    serve_feed(news_server, ["/library", "/bridge", "/harbour"])
    news_server.set("/bridge", page("/bridge", "The mayor is to open it on Friday."))
    serve_feed(
        news_server,
        ["/library", "/bridge", "/harbour"],
        bridge="Mon, 07 Dec 2026 10:30:00 GMT",
    )
    code, out, err = watch(*args)
    assert code == 0, err
    assert counts(out.strip()) == (1, 1, 1, 0)
    assert [news_server.hits(p) for p in ("/bridge", "/harbour", "/library")] == [2, 1, 1]

    code, out, _ = watch(*args)
    assert counts(out.strip()) == (0, 0, 3, 0)
    assert news_server.not_modified("/feed.xml") == 1
    with Store(db) as store:
        assert store.count() == 3
        assert store.count(all_versions=True) == 4
        assert store.pending_stories() == []  # every article went into a story
        assert {a.id for a in store.articles()} <= set(store.assignments())


def test_watch_list_add_list_remove(news_server: NewsServer, tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    news_server.set("/bridge", page("/bridge"))
    folder = tmp_path / "inbox"
    folder.mkdir()
    bridge = news_server.url("/bridge")

    code, out, _ = watch("add", bridge, "--every", "1h", "--db", db)
    assert (code, out) == (0, f"watching: {bridge} every 1h\n")
    code, out, _ = watch("add", str(folder), "--db", db)
    assert out == f"watching: {folder}\n"
    code, out, _ = watch("list", "--db", db)
    assert sorted(out.splitlines()) == [
        f"{folder}  every default  not polled yet",
        f"{bridge}  every 1h  not polled yet",
    ]

    code, out, err = watch("--once", "--no-stories", "--host-interval", "0", "--db", db)
    assert code == 0, err
    new = {LINE.match(line)["source"]: counts(line)[0] for line in out.splitlines()}  # type: ignore[index]
    assert new == {bridge: 1, str(folder): 0}

    code, out, _ = watch("list", "--format", "json", "--db", db)
    listed = json.loads(out)
    assert sorted((w["source"], w["every_s"], w["failures"]) for w in listed) == [
        (str(folder), None, 0),
        (bridge, 3600, 0),
    ]
    assert all(w["last_poll"] for w in listed)

    code, out, _ = watch("remove", bridge, "--db", db)
    assert (code, out) == (0, f"removed: {bridge}\n")
    result = CliRunner().invoke(cli, ["watch", "remove", bridge, "--db", db])
    assert result.exit_code == 1
    assert "not in the watch list" in str(result.exception)


def test_nothing_to_watch_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["watch", "--once", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 1
    assert "nothing to watch" in str(result.exception)
    result = CliRunner().invoke(cli, ["watch", "--every", "soon", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a duration: 'soon'" in result.stderr


def test_sources_that_cannot_be_watched_are_refused_with_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    cases = {
        "": "an empty source",
        "ftp://files.example/feed.xml": "ftp:// cannot be watched",
        str(tmp_path / "missing"): "no such file or folder",
    }
    for source, message in cases.items():
        for command in (["watch", "add", source], ["watch", "run", "--once", source]):
            result = CliRunner().invoke(cli, [*command, "--db", db])
            assert result.exit_code == 1, (command, result.output)
            assert message in str(result.exception)
    with Store(db) as store:
        assert store.watches() == []  # nothing was added


def _start(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "watch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_ctrl_c_finishes_and_exits_0(news_server: NewsServer, tmp_path: Path) -> None:
    news_server.set("/bridge", page("/bridge"))
    db = str(tmp_path / "news.db")
    proc = _start([news_server.url("/bridge"), "--every", "1s", "--no-stories", "--db", db])
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert counts(first.strip()) == (1, 0, 0, 0)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopping after the current article" in err
    assert re.search(r"watched \d+ rounds?, \d+ polls: 1 new, 0 updated, 0 failed", err)
    assert "Traceback" not in err


def test_kill_9_loses_nothing_and_the_next_run_resumes(
    news_server: NewsServer, tmp_path: Path
) -> None:
    paths = ["/bridge", "/harbour", "/library", "/market"]
    for path in paths:
        news_server.set(path, page(path), delay=0.3)
    serve_feed(news_server, paths)
    db = str(tmp_path / "news.db")
    proc = _start([news_server.url("/feed.xml"), "--once", "--no-stories", "--db", db])
    deadline = time.monotonic() + 30
    while news_server.hits("/library") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait(timeout=10)
    code, out, err = watch(news_server.url("/feed.xml"), "--once", "--no-stories", "--db", db)
    assert code == 0, err
    new, _updated, unchanged, failed = counts(out.strip())
    assert failed == 0 and new + unchanged == 4
    with Store(db) as store:
        assert store.count(all_versions=True) == 4
    # Each page fetched once, but the one in flight when the run was killed (fetched again).
    assert sum(news_server.hits(p) for p in paths) <= 5


def test_broken_feed_gets_one_line_and_others_go_on(
    news_server: NewsServer, tmp_path: Path
) -> None:
    news_server.set("/broken.xml", "<rss version='2.0'><channel><title>Half", content_type=RSS)
    news_server.set("/bridge", page("/bridge"))
    broken, bridge = news_server.url("/broken.xml"), news_server.url("/bridge")
    code, out, err = watch(
        broken, bridge, "--once", "--no-stories", "--host-interval", "0", "--db",
        str(tmp_path / "n.db"),
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.match(
        rf"^\S+ {re.escape(broken)}: failed: not a valid RSS/Atom feed.* \(attempt 1\); "
        r"next poll \d\d:\d\d:\d\d$",
        lines[0],
    )
    assert counts(lines[1]) == (1, 0, 0, 0)


def test_a_second_ctrl_c_quits_at_once(news_server: NewsServer, tmp_path: Path) -> None:
    news_server.set("/bridge", page("/bridge"), delay=20)
    db = str(tmp_path / "news.db")
    proc = _start([news_server.url("/bridge"), "--timeout", "60s", "--no-stories", "--db", db])
    deadline = time.monotonic() + 30
    while not news_server.hits("/bridge") and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)  # the watch waits for the page in hand...
    time.sleep(0.3)
    assert proc.poll() is None
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)  # ...unless asked twice
    _out, err = proc.communicate(timeout=10)
    assert time.monotonic() - started < 5
    assert proc.returncode == 130
    assert "stopping after the current article" in err
    assert "Aborted." in err and "Traceback" not in err
