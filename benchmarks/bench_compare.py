"""Comparison speed: 10- and 30-article real stories warm, and the seed pair from a cold CLI.

Run: ``.venv/bin/python benchmarks/bench_compare.py`` (``--help`` for the options). Prints
figures; times nothing in tests. Targets (issue 15 item 8, on 2 cores): a 10-article story
<= 2 s warm, a 30-article story <= 6 s warm, the seed pair <= 6 s from a cold CLI.

The stories are real news text read at run time from ``../shared/data/ecbplus/docs.dev.jsonl``
(never copied into the repository). Two 10-article stories: the first ten articles of the
largest ECB+ dev event (``cluster``; short articles, about 160 words), and the first ten of the
event of at least ten articles with the most text (about 840 words an article, a long-article
case). The 30-article story is the largest event's articles followed by the other articles of its
topic, the first thirty (about 300 words an article). Titles are each text's first line and outlets
the URL's host, as ``newsprism eval clustering`` reads the file.

"Warm" means spaCy and MiniLM are loaded (by a comparison of two other articles first). Two warm
figures are printed for each story, each over ``--runs`` runs (median and max, wall and the CPU
time of this process) with the 1-minute load average at the start and end of the series:

- *new story*: the embedder's sentence cache is emptied before every run, so each run annotates
  and embeds the story as a long-running process (``newsprism serve``) meets a story it has not
  seen. This is the figure the targets are judged by.
- *repeated*: the same story again; its sentences are found in the embedder's cache.

Then one extra run of each story with a timer around each stage of ``compare_articles`` (the
report module's helpers, wrapped from outside at run time; the module itself is not changed).

The cold CLI (``newsprism compare ../shared/seeds/*.txt --format md`` in a fresh process) runs
first, ``--cold-runs`` times, each printed with its CPU time and the load average when it
started: once this process has run the models, their idle worker threads keep spinning for a
while and would take a core from the cold process. The story of the earlier version of this
benchmark (the seven fictional example articles, the two seeds and one synthetic article) is
still timed, last.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newsprism.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
ECB_DEV = SHARED / "data" / "ecbplus" / "docs.dev.jsonl"
EXAMPLES = ROOT / "examples" / "articles"

_COLD = """
import sys, time
t0 = time.perf_counter()
from newsprism.compare import compare_articles
from newsprism.ingest import IngestReport, clean_sources
from newsprism.render.markdown import render_markdown
articles = list(clean_sources(sys.argv[1:], IngestReport()))
render_markdown(compare_articles(articles))
print(time.perf_counter() - t0)
"""

# Stages of compare_articles: helpers of newsprism.compare.report, looked up by name at run time
# (a helper the module no longer has is skipped; its time shows under "rest").
_STAGES = {
    "_annotate": "spaCy annotation",
    "_canonical": "entities across articles",
    "_entity_keys": "entity keys",
    "_units": "claim units",
    "_cross_lingual": "multilingual encoding",
    "pair_scores": "pair scores",
    "_rescore_across_languages": "cross-language scores",
    "align": "alignment (claims)",
    "_families": "wire lineage",
    "_conflicts": "conflicts",
    "unique_details": "unique details",
    "claim_label": "claim labels",
    "_coverage": "coverage",
    "select": "summary selection",
    "group_quotes": "quote groups",
    "framing": "framing",
    "sourcing": "sourcing",
    "_entities": "entities section",
    "_quotes": "quotes section",
}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def _ecb_stories() -> list[tuple[str, list[Article], float]]:
    """(name, articles, target s) of the three ECB+ dev stories (see the module docstring)."""
    rows = []
    with ECB_DEV.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        events[str(r["cluster"])].append(r)

    def words(rs: list[dict[str, Any]]) -> int:
        return sum(len(r["text"].split()) for r in rs)

    largest = min(events, key=lambda c: (-len(events[c]), c))
    topic = events[largest][0]["topic"]
    thirty = (
        events[largest] + [r for r in rows if r["topic"] == topic and r not in events[largest]]
    )[:30]
    longest = min(
        (c for c in events if len(events[c]) >= 10), key=lambda c: (-words(events[c][:10]), c)
    )
    if len(events[largest]) < 10 or len(thirty) < 30:
        sys.exit(f"{ECB_DEV}: event {largest} / topic {topic} too small for 10 and 30 articles")

    def article(r: dict[str, Any]) -> Article:
        url = r.get("url")
        return Article(
            id=str(r["doc_id"]),
            title=r["text"].strip().split("\n", 1)[0],
            text=r["text"],
            source=f"{ECB_DEV}#{r['doc_id']}",
            kind="jsonl",
            url=url,
            outlet=urlparse(url).hostname if url else None,
            lang="en",
        )

    return [
        (
            f"10 articles, largest event {largest} ({len(events[largest])} articles)",
            [article(r) for r in events[largest][:10]],
            2.0,
        ),
        (
            f"10 articles, event {longest} (most text of the events of >= 10 articles)",
            [article(r) for r in events[longest][:10]],
            2.0,
        ),
        (
            f"30 articles, event {largest} + the rest of topic {topic}",
            [article(r) for r in thirty],
            6.0,
        ),
    ]


def _examples_story() -> list[Article]:
    from newsprism.ingest import IngestReport, clean_sources

    articles = list(clean_sources([EXAMPLES, *sorted(SEEDS.glob("*.txt"))], IngestReport()))
    articles.append(
        Article(
            id="synthetic-1",
            title="Council approves new cycle lanes",
            text="The city council approved twelve kilometres of new cycle lanes on Tuesday.\n\n"
            "Work will start in June and cost about 4 million euros, officials said.",
            source="synthetic",
            kind="text",
            outlet="Synthetic Gazette",
            lang="en",
        )
    )
    return articles[:10]


def _warm_up() -> None:
    from newsprism.compare import compare_articles

    texts = [
        "The river rose two metres overnight and flooded the old town, officials said.",
        "Officials said the river flooded the old town after rising two metres overnight.",
    ]
    compare_articles(
        [
            Article(id=f"warm-{i}", title="Flood", text=t, source="warm", kind="text", lang="en")
            for i, t in enumerate(texts)
        ]
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cold(runs: int) -> None:
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cli = shutil.which("newsprism", path=str(ROOT / ".venv" / "bin"))
    if cli:
        cmd = [cli, "compare", *seeds, "--format", "md"]
        what = "cold CLI `newsprism compare ../shared/seeds/*.txt --format md`"
    else:
        cmd = [sys.executable, "-c", _COLD, *seeds]
        what = "cold process (library; no `newsprism` script in .venv/bin)"
    walls = []
    for run in range(1, runs + 1):
        load = _load()
        cpu0 = _children_cpu()
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        walls.append(time.perf_counter() - t0)
        print(
            f"  seed pair, {what}, run {run}/{runs}: {walls[-1]:.2f} s wall, "
            f"{_children_cpu() - cpu0:.2f} s CPU, load {load}"
        )
    print(
        f"seed pair, cold CLI: median {statistics.median(walls):.2f} s, "
        f"max {max(walls):.2f} s wall over {runs} runs, load now {_load()} (target <= 6 s)"
    )


def _series(
    name: str, story: list[Article], runs: int, target: float | None, *, fresh: bool
) -> None:
    from newsprism.compare import compare_articles
    from newsprism.embed import default_embedder

    embedder = default_embedder()
    load0 = _load()
    walls, cpus, threads = [], [], []
    for _ in range(runs):
        if fresh:
            getattr(embedder, "_cache", {}).clear()
        # The encoder's thread count for this run ("auto" reads the load average per encoding).
        pick = getattr(embedder, "_threads", None)
        threads.append(str(pick()) if callable(pick) else "?")
        t0, c0 = time.perf_counter(), time.process_time()
        compare_articles(story)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    kind = "new story (nothing cached)" if fresh else "repeated (embeddings cached)"
    aim = f" (target <= {target:g} s)" if target else ""
    print(
        f"{name}, warm, {kind}: median {statistics.median(walls):.2f} s, "
        f"max {max(walls):.2f} s wall; CPU median {statistics.median(cpus):.2f} s; "
        f"{runs} runs, load {load0} -> {_load()}{aim}"
    )
    print(
        "  runs, wall s (encoder threads): "
        + ", ".join(f"{w:.2f} ({t})" for w, t in zip(walls, threads, strict=True))
    )


@contextmanager
def _stage_timers(totals: dict[str, float]) -> Iterator[None]:
    """Wrap the report module's helpers (and the embedder) so each adds its wall time."""
    from newsprism.compare import report
    from newsprism.embed import default_embedder

    depth = [0]  # time only the outermost timed call: helpers may call each other

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0]:
                return fn(*args, **kwargs)
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - t0
                depth[0] -= 1

        return wrapper

    saved: dict[str, Any] = {}
    for attr, label in _STAGES.items():
        fn = getattr(report, attr, None)
        if callable(fn):
            saved[attr] = fn
            setattr(report, attr, timed(label, fn))
    embedder = default_embedder()
    encode = embedder.encode
    embedder.encode = timed("MiniLM encoding", encode)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for attr, fn in saved.items():
            setattr(report, attr, fn)
        embedder.encode = encode  # type: ignore[method-assign]


def _breakdown(name: str, story: list[Article], *, fresh: bool) -> None:
    from newsprism.compare import compare_articles
    from newsprism.embed import default_embedder

    if fresh:
        getattr(default_embedder(), "_cache", {}).clear()
    totals: dict[str, float] = defaultdict(float)
    with _stage_timers(totals):
        t0 = time.perf_counter()
        compare_articles(story)
        total = time.perf_counter() - t0
    parts = sorted(totals.items(), key=lambda kv: -kv[1])
    parts.append(("rest", total - sum(totals.values())))
    kind = "new story" if fresh else "repeated"
    print(
        f"  stages, {name}, {kind}, one run {total:.2f} s (load {_load()}): "
        + ", ".join(f"{label} {secs:.2f}" for label, secs in parts if secs >= 0.005)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per series (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold CLI runs (default 3)")
    parser.add_argument("--no-examples", action="store_true", help="skip the examples story")
    parser.add_argument(
        "--encoder-threads",
        default="auto",
        help="MiniLM torch threads in the warm runs: auto (the default, as newsprism runs), 1, 2",
    )
    args = parser.parse_args()

    print(f"{os.cpu_count()} cores; load average (1/5 min) {_load()} at the start")
    if args.cold_runs:
        _cold(args.cold_runs)

    stories = _ecb_stories()
    from newsprism.embed import default_embedder

    embedder = default_embedder()
    if args.encoder_threads != "auto" and hasattr(embedder, "threads"):
        embedder.threads = int(args.encoder_threads)
    print(f"encoder threads: {args.encoder_threads}")
    _warm_up()
    for name, story, target in stories:
        words = sum(len(a.text.split()) for a in story)
        print(f"{name}: {len(story)} articles, {words:,} words")
        _series(name, story, args.runs, target, fresh=True)
        _series(name, story, args.runs, None, fresh=False)
        _breakdown(name, story, fresh=True)
        _breakdown(name, story, fresh=False)

    if not args.no_examples:
        story = _examples_story()
        name = "examples story (7 example articles, 2 seeds, 1 synthetic)"
        _series(name, story, args.runs, 2.0, fresh=True)
        _series(name, story, args.runs, None, fresh=False)


if __name__ == "__main__":
    main()
