"""Scaling curve of `newsprism batch`: time per article and peak memory as the archive grows.

Articles arrive at a steady ``--per-day`` rate (synthetic, see :mod:`newsprism.scale.synthetic`),
so the clusterer's active window (14 days) holds about ``14 * per_day`` articles however long
the archive: per-article cost and memory should stay flat while the total grows. Each size runs
in a fresh subprocess so its peak RSS (``ru_maxrss``) is its own.

    .venv/bin/python benchmarks/bench_scale.py                           # 2k, 5k, 10k
    .venv/bin/python benchmarks/bench_scale.py --sizes 10000,100000,1000000 --per-day 500
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from newsprism.scale import run_batch
data, db, work = sys.argv[1], sys.argv[2], sys.argv[3]
t0, c0 = time.perf_counter(), time.process_time()
report = run_batch([data], db, chunk=1000, work_dir=work, checkpoint_every=20000)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"stored": report.stored, "wall": report.wall_seconds, "stories": report.stories,
                  "cpu": time.process_time() - c0, "peak_mb": peak}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,10000")
    parser.add_argument("--per-day", type=int, default=200)
    args = parser.parse_args()
    from newsprism.scale.synthetic import write_jsonl

    print(f"synthetic articles at {args.per_day}/day (active window about "
          f"{14 * args.per_day} articles); local engine, SQLite")  # fmt: skip
    print("| articles | days | store ms/article | stories ms/article | total ms/article | "
          "CPU ms/article | peak RSS MB | stories |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = write_jsonl(Path(tmp) / "news.jsonl", size, per_day=args.per_day)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(data), f"{tmp}/n.db", f"{tmp}/work"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            r = json.loads(done.stdout.strip().splitlines()[-1])
            w, n = r["wall"], r["stored"]
            print(
                f"| {size:,} | {size / args.per_day:.0f} | "
                f"{1000 * w['read+clean+store'] / n:.2f} | {1000 * w['stories'] / n:.2f} | "
                f"{1000 * w['total'] / n:.2f} | {1000 * r['cpu'] / n:.2f} | "
                f"{r['peak_mb']:.0f} | {r['stories']:,} |"
            )


if __name__ == "__main__":
    main()
