"""The word-level diff of two versions of a long article: time per diff.

Run: ``.venv/bin/python benchmarks/bench_diff.py [--kb 100] [--repeat 3] [--one-pass]``.
The article is real news text (``../shared/data/neus/val.source``, else the example
articles) joined to about ``--kb`` kilobytes; each case diffs it against a changed copy:

* ``light``: 20 sentences reworded, 5 added, 5 removed (a typical correction);
* ``heavy``: every third sentence reworded;
* ``rewrite``: a different article of the same length (nothing in common but common words).

``--one-pass`` also times difflib over the word tokens of the whole texts (autojunk off), the
method the two-pass diff replaces.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path

from newsprism.revisions.diff import diff_text, tokenize

ROOT = Path(__file__).resolve().parent.parent


def _sentences() -> list[str]:
    source = ROOT.parent / "shared" / "data" / "neus" / "val.source"
    if source.exists():
        text = source.read_text(encoding="utf-8", errors="replace")[:3_000_000]
    else:
        text = " ".join(p.read_text(errors="replace") for p in (ROOT / "examples").rglob("*.txt"))
    text = re.sub(r"<[^>]*>|\|+", " ", text)
    found = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text)]
    return [s for s in found if 40 < len(s) < 400]


def _article(sentences: list[str], kb: int, first: int) -> list[str]:
    out, size = [], 0
    for s in sentences[first:]:
        out.append(s)
        size += len(s) + 1
        if size >= kb * 1000:
            break
    return out


def _join(sentences: list[str]) -> str:
    """Paragraphs of four sentences, as cleaned articles are."""
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _reword(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    for _ in range(max(1, len(words) // 8)):
        words[rng.randrange(len(words))] = rng.choice(["reportedly", "officials", "Tuesday"])
    return " ".join(words)


def _cases(kb: int) -> dict[str, tuple[str, str]]:
    rng = random.Random(3)
    pool = _sentences()
    base = _article(pool, kb, 0)
    light = list(base)
    for i in rng.sample(range(len(light)), 20):
        light[i] = _reword(light[i], rng)
    for _ in range(5):
        del light[rng.randrange(len(light))]
        light.insert(rng.randrange(len(light)), rng.choice(pool))
    heavy = [_reword(s, rng) if i % 3 == 0 else s for i, s in enumerate(base)]
    other = _article(pool, kb, len(base) + 1)
    old = _join(base)
    return {
        "light": (old, _join(light)),
        "heavy": (old, _join(heavy)),
        "rewrite": (old, _join(other)),
    }


def _one_pass(old: str, new: str) -> None:
    a = [t.text for t in tokenize(old)]
    b = [t.text for t in tokenize(new)]
    SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, default=100, help="article size in kilobytes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (the best is shown)")
    parser.add_argument("--one-pass", action="store_true", help="also time the one-pass diff")
    args = parser.parse_args()
    for name, (old, new) in _cases(args.kb).items():
        diff = diff_text(old, new)
        took = _best(partial(diff_text, old, new), args.repeat)
        line = (
            f"{name:8} {len(old) / 1000:6.0f} KB -> {len(new) / 1000:4.0f} KB  "
            f"{len(tokenize(old)):6} tokens  diff {took * 1000:7.1f} ms  ({diff.summary()})"
        )
        if args.one_pass:
            one = _best(partial(_one_pass, old, new), 1)
            line += f"  one pass {one * 1000:8.1f} ms"
        print(line, flush=True)


if __name__ == "__main__":
    main()
