"""Throughput of full annotation (sentences, entities, quotes, quantities, dates).

Prints articles/s and words/s over the PolNeAR dev texts (about 800 words each), which stand
in for typical news articles, and the CPU seconds spent per article (this process and its
workers), which unlike wall time does not depend on what else the machine is running.
Run: ``.venv/bin/python benchmarks/bench_annotate.py [--repeat N] [--n-process N]``.
The pipeline is loaded and warmed before timing, as in a long-running process.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from newsprism.nlp import annotate_many, load_pipeline

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data" / "dev"


def _cpu_seconds() -> float:
    """CPU time of this process plus its finished worker processes."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with text/*.txt")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the texts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--n-process", type=int, default=None, help="default: one per core, ≤2")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.data / "text").glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no texts under {args.data / 'text'}")
    load_pipeline()
    list(annotate_many([("warm", texts[0], None)]))
    items = [(str(i), t, None) for i, t in enumerate(texts)] * args.repeat
    words = sum(len(t.split()) for _, t, _ in items)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    annotations = annotate_many(items, batch_size=args.batch_size, n_process=args.n_process)
    quotes = sum(len(a.quotes) for a in annotations)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    per_article = words / len(items)
    print(f"articles: {len(items)}  words/article: {per_article:.0f}  quotes: {quotes}")
    print(f"wall: {len(items) / seconds:.1f} articles/s  {words / seconds:,.0f} words/s")
    # On a shared machine wall time depends on the neighbours; CPU time shows our own cost.
    print(f"cpu:  {cpu / len(items) * 1000:.0f} ms/article  {words / cpu:,.0f} words/cpu-s")
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
