"""Claim units and their alignment across the articles of a story.

A claim unit is a whole sentence. Two units of different articles report the same fact when
their pair score (:class:`AlignConfig`) reaches a bar: MiniLM cosine with the story's common
topic taken out, plus word overlap weighted by rarity in the story. Plain cosine scores "same
story, different fact" about as high as a real paraphrase; centring on the story removes what
all of its sentences share. Claims are built complete-link (:func:`align`): one fact per claim.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsprism.compare.lexicon import STOPWORDS, content_terms, stem, words
from newsprism.compare.numbers import Amount, find_amounts

_MIN_TERMS = 3  # "He said." or a credit line carries no claim
# How a finished sentence ends: a stop, possibly inside closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$|[\"”’][.!?]?$")
# A line break before a capital, digit or quotation mark starts a new sentence even where the
# sentence splitter ran on (a headline or date line above the lead, one sentence per line).
_LINE_START = re.compile(r"\n\s*(?=[A-Z0-9\"“‘'(])")


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
    named: frozenset[tuple[str, str]] = frozenset()  # (entity type, story-wide key)
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
    """Claim units from sentence spans: whole sentences that carry at least three content words.

    A sentence that states two facts stays one unit and may join two claims (see :func:`align`),
    so a reader always sees whole sentences, never fragments.
    """
    units: list[ClaimUnit] = []
    pieces = _line_pieces(text, sentences)
    # Headlines, date lines and sub-heads carry no sentence end; an article written without
    # any (a transcript, a list) keeps all of its lines.
    finished = [p for p in pieces if _SENTENCE_END.search(text, p[0], p[1]) is not None]
    for start, end in finished or pieces:
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


def _line_pieces(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans cut at line breaks that start a new line of prose, whitespace trimmed."""
    out = []
    for s_start, s_end in sentences:
        cuts = [s_start, *(s_start + m.end() for m in _LINE_START.finditer(text[s_start:s_end]))]
        for a, b in zip(cuts, [*cuts[1:], s_end], strict=True):
            chunk = text[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if b - trail > a + lead:
                out.append((a + lead, b - trail))
    return out


# Named people form one kind; places and organisations another (a tagger often calls the
# same hospital or agency an organisation in one sentence and a place in the next).
_NAME_KINDS = {"PERSON": "person", "ORG": "place", "GPE": "place", "LOC": "place", "FAC": "place"}


def names_conflict(a: ClaimUnit, b: ClaimUnit) -> bool:
    """True when two units name different people (or places, organisations) of one kind and
    none in common: "X said ..." and "Y said ...", "died at hospital A" and "... hospital B"
    report different facts however alike their words."""
    for kind in ("person", "place"):
        mine = {key for t, key in a.named if _NAME_KINDS.get(t) == kind}
        theirs = {key for t, key in b.named if _NAME_KINDS.get(t) == kind}
        if mine and theirs and not mine & theirs:
            return True
    return False


@dataclass(frozen=True)
class AlignConfig:
    """The two knobs of the pair decision, chosen on dev stories (docs/evaluation.md).

    A pair's score is the cosine of the two units' MiniLM vectors *after the story's mean
    vector is taken out* (what every sentence of the story shares, the topic, is no evidence
    that two sentences report the same fact) plus ``lex_weight`` times their overlap of words,
    each word weighted by how rare it is in the story. Two units of different articles report
    the same fact when the score reaches ``bar``: chosen on each half of the fact-gold stories
    as the value that best serves both claim pairs and unique claims (mean of the two F1s);
    both halves chose 0.45.
    """

    lex_weight: float = 0.5
    bar: float = 0.45


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


def centred(vectors: np.ndarray) -> np.ndarray:
    """Rows minus their mean, re-normalised: what the story's sentences share is taken out."""
    if len(vectors) == 0:
        return vectors
    rows = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 1e-9, norms, 1.0)


@dataclass
class PairScores:
    """The pair decision's score for every two units of one story (same article included)."""

    index: dict[str, int]
    matrix: np.ndarray

    def score(self, a: ClaimUnit, b: ClaimUnit) -> float:
        return float(self.matrix[self.index[a.id], self.index[b.id]])


def pair_scores(
    units: Sequence[ClaimUnit], vectors: np.ndarray, cfg: AlignConfig | None = None
) -> PairScores:
    """Centred cosine plus IDF-weighted word overlap for all unit pairs (see AlignConfig).

    The overlap is added only where the cosine leaves a pair within reach of ``cfg.bar``;
    a pair far below it keeps its cosine (the summary's same-fact bar was chosen on these
    scores as they are).
    """
    cfg = cfg or AlignConfig()
    n = len(units)
    idf = story_idf(units)
    cen = centred(np.asarray(vectors, dtype=np.float32)) if n else np.zeros((0, 0))
    matrix = (cen @ cen.T).astype(np.float64) if n else np.zeros((0, 0))
    # Word overlap only where the cosine leaves the pair within reach of the bar.
    rows, cols = np.nonzero(np.triu(matrix >= cfg.bar - cfg.lex_weight, 1))
    if len(rows):
        lex = cfg.lex_weight * word_overlap(units, idf, rows, cols)
        matrix[rows, cols] += lex
        matrix[cols, rows] += lex
    return PairScores({u.id: k for k, u in enumerate(units)}, matrix)


def word_overlap(
    units: Sequence[ClaimUnit], idf: dict[str, float], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """IDF-weighted word overlap of the unit pairs ``(rows[k], cols[k])``: the mean of Dice
    and overlap coefficient over the idf weights of their words (words every unit of the story
    uses, "visit", count little). One sparse product for all pairs, not a Python loop."""
    from scipy.sparse import csr_matrix

    column: dict[str, int] = {}
    entries, terms = [], []
    for k, u in enumerate(units):
        for t in u.terms:
            entries.append(k)
            terms.append(column.setdefault(t, len(column)))
    weight = np.zeros(len(column))
    for t, c in column.items():
        weight[c] = idf.get(t, 1.0)
    has = csr_matrix((np.ones(len(entries)), (entries, terms)), shape=(len(units), len(column)))
    shared = np.asarray(has[rows].multiply(has[cols]) @ weight).ravel()
    total = np.asarray(has @ weight).ravel()
    wa, wb = total[rows], total[cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (2 * shared / (wa + wb) + shared / np.minimum(wa, wb)) / 2
    return np.where(shared > 0, mean, 0.0)


def align(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    cfg: AlignConfig | None = None,
    scores: PairScores | None = None,
) -> list[ClaimGroup]:
    """Group units of different articles into claims, one fact per claim.

    Every two members of a claim from different articles must match (complete link: no
    chain of resemblances joins two units that share no fact), and a claim holds at most one
    unit of each article unless the article repeats the fact (its two units match as well).
    A unit that matches units which do not match each other (a sentence that carries two
    facts) joins one claim for each. Units that match nothing are claims of their own article
    alone.
    """
    cfg = cfg or AlignConfig()
    n = len(units)
    if n == 0:
        return []
    scores = scores or pair_scores(units, vectors, cfg)
    m = scores.matrix
    art = np.array([u.article for u in units])
    match = (m >= cfg.bar) & (art[:, None] != art[None, :])
    rows, cols = np.nonzero(np.triu(match, 1))
    edges = sorted(
        zip(rows.tolist(), cols.tolist(), strict=True), key=lambda e: (-m[e[0], e[1]], e)
    )
    claims: list[list[int]] = []
    claims_of: dict[int, list[int]] = {i: [] for i in range(n)}
    together: set[tuple[int, int]] = set()

    def fits(c: int, k: int) -> bool:
        # Another article's unit must match; one of the same article only when the article
        # repeats the fact (the two units match each other as two outlets' would).
        return all(match[k, x] or (art[k] == art[x] and m[k, x] >= cfg.bar) for x in claims[c])

    for i, j in edges:
        if (i, j) in together:
            continue
        home = next((c for c in claims_of[i] if fits(c, j)), None)
        if home is None:
            home = next((c for c in claims_of[j] if fits(c, i)), None)
        if home is None:
            claims.append([])
            home = len(claims) - 1
        for k in (i, j):
            if k not in claims[home]:
                for x in claims[home]:
                    together.add((min(k, x), max(k, x)))
                claims[home].append(k)
                claims_of[k].append(home)
    for i in range(n):
        if not claims_of[i]:
            claims.append([i])
    groups = [
        ClaimGroup(sorted((units[i] for i in idx), key=lambda u: (u.article, u.index)))
        for idx in claims
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
    "PairScores",
    "align",
    "centred",
    "pair_scores",
    "split_units",
    "unique_details",
    "word_overlap",
]
