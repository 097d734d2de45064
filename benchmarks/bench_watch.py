"""CPU cost of a watch round with nothing new (target: 100 feeds in < 1 s of CPU).

Starts the loopback test server (tests/watch/server.py) in a child process serving N feeds of
E entries each, each entry a news page, and runs the watcher in this process, so the CPU time
measured (this process's, ``time.process_time()``) is the watcher's alone. One round stores
every article (the priming round); then rounds with nothing new, in three ways a real feed
can say so:

- ``304``: the feed answers 304 Not Modified to its ETag (the usual case);
- ``same body``: a server without validators sends the same feed again (a 200, known digest);
- ``new body``: the feed changed but not its entries (a new lastBuildDate): it is parsed, and
  every entry's fingerprint is found unchanged, so no page is asked for.

    .venv/bin/python benchmarks/bench_watch.py                 # 100 feeds of 10 entries
    .venv/bin/python benchmarks/bench_watch.py --feeds 100 --entries 30 --rounds 5
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

WORDS = ["council", "harbour", "bridge", "budget", "police", "court", "strike", "rail", "river"]


def _page_text(feed: int, entry: int) -> tuple[str, list[str]]:
    words = [WORDS[(feed * 7 + entry * 3 + i) % len(WORDS)] for i in range(12)]
    title = f"{words[0].title()} {words[1]} report {feed}-{entry}"
    paragraphs = [
        f"The {words[2]} and the {words[3]} were discussed on Monday in meeting {feed} by "
        f"officials who asked about the {words[4]} plan and item {entry} of the agenda.",
        f"A spokesperson said the {words[5]} would be reviewed with the {words[6]} and "
        f"{words[7]} groups before the end of the month, number {feed * 1000 + entry}.",
    ]
    return title, paragraphs


def serve(feeds: int, entries: int) -> None:
    """The child process: serve the feeds and pages until stdin closes."""
    from tests.watch.server import NewsServer, article_page, entry, rss_feed

    server = NewsServer()

    def publish(build: int) -> None:
        for f in range(feeds):
            items = [entry(server, f"/page/{f}-{e}", _page_text(f, e)[0]) for e in range(entries)]
            body = rss_feed(f"Feed {f}", items).replace(
                "<channel>", f"<channel><lastBuildDate>build {build}</lastBuildDate>"
            )
            server.set(f"/etag/{f}.xml", body, content_type="application/rss+xml")
            server.set(f"/plain/{f}.xml", body, content_type="application/rss+xml", etag=False)

    publish(0)
    for f in range(feeds):
        for e in range(entries):
            title, paragraphs = _page_text(f, e)
            server.set(f"/page/{f}-{e}", article_page(title, *paragraphs))
    print(server.base, flush=True)
    build = 0
    for line in sys.stdin:  # "bump": a new lastBuildDate in every feed; "count": page hits
        if line.strip() == "bump":
            build += 1
            publish(build)
            print("ok", flush=True)
        elif line.strip() == "count":
            print(sum(r.path.startswith("/page/") for r in server.requests()), flush=True)
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="rounds measured per case")
    parser.add_argument("--serve", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return

    from newsprism.store import Store
    from newsprism.watch.poll import WatchedSource, Watcher

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.feeds), str(args.entries)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    base = child.stdout.readline().strip()

    def ask(command: str) -> str:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(command + "\n")
        child.stdin.flush()
        return child.stdout.readline().strip()

    print(f"{args.feeds} feeds of {args.entries} entries, server {base} (another process)")
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store(Path(tmp) / "watch.db") as store,
            Watcher(store, host_interval_s=0.0, stories=False) as watcher,
        ):
            for kind in ("etag", "plain"):
                sources = [WatchedSource(f"{base}/{kind}/{f}.xml", 900) for f in range(args.feeds)]
                cpu, wall = time.process_time(), time.perf_counter()
                reports = watcher.round(sources, scheduled=False)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                stored = sum(r.new + r.unchanged for r in reports)
                print(f"priming ({kind} feeds): {stored} entries in {wall:.1f} s, {cpu:.1f} s CPU")

            def measure(label: str, kind: str, bump: bool) -> None:
                sources = [WatchedSource(f"{base}/{kind}/{f}.xml", 900) for f in range(args.feeds)]
                pages_before = int(ask("count"))
                figures = []
                for _ in range(args.rounds):
                    if bump:
                        ask("bump")
                    cpu, wall = time.process_time(), time.perf_counter()
                    reports = watcher.round(sources, scheduled=False)
                    figures.append((time.process_time() - cpu, time.perf_counter() - wall))
                    assert all(r.new == r.updated == 0 and not r.error for r in reports)
                pages = int(ask("count")) - pages_before
                best_cpu = min(c for c, _ in figures)
                mean_cpu = sum(c for c, _ in figures) / len(figures)
                mean_wall = sum(w for _, w in figures) / len(figures)
                print(
                    f"{label:<10} {args.feeds} feeds, nothing new: CPU {mean_cpu:.3f} s "
                    f"per round (best {best_cpu:.3f}), wall {mean_wall:.3f} s, "
                    f"pages asked for {pages}"
                )

            measure("304", "etag", bump=False)
            measure("same body", "plain", bump=False)
            measure("new body", "etag", bump=True)
    finally:
        child.stdin.close()
        child.wait(timeout=10)


if __name__ == "__main__":
    main()
