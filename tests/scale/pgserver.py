"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a loopback port, once per run.

``NEWSPRISM_TEST_POSTGRES_URL`` points the tests at an existing server instead. When no server
can start, the tests that need one are skipped with the reason (``pytest -ra`` lists it), and
with ``NEWSPRISM_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13)]
_counter = itertools.count()
_state: dict[str, str] = {}


def _bin(name: str) -> str:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise RuntimeError(f"{name} not found (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start() -> str:
    """Start a server in a temporary folder; returns the admin URL. Raises with the reason."""
    root = Path(tempfile.mkdtemp(prefix="newsprism-pg-"))
    data, log = root / "data", root / "server.log"
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip()[-800:]
            server_log = log.read_text()[-800:] if log.exists() else ""
            raise RuntimeError(f"{Path(cmd[0]).name} failed: {tail} {server_log}".strip())

    run(_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync")  # fmt: skip
    # Durability is not under test: fsync off keeps the suite fast.
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    run(_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")

    def stop() -> None:
        subprocess.run(
            [*as_user, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """The admin URL of the test server (started on first use), or skip/fail with the reason."""
    if "url" not in _state and "error" not in _state:
        given = os.environ.get("NEWSPRISM_TEST_POSTGRES_URL")
        try:
            _state["url"] = given or _start()
        except (RuntimeError, OSError, subprocess.SubprocessError) as err:
            _state["error"] = str(err)
    if "error" in _state:
        message = f"PostgreSQL server could not start: {_state['error']}"
        if os.environ.get("NEWSPRISM_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return _state["url"]


def fresh_database() -> str:
    """A new empty database on the test server; returns its URL."""
    import psycopg

    admin = server_url()
    name = f"np_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name
