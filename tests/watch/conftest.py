"""Fixtures for watching: a loopback news server and a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.store import Store
from tests.watch.server import NewsServer


@pytest.fixture
def news_server() -> Iterator[NewsServer]:
    with NewsServer() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "news.db") as opened:
        yield opened
