"""Article-body extraction quality on the scrapinghub article-extraction-benchmark layout.

The metric is a reimplementation of the benchmark's ``evaluate.py``: both texts are split into
``\\w+`` tokens, compared as multisets of 4-token shingles, and each page's true/false
positive/negative counts are normalised so that long articles weigh no more than short ones.
Dataset precision and recall are means over pages; F1 is computed from those means, and the
confidence interval is 1.96 standard deviations over bootstrap resamples of the pages.

A dataset directory holds ``ground-truth.json`` (``{id: {"articleBody": ..., "url": ...}}``)
and ``html/<id>.html.gz`` (gzip-compressed UTF-8 HTML).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click
import trafilatura

from newsprism.errors import DatasetError, ExtractionError, NewsprismError
from newsprism.ingest.html import extract_html
from newsprism.text import COMMAND_SETTINGS

Scores = tuple[float, float, float]
"""Per-page (tp, fp, fn), normalised to sum to 1 unless all are 0."""

_TOKEN = re.compile(r"\w+", re.UNICODE)
N_BOOTSTRAP = 1000
BOOTSTRAP_SEED = 42


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    # The benchmark keeps a text shorter than n tokens as one short shingle rather than dropping it.
    count = max(1, len(tokens) - n + 1)
    return Counter(tuple(tokens[i : i + n]) for i in range(count))


def shingle_scores(true: str, pred: str, n: int = 4) -> Scores:
    """Normalised (tp, fp, fn) of the predicted text's n-token shingles against the true text."""
    true_counts = _shingles(true, n)
    pred_counts = _shingles(pred, n)
    tp = float(sum((true_counts & pred_counts).values()))
    fp = float(sum((pred_counts - true_counts).values()))
    fn = float(sum((true_counts - pred_counts).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics_from_scores(scores: Sequence[Scores]) -> dict[str, float]:
    """Dataset precision, recall and F1 from per-page scores, as the benchmark averages them."""
    precisions = [_precision(*s) for s in scores if s[0] + s[1] > 0]
    recalls = [_recall(*s) for s in scores if s[0] + s[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def bootstrap_ci(
    scores: Sequence[Scores], *, n_bootstrap: int = N_BOOTSTRAP, seed: int = BOOTSTRAP_SEED
) -> dict[str, float]:
    """Half-width of the 95% interval (1.96 standard deviations) of each metric over resamples."""
    if len(scores) < 2:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    # A fixed seed makes two runs over the same outputs print the same intervals.
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    for _ in range(n_bootstrap):
        resample = [scores[rng.randrange(len(scores))] for _ in scores]
        for key, value in metrics_from_scores(resample).items():
            samples[key].append(value)
    return {key: 1.96 * statistics.stdev(values) for key, values in samples.items()}


@dataclass
class SystemResult:
    """One extractor's figures on a dataset."""

    name: str
    metrics: dict[str, float]
    ci: dict[str, float]
    pages: int
    ms_per_page: float
    failures: int = 0
    scores: dict[str, Scores] = field(default_factory=dict)


@dataclass
class ExtractionEval:
    """The result of one evaluation run: newsprism first, then the baselines."""

    data_dir: Path
    systems: list[SystemResult]

    @property
    def newsprism(self) -> SystemResult:
        """The row of newsprism's own extractor."""
        return self.systems[0]

    def system(self, name: str) -> SystemResult:
        """The row named ``name``."""
        for result in self.systems:
            if result.name == name:
                return result
        raise KeyError(name)


@dataclass
class ExtractionPage:
    """One page of an extraction dataset."""

    id: str
    html: str
    url: str | None
    article_body: str


def load_extraction_dataset(data_dir: Path) -> list[ExtractionPage]:
    """Read the ground truth and HTML of every page, or raise DatasetError naming what is off."""
    truth_path = data_dir / "ground-truth.json"
    html_dir = data_dir / "html"
    hint = "expected DIR/ground-truth.json and DIR/html/<id>.html.gz"
    if not data_dir.is_dir():
        raise DatasetError("extraction dataset directory not found", where=str(data_dir), hint=hint)
    if not truth_path.is_file():
        raise DatasetError("ground-truth.json is missing", where=str(data_dir), hint=hint)
    if not html_dir.is_dir():
        raise DatasetError("html/ directory is missing", where=str(data_dir), hint=hint)
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DatasetError(f"cannot read ground truth: {err}", where=str(truth_path)) from err
    if not isinstance(truth, dict) or not truth:
        raise DatasetError(
            "ground truth is not a non-empty JSON object of pages", where=str(truth_path), hint=hint
        )
    pages = []
    for page_id, item in truth.items():
        if not isinstance(item, dict) or not isinstance(item.get("articleBody", ""), str):
            raise DatasetError(
                f"page {page_id!r} has no articleBody string", where=str(truth_path), hint=hint
            )
        html_path = html_dir / f"{page_id}.html.gz"
        try:
            with gzip.open(html_path, "rt", encoding="utf-8") as fh:
                html = fh.read()
        except FileNotFoundError as err:
            raise DatasetError(
                f"no HTML for page {page_id!r}", where=str(html_path), hint=hint
            ) from err
        except (OSError, UnicodeDecodeError, EOFError) as err:
            raise DatasetError(f"cannot read gzip HTML: {err}", where=str(html_path)) from err
        url = item.get("url")
        pages.append(
            ExtractionPage(
                id=page_id,
                html=html,
                url=url if isinstance(url, str) else None,
                article_body=item.get("articleBody") or "",
            )
        )
    return pages


def _newsprism_extract(page: ExtractionPage) -> str:
    try:
        return extract_html(page.html, url=page.url, where=page.id).text
    except ExtractionError:
        # A page we cannot extract counts as an empty prediction, as in the benchmark.
        return ""


def _trafilatura_plain(page: ExtractionPage) -> str:
    # The benchmark's own trafilatura runner: default options, only comments excluded.
    return trafilatura.extract(page.html, include_comments=False) or ""


def _trafilatura_precision(page: ExtractionPage) -> str:
    return trafilatura.extract(page.html, include_comments=False, favor_precision=True) or ""


Extractor = Callable[[ExtractionPage], str]


def _run_system(
    name: str,
    extractor: Extractor,
    pages: Sequence[ExtractionPage],
    tick: Callable[[], None],
) -> tuple[SystemResult, dict[str, str]]:
    outputs: dict[str, str] = {}
    scores: dict[str, Scores] = {}
    failures = 0
    elapsed = 0.0
    for page in pages:
        start = time.perf_counter()
        text = extractor(page)
        elapsed += time.perf_counter() - start
        failures += not text
        outputs[page.id] = text
        scores[page.id] = shingle_scores(page.article_body, text)
        tick()
    score_list = list(scores.values())
    result = SystemResult(
        name=name,
        metrics=metrics_from_scores(score_list),
        ci=bootstrap_ci(score_list),
        pages=len(pages),
        ms_per_page=1000 * elapsed / max(1, len(pages)),
        failures=failures,
        scores=scores,
    )
    return result, outputs


def evaluate_extraction(
    data_dir: Path,
    *,
    dump: Path | None = None,
    baselines: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractionEval:
    """Score newsprism's extract_html (and, with ``baselines``, trafilatura) on a dataset dir.

    ``dump`` receives ``{id: extracted_text}`` of newsprism's extractor as JSON.
    ``progress(done, total)`` is called after each page of each system.
    """
    data_dir = Path(data_dir)
    pages = load_extraction_dataset(data_dir)
    systems: list[tuple[str, Extractor]] = [("newsprism", _newsprism_extract)]
    if baselines:
        systems += [
            ("trafilatura", _trafilatura_plain),
            ("trafilatura favor_precision", _trafilatura_precision),
        ]
    total = len(pages) * len(systems)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    results = []
    for index, (name, extractor) in enumerate(systems):
        result, outputs = _run_system(name, extractor, pages, tick)
        results.append(result)
        if index == 0 and dump is not None:
            dump.write_text(json.dumps(outputs, ensure_ascii=False, indent=1), encoding="utf-8")
    return ExtractionEval(data_dir=data_dir, systems=results)


def format_extraction(result: ExtractionEval) -> str:
    """A plain-text table: one row per system with P, R, F1 (± 95% CI), pages and ms/page."""
    rows = [("system", "precision", "recall", "F1", "pages", "ms/page")]
    for system in result.systems:
        m, ci = system.metrics, system.ci
        rows.append(
            (
                system.name,
                f"{m['precision']:.3f} ± {ci['precision']:.3f}",
                f"{m['recall']:.3f} ± {ci['recall']:.3f}",
                f"{m['f1']:.3f} ± {ci['f1']:.3f}",
                str(system.pages),
                f"{system.ms_per_page:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"extraction benchmark: {result.data_dir}"]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)


@click.command("extraction", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    default=Path("../shared/data/extraction"),
    show_default=True,
    help="Dataset directory with ground-truth.json and html/<id>.html.gz.",
)
@click.option(
    "--dump",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write newsprism's extracted text per page as JSON {id: text}.",
)
@click.option("--no-baselines", is_flag=True, help="Score newsprism only, not trafilatura.")
def cli_command(data_dir: Path, dump: Path | None, no_baselines: bool) -> None:
    """Score article-body extraction (shingle P/R/F1) against trafilatura on a benchmark dir."""
    try:
        result = evaluate_extraction(data_dir, dump=dump, baselines=not no_baselines)
    except NewsprismError as err:
        raise click.ClickException(str(err)) from err
    click.echo(format_extraction(result))


__all__ = [
    "ExtractionEval",
    "ExtractionPage",
    "Scores",
    "SystemResult",
    "bootstrap_ci",
    "cli_command",
    "evaluate_extraction",
    "format_extraction",
    "load_extraction_dataset",
    "metrics_from_scores",
    "shingle_scores",
]
