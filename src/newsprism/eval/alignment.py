"""`newsprism eval alignment`: claims, unique claims and summary citations against a fact gold.

Layout (``--data DIR``): one JSON file per story, as in ``../shared/data/alignment/`` (its
README): ``articles`` (id, outlet, date, title, text) and ``facts`` (id, label, mentions: the
article and the verbatim text that states the fact). Each story is compared by the real
:func:`newsprism.compare.compare_articles`, and scored on its report:

* **pair precision / recall / F1**: two units of one claim in different articles form a
  predicted pair; two units that stand for one gold fact form a gold pair. A unit *stands for*
  a gold mention of its article when they overlap by at least half of the shorter of the two.
* **unique-claim precision / recall / F1**: units the report says only one article carries,
  against units whose every gold fact is reported by one article only (units standing for no
  gold fact, such as headlines, count on neither side). For a baseline, a unit in no pair is
  unique; ``all-unique`` calls every unit unique (what a tool that compares nothing scores).
* **citation precision**: of all articles cited by summary sentences, the share that carry a
  fact the sentence stands for (the sentence's own article always does).
* **duplicate facts**: pairs of summary sentences that stand for a common gold fact.

Baselines in the same run pair the *same units* across articles by cosine similarity, TF-IDF
(fitted on the story's units) and MiniLM, above a fixed threshold (``tfidf@0.35``,
``minilm@0.60``), and at the threshold that is best on the gold itself (an upper bound for
that baseline, marked ``*``).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import numpy as np

from newsprism.embed import Embedder, default_embedder
from newsprism.errors import DatasetError, NewsprismError
from newsprism.model import Article
from newsprism.text import COMMAND_SETTINGS

Span = tuple[str, int, int]  # article id, start, end
Pair = tuple[Span, Span]

TFIDF_THRESHOLD = 0.35
MINILM_THRESHOLD = 0.60
_GRID = [round(0.05 * k, 2) for k in range(2, 20)]


@dataclass
class GoldStory:
    """One story of the fact gold: its articles and, per fact, the spans that state it."""

    id: str
    articles: list[Article]
    facts: dict[str, list[Span]]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def unique_facts(self) -> set[str]:
        return {f for f, spans in self.facts.items() if len({s[0] for s in spans}) == 1}


def _date(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise DatasetError(f"{where}: date {value!r} is not an ISO date") from exc


def read_story(path: Path) -> GoldStory:
    """Read one story file; a clear :class:`DatasetError` names what is wrong and where."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: not a readable JSON story file ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise DatasetError(f"{path}: expected an object with 'articles' and 'facts' lists")
    articles: list[Article] = []
    texts: dict[str, str] = {}
    for k, a in enumerate(data["articles"]):
        where = f"{path}: articles[{k}]"
        if not isinstance(a, dict) or not isinstance(a.get("text"), str) or not a.get("id"):
            raise DatasetError(f"{where}: needs an 'id' and a 'text' string")
        aid = str(a["id"])
        texts[aid] = a["text"]
        articles.append(
            Article(
                id=aid,
                title=a.get("title") or "",
                text=a["text"],
                source=f"{path.name}#{aid}",
                kind="jsonl",
                outlet=a.get("outlet"),
                date=_date(a.get("date"), where),
            )
        )
    facts: dict[str, list[Span]] = {}
    labels: dict[str, str] = {}
    for k, f in enumerate(data.get("facts") or []):
        where = f"{path}: facts[{k}]"
        if not isinstance(f, dict) or not isinstance(f.get("mentions"), list):
            raise DatasetError(f"{where}: needs an 'id' and a 'mentions' list")
        fid = str(f.get("id", f"f{k + 1}"))
        labels[fid] = str(f.get("label", ""))
        spans: list[Span] = []
        for m in f["mentions"]:
            aid, text = str(m.get("article")), m.get("text")
            if aid not in texts or not isinstance(text, str):
                raise DatasetError(f"{where}: a mention names no known article or has no text")
            start = texts[aid].find(text)
            if start < 0:
                raise DatasetError(f"{where}: mention {text[:60]!r} is not in article {aid}")
            spans.append((aid, start, start + len(text)))
        facts[fid] = spans
    return GoldStory(str(data.get("story") or path.stem), articles, facts, labels)


def read_gold(data_dir: Path) -> list[GoldStory]:
    """Every ``*.json`` story file of ``data_dir`` (sorted by name)."""
    if not data_dir.is_dir():
        raise DatasetError(f"{data_dir}: not a directory of alignment story files")
    files = sorted(p for p in data_dir.glob("*.json"))
    if not files:
        raise DatasetError(f"{data_dir}: no *.json story files")
    return [read_story(p) for p in files]


def stands_for(unit: Span, story: GoldStory) -> set[str]:
    """The gold facts a unit stands for: overlap of at least half of the shorter span."""
    aid, start, end = unit
    out = set()
    for fid, spans in story.facts.items():
        for a, s, e in spans:
            if a != aid:
                continue
            inter = min(end, e) - max(start, s)
            if inter > 0 and inter >= 0.5 * min(end - start, e - s):
                out.add(fid)
                break
    return out


def gold_pairs(units: Sequence[Span], story: GoldStory) -> set[Pair]:
    facts = {u: stands_for(u, story) for u in units}
    return {
        _pair(a, b)
        for a, b in itertools.combinations(units, 2)
        if a[0] != b[0] and facts[a] & facts[b]
    }


def _pair(a: Span, b: Span) -> Pair:
    return (a, b) if a <= b else (b, a)


def claim_pairs(claims: Iterable[Sequence[Span]]) -> set[Pair]:
    """Pairs of units in different articles that share a claim."""
    return {
        _pair(a, b)
        for members in claims
        for a, b in itertools.combinations(members, 2)
        if a[0] != b[0]
    }


@dataclass
class StoryScore:
    """The scores of one system on one story (counts kept so overall figures are pooled)."""

    pred_pairs: int = 0
    gold_pairs: int = 0
    tp_pairs: int = 0
    unique_pred: int = 0
    unique_gold: int = 0
    unique_tp: int = 0
    cited: int = 0
    cited_ok: int = 0
    duplicate_facts: int = 0
    summary_sentences: int = 0

    def add(self, other: StoryScore) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _f(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def pair(self) -> tuple[float, float, float]:
        return self._f(self.tp_pairs, self.pred_pairs, self.gold_pairs)

    @property
    def unique(self) -> tuple[float, float, float]:
        return self._f(self.unique_tp, self.unique_pred, self.unique_gold)

    @property
    def citation(self) -> float:
        return self.cited_ok / self.cited if self.cited else 0.0


def score_pairs(pred: set[Pair], units: Sequence[Span], story: GoldStory) -> StoryScore:
    """Pair scores, and unique-claim scores taking every unit in no pair as unique."""
    gold = gold_pairs(units, story)
    result = StoryScore(pred_pairs=len(pred), gold_pairs=len(gold), tp_pairs=len(pred & gold))
    paired = {u for p in pred for u in p}
    _score_unique(result, units, {u for u in units if u not in paired}, story)
    return result


def _score_unique(
    result: StoryScore, units: Sequence[Span], predicted: set[Span], story: GoldStory
) -> None:
    facts = {u: stands_for(u, story) for u in units}
    annotated = {u for u in units if facts[u]}
    unique_facts = story.unique_facts
    pred_unique = predicted & annotated
    gold_unique = {u for u in annotated if facts[u] <= unique_facts}
    result.unique_pred = len(pred_unique)
    result.unique_gold = len(gold_unique)
    result.unique_tp = len(pred_unique & gold_unique)


def score_report(report: dict[str, Any], story: GoldStory) -> StoryScore:
    """Score a comparison report's claims, unique claims and summary on the gold story."""
    claims = [[(m["article"], m["start"], m["end"]) for m in c["units"]] for c in report["claims"]]
    units = sorted({u for members in claims for u in members})
    result = score_pairs(claim_pairs(claims), units, story)
    multi = {u for members in claims if len({m[0] for m in members}) > 1 for u in members}
    _score_unique(result, units, {u for u in units if u not in multi}, story)
    carried = {f: {s[0] for s in spans} for f, spans in story.facts.items()}
    sentence_facts = []
    for item in report.get("summary", []):
        src = item["source"]
        own = (src["article"], src["start"], src["end"])
        fs = stands_for(own, story)
        sentence_facts.append(fs)
        for aid in item["articles"]:
            result.cited += 1
            if aid == own[0] or any(aid in carried[f] for f in fs):
                result.cited_ok += 1
    result.summary_sentences = len(sentence_facts)
    result.duplicate_facts = sum(1 for a, b in itertools.combinations(sentence_facts, 2) if a & b)
    return result


def tfidf_similarities(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarities of TF-IDF vectors fitted on ``texts`` (the story's units)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return np.asarray((matrix @ matrix.T).todense())


def threshold_pairs(units: Sequence[Span], sims: np.ndarray, threshold: float) -> set[Pair]:
    rows, cols = np.nonzero(np.triu(sims >= threshold, 1))
    return {
        _pair(units[i], units[j])
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        if units[i][0] != units[j][0]
    }


@dataclass
class AlignmentEval:
    """Per story and pooled scores of every system."""

    stories: list[str]
    scores: dict[str, dict[str, StoryScore]]  # system -> story -> score
    seconds: float = 0.0

    def overall(self, system: str) -> StoryScore:
        total = StoryScore()
        for s in self.scores[system].values():
            total.add(s)
        return total


def _unit_texts(report: dict[str, Any]) -> tuple[list[Span], list[str]]:
    seen: dict[Span, str] = {}
    for c in report["claims"]:
        for m in c["units"]:
            seen.setdefault((m["article"], m["start"], m["end"]), m["text"])
    units = sorted(seen)
    return units, [seen[u] for u in units]


def evaluate_alignment(
    data_dir: Path | str,
    *,
    embedder: Embedder | None = None,
    baselines: bool = True,
    dump: Path | str | None = None,
) -> AlignmentEval:
    """Compare every story of ``data_dir`` and score the reports (and baselines) on the gold."""
    from newsprism.compare import compare_articles

    t0 = time.perf_counter()
    stories = read_gold(Path(data_dir))
    embedder = embedder or default_embedder()
    result = AlignmentEval([s.id for s in stories], {"newsprism": {}})
    sims: dict[str, dict[str, np.ndarray]] = {"tfidf": {}, "minilm": {}}
    unit_lists: dict[str, list[Span]] = {}
    reports = {}
    for story in stories:
        report = compare_articles(story.articles, embedder=embedder)
        reports[story.id] = report
        result.scores["newsprism"][story.id] = score_report(report, story)
        if baselines:
            units, texts = _unit_texts(report)
            unit_lists[story.id] = units
            sims["tfidf"][story.id] = tfidf_similarities(texts)
            vecs = embedder.encode(texts)
            sims["minilm"][story.id] = vecs @ vecs.T
    if baselines:
        by_id = {s.id: s for s in stories}
        for name, fixed in (("tfidf", TFIDF_THRESHOLD), ("minilm", MINILM_THRESHOLD)):
            best_t, best_f = fixed, -1.0
            for t in _GRID:
                total = StoryScore()
                for sid, units in unit_lists.items():
                    pred = threshold_pairs(units, sims[name][sid], t)
                    total.add(score_pairs(pred, units, by_id[sid]))
                if total.pair[2] > best_f:
                    best_t, best_f = t, total.pair[2]
            for label, t in ((f"{name}@{fixed:.2f}", fixed), (f"{name}@{best_t:.2f}*", best_t)):
                if label in result.scores:
                    continue
                result.scores[label] = {
                    sid: score_pairs(threshold_pairs(units, sims[name][sid], t), units, by_id[sid])
                    for sid, units in unit_lists.items()
                }
    if baselines:
        result.scores["all-unique"] = {
            sid: score_pairs(set(), units, by_id[sid]) for sid, units in unit_lists.items()
        }
    if dump is not None:
        Path(dump).write_text(json.dumps(reports, ensure_ascii=False, default=str), "utf-8")
    result.seconds = time.perf_counter() - t0
    return result


def format_alignment(result: AlignmentEval) -> str:
    """Per story and overall tables, systems side by side."""
    lines = [
        "claim alignment against the fact gold (pair P/R/F1; unique-claim P/R/F1; summary "
        "citation precision; summary sentence pairs stating one fact)",
        "* = threshold chosen on this gold (an upper bound for that baseline)",
    ]
    header = f"{'story':<28} {'system':<14} {'pairs':>6} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}"
    for story in [*result.stories, "OVERALL"]:
        lines.append("")
        lines.append(header + f" {'uniqP':>6} {'uniqR':>6} {'uniqF1':>6} {'cite':>6} {'dup':>4}")
        for system in result.scores:
            s = result.overall(system) if story == "OVERALL" else result.scores[system][story]
            p, r, f = s.pair
            row = (
                f"{story[:28]:<28} {system:<14} {s.pred_pairs:>6} {s.gold_pairs:>5} "
                f"{p:>6.3f} {r:>6.3f} {f:>6.3f}"
            )
            up, ur, uf = s.unique
            row += f" {up:>6.3f} {ur:>6.3f} {uf:>6.3f}"
            if system == "newsprism":
                row += f" {s.citation:>6.3f} {s.duplicate_facts:>4}"
            lines.append(row)
    lines.append(f"({result.seconds:.1f} s)")
    return "\n".join(lines)


@click.command(name="alignment", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data/alignment"),
    show_default=True,
    help="Directory of story files (*.json) in the fact-gold format.",
)
@click.option("--no-baselines", is_flag=True, help="Score only newsprism's reports.")
@click.option(
    "--dump",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every story's report here (one JSON object keyed by story id).",
)
def cli_command(data_dir: Path, no_baselines: bool, dump: Path | None) -> None:
    """Claim pairs, unique claims and summary citations beside cosine baselines."""
    try:
        result = evaluate_alignment(data_dir, baselines=not no_baselines, dump=dump)
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_alignment(result))


__all__ = [
    "AlignmentEval",
    "GoldStory",
    "StoryScore",
    "claim_pairs",
    "cli_command",
    "evaluate_alignment",
    "format_alignment",
    "read_gold",
    "read_story",
    "score_report",
    "stands_for",
]
