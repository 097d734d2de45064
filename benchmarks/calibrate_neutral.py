"""Choose ``ClusterConfig.neutral_offset`` on halves of ECB+ dev and NeuS val; report the rest.

There is no offline corpus in a language the multilingual encoder does not read, so this is a
simulation, and says so: every article gets a random language tag, "en" or "id" (Indonesian,
which the encoder does not read), and the "id" articles are turned into a pseudo-language that
keeps what Indonesian keeps of an English report (numbers, and capitalised words inside a
sentence: names) and replaces every other word by a word of its own (the same word each time,
so two "id" articles still share their vocabulary). Each pair with two tags is then judged on
its language-neutral tokens (numbers and names in the headline and lead) instead of TF-IDF.
"before" is the clusterer without the fallback on the same input (TF-IDF for every pair, as
it was for a language the encoder does not read). Chinese or Thai text keeps only the numbers,
so this is the favourable case for the fallback.

    .venv/bin/python benchmarks/calibrate_neutral.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import replace
from pathlib import Path

from newsprism.cluster import ClusterConfig
from newsprism.eval.clustering import _read_checked, bcubed, fold_of, newsprism_system
from newsprism.model import Article

_WORD = re.compile(r"[^\W\d_]+")
_BREAK = re.compile(r"([.!?]\s+|\n)")


def pseudo(text: str) -> str:
    """``text`` in the pseudo-language: names and numbers kept, every other word changed."""
    out = []
    for piece in _BREAK.split(text):
        first = True

        def swap(match: re.Match[str]) -> str:
            nonlocal first
            word = match.group(0)
            keep = word[0].isupper() and not first
            first = False
            return word if keep else word.lower() + "ja"

        out.append(_WORD.sub(swap, piece))
    return "".join(out)


def as_foreign(article: Article) -> Article:
    return replace(article, lang="id", title=pseudo(article.title), text=pseudo(article.text))


GRID = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    tables = []
    for rel in ("ecbplus/docs.dev.jsonl", "neus"):
        path = args.shared / rel
        name, articles, gold = _read_checked(path, "val")
        folds = fold_of(path, name, articles, gold, 2)
        rng = random.Random(args.seed)
        tagged = [as_foreign(a) if rng.random() < 0.5 else replace(a, lang="en") for a in articles]
        print(f"\n{name}: {len(articles)} articles, tags en/id at random (seed {args.seed})")
        table: dict[tuple[int, float | None], float] = {}
        for k in (0, 1):
            held = [i for i, f in enumerate(folds) if f == k]
            h_gold = [gold[i] for i in held]
            off = replace(ClusterConfig(), cross_language=False)
            plain = newsprism_system([tagged[i] for i in held], off)
            table[(k, None)] = bcubed(plain, h_gold)[2]
            for offset in GRID:
                config = replace(ClusterConfig(), neutral_offset=offset)
                pred = newsprism_system([tagged[i] for i in held], config)
                table[(k, offset)] = bcubed(pred, h_gold)[2]
        print("offset  | half 1 | half 2")
        print(f"before  | {table[(0, None)]:.3f}  | {table[(1, None)]:.3f}")
        for offset in GRID:
            print(f"{offset:.2f}    | {table[(0, offset)]:.3f}  | {table[(1, offset)]:.3f}")
        for chooser, judged in ((0, 1), (1, 0)):
            best = max(GRID, key=lambda o: (table[(chooser, o)], -o))
            print(
                f"chosen on half {chooser + 1}: {best:.2f} -> held-back half {judged + 1}: "
                f"{table[(judged, best)]:.3f} (before {table[(judged, None)]:.3f})"
            )
        tables.append(table)
    # One offset for both datasets: chosen on the mean of one half of each, judged on the other.
    print("\nboth datasets")
    for chooser, judged in ((0, 1), (1, 0)):
        best = max(GRID, key=lambda o: (sum(t[(chooser, o)] for t in tables), -o))
        report = ", ".join(
            f"{t[(judged, best)]:.3f} (before {t[(judged, None)]:.3f})" for t in tables
        )
        print(f"chosen on half {chooser + 1}: {best:.2f} -> held-back half {judged + 1}: {report}")


if __name__ == "__main__":
    main()
