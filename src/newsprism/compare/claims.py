"""Claim units and their alignment across the articles of a story.

A claim unit is a sentence, or a clause where a semicolon joins two facts. Two units of
different articles report the same claim when their MiniLM embeddings agree *and* something
concrete agrees too: content words, named entities or numbers. Embeddings alone score "same
topic, different fact" (two sentences about the same visit) about as high as a real paraphrase,
so cosine similarity is only one of four votes, and a pair that names different people must
clear a higher bar.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsprism.compare.lexicon import STOPWORDS, content_terms, stem, words
from newsprism.compare.numbers import Amount, compatible, find_amounts, same_measure

# A semicolon, or a comma opening a non-restrictive clause that adds a second fact
# ("... the UN rights chief, whose visit coincided with the leak ...").
_CLAUSE_SPLIT = re.compile(r";\s+|,\s+(?=(?:whose|where|which)\s)")
_MIN_TERMS = 3  # "He said." or a credit line carries no claim
_MIN_CLAUSE_WORDS = 6


@dataclass
class ClaimUnit:
    """One sentence or clause of one article, with what alignment compares."""

    id: str
    article: str
    index: int
    start: int
    end: int
    text: str
    terms: frozenset[str]
    entities: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    amounts: list[Amount] = field(default_factory=list)
    quoted: float = 0.0  # share of the unit's characters inside direct quotes


@dataclass
class ClaimGroup:
    """Units of several (or one) articles that report the same claim."""

    units: list[ClaimUnit]

    @property
    def articles(self) -> list[str]:
        return sorted({u.article for u in self.units})


def split_units(
    article_id: str,
    text: str,
    sentences: Sequence[tuple[int, int]],
    first_index: int = 0,
) -> list[ClaimUnit]:
    """Claim units from sentence spans: semicolon clauses split when both sides are sentences."""
    units: list[ClaimUnit] = []
    for s_start, s_end in sentences:
        pieces = [(s_start, s_end)]
        body = text[s_start:s_end]
        cuts = [m for m in _CLAUSE_SPLIT.finditer(body)]
        if cuts:
            bounds = [0, *[m.end() for m in cuts]]
            ends = [m.start() for m in cuts] + [len(body)]
            parts = list(zip(bounds, ends, strict=True))
            # Merge a piece too short to carry a fact of its own back into its neighbour.
            merged: list[tuple[int, int]] = []
            for a, b in parts:
                if (merged and len(words(body[a:b])) < _MIN_CLAUSE_WORDS) or (
                    merged and len(words(body[merged[-1][0] : merged[-1][1]])) < _MIN_CLAUSE_WORDS
                ):
                    merged[-1] = (merged[-1][0], b)
                else:
                    merged.append((a, b))
            pieces = [(s_start + a, s_start + b) for a, b in merged]
        for start, end in pieces:
            chunk = text[start:end]
            terms = frozenset(content_terms(chunk))
            if len(terms) < _MIN_TERMS:
                continue
            idx = first_index + len(units)
            units.append(
                ClaimUnit(
                    id=f"{article_id}:u{idx}",
                    article=article_id,
                    index=idx,
                    start=start,
                    end=end,
                    text=chunk,
                    terms=terms,
                    amounts=find_amounts(chunk, start),
                )
            )
    return units


@dataclass(frozen=True)
class AlignConfig:
    """Weights and bars of the alignment vote (see the module docstring)."""

    cos_floor: float = 0.5  # below this, shared words alone do not make a paraphrase ...
    cos_floor_anchored: float = 0.3  # ... unless a rare detail or a number agrees
    cos_alone: float = 0.86  # a near-identical sentence needs no other evidence
    score_bar: float = 0.85  # cos + lexical + entity + number + anchor votes
    lex_weight: float = 0.5
    ent_weight: float = 0.15
    num_weight: float = 0.3
    anchor_weight: float = 0.25
    other_people_penalty: float = 0.15
    link_floor: float = 0.45  # mean cosine between two groups before they merge


def _lexical(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted word overlap: words every unit of the story uses ("visit") count little."""
    common = a & b
    if not common:
        return 0.0
    shared = sum(idf.get(t, 1.0) for t in common)
    wa = sum(idf.get(t, 1.0) for t in a)
    wb = sum(idf.get(t, 1.0) for t in b)
    dice = 2 * shared / (wa + wb)
    overlap = shared / min(wa, wb)
    return (dice + overlap) / 2


def story_idf(units: Sequence[ClaimUnit]) -> dict[str, float]:
    """Inverse document frequency of each term over the story's units, scaled to max 1."""
    df: dict[str, int] = {}
    for u in units:
        for t in u.terms:
            df[t] = df.get(t, 0) + 1
    n = len(units) + 1
    raw = {t: math.log(n / c) + 0.1 for t, c in df.items()}
    top = max(raw.values(), default=1.0)
    return {t: v / top for t, v in raw.items()}


def story_anchors(units: Sequence[ClaimUnit]) -> frozenset[str]:
    """Detail words: used by several articles but at most once in each.

    A word an article repeats is its topic ("visit", "rights"); a word each article uses once
    and in one sentence ("stage-managed", "cache") marks the same detail reported twice.
    """
    per_article: dict[str, dict[str, int]] = {}
    for u in units:
        counts = per_article.setdefault(u.article, {})
        for t in u.terms:
            counts[t] = counts.get(t, 0) + 1
    total: dict[str, int] = {}
    repeated: set[str] = set()
    for counts in per_article.values():
        for t, c in counts.items():
            total[t] = total.get(t, 0) + 1
            if c > 1:
                repeated.add(t)
    return frozenset(t for t, n in total.items() if n >= 2 and t not in repeated)


def _number_vote(a: ClaimUnit, b: ClaimUnit) -> float:
    best = 0.0
    for x in a.amounts:
        for y in b.amounts:
            if x.value == y.value or compatible(x, y):
                best = max(best, 1.0 if same_measure(x, y) else 0.4)
    return best


def pair_score(
    a: ClaimUnit,
    b: ClaimUnit,
    cos: float,
    cfg: AlignConfig,
    idf: dict[str, float] | None = None,
    anchors: frozenset[str] = frozenset(),
) -> float:
    """The alignment vote for two units of different articles; 0 when it cannot be a match."""
    if cos < cfg.cos_floor_anchored:
        return 0.0
    lex = _lexical(a.terms, b.terms, idf or {})
    anchor = min(1.0, 0.5 * len(a.terms & b.terms & anchors))
    ent = 0.0
    if a.entities and b.entities:
        ent = len(a.entities & b.entities) / len(a.entities | b.entities)
    num = _number_vote(a, b)
    if cos < cfg.cos_floor and not (anchor or num >= 1.0):
        return 0.0
    score = (
        cos
        + cfg.lex_weight * lex
        + cfg.ent_weight * ent
        + cfg.num_weight * num
        + cfg.anchor_weight * anchor
    )
    # Two units naming disjoint sets of people usually report different events.
    if a.people and b.people and not (a.people & b.people):
        score -= cfg.other_people_penalty
    if cos >= cfg.cos_alone:
        return max(score, cfg.score_bar)
    # Two rare details in common ("coincided", "cache") outvote a low cosine, which a long
    # sentence carrying a second fact drags down.
    if len(a.terms & b.terms & anchors) >= 2 and lex >= 0.1:
        return max(score, cfg.score_bar)
    if lex == 0.0 and num == 0.0:
        return 0.0
    return score if score >= cfg.score_bar else 0.0


def align(
    units: list[ClaimUnit], vectors: np.ndarray, cfg: AlignConfig | None = None
) -> list[ClaimGroup]:
    """Group units across articles: best pairs first, a group never swallowing a dissimilar one."""
    cfg = cfg or AlignConfig()
    n = len(units)
    if n == 0:
        return []
    sims = vectors @ vectors.T if len(vectors) else np.zeros((n, n))
    art = np.array([u.article for u in units])
    idf = story_idf(units)
    anchors = story_anchors(units)
    edges: list[tuple[float, int, int]] = []
    rows, cols = np.nonzero((sims >= cfg.cos_floor_anchored) & (art[:, None] != art[None, :]))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if i < j:
            s = pair_score(units[i], units[j], float(sims[i, j]), cfg, idf, anchors)
            if s > 0:
                edges.append((s, i, j))
    edges.sort(key=lambda t: (-t[0], t[1], t[2]))
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _, i, j in edges:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        cross = [
            float(sims[a, b])
            for a in members[gi]
            for b in members[gj]
            if units[a].article != units[b].article
        ]
        merged_size = len(members[gi]) + len(members[gj])
        if merged_size > 2 and cross and sum(cross) / len(cross) < cfg.link_floor:
            continue
        for m in members[gj]:
            group_of[m] = gi
        members[gi].extend(members.pop(gj))
    groups = [
        ClaimGroup(sorted((units[i] for i in idx), key=lambda u: (u.article, u.index)))
        for idx in members.values()
    ]
    groups.sort(key=lambda g: (-len(g.articles), min(u.index for u in g.units), g.units[0].id))
    return groups


def unique_details(unit: ClaimUnit, others: list[ClaimUnit]) -> list[tuple[int, int, str]]:
    """Phrases of ``unit`` that no other article's version of the claim carries (spans)."""
    seen: set[str] = set()
    for other in others:
        seen |= other.terms
    tokens = words(unit.text)
    marks = [
        w not in STOPWORDS and len(w) > 2 and stem(w) not in seen and not w.isdigit()
        for w, _, _ in tokens
    ]
    phrases: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        if not marks[i]:
            i += 1
            continue
        j = i
        # Let a run continue across one or two function words ("torture and sexual assault").
        while True:
            k = j + 1
            while k < len(tokens) and k <= j + 2 and not marks[k] and tokens[k][0] in STOPWORDS:
                k += 1
            if k < len(tokens) and marks[k] and k <= j + 3:
                j = k
            else:
                break
        start = unit.start + tokens[i][1]
        end = unit.start + tokens[j][2]
        phrases.append((start, end, unit.text[tokens[i][1] : tokens[j][2]]))
        i = j + 1
    return phrases


__all__ = [
    "AlignConfig",
    "ClaimGroup",
    "ClaimUnit",
    "align",
    "pair_score",
    "split_units",
    "unique_details",
]
