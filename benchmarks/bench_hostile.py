"""Hostile input through the real CLI: exit code, message, peak memory and time per case.

Each case of ``benchmarks/hostile_inputs.py`` is ingested by a fresh ``newsprism ingest``
process into a fresh database; a watchdog kills a process whose resident memory passes
``--mem-limit`` (the machine is shared) or that runs past ``--timeout``. Peak memory is the
child's ``ru_maxrss`` from ``wait4``. Two more cases run other commands: a title with terminal
escapes printed by ``newsprism articles``, and ``newsprism show`` with a ``%%%%%%`` id.

    .venv/bin/python benchmarks/bench_hostile.py                 # every case
    .venv/bin/python benchmarks/bench_hostile.py --cases deep.jsonl,fifo --timeout 60
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_inputs import CASES, good_article, write_all

NEWSPRISM = str(Path(sys.executable).with_name("newsprism"))


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(args: list[str], *, timeout: float, mem_limit_mb: int) -> dict[str, object]:
    """Run one command; exit code, last stderr/stdout lines, peak RSS (MB), seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        return _run(args, out, err, timeout=timeout, mem_limit_mb=mem_limit_mb)


def _run(
    args: list[str], out: IO[bytes], err: IO[bytes], *, timeout: float, mem_limit_mb: int
) -> dict[str, object]:
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    killed: list[str] = []
    done = threading.Event()  # set once wait4 has reaped the child (poll() would reap it first)

    def watch() -> None:
        while not done.is_set():
            if _rss_kb(proc.pid) > mem_limit_mb * 1024 and not done.is_set():
                killed.append(f"killed at {mem_limit_mb} MB")
                proc.send_signal(signal.SIGKILL)
                return
            if time.monotonic() - start > timeout and not done.is_set():
                killed.append(f"killed after {timeout:.0f} s")
                proc.send_signal(signal.SIGKILL)
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    watcher.join()
    seconds = time.monotonic() - start
    stdout, out_longest = _tail(out)
    stderr, err_longest = _tail(err)
    return {
        "code": proc.returncode,
        "stdout": stdout,
        "stderr": stderr,
        "longest_line": max(out_longest, err_longest),
        "peak_mb": usage.ru_maxrss / 1024,
        "seconds": seconds,
        "killed": "; ".join(killed),
    }


def _tail(stream: IO[bytes], keep: int = 65536) -> tuple[str, int]:
    """The last ``keep`` bytes of an output and its longest line, read in chunks.

    This process must stay small: a child started by fork+exec reports the parent's peak
    memory as its own floor (Linux keeps the high-water mark across exec).
    """
    stream.seek(0)
    longest = current = 0
    first = last = b""
    while chunk := stream.read(1 << 20):
        first = first or chunk[:4096]
        for piece in chunk.split(b"\n")[:-1]:
            longest = max(longest, current + len(piece))
            current = 0
        current += len(chunk) - chunk.rfind(b"\n") - 1 if b"\n" in chunk else len(chunk)
        last = (last + chunk)[-keep:]
    text = last if len(first) < 4096 or first in last else first + b"\n" + last
    return text.decode("utf-8", "replace"), max(longest, current)


def _counts(db: Path) -> str:
    if not db.exists():
        return "-"
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM articles WHERE is_latest = 1").fetchone()[0]
        unassigned = conn.execute(
            "SELECT COUNT(*) FROM articles WHERE is_latest = 1 AND id NOT IN "
            "(SELECT article_id FROM story_assignments)"
        ).fetchone()[0]
    return f"{stored} stored, {unassigned} without story"


def _short(text: str, width: int = 110) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    failed = [x for x in lines if x.startswith(("failed:", "Internal", "Error", "warning:"))]
    chosen = " / ".join(failed[:2]) if failed else (lines[-1] if lines else "")
    chosen = chosen.encode("unicode_escape").decode("ascii")  # show escapes, not run them
    chosen = chosen.replace("|", "\\|")
    return chosen if len(chosen) <= width else chosen[: width - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--mem-limit", type=int, default=4096, help="MB of RSS before a kill")
    args = parser.parse_args()
    names = args.cases.split(",") if args.cases else [*CASES, "articles-escape", "show-wildcard"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_all(root / "in", [n for n in names if n in CASES])
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(peak MB includes this launcher's {own:.0f} MB, which a forked child inherits)")
        print("| case | exit | message | longest output line | peak MB | s | stored |")
        print("|---|---|---|---|---|---|---|")
        for name in names:
            db = root / f"{name}.db"
            if name in files:
                command = [NEWSPRISM, "ingest", str(files[name]), "--db", str(db), "-q"]
            else:
                good = root / f"{name}.txt"
                escape = root / "in" / "escape_title.txt"
                write_all(root / "in", ["escape_title.txt"]) if not escape.exists() else None
                good.write_text(good_article(7))
                subprocess.run(
                    [NEWSPRISM, "ingest", str(escape if "escape" in name else good), "--db",
                     str(db), "-q", "--no-stories"],
                    capture_output=True, check=False,
                )  # fmt: skip
                command = (
                    [NEWSPRISM, "articles", "--db", str(db)]
                    if name == "articles-escape"
                    else [NEWSPRISM, "show", "%%%%%%", "--db", str(db)]
                )
            result = run(command, timeout=args.timeout, mem_limit_mb=args.mem_limit)
            message = result["killed"] or _short(f"{result['stderr']}\n{result['stdout']}")
            if name == "articles-escape":
                raw = "\x1b" in str(result["stdout"])
                message = f"raw ESC in output: {'yes' if raw else 'no'}; {message}"
            print(
                f"| {name} | {result['code']} | {message} | {result['longest_line']} | "
                f"{result['peak_mb']:.0f} | {result['seconds']:.1f} | {_counts(db)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
