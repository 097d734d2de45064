"""Scaling curve of `newsprism batch`: time per article and peak memory as the archive grows.

Articles arrive at a steady ``--per-day`` rate (synthetic, see :mod:`newsprism.scale.synthetic`),
so the clusterer's active window (14 days) holds about ``14 * per_day`` articles however long
the archive: per-article cost and memory should stay flat while the total grows. Each size runs
in a fresh subprocess so its peak RSS (``ru_maxrss``) is its own.

    .venv/bin/python benchmarks/bench_scale.py                           # 2k, 5k, 10k
    .venv/bin/python benchmarks/bench_scale.py --sizes 10000,100000,1000000 \\
        --data-dir /tmp/newsprism-bench                                  # keeps the inputs

CPU is the batch process plus its helper processes (``--workers 2``, the default: two clean
ahead of the writer, one reads days and takes lineage off the clusterer); the machine is
shared, so CPU is the fairer figure and the load average is printed with each row. With two
workers the days that look complete are clustered while the batch is still storing
(``newsprism.scale.ahead``), so the "store" column then holds most of the clustering too and
"stories" only the rest: the total is the figure to compare. Other people's benchmarks on the
machine sometimes pause (SIGSTOP) other processes: "stopped s" is the time the batch spent
stopped that way (seen as a watchdog's 0.2 s sleep taking over a second); wall figures
include it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, os, resource, sys, threading, time
from pathlib import Path
from newsprism.scale import run_batch
data, db, work, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
stopped = [0.0]
def watch():  # a 0.2 s sleep that takes seconds means the process was stopped (SIGSTOP)
    while True:
        before = time.perf_counter()
        time.sleep(0.2)
        late = time.perf_counter() - before - 0.2
        if late > 1.0:
            stopped[0] += late
threading.Thread(target=watch, daemon=True).start()
def progress(message):
    done, _, total = message.rpartition(" ")[2].partition("/")
    if message.startswith("stored partition") and not done.endswith("0") and done != total:
        return
    print(f"  [{time.perf_counter() - t0:8.0f} s, load {os.getloadavg()[0]:.1f}] {message}",
          file=sys.stderr, flush=True)
report = run_batch([data], db, chunk=1000, work_dir=work, checkpoint_every=20000,
                   workers=workers, on_event=progress)
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"stored": report.stored, "wall": report.wall_seconds, "stories": report.stories,
                  "cpu": report.cpu_seconds, "peak_mb": own.ru_maxrss / 1024,
                  "helper_peak_mb": kids.ru_maxrss / 1024, "stopped": stopped[0]}))
"""


def _input(size: int, per_day: int, folder: Path) -> Path:
    """The synthetic archive of ``size`` articles (seed 7), made once per folder."""
    from newsprism.scale.synthetic import write_jsonl

    path = folder / f"news-{size}-{per_day}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        write_jsonl(path.with_suffix(".tmp"), size, per_day=per_day)
        os.replace(path.with_suffix(".tmp"), path)
        print(f"  (made {path.name} in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,10000")
    parser.add_argument("--per-day", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="1: no helper process")
    parser.add_argument("--data-dir", type=Path, help="keep (and reuse) the synthetic inputs here")
    args = parser.parse_args()

    print(f"synthetic articles at {args.per_day}/day (active window about "
          f"{14 * args.per_day} articles); local engine, SQLite, "
          f"workers={args.workers}")  # fmt: skip
    print("| articles | days | store ms/article | stories ms/article | total ms/article (wall) "
          "| CPU ms/article | peak RSS MB (batch + helper) | stories | load avg "
          "| stopped s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.data_dir or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            data = _input(size, args.per_day, folder)
            load0 = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(data), f"{tmp}/n.db", f"{tmp}/work",
                 str(args.workers)],
                stdout=subprocess.PIPE, text=True, check=True,
            )  # fmt: skip
            load1 = os.getloadavg()[0]
            r = json.loads(done.stdout.strip().splitlines()[-1])
            w, n = r["wall"], r["stored"]
            print(
                f"| {size:,} | {size / args.per_day:.0f} | "
                f"{1000 * w['read+clean+store'] / n:.2f} | {1000 * w['stories'] / n:.2f} | "
                f"{1000 * w['total'] / n:.2f} | {1000 * r['cpu'] / n:.2f} | "
                f"{r['peak_mb']:.0f} + {r['helper_peak_mb']:.0f} | {r['stories']:,} | "
                f"{load0:.1f} → {load1:.1f} | {r['stopped']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
