"""Throughput of full annotation (sentences, entities, quotes, quantities, dates).

Prints articles/s and words/s over real news articles: the PolNeAR dev texts (84 articles, about
800 words each) and the BASIL article bodies (150 articles, about 600 words each), about 680
words on average together, and the CPU seconds spent per article (this process and its
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

from newsprism.eval.quotes import read_basil
from newsprism.nlp import annotate_many, load_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _cpu_seconds() -> float:
    """CPU time of this process plus its finished worker processes."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--polnear", type=Path, default=SHARED / "polnear" / "data" / "dev", help="text/*.txt here"
    )
    parser.add_argument("--basil", type=Path, default=SHARED / "basil", help="BASIL folder")
    parser.add_argument("--only", choices=["polnear", "basil"], help="one of the two sets")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the texts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--n-process", type=int, default=None, help="default: one per core, ≤2")
    args = parser.parse_args()
    texts: list[str] = []
    if args.only in (None, "polnear"):
        texts += [
            p.read_text(encoding="utf-8") for p in sorted((args.polnear / "text").glob("*.txt"))
        ]
    if args.only in (None, "basil") and (args.basil / "articles").is_dir():
        texts += [d.text for d in read_basil(args.basil)]
    if not texts:
        raise SystemExit(f"no texts under {args.polnear / 'text'} or {args.basil / 'articles'}")
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
