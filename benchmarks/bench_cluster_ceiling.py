r"""How far can story clustering go on these features? A ceiling study on labelled data.

The story clusterer links two articles only if each is among the other's strongest stored
neighbours, and decides from their similarities and neighbourhoods. This script asks what that
information allows at best, on a dataset `newsprism eval clustering` reads:

1. **Candidate ceiling.** Gold pairs linked only where both are in each other's top k kept
   neighbours, with perfect decisions: the B-cubed F1 an edge-based clusterer cannot pass.
2. **Fitted pair scorer.** A gradient-boosted classifier learns, from each mutual-neighbour
   pair's features (similarity; similarity less each article's strongest, its 5-neighbour mean,
   its 3rd, 10th and 20th neighbour; both ranks; shared neighbours), whether the pair is one
   story; average link then cuts at a probability. Fitted **on the evaluated set itself**,
   it is optimistic (it sees the answers): a bound, not a method.
3. **Cross-validated scorer.** The same, fitted on half of the gold stories and scored on the
   other half (and back): what learning the decision would really give.

``--dense`` adds the packaged MiniLM's cosine to the features (the pair's, and less each
article's strongest and 5-neighbour mean over the whole set); encoding 8k articles takes about
15 minutes on 2 cores, so ``--cache FILE.npz`` keeps the vectors between runs.
``--vectors NAME=FILE.npz`` adds embeddings made elsewhere, e.g. by an encoder that is not a
project dependency (the file layout is in :func:`_outside_vectors`); with more than one source
the script also scores all of them together.

With the project's virtualenv active (``. .venv/bin/activate``):

    python benchmarks/bench_cluster_ceiling.py --data ../shared/data/ecbplus/docs.dev.jsonl
    python benchmarks/bench_cluster_ceiling.py --data ../shared/data/neus --split val --dense
    python benchmarks/bench_cluster_ceiling.py --data ../shared/data/neus --split train+val \
        --dense --cache mini.npz      # ~6 minutes, and ~15 more the first time (MiniLM)

Figures are in docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsprism.cluster import ClusterConfig, StoryClusterer
from newsprism.cluster.stories import _average_link
from newsprism.eval.clustering import bcubed, read_dataset


@dataclass
class Pairs:
    """The mutual-neighbour pairs of a set: indices, similarity, features, gold answer."""

    left: np.ndarray
    right: np.ndarray
    sim: np.ndarray
    features: np.ndarray
    same: np.ndarray


def _kth(lists: list[list[tuple[int, float]]], k: int) -> np.ndarray:
    return np.array([ranked[k][1] if len(ranked) > k else 0.0 for ranked in lists])


def mutual_pairs(lists: list[list[tuple[int, float]]], gold: list[str]) -> Pairs:
    rank = [{j: r for r, (j, _) in enumerate(ranked)} for ranked in lists]
    rows: list[tuple[int, int, float, int, int]] = []
    for i, ranked in enumerate(lists):
        for r, (j, s) in enumerate(ranked):
            if j > i and i in rank[j]:
                rows.append((i, j, s, r, rank[j][i]))
    left, right = (np.array([row[c] for row in rows], dtype=int) for c in (0, 1))
    sim = np.array([row[2] for row in rows])
    r1, r2 = (np.array([row[c] for row in rows]) for c in (3, 4))
    top = _kth(lists, 0)
    mean5 = np.array([sum(s for _, s in ranked[:5]) / 5 for ranked in lists])
    around = [set(j for j, _ in ranked[:10]) for ranked in lists]
    shared = np.array([len(around[i] & around[j]) for i, j in zip(left, right, strict=True)])
    features = [
        sim,
        sim - np.maximum(top[left], top[right]),
        sim - np.minimum(top[left], top[right]),
        sim - 0.5 * (mean5[left] + mean5[right]),
    ]
    for k in (2, 9, 19):
        kth = _kth(lists, k)
        features.append(sim - 0.5 * (kth[left] + kth[right]))
    features += [np.log1p(np.maximum(r1, r2)), np.log1p(np.minimum(r1, r2)), shared / 10.0]
    labels = np.array(gold)
    same = (labels[left] == labels[right]).astype(int)
    return Pairs(left, right, sim, np.column_stack(features), same)


def dense_features(pairs: Pairs, vectors: np.ndarray) -> np.ndarray:
    """The pair's cosine, less each article's strongest and 5-neighbour mean over the set."""
    cos = np.einsum("ij,ij->i", vectors[pairs.left], vectors[pairs.right])
    top = np.zeros(len(vectors))
    mean5 = np.zeros(len(vectors))
    for start in range(0, len(vectors), 1024):  # the whole set, in blocks to bound memory
        block = vectors[start : start + 1024] @ vectors.T
        for k in range(len(block)):
            block[k, start + k] = -1.0
        best = -np.sort(-block, axis=1)[:, :5]
        top[start : start + len(block)] = best[:, 0]
        mean5[start : start + len(block)] = best.mean(axis=1)
    return np.column_stack(
        [
            cos,
            cos - np.maximum(top[pairs.left], top[pairs.right]),
            cos - 0.5 * (mean5[pairs.left] + mean5[pairs.right]),
        ]
    )


def with_features(pairs: Pairs, *extra: np.ndarray) -> Pairs:
    features = np.hstack([pairs.features, *extra])
    return Pairs(pairs.left, pairs.right, pairs.sim, features, pairs.same)


def cluster_pairs(n: int, pairs: Pairs, weight: np.ndarray) -> list[int]:
    """Average link over each connected group of pairs with ``weight > -1``, cut at 0."""
    keep = weight > -1
    left, right, w = pairs.left[keep], pairs.right[keep], weight[keep]
    graph = coo_matrix((np.ones(len(w)), (left, right)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for i, c in enumerate(component.tolist()):
        members.setdefault(c, []).append(i)
    by_component: dict[int, list[tuple[int, int, float]]] = {}
    for i, j, value in zip(left.tolist(), right.tolist(), w.tolist(), strict=True):
        by_component.setdefault(int(component[i]), []).append((i, j, value))
    labels = [0] * n
    next_label = 0
    for c, slots in members.items():
        where = {s: k for k, s in enumerate(slots)}
        adj = np.full((len(slots), len(slots)), -2.0)
        for i, j, value in by_component.get(c, []):
            adj[where[i], where[j]] = adj[where[j], where[i]] = value
        for cluster in _average_link(adj, 0.0):
            for k in cluster:
                labels[slots[k]] = next_label
            next_label += 1
    return labels


def _classifier() -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=300, max_depth=4, random_state=0)


def scored(
    n: int, pairs: Pairs, gold: list[str], probability: np.ndarray, floor: float
) -> list[tuple[float, tuple[float, float, float]]]:
    out = []
    for cut in (0.2, 0.3, 0.4, 0.5):
        weight = np.where(pairs.sim >= floor, probability - cut, -1.0)
        labels = cluster_pairs(n, pairs, weight)
        out.append((cut, bcubed([str(x) for x in labels], gold)))
    return out


def fitted(pairs: Pairs) -> np.ndarray:
    model = _classifier()
    model.fit(pairs.features, pairs.same)  # type: ignore[attr-defined]
    return model.predict_proba(pairs.features)[:, 1]  # type: ignore[attr-defined, no-any-return]


def cross_validated(pairs: Pairs, gold: list[str]) -> np.ndarray:
    fold = np.array([int(hashlib.sha1(g.encode()).hexdigest(), 16) % 2 for g in gold])
    left, right = fold[pairs.left], fold[pairs.right]
    probability = np.zeros(len(pairs.sim))
    for k in (0, 1):
        train = (left != k) & (right != k)
        test = ~train
        model = _classifier()
        model.fit(pairs.features[train], pairs.same[train])  # type: ignore[attr-defined]
        probability[test] = model.predict_proba(pairs.features[test])[:, 1]  # type: ignore[attr-defined]
    return probability


def candidate_ceiling(
    lists: list[list[tuple[int, float]]], gold: list[str], k: int
) -> tuple[float, float, float]:
    top = [set(j for j, _ in ranked[:k]) for ranked in lists]
    linked = [
        (i, j) for i in range(len(lists)) for j in top[i] if gold[i] == gold[j] and i in top[j]
    ]
    n = len(lists)
    graph = coo_matrix(
        (np.ones(len(linked)), ([i for i, _ in linked], [j for _, j in linked])), shape=(n, n)
    )
    _, component = connected_components(graph, directed=False)
    return bcubed([str(c) for c in component.tolist()], gold)


def _vectors(articles: list, cache: Path | None) -> np.ndarray:
    texts = _texts(articles)
    key = _texts_key(texts)
    if cache and cache.exists():
        saved = np.load(cache)
        if str(saved["key"]) == key:
            return saved["vectors"]
    from newsprism.embed import default_embedder

    start = time.perf_counter()
    vectors = default_embedder().encode(texts)
    print(f"MiniLM: {len(texts)} articles encoded in {time.perf_counter() - start:.0f} s")
    if cache:
        np.savez(cache, key=key, vectors=vectors)
    return vectors


def _texts(articles: list) -> list[str]:
    return [f"{a.title}\n{a.text}" for a in articles]


def _texts_key(texts: list[str]) -> str:
    return hashlib.sha1("\0".join(texts).encode()).hexdigest()


def _outside_vectors(spec: str, articles: list) -> tuple[str, np.ndarray]:
    """``NAME=FILE.npz``: vectors made elsewhere, one row an article in the dataset's order,
    with ``key`` the SHA-1 of the texts ``title + "\n" + text`` joined by NUL."""
    name, _, file = spec.partition("=")
    if not file:
        raise SystemExit(f"--vectors {spec}: expected NAME=FILE.npz")
    saved = np.load(file)
    if str(saved["key"]) != _texts_key(_texts(articles)) or len(saved["vectors"]) != len(articles):
        raise SystemExit(f"--vectors {spec}: made for other texts than this dataset's")
    vectors = saved["vectors"].astype(np.float32)
    return name, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--split", default="val")
    parser.add_argument("--dense", action="store_true", help="add MiniLM features")
    parser.add_argument("--cache", type=Path, help="keep MiniLM vectors in this .npz")
    parser.add_argument(
        "--vectors",
        action="append",
        default=[],
        metavar="NAME=FILE.npz",
        help="also score with embeddings made elsewhere (see _outside_vectors)",
    )
    args = parser.parse_args()

    name, articles, gold = read_dataset(args.data, args.split)
    config = ClusterConfig()
    start = time.perf_counter()
    clusterer = StoryClusterer(config)
    assigned = clusterer.add_many(articles)
    seconds = time.perf_counter() - start
    p, r, f = bcubed([assigned[a.id] for a in articles], gold)
    print(f"{name}: {len(articles)} articles, {len(set(gold))} gold stories")
    print(f"newsprism                      P {p:.3f} R {r:.3f} F1 {f:.3f}  ({seconds:.0f} s)")

    where = {a.id: i for i, a in enumerate(articles)}
    kept = clusterer.neighbour_lists()
    lists = [[(where[o], s) for o, s in kept[a.id]] for a in articles]
    for k in (1, 2, 3, 5, 10, config.max_neighbours):
        p, r, f = candidate_ceiling(lists, gold, k)
        print(f"candidate ceiling, mutual top {k:<2}  P {p:.3f} R {r:.3f} F1 {f:.3f}")

    pairs = mutual_pairs(lists, gold)
    variants: list[tuple[str, Pairs]] = [("sparse", pairs)]
    dense: list[tuple[str, np.ndarray]] = []
    if args.dense:
        dense.append(("MiniLM", _vectors(articles, args.cache)))
    dense += [_outside_vectors(spec, articles) for spec in args.vectors]
    extra = [dense_features(pairs, vectors) for _, vectors in dense]
    for (label, _), columns in zip(dense, extra, strict=True):
        variants.append((f"sparse+{label}", with_features(pairs, columns)))
    if len(dense) > 1:
        every = "+".join(label for label, _ in dense)
        variants.append((f"sparse+{every}", with_features(pairs, *extra)))
    runs: list[tuple[str, Callable[[Pairs], np.ndarray]]] = [
        ("fitted on this set (a bound)", fitted),
        ("cross-validated by story", lambda p: cross_validated(p, gold)),
    ]
    print(f"{len(pairs.sim)} mutual-neighbour pairs, {int(pairs.same.sum())} of them one story")
    for label, variant in variants:
        for run, score in runs:
            best = max(
                scored(len(articles), variant, gold, score(variant), config.link_floor),
                key=lambda x: x[1][2],
            )
            cut, (p, r, f) = best
            print(
                f"pair scorer, {label}, {run}: P {p:.3f} R {r:.3f} F1 {f:.3f} (cut {cut})",
                flush=True,
            )


if __name__ == "__main__":
    main()
