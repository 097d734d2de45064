"""`newsprism eval summary`: the neutral summary against AllSides editors' summaries (NeuS).

Layout (read in place from ``--data DIR``): ``DIR/<split>.source`` holds one story per line,
its articles joined by `` [SEP] ``, each ``TITLE=> ... ARTICLE=> ...``; ``DIR/<split>.target``
holds the editors' summary in the same form. Only the ARTICLE part of the target is scored
(the title is a headline, not summary prose), and systems summarise the ARTICLE parts of the
sources (titles take no part).

ROUGE, reimplemented here: text is lower-cased and tokenised into runs of ``[a-z0-9]``
(punctuation dropped, no stemming, no stopword removal). ROUGE-N F1 uses clipped n-gram counts;
ROUGE-L F1 uses the longest common subsequence of the two whole token sequences. Scores are
averaged over stories (macro).

Systems, side by side in one run:

* ``newsprism``: :func:`newsprism.compare.summary.select` over the claim groups of
  :func:`newsprism.compare.claims.align` (MiniLM + lexical + entity + number agreement).
* ``lead-1``: the first sentence of each article, in article order.
* ``lexrank-3``: LexRank (TF-IDF cosine graph, edge threshold 0.1, PageRank damping 0.85) over
  all sentences of the story, top three in original order.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np

from newsprism.compare.claims import ClaimUnit, align, split_units
from newsprism.compare.summary import SummaryConfig, select
from newsprism.embed import Embedder, default_embedder
from newsprism.errors import DatasetError, NewsprismError

_TOKEN = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’')\]]*|$)")
_ABBREV = re.compile(
    r"(?:\b(?:Sen|Rep|Gov|Lt|Gen|Col|Sgt|Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Rev|Sens|Reps|Jan|Feb|"
    r"Aug|Sept|Oct|Nov|Dec|No|vs|etc|Inc|Corp|Co|Ltd)|\b[A-Z](?:\.[A-Z])*)\.$"
)
_ARTICLE = re.compile(r"ARTICLE=>\s*(.*)$", re.S)
SUMMARY_CONFIG = SummaryConfig(max_words=55, max_sentences=4)


# --- ROUGE -----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric runs: the tokenisation all three ROUGE figures use."""
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, n_pred: int, n_ref: int) -> float:
    if not overlap or not n_pred or not n_ref:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(pred: Sequence[str], ref: Sequence[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    pg = Counter(tuple(pred[i : i + n]) for i in range(len(pred) - n + 1))
    rg = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    overlap = sum((pg & rg).values())
    return _f1(overlap, sum(pg.values()), sum(rg.values()))


def rouge_l(pred: Sequence[str], ref: Sequence[str]) -> float:
    """ROUGE-L F1 from the longest common subsequence."""
    if not pred or not ref:
        return 0.0
    prev = [0] * (len(ref) + 1)
    for a in pred:
        cur = [0]
        for j, b in enumerate(ref):
            cur.append(prev[j] + 1 if a == b else max(prev[j + 1], cur[j]))
        prev = cur
    return _f1(prev[-1], len(pred), len(ref))


def rouge(pred: str, ref: str) -> tuple[float, float, float]:
    """(ROUGE-1, ROUGE-2, ROUGE-L) F1 of one prediction against one reference."""
    p, r = tokens(pred), tokens(ref)
    return rouge_n(p, r, 1), rouge_n(p, r, 2), rouge_l(p, r)


# --- data ------------------------------------------------------------------------------------


@dataclass
class Roundup:
    """One NeuS story: its articles' lead text and the editors' summary."""

    articles: list[str]
    target: str


def article_part(text: str) -> str:
    """The ARTICLE part of a ``TITLE=> ... ARTICLE=> ...`` string (all of it when unmarked)."""
    m = _ARTICLE.search(text)
    return (m.group(1) if m else text).strip()


def read_split(data_dir: Path, split: str) -> list[Roundup]:
    """Stories of ``DIR/<split>.source`` with their ``DIR/<split>.target`` summaries."""
    src, tgt = data_dir / f"{split}.source", data_dir / f"{split}.target"
    for path in (src, tgt):
        if not path.is_file():
            raise DatasetError(
                f"{path.name} not found", where=str(data_dir), hint="expected SPLIT.source/.target"
            )
    sources = src.read_text(encoding="utf-8").splitlines()
    targets = tgt.read_text(encoding="utf-8").splitlines()
    if len(sources) != len(targets):
        raise DatasetError(
            f"{len(sources)} source lines but {len(targets)} target lines", where=str(data_dir)
        )
    return [
        Roundup([article_part(a) for a in s.split(" [SEP] ")], article_part(t))
        for s, t in zip(sources, targets, strict=True)
    ]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation: the sources are short leads, no parser needed.

    A full stop after a title or an initial ("Sen.", "U.S.", "J.") does not end a sentence.
    """
    out: list[tuple[int, int]] = []
    glue = False
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if glue and out:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        glue = bool(_ABBREV.search(text[start:end]))
    return out


# --- systems ---------------------------------------------------------------------------------


def lead_1(story: Roundup) -> str:
    """The first sentence of each article."""
    leads = []
    for text in story.articles:
        spans = sentences(text)
        if spans:
            leads.append(text[spans[0][0] : spans[0][1]])
    return " ".join(leads)


def lexrank(story: Roundup, k: int = 3, threshold: float = 0.1) -> str:
    """LexRank top-``k`` sentences in original order."""
    sents = [t[a:b] for t in story.articles for a, b in sentences(t)]
    if len(sents) <= k:
        return " ".join(sents)
    bags = [Counter(tokens(s)) for s in sents]
    df = Counter(w for bag in bags for w in bag)
    n = len(sents)
    idf = {w: math.log(n / c) + 1.0 for w, c in df.items()}
    vecs = []
    for bag in bags:
        v = {w: c * idf[w] for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    adj = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            sim = sum(x * vecs[j].get(w, 0.0) for w, x in vecs[i].items())
            if sim >= threshold:
                adj[i, j] = 1.0
    rows = adj.sum(axis=1, keepdims=True)
    trans = np.divide(adj, rows, out=np.full_like(adj, 1.0 / n), where=rows > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        new = 0.15 / n + 0.85 * trans.T @ rank
        if np.abs(new - rank).sum() < 1e-8:
            break
        rank = new
    top = sorted(np.argsort(-rank, kind="stable")[:k].tolist())
    return " ".join(sents[i] for i in top)


def _story_units(story: Roundup) -> list[ClaimUnit]:
    units: list[ClaimUnit] = []
    for i, text in enumerate(story.articles):
        units.extend(split_units(f"a{i}", text, sentences(text), len(units)))
    return units


def newsprism_summaries(stories: Sequence[Roundup], embedder: Embedder) -> list[str]:
    """Our summary of every story, embedding all sentences in one batch."""
    per_story = [_story_units(s) for s in stories]
    flat = [u for units in per_story for u in units]
    matrix = embedder.encode([u.text for u in flat]) if flat else np.zeros((0, 384))
    vectors = {u.id + f"#{k}": matrix[k] for k, u in enumerate(flat)}
    out = []
    k = 0
    for units in per_story:
        vecs = matrix[k : k + len(units)]
        keyed = {u.id: vectors[u.id + f"#{k + n}"] for n, u in enumerate(units)}
        k += len(units)
        if not units:
            out.append("")
            continue
        groups = align(units, vecs)
        sizes: dict[str, int] = Counter(u.article for u in units)
        firsts: dict[str, int] = {}
        for u in units:
            firsts.setdefault(u.article, u.index)
        positions = {u.id: (u.index - firsts[u.article]) / max(sizes[u.article], 1) for u in units}
        independent = {gi: len(g.articles) for gi, g in enumerate(groups)}
        n_sources = len({u.article for u in units})
        picks = select(groups, keyed, positions, independent, n_sources, SUMMARY_CONFIG)
        out.append(" ".join(p.unit.text for p in picks))
    return out


# --- the command -----------------------------------------------------------------------------


@dataclass
class SummaryEval:
    """ROUGE F1 of every system on one split."""

    split: str
    stories: int
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    seconds: float = 0.0


def _mean(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    if not rows:
        return (0.0, 0.0, 0.0)
    return (
        sum(r[0] for r in rows) / len(rows),
        sum(r[1] for r in rows) / len(rows),
        sum(r[2] for r in rows) / len(rows),
    )


def evaluate_summary(
    data_dir: Path | str,
    *,
    split: str = "val",
    dump: Path | str | None = None,
    baselines: bool = True,
    embedder: Embedder | None = None,
) -> SummaryEval:
    """Score our summaries (and, by default, the baselines) on ``DIR/<split>``."""
    t0 = time.perf_counter()
    stories = read_split(Path(data_dir), split)
    ours = newsprism_summaries(stories, embedder or default_embedder())
    result = SummaryEval(split, len(stories))
    result.scores["newsprism"] = _mean(
        [rouge(p, s.target) for p, s in zip(ours, stories, strict=True)]
    )
    if baselines:
        result.scores["lead-1"] = _mean([rouge(lead_1(s), s.target) for s in stories])
        result.scores["lexrank-3"] = _mean([rouge(lexrank(s), s.target) for s in stories])
    if dump is not None:
        with Path(dump).open("w", encoding="utf-8") as fh:
            for text in ours:
                fh.write(json.dumps(text, ensure_ascii=False) + "\n")
    result.seconds = time.perf_counter() - t0
    return result


def format_summary(result: SummaryEval) -> str:
    """The side-by-side ROUGE table."""
    lines = [
        f"neutral summary on {result.split} ({result.stories} stories), ROUGE F1 vs the "
        "editors' summary (article part)",
        f"{'system':<12} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}",
    ]
    for name, (r1, r2, rl) in result.scores.items():
        lines.append(f"{name:<12} {r1:>8.3f} {r2:>8.3f} {rl:>8.3f}")
    lines.append(f"({result.seconds:.1f} s)")
    return "\n".join(lines)


@click.command(name="summary")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data/neus"),
    show_default=True,
    help="Directory holding SPLIT.source and SPLIT.target.",
)
@click.option("--split", default="val", show_default=True, help="Which SPLIT.source/.target.")
@click.option(
    "--dump",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write our summaries here, one JSON string per line in source order.",
)
@click.option("--no-baselines", is_flag=True, help="Score only newsprism's summary.")
def cli_command(data_dir: Path, split: str, dump: Path | None, no_baselines: bool) -> None:
    """ROUGE-1/2/L F1 of the neutral summary beside lead-1 and LexRank baselines."""
    try:
        result = evaluate_summary(data_dir, split=split, dump=dump, baselines=not no_baselines)
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_summary(result))


__all__ = [
    "Roundup",
    "SummaryEval",
    "cli_command",
    "evaluate_summary",
    "format_summary",
    "lead_1",
    "lexrank",
    "read_split",
    "rouge",
    "rouge_l",
    "rouge_n",
]
