"""Load benchmark of the web app: story list and story pages under concurrent clients.

Builds a synthetic store (default 10 000 articles in 2 000 stories), starts ``newsprism serve``
on loopback in a subprocess, compares a few stories once (as a first visitor would), then
drives the list and story pages with closed-loop keep-alive clients for a fixed time and prints
requests/s, p50/p99 latency, errors, the CPU time per request of the server and of the client,
and the load average (the machine may be busy with other work: read latency beside it).
Everything is bounded: counts, time, and the server only ever listens on 127.0.0.1.

    .venv/bin/python benchmarks/bench_web.py                  # 10k articles, 50 clients, 30 s
    .venv/bin/python benchmarks/bench_web.py --seconds 10 --articles 10000
    .venv/bin/python benchmarks/bench_web.py --uncached       # no page may come from a cache
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
    """``newsprism serve`` as a user runs it (its access log is discarded, not switched off)."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        pids += [int(c) for c in children]
    return total


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


class Connection:
    """One keep-alive HTTP/1.1 connection, kept deliberately small.

    httpx costs about 5 ms of CPU per 40 KB page here, more than the server spends on it, so
    on a 2-core machine the load generator itself would set the latency. This client only
    writes a GET and reads the status, the headers and a Content-Length or chunked body.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: text/html\r\nUser-Agent: newsprism-bench\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(
    port: int, paths: list[str], clients: int, seconds: float, uncached: bool = False
) -> tuple[list[float], dict[str, list[float]], int, float]:
    """Clients fetch random paths until time runs out: latencies, per-kind latencies, errors.

    A response counts as an error unless it is a 200 whose body is a whole HTML page. With
    ``uncached`` every request adds a query parameter no page reads and no request repeats,
    so no response can be reused: the cost of making each page.
    """
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors = 0
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal errors
        rng = random.Random(n)
        connection = Connection("127.0.0.1", port)
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            if uncached:
                path += f"{'&' if '?' in path else '?'}bench={n}-{rng.random()}"
            began = time.perf_counter()
            try:
                async with asyncio.timeout(30):
                    status, body = await connection.get(path)
                ok = status == 200 and body.rstrip().endswith(b"</html>")
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                connection.close()
                ok = False
            elapsed = time.perf_counter() - began
            if not ok:
                errors += 1
            latencies.append(elapsed)
            kind = "story" if path.startswith("/stories/") else "list"
            by_kind.setdefault(kind, []).append(elapsed)
        connection.close()

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
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="make every request unique, so the server's page cache never answers",
    )
    args = parser.parse_args()
    # Bounded whatever is asked: this runs on a shared laptop.
    articles = max(100, min(args.articles, 50_000))
    clients = max(1, min(args.clients, 200))
    seconds = max(1.0, min(args.seconds, 120.0))
    n_stories = max(1, min(args.stories, 50))
    per_story = max(1, min(args.per_story, len(OUTLETS)))

    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as folder:
        db = Path(folder) / "bench.db"
        began = time.perf_counter()
        story_ids = build_store(db, articles, per_story)
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
            load_before = os.getloadavg()
            server_cpu = cpu_seconds(server.pid)
            client_cpu = time.process_time()
            latencies, by_kind, errors, wall = asyncio.run(
                drive(port, paths, clients, seconds, args.uncached)
            )
            server_cpu = cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            load = os.getloadavg()
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = len(latencies)
    mode = "every request unique (no cached page)" if args.uncached else "cached pages allowed"
    print(f"load: {clients} clients for {wall:.1f} s against 127.0.0.1, {mode}")
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
    if total:
        print(
            f"cpu per request: server {server_cpu / total * 1000:.2f} ms, "
            f"client {client_cpu / total * 1000:.2f} ms  "
            f"(server used {server_cpu / wall:.2f} cores)"
        )
    print(
        "load average (1, 5, 15 min) before the run: "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after: "
        + " ".join(f"{x:.2f}" for x in load)
    )
    target = "met" if errors == 0 and pct(latencies, 0.99) < 300 else "NOT met"
    print(f"target (0 errors, p99 < 300 ms): {target}")


if __name__ == "__main__":
    main()
