"""A batch killed with SIGKILL at random points resumes with no duplicate and no lost article.

The batch runs in a subprocess that prints one line per stored partition and per story
checkpoint; the test kills it (SIGKILL) a random number of lines in, after a random extra
delay, so kills land inside a partition's writes as well as between them and during the story
stage. After several kills the batch is run to the end, and the store is compared with an
uninterrupted run: article count, a hash of every article's id, content hash, source and
version, every story assignment and every story.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from newsprism.scale import run_batch
from tests.scale.conftest import snapshot

CHUNK, EVERY = 20, 20  # 10 partitions and about ten story checkpoints for 200 articles
SCRIPT = (
    "import sys\n"
    "from newsprism.scale import run_batch\n"
    "run_batch([sys.argv[1]], sys.argv[2], chunk=int(sys.argv[3]),\n"
    "          checkpoint_every=int(sys.argv[4]), work_dir=sys.argv[5],\n"
    "          on_event=lambda m: print(m, flush=True))\n"
)


def _run_until_killed(args: list[str], lines: int, delay: float) -> str | None:
    """Run the batch; SIGKILL it ``delay`` s after its ``lines``-th line. The last line seen,
    or None when it finished first."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *args], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen: str | None = None
    for _ in range(lines):
        line = proc.stdout.readline()
        if not line:
            break
        seen = line.strip()
    if seen == "done" or proc.poll() is not None:
        proc.wait()
        return None
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return seen


def test_kill_at_random_points_then_resume(archive: Path, tmp_path: Path) -> None:
    run_batch([archive], tmp_path / "whole.db", chunk=CHUNK, checkpoint_every=EVERY)
    expected = snapshot(tmp_path / "whole.db")

    rng = random.Random(20240607)
    args = [str(archive), str(tmp_path / "killed.db"), str(CHUNK), str(EVERY), str(tmp_path)]
    kills = []
    # Up to four kills, a few lines apart: a fast batch must not finish before the third.
    while len(kills) < 4:
        point = _run_until_killed(args, rng.randint(1, 4), rng.uniform(0.0, 0.08))
        if point is None:
            break
        kills.append(point)
    print("killed after:", kills)
    assert len(kills) >= 3, f"the batch finished before three kills: {kills}"
    assert any(k.startswith("stored") for k in kills)
    final = run_batch([archive], tmp_path / "killed.db", chunk=CHUNK, checkpoint_every=EVERY,
                      work_dir=tmp_path)  # fmt: skip
    assert final.stored == 200 and final.duplicates == 0
    got = snapshot(tmp_path / "killed.db")
    assert (got["count"], got["content_hash"]) == (expected["count"], expected["content_hash"])
    assert got["assignments"] == expected["assignments"]
    assert got["stories"] == expected["stories"]
