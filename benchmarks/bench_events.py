"""Event detection speed: one new article joining a 50-article story whose state is built.

Run: ``.venv/bin/python benchmarks/bench_events.py`` (``--help`` for the options). Prints
figures; times nothing in tests. Target (issue 18 item 6): detecting the events of a new
article in a 50-article story < 100 ms.

The story is real news text read at run time from ``../shared/data/ecbplus/docs.dev.jsonl``
(never copied into the repository): the 33 articles of ECB+ dev topic 13 and the first 17 of
topic 12 (about 330 words an article), assigned to one story in the store. Its detection state
is built once (every article taken in, in order). Each new article is one of the other 13
articles of topic 12, so it shares facts with part of the story; each runs on a fresh copy of
the database, so every one joins the same 50-article state.

For each new article, with spaCy and MiniLM loaded and the embedder's sentence cache emptied:

- *annotation*: spaCy (sentences, entities, quotes), saved in the store as ``newsprism
  annotate`` saves it; timed apart because it is the language layer's cost, paid once an
  article (the entity filter of alerts and ``export`` read it too);
- *embedding*: MiniLM on the new article's claim units and attributed quotes (one batch);
- *detection*: everything else ``record_events`` does: read the story's ids and the state
  (JSON, float16 vectors), the 8-gram lineage check, scoring the new units against the stored
  claim members, figures, quotes, and saving the state with the events in one write.

The figure judged against the target is embedding + detection (the annotation is reported
beside it).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from newsprism.model import Article

ROOT = Path(__file__).resolve().parents[1]
ECB_DEV = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.dev.jsonl"
STORY = "story-bench"


class TimedEmbedder:
    """The default embedder, with the time spent in it added up."""

    def __init__(self) -> None:
        from newsprism.embed import default_embedder

        self.inner = default_embedder()
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        out = self.inner.encode(texts)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return out


def _articles() -> tuple[list[Article], list[Article]]:
    if not ECB_DEV.exists():
        sys.exit(f"{ECB_DEV} not found: the benchmark reads its stories from ../shared/data")
    rows = [json.loads(line) for line in ECB_DEV.open(encoding="utf-8") if line.strip()]

    def article(r: dict[str, Any]) -> Article:
        url = r.get("url")
        return Article(
            id=str(r["doc_id"]),
            title=r["text"].strip().split("\n", 1)[0],
            text=r["text"],
            source=f"{ECB_DEV}#{r['doc_id']}",
            kind="jsonl",
            url=url,
            outlet=urlparse(url).hostname if url else f"outlet-{r['doc_id']}",
            lang="en",
        )

    thirteen = [article(r) for r in rows if r["topic"] == 13]
    twelve = [article(r) for r in rows if r["topic"] == 12]
    story = (thirteen + twelve)[:50]
    return story, twelve[50 - len(thirteen) :]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def _assign(store: Any, ids: list[str]) -> None:
    """Put ``ids`` into the benchmark's story (the clusterer's part is not what is timed)."""
    known = store.story(STORY)
    members = sorted({*(known or {}).get("articles", []), *ids})
    story = {"id": STORY, "title": "ECB+ dev topics 13 and 12", "articles": members}
    store.save_stories(dict.fromkeys(ids, STORY), [story])


def _build(db: Path, story: list[Article]) -> float:
    from newsprism.annotations import annotate_stored
    from newsprism.events.record import story_events_for
    from newsprism.store import Store

    with Store(db) as store:
        store.add_many(story)
        _assign(store, [a.id for a in story])
        annotate_stored(store, story)
        start = time.perf_counter()
        story_events_for(store, STORY, [a.id for a in story])
        return time.perf_counter() - start


def _one(base: Path, work: Path, article: Article) -> dict[str, Any]:
    from newsprism.annotations import annotate_stored
    from newsprism.embed import default_embedder
    from newsprism.events import record_events
    from newsprism.store import Store

    shutil.copy(base, work)
    embedder = TimedEmbedder()
    cache = getattr(default_embedder(), "_cache", None)
    if isinstance(cache, dict):
        cache.clear()
    with Store(work) as store:
        results = store.add_many([article])
        _assign(store, [article.id])
        start = time.perf_counter()
        annotate_stored(store, [article])
        annotation = time.perf_counter() - start
        start = time.perf_counter()
        events = record_events(store, results, embedder=embedder)
        total = time.perf_counter() - start
        state = store.event_state(STORY) or {}
    return {
        "article": article.id,
        "words": len(article.text.split()),
        "annotation": annotation,
        "embedding": embedder.seconds,
        "texts": embedder.texts,
        "detection": total - embedder.seconds,
        "total": total,
        "events": len(events),
        "state_bytes": len(json.dumps(state)),
        "claims": len(state.get("claims", [])),
    }


def _throughput(story: list[Article]) -> float:
    """Sentences a second MiniLM encodes now, on the story's own sentences (cache emptied)."""
    from newsprism.embed import default_embedder

    embedder = default_embedder()
    cache = getattr(embedder, "_cache", None)
    if isinstance(cache, dict):
        cache.clear()
    sentences = [s for a in story for s in a.text.split("\n") if len(s.split()) > 5][:32]
    start = time.perf_counter()
    embedder.encode(sentences)
    return len(sentences) / (time.perf_counter() - start)


def _warm_up() -> None:
    from newsprism.embed import default_embedder
    from newsprism.nlp import annotate

    annotate("The council met on Monday. It approved the budget.", doc_id="warm")
    default_embedder().encode(["The council met on Monday.", "It approved the budget."])
    for module in ("newsprism.cluster.lineage", "newsprism.compare.report", "scipy.sparse"):
        importlib.import_module(module)  # imported once, as in a running watch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=13, help="new articles to time (max 13)")
    args = parser.parse_args(argv)
    story, newcomers = _articles()
    print(f"cores {os.cpu_count()}, load {_load()}")
    _warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        built = _build(base, story)
        from newsprism.store import Store

        with Store(base) as store:
            state = store.event_state(STORY) or {}
        print(
            f"story: {len(story)} articles, {sum(len(a.text.split()) for a in story)} words; "
            f"state built in {built:.1f} s (annotations cached), {len(state['claims'])} claims, "
            f"{len(state['row_terms'])} stored vectors, {len(json.dumps(state)) / 1e6:.2f} MB JSON"
        )
        rows = [_one(base, Path(tmp) / "run.db", a) for a in newcomers[: args.articles]]
    print(f"MiniLM here and now: {_throughput(story):.0f} sentences/s (32 sentences, one batch)")
    print(
        f"\n{'article':<14}{'words':>6}{'texts':>6}{'annot ms':>10}{'embed ms':>10}"
        f"{'detect ms':>11}{'emb+det ms':>12}{'events':>8}"
    )
    for r in rows:
        print(
            f"{r['article']:<14}{r['words']:>6}{r['texts']:>6}{r['annotation'] * 1e3:>10.1f}"
            f"{r['embedding'] * 1e3:>10.1f}{r['detection'] * 1e3:>11.1f}"
            f"{r['total'] * 1e3:>12.1f}{r['events']:>8}"
        )
    print(f"\nover {len(rows)} new articles (median / max), load {_load()}:")
    for key, label in (
        ("annotation", "annotation (spaCy, cached in the store)"),
        ("embedding", "embedding (MiniLM, the new article's units and quotes)"),
        ("detection", "detection (state, lineage, claims, figures, quotes, one write)"),
        ("total", "embedding + detection (target < 100 ms)"),
    ):
        values = [r[key] * 1e3 for r in rows]
        print(f"  {label:<66}{statistics.median(values):7.1f} / {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
