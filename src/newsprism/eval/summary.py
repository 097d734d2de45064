"""`newsprism eval summary`: the neutral summary against AllSides editors' summaries (NeuS).

Layout (read in place from ``--data DIR``): ``DIR/<split>.source`` holds one story per line,
its articles joined by `` [SEP] ``, each ``TITLE=> ... ARTICLE=> ...``; ``DIR/<split>.target``
holds the editors' summary in the same form. Only the ARTICLE part of the target is scored
(the title is a headline, not summary prose). Systems extract from the ARTICLE parts of the
sources; ours also reads the titles to rank sentences, as ``compare`` reads article titles.

ROUGE, reimplemented here to match the reference ``rouge_score`` package without stemming: text
is lower-cased and tokenised into runs of ``[a-z0-9]`` (punctuation dropped, no stemming, no
stopword removal). ROUGE-N F1 uses clipped n-gram counts; ROUGE-L F1 uses the longest common
subsequence of the two whole token sequences (``rougeL``, not the per-sentence ``rougeLsum``).
Scores are averaged over stories (macro). The baseline figures quoted in issue 5 are higher
than these (a setup with stemming, say, would raise every figure); that setup is not known, so
what counts is that all systems are scored the same way in the same run.

Systems, side by side in one run:

* ``newsprism``: :func:`newsprism.compare.summary.select` over the claim groups of
  :func:`newsprism.compare.claims.align` (MiniLM + lexical + entity + number agreement), with
  the same default :class:`~newsprism.compare.summary.SummaryConfig` that ``compare`` uses.
* ``lead-1``: the first sentence of each article, in article order.
* ``lexrank-3``: LexRank (TF-IDF cosine graph, edge threshold 0.1, PageRank damping 0.85) over
  all sentences of the story, top three in original order.

MiniLM over every sentence is the slow part (a few minutes for val on a busy 2-core machine);
``every=N`` (``--every N``) scores a fixed sample, stories 0, N, 2N, ..., for the CI floor test.
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

from newsprism.compare.claims import ClaimUnit, align, pair_scores, split_units
from newsprism.compare.summary import SummaryConfig, select, unit_ranks
from newsprism.embed import Embedder, default_embedder
from newsprism.errors import DatasetError, NewsprismError
from newsprism.text import COMMAND_SETTINGS

_TOKEN = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’')\]]*|$)")
_ABBREV = re.compile(
    r"(?:\b(?:Sen|Rep|Gov|Lt|Gen|Col|Sgt|Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Rev|Sens|Reps|Jan|Feb|"
    r"Aug|Sept|Oct|Nov|Dec|No|vs|etc|Inc|Corp|Co|Ltd)|\b[A-Z](?:\.[A-Z])*)\.$"
)
_ARTICLE = re.compile(r"ARTICLE=>\s*(.*)$", re.S)
_TITLE = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>", re.S)


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
    """One NeuS story: its articles' lead text, the editors' summary, the articles' titles."""

    articles: list[str]
    target: str
    titles: list[str] = field(default_factory=list)


def article_part(text: str) -> str:
    """The ARTICLE part of a ``TITLE=> ... ARTICLE=> ...`` string (all of it when unmarked)."""
    m = _ARTICLE.search(text)
    return (m.group(1) if m else text).strip()


def title_part(text: str) -> str:
    """The TITLE part of a ``TITLE=> ... ARTICLE=> ...`` string ("" when unmarked)."""
    m = _TITLE.search(text)
    return m.group(1) if m else ""


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
        Roundup(
            [article_part(a) for a in s.split(" [SEP] ")],
            article_part(t),
            [title_part(a) for a in s.split(" [SEP] ")],
        )
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
    """Our summary of every story: the units of the whole split embedded in one batch."""
    per_story = [_story_units(s) for s in stories]
    flat = [u.text for units in per_story for u in units]
    matrix = embedder.encode(flat) if flat else np.zeros((0, 384), dtype=np.float32)
    out = []
    k = 0
    for story, units in zip(stories, per_story, strict=True):
        vecs = matrix[k : k + len(units)]
        k += len(units)
        scores = pair_scores(units, vecs)
        groups = align(units, vecs, scores=scores)
        # NeuS gives no publication data, so each article counts as one independent source.
        independent = {gi: len(g.articles) for gi, g in enumerate(groups)}
        vectors = {u.id: vecs[n] for n, u in enumerate(units)}
        picks = select(
            groups,
            unit_ranks(units),
            independent,
            SummaryConfig(),
            titles=story.titles,
            vectors=vectors,
            scores=scores,
        )
        out.append(" ".join(p.unit.text for p in picks))
    return out


# --- the command -----------------------------------------------------------------------------


@dataclass
class SummaryEval:
    """ROUGE F1 of every system on one split."""

    split: str
    stories: int
    every: int = 1
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0


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
    every: int = 1,
) -> SummaryEval:
    """Score our summaries (and, by default, the baselines) on ``DIR/<split>``.

    ``every=N`` scores stories 0, N, 2N, ... only: a fixed sample for a quick check (the CI
    floor test), every system on the same stories.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    if every < 1:
        raise NewsprismError(f"every must be 1 or more, not {every}")
    stories = read_split(Path(data_dir), split)[::every]
    ours = newsprism_summaries(stories, embedder or default_embedder())
    result = SummaryEval(split, len(stories), every=every)
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
    result.cpu_seconds = time.process_time() - c0
    return result


def format_summary(result: SummaryEval) -> str:
    """The side-by-side ROUGE table."""
    lines = [
        f"neutral summary on {result.split} ({result.stories} stories"
        + (f", 1 in {result.every}" if result.every > 1 else "")
        + "), ROUGE F1 vs the "
        "editors' summary (article part)",
        f"{'system':<12} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}",
    ]
    for name, (r1, r2, rl) in result.scores.items():
        lines.append(f"{name:<12} {r1:>8.3f} {r2:>8.3f} {rl:>8.3f}")
    lines.append(f"({result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU)")
    return "\n".join(lines)


@click.command(name="summary", context_settings=COMMAND_SETTINGS)
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
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Score every Nth story only (stories 0, N, 2N, ...): a quick fixed sample.",
)
def cli_command(
    data_dir: Path, split: str, dump: Path | None, no_baselines: bool, every: int
) -> None:
    """ROUGE-1/2/L F1 of the neutral summary beside lead-1 and LexRank baselines."""
    try:
        result = evaluate_summary(
            data_dir, split=split, dump=dump, baselines=not no_baselines, every=every
        )
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
