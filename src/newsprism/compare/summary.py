"""The neutral extractive summary: consensus first, then attributed single-source claims.

Every summary sentence is a claim unit of one article, copied with its span, and cites every
article that carries the claim. Units are ranked by four general signals of what an editor's
roundup keeps, none tuned to a story:

* position: news is written lead first, so an article's first sentences carry its main facts;
* consensus: how much of a unit's wording the *other* articles use too (content words, and word
  pairs, which reward the same fact in the same words) — cross-outlet agreement at word level,
  finer than the all-or-nothing claim groups;
* the headlines: how much of the story's titles a unit covers (titles name the event);
* neutrality: among near-identical wordings of one claim by different outlets, the one with
  fewest loaded words, hedges and quotation marks wins, unless it is clearly less central.

The length follows the input: about four words in ten of what the articles say, capped at
``max_words`` (full articles hit the cap; short leads give a short roundup). Units are chosen
greedily by score, skipping one that mostly repeats a chosen unit's words or, given embeddings,
its meaning, and, given the claim step's pair scores, one that may state a chosen unit's fact
(its pair score, or a shared four-word phrase): no two sentences state one fact. Each sentence
cites its own article and those whose own version of it matches (not every article its claim
reaches). Consensus units (several independent sources) are shown first, then single-source
ones, each in score order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.compare.claims import ClaimGroup, ClaimUnit, PairScores, names_conflict
from newsprism.compare.lexicon import HEDGES, LOADED

_TOKEN = re.compile(r"[a-z0-9]+")
# A sentence opening on a pronoun or "But" continues the one before it in its article.
_ANAPHOR = re.compile(r"(?:He|She|They|It|This|These|That|Those|His|Her|Their|But|And)\b")
_QUOTE_MARKS = re.compile(r"[\"“”]")
_FIRST_PERSON = frozenset({"i", "we", "our", "my", "us", "me"})
_LOADED = frozenset(LOADED)
_HEDGES = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in HEDGES) + r")\b")
# Function words left out of the consensus and headline overlaps: a shared "the" is no agreement.
_FUNCTION = frozenset(
    re.findall(
        r"\w+",
        "a an the of to in on and or for with at by from as is are was were be been it its that "
        "this he she they his her their said says will would has have had not but",
    )
)


@dataclass(frozen=True)
class SummaryConfig:
    """How long the summary runs and how candidates are ranked (see the module docstring)."""

    max_words: int = 110
    ratio: float = 0.4  # summary words per word of the compared articles, up to max_words
    min_budget: int = 20
    max_sentences: int = 6
    overrun: float = 1.3  # a last sentence may take the summary this far past its budget
    position_weight: float = 1.0
    consensus_weight: float = 2.0
    pair_weight: float = 1.0
    headline_weight: float = 1.0
    min_words: int = 5
    redundancy: float = 0.6  # skip a unit whose content words are this much in a chosen one
    same_meaning: float = 0.75  # ... or whose embedding is this close to a chosen one's
    neutral_margin: float = 0.15  # score a more neutral wording may give up to be preferred
    # With the claim step's pair scores: a sentence scoring this much with a chosen one may
    # state the same fact and is left out (0: closer than the story's average pair); an
    # article is cited when its version of the claim scores ``cite_bar`` with the chosen
    # wording itself. Both chosen on each half of the dev stories (docs/evaluation.md).
    same_fact: float = 0.03
    cite_bar: float = 0.50


@dataclass
class SummaryPick:
    """One chosen sentence: the unit it copies, the articles it cites, and why it is there."""

    unit: ClaimUnit
    articles: list[str]
    kind: str  # "consensus" | "attributed"
    group: int


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric runs (the same tokenisation ROUGE uses)."""
    return _TOKEN.findall(text.lower())


def charge(text: str) -> float:
    """How far a wording is from neutral: loaded words, hedges, quotation marks, first person."""
    toks = tokens(text)
    if not toks:
        return 1.0
    loaded = sum(1 for w in toks if w in _LOADED)
    hedges = len(_HEDGES.findall(text.lower()))
    marks = len(_QUOTE_MARKS.findall(text))
    first = sum(1 for w in toks if w in _FIRST_PERSON)
    question = 1 if text.rstrip().endswith("?") else 0
    return min(1.0, 0.3 * loaded + 0.15 * hedges + 0.15 * marks + 0.2 * first + 0.5 * question)


def neutral_wording(units: Sequence[ClaimUnit]) -> ClaimUnit:
    """The most neutral of several wordings of one claim (ties: the earliest in its article)."""
    return min(units, key=lambda u: (round(charge(u.text), 2), u.index, u.id))


@dataclass
class _Candidate:
    unit: ClaimUnit
    group: int
    n_words: int
    content: frozenset[str]
    score: float = 0.0
    phrases: frozenset[tuple[str, ...]] = frozenset()


def _stands_alone(cand: _Candidate, cfg: SummaryConfig) -> bool:
    """A statement: long enough, not a question, neither cut from mid-sentence nor leaning on
    an earlier one (headlines and date lines never become units, see claims.split_units)."""
    text = cand.unit.text.lstrip("\"“‘'( ")
    if cand.n_words < cfg.min_words or text[:1].islower() or text.rstrip().endswith("?"):
        return False
    return _ANAPHOR.match(text) is None


def _phrases(toks: Sequence[str], n: int = 4) -> frozenset[tuple[str, ...]]:
    """Runs of ``n`` words with two or more content words: a phrase two sentences share
    (a quotation, a name and title, a charge) says they report one fact."""
    return frozenset(
        run
        for run in zip(*(toks[k:] for k in range(n)), strict=False)
        if sum(w not in _FUNCTION for w in run) >= 2
    )


def _same_fact(a: _Candidate, b: _Candidate, scores: PairScores, cfg: SummaryConfig) -> bool:
    """Whether two sentences may state one fact: the pair score, or a shared phrase."""
    return scores.score(a.unit, b.unit) >= cfg.same_fact or bool(a.phrases & b.phrases)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _candidates(
    groups: Sequence[ClaimGroup],
    positions: Mapping[str, int],
    titles: Sequence[str],
    cfg: SummaryConfig,
) -> list[_Candidate]:
    """Every unit of every group, scored by position, consensus and headline coverage."""
    units = [(gi, u) for gi, g in enumerate(groups) for u in g.units]
    toks = {u.id: tokens(u.text) for _, u in units}
    content = {uid: frozenset(t for t in ts if t not in _FUNCTION) for uid, ts in toks.items()}
    pairs = {uid: frozenset(itertools.pairwise(ts)) for uid, ts in toks.items()}
    by_article: dict[str, tuple[set[str], set[tuple[str, str]]]] = {}
    for _, u in units:
        words, bigrams = by_article.setdefault(u.article, (set(), set()))
        words |= content[u.id]
        bigrams |= pairs[u.id]
    heads = [h for h in (frozenset(tokens(t)) - _FUNCTION for t in titles) if h]
    out = []
    for gi, u in units:
        others = [v for a, v in by_article.items() if a != u.article]
        mine, mine2 = content[u.id], pairs[u.id]
        agree = agree2 = 0.0
        if others:
            agree = sum(len(mine & w) for w, _ in others) / (len(others) * max(1, len(mine)))
            agree2 = sum(len(mine2 & b) for _, b in others) / (len(others) * max(1, len(mine2)))
        headline = sum(len(mine & h) / len(h) for h in heads) / len(heads) if heads else 0.0
        lead = 1.0 / (1 + positions.get(u.id, 0))
        cand = _Candidate(u, gi, len(toks[u.id]), mine, phrases=_phrases(toks[u.id]))
        cand.score = (
            cfg.position_weight * lead
            + cfg.consensus_weight * agree
            + cfg.pair_weight * agree2
            + cfg.headline_weight * headline
        )
        out.append(cand)
    return out


def select(
    groups: Sequence[ClaimGroup],
    positions: Mapping[str, int],
    independent: Mapping[int, int],
    cfg: SummaryConfig | None = None,
    *,
    titles: Sequence[str] = (),
    vectors: Mapping[str, np.ndarray] | None = None,
    scores: PairScores | None = None,
    family: Mapping[str, str] | None = None,
    foreign: frozenset[str] = frozenset(),
) -> list[SummaryPick]:
    """Choose summary sentences from claim groups.

    ``positions`` maps unit id to its rank among its article's units (0 = lead),
    ``independent`` group index to its count of independent sources, ``titles`` are the
    articles' headlines (they steer the ranking; they are never quoted).

    With ``scores`` (the claim step's pair scores), a sentence that may state the fact of a
    chosen one is left out (one fact, one sentence), and a sentence cites its own article plus
    each article whose version of the claim matches the chosen wording itself at
    ``cfg.cite_bar``: a citation names an article that carries that sentence's fact, not
    merely one the claim reaches through another member.
    ``family`` maps article to wire-lineage family, so copies of one report are one source.
    Sentences of ``foreign`` articles (another language than the summary's) are never the
    wording, but they are cited when they match it.
    """
    cfg = cfg or SummaryConfig()
    cands = _candidates(groups, positions, titles, cfg)
    if not cands:
        return []
    total_words = sum(c.n_words for c in cands)
    budget = max(cfg.min_budget, min(cfg.max_words, cfg.ratio * total_words))
    order = sorted(cands, key=lambda c: (-c.score, c.unit.article, c.unit.index))
    picks: list[SummaryPick] = []
    chosen: list[_Candidate] = []
    used: set[str] = set()
    total = 0
    for cand in order:
        if len(picks) >= cfg.max_sentences or total >= budget:
            break
        if cand.unit.id in used or cand.unit.article in foreign or not _stands_alone(cand, cfg):
            continue
        if any(_overlap(cand.content, c.content) > cfg.redundancy for c in chosen):
            continue
        if vectors is not None and any(
            float(vectors[cand.unit.id] @ vectors[c.unit.id]) >= cfg.same_meaning for c in chosen
        ):
            continue
        if scores is not None and any(
            c.group == cand.group or _same_fact(cand, c, scores, cfg) for c in chosen
        ):
            continue
        # Other outlets' wordings of the same claim: the most neutral close contender wins.
        rivals = [
            c
            for c in cands
            if c.group == cand.group
            and c.unit.article != cand.unit.article
            and c.unit.id not in used
            and c.unit.article not in foreign
            and c.score >= cand.score - cfg.neutral_margin
            and _stands_alone(c, cfg)
            and _overlap(cand.content, c.content) > cfg.redundancy
            and not any(_overlap(c.content, o.content) > cfg.redundancy for o in chosen)
            and not (scores is not None and any(_same_fact(c, o, scores, cfg) for o in chosen))
        ]
        best = min([cand, *rivals], key=lambda c: (round(charge(c.unit.text), 2), -c.score))
        if picks and total + best.n_words > budget * cfg.overrun:
            continue
        used.update(c.unit.id for c in (cand, *rivals))
        cited = _cited(best.unit, groups[best.group], scores, cfg.cite_bar)
        if family is not None:
            sources = len({family.get(a, a) for a in cited})
        elif scores is not None:
            sources = len(cited)
        else:
            sources = independent.get(best.group, 1)
        kind = "consensus" if sources >= 2 else "attributed"
        picks.append(SummaryPick(best.unit, cited, kind, best.group))
        chosen.append(best)
        total += best.n_words
    # Consensus (several independent sources) first, then attributed single-source claims.
    picks.sort(key=lambda p: p.kind != "consensus")
    return picks


def _cited(unit: ClaimUnit, group: ClaimGroup, scores: PairScores | None, bar: float) -> list[str]:
    """The articles a summary sentence cites: its own, and those whose version matches it."""
    if scores is None:
        return group.articles
    cited = {unit.article}
    for other in group.units:
        if (
            other.article not in cited
            and scores.score(unit, other) >= bar
            and not names_conflict(unit, other)
        ):
            cited.add(other.article)
    return sorted(cited)


def unit_ranks(units: Sequence[ClaimUnit]) -> dict[str, int]:
    """Each unit's rank among its own article's units (0 = the lead), for :func:`select`."""
    seen: dict[str, int] = {}
    ranks = {}
    for u in sorted(units, key=lambda u: (u.article, u.index)):
        ranks[u.id] = seen.get(u.article, 0)
        seen[u.article] = ranks[u.id] + 1
    return ranks


__all__ = [
    "SummaryConfig",
    "SummaryPick",
    "charge",
    "neutral_wording",
    "select",
    "tokens",
    "unit_ranks",
]
