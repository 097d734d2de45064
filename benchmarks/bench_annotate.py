"""Throughput of full annotation (sentences, entities, quotes, quantities, dates).

Prints articles/s and words/s over the PolNeAR dev texts (about 800 words each), which stand
in for typical news articles. Run: ``.venv/bin/python benchmarks/bench_annotate.py [--repeat N]``.
The pipeline is loaded and warmed before timing, as in a long-running process.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsprism.nlp import annotate_many, load_pipeline

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data" / "dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with text/*.txt")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the texts")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.data / "text").glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no texts under {args.data / 'text'}")
    load_pipeline()
    list(annotate_many([("warm", texts[0], None)]))
    items = [(str(i), t, None) for i, t in enumerate(texts)] * args.repeat
    words = sum(len(t.split()) for _, t, _ in items)
    started, cpu_started = time.perf_counter(), time.process_time()
    quotes = sum(len(a.quotes) for a in annotate_many(items, batch_size=args.batch_size))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    per_article = words / len(items)
    print(f"articles: {len(items)}  words/article: {per_article:.0f}  quotes: {quotes}")
    print(f"wall: {len(items) / seconds:.1f} articles/s  {words / seconds:,.0f} words/s")
    # On a shared machine wall time depends on the neighbours; CPU time shows our own cost.
    print(f"cpu:  {len(items) / cpu:.1f} articles/cpu-s  {words / cpu:,.0f} words/cpu-s")


if __name__ == "__main__":
    main()
