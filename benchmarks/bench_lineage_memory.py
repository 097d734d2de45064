"""Wire lineage on two long, similar articles: peak memory and time of ``wire_lineage``.

Run: ``.venv/bin/python benchmarks/bench_lineage_memory.py [--sizes 0.1 0.5 1]
[--module path/to/lineage.py] [--limit-gb 4]``. Each case runs in a fresh subprocess that
builds the pair, then calls ``wire_lineage`` once; it prints the growth of the peak resident
set (``ru_maxrss``) during the call, the wall and CPU time, and whether the pair was linked.
``--module`` loads another copy of ``lineage.py`` (e.g. the one before a change) in place of
the installed one; ``--limit-gb`` caps each subprocess's address space, so a run that would
need more ends as "over the limit" instead of taking the machine's memory.

Cases (each pair is about SIZE MB per article, the second a light edit of the first):

* ``repeated``: one paragraph of six sentences repeated (every sentence matches thousands);
* ``narrow``: sentences drawn from a 40-word vocabulary (every sentence resembles every other);
* ``varied``: sentences drawn from a 5000-word vocabulary (each sentence has one true copy).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CASES = ("repeated", "narrow", "varied")

_CHILD = r"""
import importlib.util, json, random, resource, sys, time
module, case, size, limit = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
if limit > 0:
    cap = int(limit * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from newsprism.model import Article
if module:
    spec = importlib.util.spec_from_file_location("lineage_under_test", module)
    lineage = importlib.util.module_from_spec(spec)
    sys.modules["lineage_under_test"] = lineage
    spec.loader.exec_module(lineage)
else:
    from newsprism.cluster import lineage
rng = random.Random(7)
vocab = [f"w{k}q" for k in range({"repeated": 60, "narrow": 40, "varied": 5000}[case])]
def sentence():
    return " ".join(rng.choices(vocab, k=rng.randint(8, 20))).capitalize() + "."
paragraph = [sentence() for _ in range(6)]
lines, total = [], 0
while total < size * 1_000_000:
    line = paragraph[len(lines) % 6] if case == "repeated" else sentence()
    lines.append(line)
    total += len(line) + 1
edited = [
    " ".join(w if rng.random() > 0.1 else rng.choice(vocab) for w in line.split()) + "."
    for k, line in enumerate(lines) if k % 10 != 3
]
pair = [
    Article(id="wire", title="", text="\n".join(lines), source="wire", kind="text"),
    Article(id="copy", title="", text="\n".join(edited), source="copy", kind="text"),
]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0, c0 = time.perf_counter(), time.process_time()
try:
    result = lineage.wire_lineage(pair)
    linked = bool(result.groups)
except MemoryError:
    linked = None
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mb": (peak - base) / 1024, "seconds": time.perf_counter() - t0,
                  "cpu": time.process_time() - c0, "linked": linked,
                  "sentences": len(lines)}))
"""


def run(module: str, case: str, size: float, limit_gb: float) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, module, case, str(size), str(limit_gb)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return {"error": (done.stderr.strip().splitlines() or ["killed"])[-1]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1.0])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--module", default="", help="another lineage.py to load instead")
    parser.add_argument("--limit-gb", type=float, default=4.0, help="address-space cap (0: none)")
    args = parser.parse_args()
    print(f"{'case':9} {'MB/article':>10} {'sentences':>9} {'peak +MB':>9} {'wall s':>7} "
          f"{'cpu s':>7}  linked")  # fmt: skip
    for case in args.cases:
        for size in args.sizes:
            row = run(args.module, case, size, args.limit_gb)
            if "error" in row:
                print(f"{case:9} {size:10.1f} {'':>9} over the {args.limit_gb:g} GB limit or "
                      f"failed: {row['error']}")  # fmt: skip
                continue
            linked = {True: "yes", False: "no", None: "MemoryError"}[row["linked"]]  # type: ignore[index]
            print(
                f"{case:9} {size:10.1f} {row['sentences']:>9} {row['mb']:9.1f} "
                f"{row['seconds']:7.2f} {row['cpu']:7.2f}  {linked}",
                flush=True,
            )


if __name__ == "__main__":
    main()
