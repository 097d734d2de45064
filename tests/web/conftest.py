"""A real store (seed pair, example articles, hostile articles) and the app over it.

Built once per session: ingest and clustering load the language and embedding models, and the
seed story's comparison report is computed once and shared by the in-process and browser tests
(the app's report cache is per process).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsprism.cluster import cluster_articles
from newsprism.ingest import ingest
from newsprism.store import Store
from newsprism.web import create_app
from tests.conftest import ROOT, shared_path

EXAMPLES = ROOT / "examples" / "articles"
# Browser tests save what they saw into out/screenshots (git-ignored); `make screenshots`
# copies them into docs/screenshots for the README and docs/web.md.
SCREENSHOTS = Path(os.environ.get("NEWSPRISM_SCREENSHOTS", ROOT / "out" / "screenshots"))

# Every field a reader can fill carries a payload; none may ever run or become markup.
XSS = {
    "title": '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Dam talks',
    "outlet": '<svg onload="window.__xss=3">Evil Times</svg>',
    "text": (
        "Officials met on Monday to discuss the dam on the <b>Sevrana</b> river "
        '<img src=x onerror="window.__xss=4">. '
        '"</blockquote><script>window.__xss=5</script>," the minister said. '
        "The talks about the dam repairs lasted four hours and ended without agreement on "
        'funding, officials said. <a href="javascript:window.__xss=6">click</a> '
        "{{ 7*7 }} ${7*7} </textarea></style><iframe src=javascript:alert(1)>"
    ),
    "author": "<a href=javascript:alert(1)>Mallory</a>",
}
XSS_URL = "javascript:window.__xss=7//https://evil.example/a"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's chromium through Playwright (runs in CI)"
    )


@dataclass(frozen=True)
class WebData:
    db: Path
    seed_story: str
    seed_articles: tuple[str, ...]
    xss_story: str
    xss_articles: tuple[str, ...]
    outlet: str


def _xss_jsonl(path: Path) -> None:
    rows = []
    for n in range(2):
        rows.append(
            {
                "id": f"<b>xss-{n}</b>\"'><script>window.__xss=8</script>",
                "url": f"{XSS_URL}{n}",
                "outlet": XSS["outlet"] + str(n),
                "date": f"2024-03-0{n + 1}T10:00:00+00:00",
                "title": XSS["title"],
                "text": XSS["text"] + (" Extra detail from the second report." if n else ""),
                "author": XSS["author"],
            }
        )
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def web_data(tmp_path_factory: pytest.TempPathFactory) -> WebData:
    seeds = shared_path("seeds")
    folder = tmp_path_factory.mktemp("web")
    db = folder / "web.db"
    hostile = folder / "hostile.jsonl"
    _xss_jsonl(hostile)
    with Store(db) as store:
        seed_report = ingest(sorted(seeds.glob("*.txt")), store)
        ingest(EXAMPLES, store)
        xss_report = ingest(hostile, store)
        assert len(seed_report.ingested) == 2, seed_report.summary()
        assert len(xss_report.ingested) == 2, xss_report.summary()
        if not store.stories():
            result = cluster_articles(store.articles())
            store.save_stories(result["assignments"], result["stories"])
        seed_story = store.story_of(seed_report.ingested[0])
        xss_story = store.story_of(xss_report.ingested[0])
        assert seed_story and seed_story == store.story_of(seed_report.ingested[1])
        assert xss_story
        # Hostile articles must share a story for the report test; keep them together.
        if store.story_of(xss_report.ingested[1]) != xss_story:
            story = store.story(xss_story) or {}
            story["articles"] = list(xss_report.ingested)
            store.save_stories({a: xss_story for a in xss_report.ingested}, [story])
    return WebData(
        db=db,
        seed_story=seed_story,
        seed_articles=tuple(seed_report.ingested),
        xss_story=xss_story,
        xss_articles=tuple(xss_report.ingested),
        outlet="Signal 24",
    )


@pytest.fixture(scope="session")
def app(web_data: WebData) -> FastAPI:
    return create_app(web_data.db)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app: FastAPI, client: TestClient, web_data: WebData) -> Iterator[str]:
    """The same app served by uvicorn on loopback in a thread, for the browser."""
    import uvicorn

    # Compare the stories the browser opens first: a cold comparison loads the language and
    # embedding models, which takes longer than a page load may.
    for story in (web_data.seed_story, web_data.xss_story):
        assert client.get(f"/stories/{story}").status_code == 200

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start in 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
