"""`newsprism eval clustering`: story clustering scored against gold events, baselines side by side.

Layouts read (detected from the path):

* ECB+-style JSONL: one document a line, ``{doc_id, topic, cluster, url, text}``;
  gold = ``cluster``.
* NeuS: a directory holding ``<split>.source`` files, or one ``.source`` file. Each line is one
  gold story: three articles ``TITLE=> ... ARTICLE=> ...`` joined by `` [SEP] ``. A
  ``raw_crawled.jsonl`` beside it, when present, names the outlet of articles whose title it holds.

Scores: B-cubed precision/recall/F1 (Bagga & Baldwin) and pairwise F1, for newsprism and two
baselines run in the same process: TF-IDF and MiniLM, each with average-link agglomeration at a
fixed distance threshold tuned on the dev sets.

Folds (``--folds N``): the data is cut into N parts whose gold stories never straddle two parts
(ECB+ by topic number modulo N, so with 2 folds odd and even topics and both events of a topic
stay together; NeuS by story, alternating in file order). Each part is scored on its own as the
held-back half; newsprism runs with its fixed configuration, and each baseline's threshold is
chosen on the other parts (the best B-cubed F1 over a grid) before it is applied to the held-back
one. A change to the clusterer lands only if it gains on the held-back halves of both ECB+ and
NeuS (issue 17).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from math import comb
from pathlib import Path
from urllib.parse import urlparse

import click
import numpy as np

from newsprism.cluster import ClusterConfig, StoryClusterer
from newsprism.errors import DatasetError, NewsprismError
from newsprism.model import Article
from newsprism.text import COMMAND_SETTINGS

# Distance thresholds of the baselines, tuned on ECB+ dev and NeuS val (the best shared value).
TFIDF_THRESHOLD = 0.8
MINILM_THRESHOLD = 0.4
# With --folds, each baseline's threshold is chosen on the other folds from these grids.
TFIDF_GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.50 .. 0.95
MINILM_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))  # 0.20 .. 0.70

_NEUS_SEGMENT = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.S)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pair_f1: float
    seconds: float


@dataclass
class ClusteringEval:
    dataset: str
    articles: int
    gold_stories: int
    systems: dict[str, Scores] = field(default_factory=dict)
    predicted_stories: dict[str, int] = field(default_factory=dict)
    # With folds: each baseline's distance threshold, chosen on the other folds.
    thresholds: dict[str, float] = field(default_factory=dict)


# ---- metrics -------------------------------------------------------------------------------


def bcubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels (same item order)."""
    if len(pred) != len(gold) or not pred:
        raise ValueError("pred and gold must be non-empty and of equal length")
    joint = Counter(zip(pred, gold, strict=True))
    size_pred = Counter(pred)
    size_gold = Counter(gold)
    # Every item of a (pred, gold) cell has the same per-item precision and recall.
    precision = sum(n * n / size_pred[p] for (p, _), n in joint.items()) / len(pred)
    recall = sum(n * n / size_gold[g] for (_, g), n in joint.items()) / len(pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise_f1(pred: list[str], gold: list[str]) -> float:
    """F1 over same-story pairs."""
    both = sum(comb(n, 2) for n in Counter(zip(pred, gold, strict=True)).values())
    in_pred = sum(comb(n, 2) for n in Counter(pred).values())
    in_gold = sum(comb(n, 2) for n in Counter(gold).values())
    precision = both / in_pred if in_pred else 1.0
    recall = both / in_gold if in_gold else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ---- readers -------------------------------------------------------------------------------


def read_ecb(path: Path) -> tuple[list[Article], list[str]]:
    """An ECB+-style docs JSONL: articles and their gold event labels."""
    articles: list[Article] = []
    gold: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc_id, text, cluster = str(row["doc_id"]), row["text"], str(row["cluster"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise DatasetError(
                    f"not an ECB+ docs line ({exc})",
                    where=f"{path}:{n}",
                    hint="expected {doc_id, topic, cluster, url, text}",
                ) from exc
            url = row.get("url")
            title = text.strip().split("\n", 1)[0]
            outlet = urlparse(url).hostname if url else None
            articles.append(
                Article(
                    id=doc_id,
                    title=title,
                    text=text,
                    source=f"{path}:{n}",
                    kind="jsonl",
                    url=url,
                    outlet=outlet,
                )
            )
            gold.append(cluster)
    if not articles:
        raise DatasetError("no documents", where=str(path))
    return articles, gold


def ecb_topic(row_topic: object, cluster: str) -> int | None:
    """The topic of an ECB+ document: `topic`, else the number before `_` in `cluster`."""
    for value in (row_topic, cluster.split("_", 1)[0]):
        try:
            return int(str(value))
        except ValueError:
            continue
    return None


def _ecb_topics(path: Path) -> dict[str, int | None]:
    topics: dict[str, int | None] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                topics[str(row["doc_id"])] = ecb_topic(row.get("topic"), str(row["cluster"]))
    return topics


def _neus_outlets(folder: Path) -> dict[str, str]:
    raw = folder / "raw_crawled.jsonl"
    out: dict[str, str] = {}
    if not raw.exists():
        return out
    with raw.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                news = json.loads(line).get("news", {})
            except json.JSONDecodeError:
                continue
            for item in news.values():
                if isinstance(item, dict) and item.get("newsTitle") and item.get("newsSource"):
                    out[item["newsTitle"].strip()] = item["newsSource"]
    return out


def read_neus(path: Path, split: str = "val") -> tuple[list[Article], list[str]]:
    """NeuS ``.source`` lines: each line is one gold story of ``[SEP]``-joined articles."""
    if path.is_dir():
        files = [path / f"{name}.source" for name in split.split("+")]
        folder = path
    else:
        files = [path]
        folder = path.parent
    outlets = _neus_outlets(folder)
    articles: list[Article] = []
    gold: list[str] = []
    for file in files:
        if not file.exists():
            raise DatasetError(
                "NeuS split not found", where=str(file), hint="--split val, train or train+val"
            )
        with file.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                for j, segment in enumerate(line.rstrip("\n").split(" [SEP] ")):
                    m = _NEUS_SEGMENT.match(segment.strip())
                    title, body = (m.group(1), m.group(2)) if m else ("", segment.strip())
                    articles.append(
                        Article(
                            id=f"{file.stem}-{n}-{j}",
                            title=title,
                            text=body,
                            source=f"{file}:{n}",
                            kind="neus",
                            outlet=outlets.get(title.strip()),
                        )
                    )
                    gold.append(f"{file.stem}-{n}")
    if not articles:
        raise DatasetError("no articles", where=str(path))
    return articles, gold


def read_dataset(path: Path, split: str = "val") -> tuple[str, list[Article], list[str]]:
    """Detect the layout of ``path`` and read it: (dataset name, articles, gold labels)."""
    if not path.exists():
        raise DatasetError("dataset not found", where=str(path))
    if path.is_dir() or path.suffix == ".source":
        articles, gold = read_neus(path, split)
        name = f"neus {split}" if path.is_dir() else f"neus {path.stem}"
        return name, articles, gold
    if path.suffix in {".jsonl", ".json"}:
        articles, gold = read_ecb(path)
        return f"ecb+ {path.name}", articles, gold
    raise DatasetError(
        "unknown dataset layout",
        where=str(path),
        hint="give an ECB+ docs .jsonl, a NeuS directory or a NeuS .source file",
    )


# ---- systems -------------------------------------------------------------------------------


def _linkage(dist: np.ndarray) -> np.ndarray | None:
    from scipy.cluster.hierarchy import linkage

    if len(dist) == 1:
        return None
    np.fill_diagonal(dist, 0.0)
    condensed = np.clip(dist[np.triu_indices(len(dist), 1)], 0.0, None)
    return linkage(condensed, "average")


def _cut(tree: np.ndarray | None, threshold: float) -> list[str]:
    from scipy.cluster.hierarchy import fcluster

    if tree is None:
        return ["0"]
    return [str(x) for x in fcluster(tree, threshold, "distance").tolist()]


def _average_link(dist: np.ndarray, threshold: float) -> list[str]:
    return _cut(_linkage(dist), threshold)


def _tfidf_distances(articles: list[Article]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{a.title}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    return 1.0 - (matrix @ matrix.T).toarray().astype(np.float32)


def tfidf_baseline(articles: list[Article], threshold: float = TFIDF_THRESHOLD) -> list[str]:
    """TF-IDF (sublinear tf, English stop words) + average-link at a fixed distance threshold."""
    return _average_link(_tfidf_distances(articles), threshold)


def _minilm_vectors(articles: list[Article]) -> np.ndarray:
    from newsprism.embed import default_embedder

    return default_embedder().encode([f"{a.title}\n{a.text}" for a in articles])


def minilm_baseline(articles: list[Article], threshold: float = MINILM_THRESHOLD) -> list[str]:
    """MiniLM sentence embeddings + average-link at a fixed cosine-distance threshold."""
    emb = _minilm_vectors(articles)
    return _average_link(1.0 - emb @ emb.T, threshold)


def newsprism_system(articles: list[Article], config: ClusterConfig | None = None) -> list[str]:
    assignments = StoryClusterer(config).add_many(articles)
    return [assignments[a.id] for a in articles]


def cluster_config(settings: Sequence[str]) -> ClusterConfig:
    """A :class:`ClusterConfig` with ``NAME=VALUE`` settings changed (the eval's ``--set``)."""
    types = {f.name: type(getattr(ClusterConfig(), f.name)) for f in fields(ClusterConfig)}
    changes: dict[str, object] = {}
    for setting in settings:
        name, eq, value = setting.partition("=")
        name = name.strip()
        if not eq or name not in types:
            raise NewsprismError(
                f"not a clusterer setting: {setting!r}",
                hint="NAME=VALUE with NAME one of " + ", ".join(sorted(types)),
            )
        kind = types[name]
        try:
            if kind is bool:
                changes[name] = value.strip().lower() in {"1", "true", "yes", "on"}
            else:
                changes[name] = kind(value)
        except ValueError as exc:
            raise NewsprismError(f"bad value for {name}: {value!r} ({exc})") from exc
    return ClusterConfig(**changes)  # type: ignore[arg-type]


# ---- the command -------------------------------------------------------------------------


def _read_checked(path: Path, split: str) -> tuple[str, list[Article], list[str]]:
    name, articles, gold = read_dataset(path, split)
    ids = Counter(a.id for a in articles)
    dupes = [i for i, n in ids.items() if n > 1]
    if dupes:
        raise DatasetError(f"duplicate article ids, e.g. {dupes[0]!r}", where=str(path))
    return name, articles, gold


def _score(
    result: ClusteringEval, label: str, pred: list[str], gold: list[str], seconds: float
) -> None:
    p, r, f = bcubed(pred, gold)
    result.systems[label] = Scores(p, r, f, pairwise_f1(pred, gold), seconds)
    result.predicted_stories[label] = len(set(pred))


def evaluate_clustering(
    path: Path,
    *,
    dump: Path | None = None,
    baselines: bool = True,
    split: str = "val",
    config: ClusterConfig | None = None,
) -> ClusteringEval:
    """Score newsprism (and the baselines) on one labelled dataset."""
    name, articles, gold = _read_checked(path, split)
    result = ClusteringEval(name, len(articles), len(set(gold)))
    systems: list[tuple[str, Callable[[list[Article]], list[str]]]] = [
        ("newsprism", lambda batch: newsprism_system(batch, config))
    ]
    if baselines:
        systems += [("tfidf+avglink", tfidf_baseline), ("minilm+avglink", minilm_baseline)]
    for label, run in systems:
        start = time.perf_counter()
        pred = run(articles)
        _score(result, label, pred, gold, time.perf_counter() - start)
        if label == "newsprism" and dump is not None:
            mapping = {a.id: s for a, s in zip(articles, pred, strict=True)}
            dump.write_text(json.dumps(mapping, indent=1, sort_keys=True), encoding="utf-8")
    return result


def fold_of(
    path: Path, name: str, articles: list[Article], gold: list[str], folds: int
) -> list[int]:
    """Each article's fold: ECB+ by topic number modulo ``folds``, NeuS by story in file order."""
    if name.startswith("ecb+"):
        topics = _ecb_topics(path)
        out = []
        for article in articles:
            topic = topics.get(article.id)
            if topic is None:
                raise DatasetError(
                    f"no topic number for {article.id!r}",
                    where=str(path),
                    hint="give a numeric `topic` field or a `cluster` like 12_ecb",
                )
            out.append((topic - 1) % folds)  # with 2 folds: odd topics first
        return out
    order: dict[str, int] = {}
    for label in gold:
        order.setdefault(label, len(order))
    return [order[label] % folds for label in gold]


def _fold_name(name: str, path: Path, members: list[Article], fold: int, folds: int) -> str:
    if name.startswith("ecb+"):
        topics = _ecb_topics(path)
        numbers = sorted({t for a in members if (t := topics.get(a.id)) is not None})
        return f"{name}, topics {' '.join(map(str, numbers))}"
    every = ", ".join(str(fold + 1 + folds * i) for i in range(3))
    return f"{name}, gold stories {every}, ... in file order"


def _best_threshold(distances: np.ndarray, gold: list[str], grid: Sequence[float]) -> float:
    """The grid value with the best B-cubed F1 (the smallest among ties)."""
    tree = _linkage(distances)
    scores = [(bcubed(_cut(tree, t), gold)[2], -t) for t in grid]
    return -max(scores)[1]


def evaluate_folds(
    path: Path,
    folds: int = 2,
    *,
    baselines: bool = True,
    split: str = "val",
    config: ClusterConfig | None = None,
) -> list[ClusteringEval]:
    """Score each fold as the held-back part: newsprism as configured, each baseline at the
    threshold that scores best on the other folds."""
    if folds < 2:
        raise NewsprismError("--folds needs at least 2 folds")
    name, articles, gold = _read_checked(path, split)
    fold = fold_of(path, name, articles, gold, folds)
    start = time.perf_counter()
    vectors = _minilm_vectors(articles) if baselines else None
    encode_seconds = time.perf_counter() - start  # charged to each fold by its share
    results: list[ClusteringEval] = []
    for k in range(folds):
        held = [i for i, f in enumerate(fold) if f == k]
        rest = [i for i, f in enumerate(fold) if f != k]
        if not held or not rest:
            raise DatasetError(f"fold {k + 1} of {folds} is empty", where=str(path))
        h_articles, h_gold = [articles[i] for i in held], [gold[i] for i in held]
        r_articles, r_gold = [articles[i] for i in rest], [gold[i] for i in rest]
        result = ClusteringEval(
            _fold_name(name, path, h_articles, k, folds), len(held), len(set(h_gold))
        )
        start = time.perf_counter()
        pred = newsprism_system(h_articles, config)
        _score(result, "newsprism", pred, h_gold, time.perf_counter() - start)
        if vectors is not None:
            start = time.perf_counter()
            t = _best_threshold(_tfidf_distances(r_articles), r_gold, TFIDF_GRID)
            pred = _average_link(_tfidf_distances(h_articles), t)
            _score(result, "tfidf+avglink", pred, h_gold, time.perf_counter() - start)
            result.thresholds["tfidf+avglink"] = t
            start = time.perf_counter()
            r_vec, h_vec = vectors[rest], vectors[held]
            t = _best_threshold(1.0 - r_vec @ r_vec.T, r_gold, MINILM_GRID)
            pred = _average_link(1.0 - h_vec @ h_vec.T, t)
            seconds = time.perf_counter() - start + encode_seconds * len(held) / len(articles)
            _score(result, "minilm+avglink", pred, h_gold, seconds)
            result.thresholds["minilm+avglink"] = t
        results.append(result)
    return results


def format_clustering(result: ClusteringEval) -> str:
    """The score table printed by ``newsprism eval clustering``."""
    cut = bool(result.thresholds)
    lines = [
        f"{result.dataset}: {result.articles} articles, {result.gold_stories} gold stories",
        f"{'system':<16} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair F1':>8} "
        f"{'stories':>8} {'seconds':>8}" + (f" {'cut*':>5}" if cut else ""),
    ]
    for label, s in result.systems.items():
        threshold = result.thresholds.get(label)
        lines.append(
            f"{label:<16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.pair_f1:8.3f} "
            f"{result.predicted_stories[label]:8d} {s.seconds:8.1f}"
            + (f" {threshold:5.2f}" if threshold is not None else "")
        )
    return "\n".join(lines)


def format_folds(results: list[ClusteringEval]) -> str:
    """One table per held-back fold, then each system's mean over the folds."""
    blocks = [
        f"fold {k + 1} of {len(results)} held back: " + format_clustering(r)
        for k, r in enumerate(results)
    ]
    if any(r.thresholds for r in results):
        blocks.append("* baseline distance threshold, chosen on the other folds")
    means = ", ".join(
        f"{label} {sum(r.systems[label].f1 for r in results) / len(results):.3f}"
        for label in results[0].systems
    )
    blocks.append(f"mean held-back B3 F1: {means}")
    return "\n\n".join(blocks)


@click.command("clustering", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(path_type=Path),
    help="ECB+ docs JSONL, a NeuS directory, or a NeuS .source file.",
)
@click.option(
    "--split",
    default="val",
    show_default=True,
    help="NeuS directory only: val, train, or train+val.",
)
@click.option(
    "--dump",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write newsprism's {article_id: story_id} here.",
)
@click.option("--no-baselines", is_flag=True, help="Score newsprism alone (faster).")
@click.option(
    "--folds",
    type=click.IntRange(min=0),
    default=0,
    help="Score each of N parts held back (ECB+ by topic, NeuS by story); baselines' "
    "thresholds chosen on the other parts. 0 or 1: the whole set at once.",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Change one ClusterConfig setting for this run (repeatable), "
    "e.g. --set refine_neighbours_k=8.",
)
def cli_command(
    data: Path,
    split: str,
    dump: Path | None,
    no_baselines: bool,
    folds: int,
    settings: tuple[str, ...],
) -> None:
    """Score story clustering (B-cubed, pairwise F1) against gold events, with baselines."""
    try:
        config = cluster_config(settings)
        if folds > 1:
            if dump is not None:
                raise NewsprismError("--dump works on the whole set, not with --folds")
            results = evaluate_folds(
                data, folds, baselines=not no_baselines, split=split, config=config
            )
            click.echo(format_folds(results))
            return
        result = evaluate_clustering(
            data, dump=dump, baselines=not no_baselines, split=split, config=config
        )
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_clustering(result))


__all__ = [
    "ClusteringEval",
    "Scores",
    "bcubed",
    "cli_command",
    "cluster_config",
    "ecb_topic",
    "evaluate_clustering",
    "evaluate_folds",
    "fold_of",
    "format_clustering",
    "format_folds",
    "minilm_baseline",
    "pairwise_f1",
    "read_dataset",
    "tfidf_baseline",
]
