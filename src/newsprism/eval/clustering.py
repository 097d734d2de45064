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
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
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


def _average_link(dist: np.ndarray, threshold: float) -> list[str]:
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(dist) == 1:
        return ["0"]
    np.fill_diagonal(dist, 0.0)
    condensed = np.clip(dist[np.triu_indices(len(dist), 1)], 0.0, None)
    labels = fcluster(linkage(condensed, "average"), threshold, "distance")
    return [str(x) for x in labels.tolist()]


def tfidf_baseline(articles: list[Article], threshold: float = TFIDF_THRESHOLD) -> list[str]:
    """TF-IDF (sublinear tf, English stop words) + average-link at a fixed distance threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{a.title}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    sim = (matrix @ matrix.T).toarray().astype(np.float32)
    return _average_link(1.0 - sim, threshold)


def minilm_baseline(articles: list[Article], threshold: float = MINILM_THRESHOLD) -> list[str]:
    """MiniLM sentence embeddings + average-link at a fixed cosine-distance threshold."""
    from newsprism.embed import default_embedder

    emb = default_embedder().encode([f"{a.title}\n{a.text}" for a in articles])
    return _average_link(1.0 - emb @ emb.T, threshold)


def newsprism_system(articles: list[Article], config: ClusterConfig | None = None) -> list[str]:
    assignments = StoryClusterer(config).add_many(articles)
    return [assignments[a.id] for a in articles]


# ---- the command -------------------------------------------------------------------------


def evaluate_clustering(
    path: Path, *, dump: Path | None = None, baselines: bool = True, split: str = "val"
) -> ClusteringEval:
    """Score newsprism (and the baselines) on one labelled dataset."""
    name, articles, gold = read_dataset(path, split)
    ids = Counter(a.id for a in articles)
    dupes = [i for i, n in ids.items() if n > 1]
    if dupes:
        raise DatasetError(f"duplicate article ids, e.g. {dupes[0]!r}", where=str(path))
    result = ClusteringEval(name, len(articles), len(set(gold)))
    systems: list[tuple[str, object]] = [("newsprism", newsprism_system)]
    if baselines:
        systems += [("tfidf+avglink", tfidf_baseline), ("minilm+avglink", minilm_baseline)]
    for label, run in systems:
        start = time.perf_counter()
        pred = run(articles)  # type: ignore[operator]
        seconds = time.perf_counter() - start
        p, r, f = bcubed(pred, gold)
        result.systems[label] = Scores(p, r, f, pairwise_f1(pred, gold), seconds)
        result.predicted_stories[label] = len(set(pred))
        if label == "newsprism" and dump is not None:
            mapping = {a.id: s for a, s in zip(articles, pred, strict=True)}
            dump.write_text(json.dumps(mapping, indent=1, sort_keys=True), encoding="utf-8")
    return result


def format_clustering(result: ClusteringEval) -> str:
    """The score table printed by ``newsprism eval clustering``."""
    lines = [
        f"{result.dataset}: {result.articles} articles, {result.gold_stories} gold stories",
        f"{'system':<16} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair F1':>8} "
        f"{'stories':>8} {'seconds':>8}",
    ]
    for label, s in result.systems.items():
        lines.append(
            f"{label:<16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.pair_f1:8.3f} "
            f"{result.predicted_stories[label]:8d} {s.seconds:8.1f}"
        )
    return "\n".join(lines)


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
def cli_command(data: Path, split: str, dump: Path | None, no_baselines: bool) -> None:
    """Score story clustering (B-cubed, pairwise F1) against gold events, with baselines."""
    try:
        result = evaluate_clustering(data, dump=dump, baselines=not no_baselines, split=split)
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_clustering(result))


__all__ = [
    "ClusteringEval",
    "Scores",
    "bcubed",
    "cli_command",
    "evaluate_clustering",
    "format_clustering",
    "minilm_baseline",
    "pairwise_f1",
    "read_dataset",
    "tfidf_baseline",
]
