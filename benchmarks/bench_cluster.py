"""Story clustering speed: throughput, p99 assignment latency, per-article cost as the stream grows.

Synthetic articles: a Zipf-distributed vocabulary of 30,000 pseudo-words stands in for the
language; each story draws 12 "event" words (names, places) from the rarer part of it, and each
of its 1-6 articles is a headline of 8 words plus a body of 120 words mixing event words (25%)
with background words (75%), so articles of one story overlap as real reports do. Stories start
at a steady rate (``--per-day`` articles a day) and their articles spread over two days, so the
active window holds ``window_days * per_day`` articles however long the stream.

    .venv/bin/python benchmarks/bench_cluster.py                      # short default run
    .venv/bin/python benchmarks/bench_cluster.py --stored 100000 --sizes 10000,100000,1000000
    .venv/bin/python benchmarks/bench_cluster.py --realistic 100000 --probes 1000

``--realistic N`` measures single-article latency after N articles of the realistic generator
of :mod:`newsprism.scale.synthetic` instead (see :func:`realistic_latency`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np

from newsprism.cluster import ClusterConfig, StoryClusterer
from newsprism.model import Article

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    return sorted(words)


def synthetic_stream(n: int, per_day: int, seed: int = 0) -> Iterator[tuple[str, str, datetime]]:
    """``n`` synthetic (title, text, date) triples in date order (see the module docstring)."""
    rng = random.Random(seed)
    vocab = _vocabulary(30_000, rng)
    ranks = np.arange(1, len(vocab) + 1)
    zipf = (1.0 / ranks[150:]) / (1.0 / ranks[150:]).sum()
    nprng = np.random.default_rng(seed)
    made = 0
    story = 0
    while made < n:
        event = [vocab[i] for i in nprng.integers(2000, len(vocab), 12)]
        start = made / per_day
        for _ in range(rng.randint(1, 6)):
            # The 150 most frequent ranks stand for function words, which tokenising drops.
            background = [vocab[i] for i in nprng.choice(len(vocab) - 150, 120, p=zipf) + 150]
            body = [rng.choice(event) if rng.random() < 0.25 else w for w in background]
            title = " ".join(rng.sample(event, 4) + background[:4]).capitalize()
            when = T0 + timedelta(days=start + rng.random() * 2)
            yield title, " ".join(body) + ".", when
            made += 1
            if made >= n:
                return
        story += 1


def _articles(n: int, per_day: int, seed: int = 0) -> list[tuple[str, str, datetime]]:
    return list(synthetic_stream(n, per_day, seed))


def throughput(n: int, per_day: int, batch: int = 1) -> float:
    """Articles/s from text to story assignment, ``batch`` articles per call (1 = one by one)."""
    items = _articles(n, per_day)
    clusterer = StoryClusterer(ClusterConfig(window_days=3))
    start = time.perf_counter()
    for at in range(0, n, batch):
        articles = [
            Article(id=f"a{i}", title=t, text=x, source="bench", kind="text", date=d)
            for i, (t, x, d) in enumerate(items[at : at + batch], start=at)
        ]
        clusterer.add_many(articles)
    return n / (time.perf_counter() - start)


def latency(stored: int, probes: int) -> tuple[float, float, int]:
    """p50 and p99 ms to assign one new article with ``stored`` articles in the window."""
    items = _articles(stored + probes, per_day=max(stored // 2, 1), seed=1)
    clusterer = StoryClusterer(ClusterConfig(window_days=14))
    warm = [
        Article(id=f"a{i}", title=t, text=x, source="bench", kind="text", date=d)
        for i, (t, x, d) in enumerate(items[:stored])
    ]
    for i in range(0, len(warm), 2000):
        clusterer.add_many(warm[i : i + 2000])
    times = []
    for i, (title, text, date) in enumerate(items[stored:]):
        article = Article(
            id=f"p{i}", title=title, text=text, source="bench", kind="text", date=date
        )
        start = time.perf_counter()
        clusterer.add(article)
        times.append((time.perf_counter() - start) * 1000)
    return (
        float(np.percentile(times, 50)),
        float(np.percentile(times, 99)),
        clusterer.active_articles(),
    )


def realistic_latency(stored: int, probes: int, per_day: int) -> dict[str, float]:
    """Single-article assignment after ``stored`` realistic synthetic articles.

    The articles come from :mod:`newsprism.scale.synthetic` (events covered by 1-12 outlets,
    wire copies, Zipf background vocabulary), the way ``newsprism batch`` would store them:
    each day added as one batch. The next ``probes`` articles of the same stream are then
    assigned one call each, as a live ingest does; the window holds ``14 * per_day``."""
    from newsprism.scale.synthetic import SyntheticNews

    def article(i: int, raw: dict[str, str]) -> Article:
        date = datetime.fromisoformat(raw["date"])
        return Article(id=f"s{i}", title=raw["title"], text=raw["text"], source="bench",
                       kind="text", outlet=raw["outlet"], date=date)  # fmt: skip

    stream = SyntheticNews(seed=11, per_day=per_day).articles(stored + probes)
    clusterer = StoryClusterer()
    day: list[Article] = []
    started, cpu = time.perf_counter(), time.process_time()
    for i, raw in enumerate(itertools.islice(stream, stored)):
        a = article(i, raw)
        if day and a.date and day[-1].date and a.date.date() != day[-1].date.date():
            clusterer.add_many(day)
            day = []
        day.append(a)
    if day:
        clusterer.add_many(day)
    warm_wall, warm_cpu = time.perf_counter() - started, time.process_time() - cpu
    times = []
    for i, raw in enumerate(stream, start=stored):
        a = article(i, raw)
        start = time.perf_counter()
        clusterer.add(a)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "warm_ms": 1000 * warm_wall / stored,
        "warm_cpu_ms": 1000 * warm_cpu / stored,
        "p50": float(np.percentile(times, 50)),
        "p99": float(np.percentile(times, 99)),
        "max": float(max(times)),
        "probes": len(times),
        "window": clusterer.active_articles(),
    }


def growth(sizes: list[int], per_day: int) -> list[tuple[int, float, int]]:
    """Per-article µs over the last 2,000 articles of streams of growing length."""
    out = []
    for size in sizes:
        clusterer = StoryClusterer(ClusterConfig(window_days=3))
        tail = min(2000, size)
        start = 0.0
        for i, (title, text, date) in enumerate(synthetic_stream(size, per_day, seed=2)):
            if i == size - tail:
                start = time.perf_counter()
            clusterer.add(
                Article(id=f"a{i}", title=title, text=text, source="bench", kind="text", date=date)
            )
        per_article = (time.perf_counter() - start) / tail * 1e6
        out.append((size, per_article, clusterer.active_articles()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--throughput", type=int, default=3000, help="articles for articles/s")
    parser.add_argument("--stored", type=int, default=20000, help="articles stored before probes")
    parser.add_argument("--probes", type=int, default=300, help="articles timed for latency")
    parser.add_argument("--sizes", default="2000,6000,12000", help="stream lengths for growth")
    parser.add_argument("--per-day", type=int, default=1000, help="articles a day (growth)")
    parser.add_argument(
        "--realistic", type=int, default=0, metavar="N",
        help="only: single-article latency after N realistic synthetic articles (e.g. 100000)",
    )  # fmt: skip
    parser.add_argument("--realistic-per-day", type=int, default=200)
    args = parser.parse_args()

    if args.realistic:
        r = realistic_latency(args.realistic, args.probes, args.realistic_per_day)
        print(
            f"{args.realistic:,} realistic synthetic articles stored "
            f"({args.realistic_per_day}/day, "
            f"{r['warm_ms']:.2f} ms/article wall, {r['warm_cpu_ms']:.2f} ms CPU, day by day); "
            f"then {r['probes']} single-article assignments with {r['window']:,} in the window: "
            f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
        return
    rate = throughput(args.throughput, args.per_day)
    print(f"text -> story assignment, one article per call: {rate:,.0f} articles/s")
    rate = throughput(args.throughput, args.per_day, batch=100)
    print(f"text -> story assignment, 100 articles per call: {rate:,.0f} articles/s")
    p50, p99, held = latency(args.stored, args.probes)
    print(
        f"assignment latency with {held:,} articles in the window: "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    rows = growth([int(s) for s in args.sizes.split(",")], args.per_day)
    base = rows[0][1]
    for size, us, active in rows:
        print(
            f"stream of {size:>9,}: {us:8.0f} µs/article over its last 2,000 "
            f"({us / base:4.2f}x; window holds {active:,})"
        )


if __name__ == "__main__":
    main()
