"""`newsprism batch` throughput: the local engine against a Dask LocalCluster on this machine.

Input: synthetic articles from :mod:`newsprism.scale.synthetic` (events covered by 1-12
outlets, 250-450 words each, Zipf background vocabulary, a fifth wire copies), as one JSONL
file. Each engine runs the whole batch (read, clean, store in SQLite, stories) into a fresh
database. Figures: wall time and articles/s per stage, and CPU seconds of this process plus
its finished children (the Dask workers), since the machine is shared with other work.

    .venv/bin/python benchmarks/bench_batch.py                  # 2,000 articles
    .venv/bin/python benchmarks/bench_batch.py --articles 20000 --workers 2
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

from newsprism.scale import run_batch
from newsprism.scale.synthetic import write_jsonl


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="local,dask")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = write_jsonl(Path(tmp) / "news.jsonl", args.articles, per_day=args.per_day)
        print(f"{args.articles} synthetic articles, {data.stat().st_size / 1e6:.1f} MB JSONL, "
              f"chunk {args.chunk}, {args.workers} Dask workers")  # fmt: skip
        print("| engine | read+clean+store s | articles/s | stories s | total s | "
              "articles/s overall | CPU s |")  # fmt: skip
        print("|---|---|---|---|---|---|---|")
        for engine in args.engines.split(","):
            cpu0 = _cpu()
            report = run_batch(
                [data], Path(tmp) / f"{engine}.db", engine=engine, workers=args.workers,
                chunk=args.chunk, work_dir=Path(tmp) / f"work-{engine}",
            )  # fmt: skip
            cpu = _cpu() - cpu0
            w = report.wall_seconds
            store_s = w["read+clean+store"]
            print(
                f"| {engine} | {store_s:.1f} | {report.stored / store_s:.0f} | "
                f"{w['stories']:.1f} | {w['total']:.1f} | {report.stored / w['total']:.0f} | "
                f"{cpu:.1f} |"
            )


if __name__ == "__main__":
    main()
