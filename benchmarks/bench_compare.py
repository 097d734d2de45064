"""Comparison speed: a 10-article story warm, and the seed pair from a cold process.

Run: ``.venv/bin/python benchmarks/bench_compare.py``. Prints figures; times nothing in tests.
The 10-article story is the seven fictional example articles plus the two seeds plus one
synthetic article (a different story, so it also exercises the off-topic check).
Targets (DESIGN.md): <= 2 s warm for 10 articles; <= 6 s for the seed pair from a cold CLI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
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


def _story() -> list:  # type: ignore[type-arg]
    from newsprism.ingest import IngestReport, clean_sources
    from newsprism.model import Article

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


def main() -> None:
    from newsprism.compare import compare_articles

    story = _story()
    compare_articles(story[:2])  # load spaCy and MiniLM once: "warm" means models in memory
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        compare_articles(story)
        runs.append(time.perf_counter() - t0)
    print(
        f"10-article story, warm: best {min(runs):.2f} s, median {sorted(runs)[1]:.2f} s "
        f"(target <= 2 s) over {len(story)} articles"
    )

    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cli = shutil.which("newsprism", path=str(ROOT / ".venv" / "bin"))
    t0 = time.perf_counter()
    cmd = [cli, "compare", *seeds, "--format", "md"] if cli else None
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env) if cmd else None
    if proc is not None and proc.returncode == 0:
        print(
            f"seed pair, cold CLI `newsprism compare --format md`: "
            f"{time.perf_counter() - t0:.2f} s (target <= 6 s)"
        )
    else:
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _COLD, *seeds],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        total = time.perf_counter() - t0
        print(
            f"seed pair, cold process (library; CLI `compare` not wired yet): {total:.2f} s "
            f"wall, {float(out.stdout.strip().splitlines()[-1]):.2f} s after interpreter start "
            "(target <= 6 s)"
        )


if __name__ == "__main__":
    main()
