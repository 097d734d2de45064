"""`newsprism eval paraphrase`: the pair decision "same claim?" on MRPC sentence pairs.

Layout (``--data FILE``): the Microsoft Research Paraphrase Corpus as distributed
(tab-separated, header ``Quality  #1 ID  #2 ID  #1 String  #2 String``, optional byte-order
mark); ``Quality`` is 1 when people judged the two sentences to state the same claim.

Systems, side by side in one run, each deciding by one threshold fixed in advance (chosen on
``../shared/data/mrpc/train.tsv``, see docs/evaluation.md; ``--tune`` also prints the
threshold that would be best on the file given, as an upper bound):

* ``newsprism``: the claim step's pair score (:func:`newsprism.compare.claims.pair_scores`):
  MiniLM cosine after the mean vector of every sentence in the file is taken out, plus
  word overlap weighted by rarity in the file. The file stands in for the story, so the
  decision is the one ``compare`` makes, with the file as its context.
* ``word-overlap``: Jaccard overlap of the two sentences' lower-cased words.
* ``tfidf``: cosine of TF-IDF vectors fitted on all sentences of the file.
* ``minilm``: plain MiniLM cosine.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np

from newsprism.compare.claims import AlignConfig, ClaimUnit, centred, story_idf, word_overlap
from newsprism.compare.lexicon import content_terms
from newsprism.embed import Embedder, default_embedder
from newsprism.errors import DatasetError, NewsprismError
from newsprism.text import COMMAND_SETTINGS

# Thresholds chosen on train.tsv (best accuracy); docs/evaluation.md has the figures.
THRESHOLDS = {"newsprism": 0.92, "word-overlap": 0.37, "tfidf": 0.51, "minilm": 0.68}
_WORD = re.compile(r"[a-z0-9]+")
_GRID = [round(0.01 * k, 2) for k in range(0, 101)]


@dataclass
class ParaphrasePair:
    id: str
    label: int
    first: str
    second: str


def read_pairs(path: Path) -> list[ParaphrasePair]:
    """Read an MRPC-format file; a bad line is named with its number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: not a readable MRPC file ({exc})") from exc
    lines = text.splitlines()
    if not lines or not lines[0].lower().startswith("quality"):
        raise DatasetError(f"{path}: expected the MRPC header 'Quality  #1 ID  #2 ID  ...'")
    pairs = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 5 or cells[0] not in ("0", "1"):
            raise DatasetError(f"{path}:{n}: expected 5 tab-separated fields, quality 0 or 1")
        pairs.append(ParaphrasePair(f"{cells[1]}-{cells[2]}", int(cells[0]), cells[3], cells[4]))
    if not pairs:
        raise DatasetError(f"{path}: no sentence pairs")
    return pairs


def _scores_newsprism(
    pairs: list[ParaphrasePair], texts: list[str], vecs: np.ndarray
) -> np.ndarray:
    """The claim step's pair score (centred cosine + weighted word overlap), the file as the
    story, for the listed pairs only."""
    units = [
        ClaimUnit(f"s{k}", f"s{k}", k, 0, len(t), t, frozenset(content_terms(t)))
        for k, t in enumerate(texts)
    ]
    index = {t: k for k, t in enumerate(texts)}
    rows = np.array([index[p.first] for p in pairs])
    cols = np.array([index[p.second] for p in pairs])
    cen = centred(np.asarray(vecs, dtype=np.float32))
    cosine = np.einsum("ij,ij->i", cen[rows], cen[cols]).astype(np.float64)
    lex_weight = AlignConfig().lex_weight
    return cosine + lex_weight * word_overlap(units, story_idf(units), rows, cols)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def system_scores(
    pairs: list[ParaphrasePair], embedder: Embedder, baselines: bool = True
) -> dict[str, np.ndarray]:
    """Each system's score for every pair (higher = more likely the same claim)."""
    texts = sorted({p.first for p in pairs} | {p.second for p in pairs})
    index = {t: k for k, t in enumerate(texts)}
    vecs = embedder.encode(texts)
    out = {"newsprism": _scores_newsprism(pairs, texts, vecs)}
    if baselines:
        from sklearn.feature_extraction.text import TfidfVectorizer

        tfidf = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)

        def jaccard(a: str, b: str) -> float:
            wa, wb = _words(a), _words(b)
            return len(wa & wb) / max(1, len(wa | wb))

        out["word-overlap"] = np.array([jaccard(p.first, p.second) for p in pairs])
        out["tfidf"] = np.array(
            [
                float((tfidf[index[p.first]] @ tfidf[index[p.second]].T).toarray()[0, 0])
                for p in pairs
            ]
        )
        out["minilm"] = np.array(
            [float(vecs[index[p.first]] @ vecs[index[p.second]]) for p in pairs]
        )
    return out


def accuracy_f1(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = int(((pred == 1) & (gold == 1)).sum())
    p = tp / max(1, int(pred.sum()))
    r = tp / max(1, int(gold.sum()))
    return float((pred == gold).mean()), (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class ParaphraseEval:
    pairs: int
    positive: int
    rows: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # t, acc, F1
    tuned: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    seconds: float = 0.0


def evaluate_paraphrase(
    path: Path | str,
    *,
    embedder: Embedder | None = None,
    baselines: bool = True,
    tune: bool = False,
    dump: Path | str | None = None,
    every: int = 1,
) -> ParaphraseEval:
    """Accuracy and F1 of every system at its fixed threshold (and, with ``tune``, its best).

    ``every=N`` scores pairs 0, N, 2N, ... only (a fixed sample, for the CI floor test).
    """
    t0 = time.perf_counter()
    if every < 1:
        raise NewsprismError(f"every must be 1 or more, not {every}")
    pairs = read_pairs(Path(path))[::every]
    gold = np.array([p.label for p in pairs])
    scores = system_scores(pairs, embedder or default_embedder(), baselines)
    result = ParaphraseEval(len(pairs), int(gold.sum()))
    for name, s in scores.items():
        t = THRESHOLDS[name]
        result.rows[name] = (t, *accuracy_f1((s >= t).astype(int), gold))
        if tune:
            best = max(_GRID, key=lambda x: accuracy_f1((s >= x).astype(int), gold)[0])
            result.tuned[name] = (best, *accuracy_f1((s >= best).astype(int), gold))
    if dump is not None:
        decided = (scores["newsprism"] >= THRESHOLDS["newsprism"]).astype(int)
        Path(dump).write_text(
            json.dumps({p.id: int(d) for p, d in zip(pairs, decided, strict=True)}, indent=0),
            encoding="utf-8",
        )
    result.seconds = time.perf_counter() - t0
    return result


def format_paraphrase(result: ParaphraseEval) -> str:
    lines = [
        f"same claim? on {result.pairs} sentence pairs ({result.positive} judged the same)",
        f"{'system':<14} {'threshold':>9} {'accuracy':>9} {'F1':>7}",
    ]
    for name, (t, acc, f1) in result.rows.items():
        lines.append(f"{name:<14} {t:>9.2f} {acc:>9.3f} {f1:>7.3f}")
    if result.tuned:
        lines.append("best threshold on this file (an upper bound, not a result):")
        for name, (t, acc, f1) in result.tuned.items():
            lines.append(f"{name + '*':<14} {t:>9.2f} {acc:>9.3f} {f1:>7.3f}")
    lines.append(f"({result.seconds:.1f} s)")
    return "\n".join(lines)


@click.command(name="paraphrase", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("../shared/data/mrpc/train.tsv"),
    show_default=True,
    help="An MRPC-format file of sentence pairs.",
)
@click.option("--no-baselines", is_flag=True, help="Score only newsprism's decision.")
@click.option("--tune", is_flag=True, help="Also print each system's best threshold here.")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Score every Nth pair only (pairs 0, N, 2N, ...): a quick fixed sample.",
)
@click.option(
    "--dump",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='Write newsprism\'s decisions here as {"<#1 ID>-<#2 ID>": 0|1}.',
)
def cli_command(path: Path, no_baselines: bool, tune: bool, every: int, dump: Path | None) -> None:
    """Accuracy and F1 of the claim pair decision beside word, TF-IDF and MiniLM baselines."""
    try:
        result = evaluate_paraphrase(
            path, baselines=not no_baselines, tune=tune, dump=dump, every=every
        )
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_paraphrase(result))


__all__ = [
    "THRESHOLDS",
    "ParaphraseEval",
    "ParaphrasePair",
    "cli_command",
    "evaluate_paraphrase",
    "format_paraphrase",
    "read_pairs",
]
