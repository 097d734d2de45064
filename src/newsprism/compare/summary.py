"""The neutral extractive summary: consensus first, then attributed single-source claims.

Every summary sentence is a sentence of one article, chosen among the outlets' wordings of the
same claim for the most neutral one (fewest loaded words, hedges and quotation marks), and cites
every article that carries the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.compare.claims import ClaimGroup, ClaimUnit
from newsprism.compare.lexicon import HEDGES, LOADED, words

_QUOTE_MARKS = re.compile(r"[\"“”]")
_FIRST_PERSON = frozenset({"i", "we", "our", "my", "us", "me"})
_LOADED = frozenset(LOADED)


@dataclass(frozen=True)
class SummaryConfig:
    """How long the summary runs and how candidates are ranked."""

    max_words: int = 110
    max_sentences: int = 6
    support_weight: float = 1.0
    centrality_weight: float = 0.6
    position_weight: float = 0.5
    neutrality_weight: float = 0.35
    min_words: int = 6
    redundancy: float = 0.8  # skip a candidate this similar to one already chosen


@dataclass
class SummaryPick:
    """One chosen sentence: the unit it copies, the articles it cites, and why it is there."""

    unit: ClaimUnit
    articles: list[str]
    kind: str  # "consensus" | "attributed"
    group: int


def charge(text: str) -> float:
    """How far a wording is from neutral: loaded words, hedges, quotation marks, first person."""
    toks = [w for w, _, _ in words(text)]
    if not toks:
        return 1.0
    low = text.lower()
    loaded = sum(1 for w in toks if w in _LOADED)
    hedges = sum(1 for h in HEDGES if re.search(rf"\b{re.escape(h)}\b", low))
    marks = len(_QUOTE_MARKS.findall(text))
    first = sum(1 for w in toks if w in _FIRST_PERSON)
    question = 1 if text.rstrip().endswith("?") else 0
    return min(1.0, 0.3 * loaded + 0.15 * hedges + 0.15 * marks + 0.2 * first + 0.5 * question)


def neutral_wording(units: Sequence[ClaimUnit]) -> ClaimUnit:
    """The most neutral of several wordings of one claim (ties: the earliest in its article)."""
    return min(units, key=lambda u: (round(charge(u.text), 2), u.index, u.id))


def select(
    groups: Sequence[ClaimGroup],
    vectors: dict[str, np.ndarray],
    positions: dict[str, float],
    independent: dict[int, int],
    n_sources: int,
    cfg: SummaryConfig | None = None,
) -> list[SummaryPick]:
    """Choose summary sentences from claim groups.

    ``vectors`` maps unit id to its embedding, ``positions`` unit id to its relative place in
    its article (0 = lead), ``independent`` group index to its count of independent sources.
    """
    cfg = cfg or SummaryConfig()
    if not groups:
        return []
    all_vecs = np.stack([vectors[u.id] for g in groups for u in g.units])
    centroid = all_vecs.mean(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    centroid = centroid / norm
    scored: list[tuple[float, int, ClaimUnit]] = []
    for gi, group in enumerate(groups):
        # A clause cut from the middle of a sentence does not stand alone in a summary.
        whole = [u for u in group.units if not u.text[:1].islower()]
        if not whole:
            continue
        rep = neutral_wording(whole)
        if len(words(rep.text)) < cfg.min_words:
            continue
        support = (independent.get(gi, 1) - 1) / max(n_sources - 1, 1)
        central = max(float(vectors[u.id] @ centroid) for u in group.units)
        lead = max(1.0 - positions.get(u.id, 1.0) for u in group.units)
        score = (
            cfg.support_weight * support
            + cfg.centrality_weight * central
            + cfg.position_weight * lead
            - cfg.neutrality_weight * charge(rep.text)
        )
        scored.append((score, gi, rep))
    # Chosen by score (support is part of it); consensus is *shown* first (see below).
    scored.sort(key=lambda t: (-t[0], t[1]))
    picks: list[SummaryPick] = []
    chosen: list[np.ndarray] = []
    total = 0
    for _score, gi, rep in scored:
        if len(picks) >= cfg.max_sentences or total >= cfg.max_words:
            break
        vec = vectors[rep.id]
        if any(float(vec @ c) >= cfg.redundancy for c in chosen):
            continue
        n_words = len(words(rep.text))
        if picks and total + n_words > cfg.max_words * 1.25:
            continue
        kind = "consensus" if independent.get(gi, 1) >= 2 else "attributed"
        picks.append(SummaryPick(rep, groups[gi].articles, kind, gi))
        chosen.append(vec)
        total += n_words
    # Consensus (several independent sources) first, then attributed single-source claims.
    picks.sort(key=lambda p: p.kind != "consensus")
    return picks


__all__ = ["SummaryConfig", "SummaryPick", "charge", "neutral_wording", "select"]
