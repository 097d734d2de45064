"""`newsprism eval lineage`: wire-copy groups and independent-source counts against hand labels.

Data: a JSONL of articles (``doc_id``, ``cluster`` = the event, ``text``, optional ``url``,
``lang``) as ``../shared/data/ecbplus/docs.*.jsonl``. Gold groups come from ``--gold WIRE.json``
(``../shared/data/lineage/``: ``groups`` of ``docs``, ``cross_links``) or, without it, from a
``wire_group`` field per article (articles of one event with the same non-empty value are one
group; a missing or empty value is an independent article).

Each event's articles go through :func:`newsprism.cluster.wire_lineage` as ``compare`` calls it
(``Article`` objects built from the text as it is). Scores (README of the labels):

* copy pairs: unordered pairs of articles that share a predicted group against those that share
  a gold group. Scoring is lenient on ``cross_links`` (real copy relations left out of the
  gold partition): such a pair is not counted as a false positive, nor as a gold pair.
* independent sources: groups plus ungrouped articles, per event; the share of events where the
  count is exact, and the mean absolute error.

The baseline is the labels' own candidate generator: the transitive closure of word 8-gram
containment (shared shingles / shingles of the smaller article) >= 0.15, shingles that touch a
quotation dropped. ``--folds 2`` also scores each half of the events (odd and even topic, the
number before the underscore in ``cluster``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from newsprism.cluster.lineage import (
    COPY_RULE,
    CopyRule,
    LineageGroup,
    PairEvidence,
    copy_groups,
    rule_groups,
)
from newsprism.errors import DatasetError, NewsprismError
from newsprism.model import Article
from newsprism.text import COMMAND_SETTINGS

_WORD = re.compile(r"\w+")
# Quotation spans for the baseline: straight, curly and the ECB+ tokenizer's `` ... ''.
_BASE_QUOTE = re.compile(r"(?:``|[\"“”])[^\"“”`]{0,600}?(?:''|[\"“”])")
SHINGLE = 8
BASELINE_THRESHOLD = 0.15

Pair = tuple[str, str]


@dataclass
class LineageDoc:
    doc_id: str
    event: str
    text: str
    url: str | None = None
    lang: str | None = None


@dataclass
class Gold:
    groups: list[list[str]]
    lenient: set[Pair] = field(default_factory=set)  # cross_links: neither gold nor wrong
    agencies: list[str] = field(default_factory=list)  # per group: AP, Reuters, AFP or unknown


@dataclass
class LineageScore:
    """One system's figures on a set of events."""

    system: str
    events: int = 0
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    exact: int = 0
    abs_error: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.events if self.events else 0.0


@dataclass
class HeldOut:
    """A copy rule chosen on one half of the events, scored on the other."""

    chosen_on: str
    rule: CopyRule
    train: LineageScore
    held_back: LineageScore


@dataclass
class LineageEval:
    """Scores for all events and, with folds, for each half."""

    rows: list[tuple[str, list[LineageScore]]]  # (part name, one score per system)
    predicted: dict[str, list[list[str]]]  # newsprism's groups per event
    held_out: list[HeldOut] = field(default_factory=list)
    origins: tuple[int, int, int] = (0, 0, 0)  # see origin_agencies


# The copy-rule knobs swept on one half with --folds 2 (CopyRule's defaults are among them).
GRID = [
    CopyRule(sentence_match=m, coverage=c, containment=x, sentences=n, block=b)
    for m, c, x, n, b in itertools.product(
        (0.7, 0.75, 0.8, 0.85, 0.9),  # sentence_match
        (0.1, 0.15, 0.2, 0.25, 0.3, 0.4),  # coverage
        (0.08, 0.1, 0.12, 0.15, 0.2),  # containment
        (1, 2),  # sentences
        (0, 2, 3, 4),  # block
    )
]


def load_docs(path: Path) -> tuple[list[LineageDoc], dict[str, str]]:
    """Articles of a lineage JSONL, and their ``wire_group`` labels where present."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file (expected a JSONL of articles)")
    docs, wire = [], {}
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc = LineageDoc(
                    str(row["doc_id"]),
                    str(row["cluster"]),
                    row["text"],
                    row.get("url"),
                    row.get("lang"),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise DatasetError(
                    f"{path}:{n}: not an article with doc_id, cluster, text ({exc})"
                ) from exc
            docs.append(doc)
            if row.get("wire_group"):
                wire[doc.doc_id] = f"{doc.event}\x00{row['wire_group']}"
    if not docs:
        raise DatasetError(f"{path}: no articles")
    return docs, wire


def load_gold(path: Path | None, docs: Sequence[LineageDoc], wire: dict[str, str]) -> Gold:
    """Gold groups from a labels file, else from the articles' ``wire_group`` field."""
    if path is None:
        if not wire:
            raise DatasetError("no --gold given and no article carries a wire_group field")
        groups: dict[str, list[str]] = {}
        for doc in docs:
            if doc.doc_id in wire:
                groups.setdefault(wire[doc.doc_id], []).append(doc.doc_id)
        labelled = [g for g in groups.values() if len(g) > 1]
        return Gold(labelled, agencies=["unknown"] * len(labelled))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        gold = Gold(
            [list(g["docs"]) for g in data["groups"]],
            {_pair(*link["docs"]) for link in data.get("cross_links", [])},
            [str(g.get("agency", "unknown")) for g in data["groups"]],
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"{path}: not a wire-lineage label file ({exc})") from exc
    known = {d.doc_id for d in docs}
    missing = sorted({d for g in gold.groups for d in g} - known)
    if missing:
        raise DatasetError(
            f"{path}: {len(missing)} labelled articles not in the data ({missing[0]})"
        )
    return gold


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _pairs(groups: Iterable[Sequence[str]]) -> set[Pair]:
    return {_pair(a, b) for g in groups for a, b in itertools.combinations(g, 2)}


def topic(event: str) -> int:
    """The topic number of an ECB+ event (``"12_ecbplus"`` -> 12); 0 when there is none."""
    head = event.split("_", 1)[0]
    return int(head) if head.isdigit() else 0


def article(doc: LineageDoc) -> Article:
    """The ``Article`` that ``compare`` would see."""
    return Article(
        id=doc.doc_id,
        title="",
        text=doc.text,
        source=doc.doc_id,
        kind="text",
        url=doc.url,
        lang=doc.lang,
    )


def newsprism_groups(docs: Sequence[LineageDoc]) -> list[list[str]]:
    return [g.articles for g in _lineage_groups(docs)]


def _lineage_groups(docs: Sequence[LineageDoc]) -> list[LineageGroup]:
    from newsprism.cluster import wire_lineage

    return wire_lineage([article(d) for d in docs]).groups


LABELLED_AGENCIES = frozenset({"AP", "Reuters", "AFP"})


def origin_agencies(groups: Iterable[LineageGroup], gold: Gold) -> tuple[int, int, int]:
    """(gold groups credited to an agency, of those whose best-matching predicted group names
    that agency as its origin, predicted groups naming an agency the labels do not give).

    The labels name only AP, Reuters and AFP (README of the lineage data): a group credited to
    another agency (The Canadian Press, Xinhua...) is not judged either way."""
    named = {}
    for g in groups:
        found = re.match(r"(?:credits|reported for) (\S+)", g.origin_reason)
        named[frozenset(g.articles)] = found.group(1) if found else None
    credited = right = 0
    for docs, agency in zip(gold.groups, gold.agencies, strict=True):
        if agency == "unknown":
            continue
        credited += 1
        best = max(named, key=lambda members: len(members & set(docs)), default=frozenset())
        right += bool(best & set(docs)) and named[best] == agency
    agency_of = {d: a for docs, a in zip(gold.groups, gold.agencies, strict=True) for d in docs}
    wrong = sum(
        1
        for members, agency in named.items()
        if agency in LABELLED_AGENCIES and agency not in {agency_of.get(d) for d in members}
    )
    return credited, right, wrong


def _shingles(text: str) -> set[tuple[str, ...]]:
    """Word 8-grams of ``text`` that touch no quotation."""
    quoted = [m.span() for m in _BASE_QUOTE.finditer(text)]
    words = [(m.group().lower(), m.start()) for m in _WORD.finditer(text)]
    inside = [any(s <= at < e for s, e in quoted) for _, at in words]
    out = set()
    for k in range(len(words) - SHINGLE + 1):
        if not any(inside[k : k + SHINGLE]):
            out.add(tuple(w for w, _ in words[k : k + SHINGLE]))
    return out


def baseline_groups(
    docs: Sequence[LineageDoc], threshold: float = BASELINE_THRESHOLD
) -> list[list[str]]:
    """Transitive closure of 8-gram containment outside quotations at ``threshold``."""
    shingles = [_shingles(d.text) for d in docs]
    links = []
    for i, j in itertools.combinations(range(len(docs)), 2):
        smaller = min(len(shingles[i]), len(shingles[j]))
        if smaller and len(shingles[i] & shingles[j]) / smaller >= threshold:
            links.append((i, j))
    return copy_groups([d.doc_id for d in docs], links)


def score(
    system: str,
    events: dict[str, list[str]],
    predicted: dict[str, list[list[str]]],
    gold: Gold,
) -> LineageScore:
    """Pair and independent-source figures of ``predicted`` groups over ``events``."""
    out = LineageScore(system, events=len(events))
    for event, ids in events.items():
        in_event = set(ids)
        gold_groups = [g for g in gold.groups if set(g) <= in_event]
        mine = predicted.get(event, [])
        guess, truth = _pairs(mine) - gold.lenient, _pairs(gold_groups) - gold.lenient
        out.tp += len(guess & truth)
        out.predicted += len(guess)
        out.gold += len(truth)
        n_gold = len(ids) - sum(len(g) - 1 for g in gold_groups)
        n_mine = len(ids) - sum(len(g) - 1 for g in mine)
        out.exact += n_gold == n_mine
        out.abs_error += abs(n_gold - n_mine)
    return out


def evaluate_lineage(
    data: Path, gold_path: Path | None = None, folds: int = 1, baseline: bool = True
) -> LineageEval:
    """Score newsprism's wire lineage (and the shingle baseline) per event, overall and per fold."""
    if folds not in (1, 2):
        raise DatasetError(f"--folds {folds}: only 1 or 2 (odd/even topics) are supported")
    docs, wire = load_docs(data)
    gold = load_gold(gold_path, docs, wire)
    by_event: dict[str, list[LineageDoc]] = {}
    for doc in docs:
        by_event.setdefault(doc.event, []).append(doc)
    systems = {"newsprism": newsprism_groups}  # wire_lineage itself, as compare calls it
    if baseline:
        systems["8-gram containment >= 0.15"] = baseline_groups
    lineage = {event: _lineage_groups(members) for event, members in by_event.items()}
    predictions = {
        name: {event: run(members) for event, members in by_event.items()}
        for name, run in systems.items()
        if name != "newsprism"
    }
    predictions["newsprism"] = {e: [g.articles for g in gs] for e, gs in lineage.items()}
    parts: list[tuple[str, list[str]]] = [("all events", list(by_event))]
    if folds == 2:
        parts += [
            ("odd topics", [e for e in by_event if topic(e) % 2 == 1]),
            ("even topics", [e for e in by_event if topic(e) % 2 == 0]),
        ]
    rows = []
    for part, events in parts:
        ids = {e: [d.doc_id for d in by_event[e]] for e in events}
        rows.append((part, [score(name, ids, predictions[name], gold) for name in systems]))
    held_out = []
    if folds == 2:
        (_, odd), (_, even) = parts[1:]
        held_out = [
            _choose(by_event, gold, train, test, name)
            for name, train, test in (("odd topics", odd, even), ("even topics", even, odd))
        ]
    origins = origin_agencies((g for gs in lineage.values() for g in gs), gold)
    return LineageEval(rows, predictions["newsprism"], held_out, origins)


def _choose(
    by_event: dict[str, list[LineageDoc]],
    gold: Gold,
    train: list[str],
    test: list[str],
    train_name: str,
) -> HeldOut:
    """The grid's best copy rule on the ``train`` events (pair F1 + share of exact counts;
    ties go to the stricter rule), and its score on the ``test`` events."""
    from newsprism.cluster.lineage import pair_evidence

    evidence = {
        e: pair_evidence([(d.doc_id, d.text, d.lang) for d in by_event[e]]) for e in train + test
    }

    def run(rule: CopyRule, events: list[str]) -> LineageScore:
        predicted = {e: _groups(by_event[e], evidence[e], rule) for e in events}
        ids = {e: [d.doc_id for d in by_event[e]] for e in events}
        return score("newsprism", ids, predicted, gold)

    scored = [(run(rule, train), rule) for rule in GRID]
    best, rule = max(
        scored,
        key=lambda t: (
            round(t[0].f1 + t[0].exact_share, 9),
            t[1].containment,
            t[1].sentence_match,
            t[1].coverage,
            t[1].sentences,
            -t[1].block,
        ),
    )
    return HeldOut(train_name, rule, best, run(rule, test))


def _groups(
    docs: Sequence[LineageDoc], evidence: dict[tuple[int, int], PairEvidence], rule: CopyRule
) -> list[list[str]]:
    return rule_groups([d.doc_id for d in docs], evidence, rule)


def format_lineage(result: LineageEval) -> str:
    lines = [
        "Wire lineage: copy pairs (cross_links lenient) and independent-source counts per event",
        f"{'part':<12} {'system':<28} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'pairs':>6} {'gold':>5} {'exact':>9} {'MAE':>5}",
    ]
    for part, scores in result.rows:
        for s in scores:
            lines.append(
                f"{part:<12} {s.system:<28} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.predicted:6d} {s.gold:5d} {s.exact:>4d}/{s.events:<4d} "
                f"{s.abs_error / max(s.events, 1):5.2f}"
            )
    credited, right, wrong = result.origins
    lines.append(
        f"origin agency (newsprism): right for {right} of {credited} groups the labels credit "
        f"to an agency; {wrong} groups name AP, Reuters or AFP where the labels do not"
    )
    if result.held_out:
        lines += [
            "",
            "Copy rule chosen on one half (eval.lineage.GRID), judged on the other",
        ]
    for h in result.held_out:
        r, t, b = h.rule, h.train, h.held_back
        lines.append(
            f"chosen on {h.chosen_on:<11}: sentence_match {r.sentence_match} coverage "
            f"{r.coverage} containment {r.containment} sentences {r.sentences} block {r.block} "
            f"bridges {r.bridges}"
            f"{_shipped(r)}"
        )
        lines.append(
            f"  train F1 {t.f1:.3f} exact {t.exact}/{t.events}; held back P {b.precision:.3f} "
            f"R {b.recall:.3f} F1 {b.f1:.3f} exact {b.exact}/{b.events}"
        )
    return "\n".join(lines)


def _shipped(rule: CopyRule) -> str:
    return " (= shipped)" if rule == COPY_RULE else ""


@click.command("lineage", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    required=True,
    help="JSONL of articles: doc_id, cluster (the event), text[, url, lang, wire_group].",
)
@click.option(
    "--gold",
    "gold",
    type=click.Path(path_type=Path),
    default=None,
    help="Wire-copy labels (groups, cross_links); without it, the wire_group field is gold.",
)
@click.option(
    "--folds",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="2: also score odd and even topics apart (the halves knobs are chosen and judged on).",
)
@click.option("--no-baseline", is_flag=True, help="Skip the 8-gram containment baseline.")
@click.option(
    "--dump",
    type=click.Path(path_type=Path),
    default=None,
    help="Write newsprism's groups as {event: [[doc_id, ...]]} JSON.",
)
def cli_command(
    data: Path, gold: Path | None, folds: int, no_baseline: bool, dump: Path | None
) -> None:
    """Wire-copy pair P/R/F1 and exact independent-source counts, beside a shingle baseline."""
    try:
        result = evaluate_lineage(data, gold, folds=folds, baseline=not no_baseline)
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    if dump is not None:
        dump.write_text(json.dumps(result.predicted, indent=1) + "\n", encoding="utf-8")
    click.echo(format_lineage(result))


__all__ = [
    "LineageEval",
    "LineageScore",
    "baseline_groups",
    "cli_command",
    "evaluate_lineage",
    "format_lineage",
]
