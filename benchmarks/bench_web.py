"""Load benchmark of the web app: story list and story pages under concurrent clients.

Builds a synthetic store (default 10 000 articles in 2 000 stories), starts ``newsprism.web``
with uvicorn on loopback in a subprocess, compares a few stories once (as a first visitor
would), then drives the list and story pages with concurrent clients for a fixed time and
prints requests/s, p50/p99 latency and errors. Everything is bounded: counts, time, and the
server only ever listens on 127.0.0.1.

    .venv/bin/python benchmarks/bench_web.py                  # 10k articles, 50 clients, 30 s
    .venv/bin/python benchmarks/bench_web.py --seconds 10 --articles 10000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from newsprism.model import Article
from newsprism.store import Store

WORDS = [
    "minister",
    "council",
    "river",
    "dam",
    "flood",
    "police",
    "court",
    "election",
    "budget",
    "strike",
    "hospital",
    "school",
    "mayor",
    "report",
    "inquiry",
    "protest",
    "village",
    "harbour",
    "storm",
    "bridge",
    "railway",
    "factory",
    "union",
    "talks",
    "agreement",
    "crisis",
    "ceasefire",
    "summit",
    "border",
    "minister",
    "vote",
    "tax",
    "energy",
    "water",
    "health",
    "market",
]
OUTLETS = [f"Outlet {n}" for n in range(40)]


def build_store(path: Path, articles: int, per_story: int, seed: int = 7) -> list[str]:
    """A store of synthetic articles grouped into stories; returns the story ids."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assignments: dict[str, str] = {}
    stories = []
    with Store(path) as store:
        for s in range(articles // per_story):
            topic = rng.sample(WORDS, 4)
            when = start + timedelta(hours=s)
            ids = []
            outlets = rng.sample(OUTLETS, per_story)
            for k in range(per_story):
                sentences = [
                    f"The {topic[0]} and the {topic[1]} met in {topic[2]} on day {s}.",
                    f"Officials said the {topic[3]} would be discussed again, report {s}-{k}.",
                    *(" ".join(rng.choices(WORDS, k=14)).capitalize() + "." for _ in range(8)),
                ]
                article = Article(
                    id=f"syn-{s}-{k}",
                    title=f"{topic[0].title()} {topic[1]} talks in {topic[2]} ({s}/{k})",
                    text="\n\n".join(sentences),
                    source=f"synthetic:{s}:{k}",
                    kind="jsonl",
                    outlet=outlets[k],
                    date=when + timedelta(minutes=10 * k),
                )
                store.add(article)
                ids.append(article.id)
                assignments[article.id] = f"story-syn-{s}"
            stories.append(
                {
                    "id": f"story-syn-{s}",
                    "title": f"{topic[0].title()} {topic[1]} talks in {topic[2]} ({s})",
                    "start": when.isoformat(),
                    "end": (when + timedelta(minutes=10 * (per_story - 1))).isoformat(),
                    "outlets": sorted(outlets),
                    "articles": ids,
                    "independent_sources": per_story,
                }
            )
        store.save_stories(assignments, stories)
    return [s["id"] for s in stories]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn, sys; from newsprism.web import create_app; "
        f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def wait_ready(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/stories?per_page=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server at {base} did not answer within {timeout:.0f} s")


async def drive(
    base: str, paths: list[str], clients: int, seconds: float
) -> tuple[list[float], dict[str, list[float]], int, float]:
    """Clients fetch random paths until time runs out: latencies, per-kind latencies, errors."""
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(n: int) -> None:
            nonlocal errors
            rng = random.Random(n)
            while time.monotonic() < deadline:
                path = rng.choice(paths)
                began = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - began
                if not ok:
                    errors += 1
                latencies.append(elapsed)
                kind = "story" if path.startswith("/stories/") else "list"
                by_kind.setdefault(kind, []).append(elapsed)

        began = time.monotonic()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        wall = time.monotonic() - began
    return latencies, by_kind, errors, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-story", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--stories", type=int, default=10, help="story pages in the mix")
    args = parser.parse_args()
    # Bounded whatever is asked: this runs on a shared laptop.
    articles = max(100, min(args.articles, 50_000))
    clients = max(1, min(args.clients, 200))
    seconds = max(1.0, min(args.seconds, 120.0))
    n_stories = max(1, min(args.stories, 50))

    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as folder:
        db = Path(folder) / "bench.db"
        began = time.perf_counter()
        story_ids = build_store(db, articles, args.per_story)
        print(
            f"store: {articles} articles in {len(story_ids)} stories, "
            f"built in {time.perf_counter() - began:.1f} s"
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port)
        try:
            wait_ready(base)
            chosen = random.Random(1).sample(story_ids, n_stories)
            began = time.perf_counter()
            for sid in chosen:  # first visits compare the stories; the load test measures reads
                httpx.get(f"{base}/stories/{sid}", timeout=300).raise_for_status()
            print(f"warm-up: compared {n_stories} stories in {time.perf_counter() - began:.1f} s")
            paths = [f"/stories/{sid}" for sid in chosen]
            paths += [
                "/",
                "/?page=2",
                "/?page=50",
                "/?sort=outlets",
                "/?q=harbour",
                "/?outlet=Outlet%203",
            ]
            latencies, by_kind, errors, wall = asyncio.run(drive(base, paths, clients, seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = len(latencies)
    print(f"load: {clients} clients for {wall:.1f} s against 127.0.0.1")
    print(f"requests: {total}  ({total / wall:.1f} req/s)  errors: {errors}")
    print(
        f"latency all:   p50 {pct(latencies, 0.5):.1f} ms  p99 {pct(latencies, 0.99):.1f} ms  "
        f"mean {statistics.fmean(latencies) * 1000 if latencies else 0:.1f} ms"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"latency {kind:<6} p50 {pct(values, 0.5):.1f} ms  p99 {pct(values, 0.99):.1f} ms  "
            f"({len(values)} requests)"
        )
    target = "met" if errors == 0 and pct(latencies, 0.99) < 300 else "NOT met"
    print(f"target (0 errors, p99 < 300 ms): {target}")


if __name__ == "__main__":
    main()
