"""Online, time-aware story clustering: each new article joins a story or opens one.

How an article finds its story
------------------------------
1. Its sparse TF-IDF vector (optionally mixed with a dense embedding) is compared with the
   stored articles of the active time window through an inverted index.
2. Raw similarity is corrected for local density, as in cross-domain similarity local scaling
   (CSLS): ``adj(x, y) = sim(x, y) - density_weight * (r(x) + r(y)) / 2 - time_penalty(x, y)``,
   where ``r`` is the mean similarity of an article to its ``neighbours_k`` nearest stored
   articles. On a busy topic every article is close to many others; a fixed threshold then
   merges different events, and the more so the larger the archive (the pool of near
   neighbours grows), while the relative criterion still separates them. With the full
   correction (``density_weight`` 1) a pair must be closer than each article's usual close
   neighbour: B-cubed F1 on 3k NeuS train+val articles rose from 0.81 to 0.86.
3. Edges: mutual neighbours (each among the other's ``max_neighbours`` strongest) with
   ``sim >= link_floor`` and ``adj >= edge_threshold``. Only the connected group of edges
   around a new article is re-clustered, never the archive. A group larger than
   ``max_component`` is cut where the search stops (an approximation that only undated,
   very dense input reaches).
4. Stories are the clusters of average-link agglomeration of the group over the exact
   similarity of every pair; a pair links only if ``adj >= threshold`` *and*
   ``sim >= link_floor`` (in a small or sparse archive the density is low and the relative
   test alone would join anything).
5. Refinement for big stories: the density of an article with many same-story neighbours is
   mostly its own story, so the full correction splits big stories (ECB+ dev, ~12 articles a
   story: B-cubed F1 0.48). Each article's density is measured again over its neighbours
   *outside* its provisional story and the group clustered again, until the stories stop
   changing (at most ``refine_passes`` times): ECB+ dev 0.90. That outside density averages
   ``refine_neighbours_k`` (5, like the first pass) neighbours. A wider sample (8) reaches past
   the sibling pieces of a story the first pass cut apart and joins them (ECB+ dev 0.896 to
   0.923), but it left NeuS val unchanged on both halves and lowered held-out ECB+ topics
   from 0.882 to 0.819 by merging twin events of one topic, so it is off (issue 17; the
   figures are in docs/evaluation.md). Groups larger than ``refine_max_group`` keep the first
   clustering. That bound is empirical, not principled: refining the large chained groups of
   undated NeuS lowered its F1 (0.90 to 0.70), since excluding a story's members there lowers
   its density enough to absorb neighbours.

Time: dated articles more than ``window_days`` apart are never compared, and beyond
``grace_days`` each day costs ``day_penalty`` of similarity. A story leaves the window (and
memory, see :meth:`StoryClusterer.drain_closed`) once its newest article is older than the
window; undated articles never expire.

Languages: a pair of articles in two different languages (``Article.lang``, both supported by
the packaged multilingual encoder) is compared by that encoder instead of TF-IDF, its cosine
less ``cross_offset``; a pair of two known languages the encoder does not both read gets the
better of its TF-IDF cosine and the cosine of its names and numbers less ``neutral_offset``
(:func:`~newsprism.cluster.features.neutral_tokens`); everything else treats the pair like any
other. An archive in one language never loads the encoder and gets the same stories as before
(docs/clustering.md).

Order
-----
A pair's similarity is computed once, exactly, from vectors frozen at insertion, so one
``add_many`` call (or :func:`cluster_articles`) gives stories that depend on the set of
articles only: any order inside the batch gives the same stories and the same ids. Adding
articles one by one with ``add`` differs only through document frequencies, which grow as
articles arrive (each vector keeps the idf of its arrival): on NeuS val, one-by-one ingest
agrees with the batch at B-cubed F1 0.97, and ``tests/eval/test_clustering_floor.py`` holds
it at >= 0.95.

Cost: one new article re-clusters its group. Dated streams keep groups small (the synthetic
benchmark: p99 4 ms with 5k articles in the window). Undated, topically dense input (NeuS)
chains into groups of hundreds to ``max_component``: one-by-one ingest of NeuS val takes
~25 s here, against ~1 s for one batch.

Story ids are ``story-`` + a hash of the story's earliest article (by date, then id), so a
merge or split renames only the stories it touches.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix

from newsprism.cluster.features import SparseVector, TermStats, article_tokens, neutral_tokens
from newsprism.cluster.index import TermIndex, _ranges
from newsprism.embed import Embedder
from newsprism.model import Article
from newsprism.multilingual import (
    SUPPORTED,
    CrossLingualEncoder,
    base_language,
    default_encoder,
    headline_lead,
)

_DAY = 86400.0
_EXACT_GROUP = 8  # up to this many articles: pair similarities by numpy, exactly as the index
# gave them; beyond, scipy's product is faster (10k synthetic: 0.47 vs 0.38 ms at 10 articles,
# 17.8 vs 2.7 ms at 100)
_SMALL_LINK = 12  # up to this many articles, average link runs in plain Python (see there)


@dataclass(frozen=True)
class ClusterConfig:
    """The knobs of story clustering, tuned on ECB+ dev and NeuS val only (how each was chosen:
    docs/evaluation.md, "Story clustering")."""

    threshold: float = -0.04  # average-link cut on density-adjusted similarity
    link_floor: float = 0.12  # ... and on plain similarity (a sparse neighbourhood proves little)
    edge_threshold: float = -0.12  # weaker mutual-neighbour pairs do not connect a group
    neighbours_k: int = 5  # neighbours whose mean similarity measures local density
    density_weight: float = 1.0  # how much of that density is subtracted
    refine_passes: int = 5  # re-clusterings with density measured outside each story
    refine_neighbours_k: int = 5  # ... over this many outside neighbours (8 was fitted to dev)
    refine_max_group: int = 256  # larger groups keep the first clustering (see module doc)
    title_weight: int = 2  # the headline's terms count this many times
    dense_weight: float = 0.0  # share of the dense embedding in the similarity (0 = sparse only)
    window_days: float = 14.0  # dated articles further apart are never compared
    grace_days: float = 2.0  # a story may spread this far before time costs anything
    day_penalty: float = 0.03  # similarity lost per day beyond the grace period
    min_similarity: float = 0.05  # weaker pairs are not stored as neighbours
    max_neighbours: int = 20  # neighbours kept per article; only mutual ones link articles
    max_component: int = 4000  # largest group re-clustered at once (guards against chaining)
    # Articles in different languages (Article.lang, both known and supported by the encoder)
    # are compared by the multilingual encoder: similarity = cosine - cross_offset, at least 0.
    cross_language: bool = True
    cross_offset: float = 0.30  # fitted on ECB+ dev (see docs/clustering.md)
    cross_lead_chars: int = 200  # the encoder reads the headline and this much of the lead
    cross_max_candidates: int = 5000  # other-language articles one article is compared with
    # A pair of different languages, one of them not read by the encoder (both known): the
    # cosine of their language-neutral tokens (numbers, and capitalised words inside a
    # sentence: names) in the headline and lead, less this offset (chosen on halves of ECB+
    # dev and NeuS val: docs/clustering.md).
    neutral_offset: float = 0.10

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StorySummary:
    """One story as the rest of newsprism sees it."""

    id: str
    title: str
    start: datetime | None
    end: datetime | None
    outlets: list[str]
    articles: list[str]
    independent_sources: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data


@dataclass
class _Entry:
    """A stored article of the active window."""

    slot: int
    article_id: str
    title: str
    outlet: str | None
    date: datetime | None
    vec: SparseVector
    dense: np.ndarray | None
    neighbours: dict[int, float] = field(default_factory=dict)
    top: list[float] = field(default_factory=list)  # min-heap of the k strongest similarities
    story: str = ""
    text: str = ""  # kept for lineage; dropped from state when persisted compactly
    # (similarity, slot) of the weakest neighbour once the list is full and ranked strongest
    # first (see _add_neighbour); None before.
    floor: tuple[float, int] | None = None
    lang: str | None = None  # base language code, if known
    usem: np.ndarray | None = None  # multilingual vector, worked out when first needed
    neutral: frozenset[str] | None = None  # language-neutral tokens, worked out when needed

    @cached_property
    def days(self) -> float | None:
        return self.date.timestamp() / _DAY if self.date else None

    @property
    def key(self) -> tuple[float, str]:
        return (self.days if self.days is not None else -math.inf, self.article_id)


def story_id_for(article_id: str) -> str:
    """The deterministic id of the story whose earliest article is ``article_id``."""
    return "story-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


class StoryClusterer:
    """Assigns articles to stories incrementally; memory is bounded by the active time window."""

    def __init__(
        self,
        config: ClusterConfig | None = None,
        embedder: Embedder | None = None,
        *,
        executor: Executor | None = None,
        crosslingual: CrossLingualEncoder | None = None,
    ):
        """``executor`` (optional, e.g. a one-process pool) works out the lineage of stories
        that leave the window while this process goes on clustering; their summaries are
        complete again by the time :meth:`drain_closed`, :meth:`stories` or :meth:`state`
        hand them out. ``crosslingual``: the multilingual encoder (the process-wide one by
        default); it loads only once the window holds articles in two languages."""
        self.config = config or ClusterConfig()
        self.executor = executor
        self._crosslingual = crosslingual
        if self.config.dense_weight > 0 and embedder is None:
            from newsprism.embed import default_embedder

            embedder = default_embedder()
        self.embedder = embedder
        self.stats = TermStats()
        self.index = TermIndex()
        self._entries: dict[int, _Entry] = {}
        self._by_id: dict[str, int] = {}
        self._stories: dict[str, set[int]] = {}
        self._next_slot = 0
        self._latest_days: float | None = None
        self._closed: list[StorySummary] = []
        self._closed_assignments: dict[str, str] = {}
        self._expiry: list[tuple[float, str]] = []  # (newest day of a story, story id), lazy
        self._days = np.full(1024, np.nan)  # day number of each slot (NaN: undated)
        self._gate = np.full(1024, -np.inf)  # see _set_gate
        self._lineage: dict[str, tuple[tuple[str, ...], int]] = {}  # story -> (ids, sources)
        self._pending: list[tuple[StorySummary, Future[int]]] = []  # lineage being computed
        # Languages of the window: a small code per slot (-1: unknown or not supported by the
        # encoder) and, per language, its slots in insertion order (dict as an ordered set).
        self._lang_ids: dict[str, int] = {}
        self._supported_codes: set[int] = set()
        self._lang_codes = np.full(1024, -1, np.int16)
        self._by_lang: dict[str, dict[int, None]] = {}

    # ---- public API -------------------------------------------------------------------

    def add(self, article: Article) -> str:
        """Assign one new article; returns its story id."""
        return self.add_many([article])[article.id]

    def add_many(
        self,
        articles: Iterable[Article],
        tokens: Sequence[list[str] | Mapping[str, int]] | None = None,
    ) -> dict[str, str]:
        """Assign a batch; the result does not depend on the batch's order.

        ``tokens`` (optional, one per article, in the same order) are the articles'
        :func:`~newsprism.cluster.features.article_tokens` with this config's
        ``title_weight`` (or their ``Counter``), when another process has worked them out."""
        incoming = list(articles)
        given_tokens = {} if tokens is None else dict(zip(map(id, incoming), tokens, strict=True))
        known = {a.id for a in incoming if a.id in self._by_id or a.id in self._closed_assignments}
        batch = sorted(
            {a.id: a for a in incoming if a.id not in known}.values(),
            key=lambda a: (a.date.timestamp() if a.date else -math.inf, a.id),
        )
        # Articles seen before keep their story: ingest may hand the same article in twice.
        given = [a for a in incoming if a.id in known]
        # Document frequencies first, for the whole batch, so every vector in it is built with
        # the same idf whatever the order inside the batch.
        counts = [
            self.stats.count(
                given_tokens[id(a)]
                if id(a) in given_tokens
                else article_tokens(a.title, a.text, self.config.title_weight)
            )
            for a in batch
        ]
        dense = self._encode(batch)
        new_slots: list[int] = []
        touched: set[int] = set()
        for i, (article, tf) in enumerate(zip(batch, counts, strict=True)):
            vec = self.stats.vector(tf)
            new_slots.append(
                self._insert(article, vec, None if dense is None else dense[i], touched)
            )
        self._recluster(set(new_slots) | touched)
        out = {self._entries[s].article_id: self._entries[s].story for s in new_slots}
        self._evict()
        for a in given:
            out[a.id] = self.story_of(a.id)
        return out

    def story_of(self, article_id: str) -> str:
        slot = self._by_id.get(article_id)
        if slot is not None:
            return self._entries[slot].story
        return self._closed_assignments[article_id]

    def assignments(self) -> dict[str, str]:
        """``{article_id: story_id}`` for every article seen (closed stories included)."""
        out = dict(self._closed_assignments)
        out.update({e.article_id: e.story for e in self._entries.values()})
        return out

    def stories(self) -> list[StorySummary]:
        """Closed and active stories, earliest first."""
        self._resolve()
        self._share_lineage()
        active = [self._summary(sorted(m)) for m in self._stories.values()]
        return sorted(
            self._closed + active,
            key=lambda s: (s.start is not None, s.start.timestamp() if s.start else 0.0, s.id),
        )

    def drain_closed(self) -> tuple[list[StorySummary], dict[str, str]]:
        """Hand over (and forget) the stories that left the window and their assignments.

        A long-running ingest persists these and calls this now and then, so memory stays
        bounded by the window rather than growing with the archive.
        """
        self._resolve()
        closed, assigned = self._closed, self._closed_assignments
        self._closed, self._closed_assignments = [], {}
        return closed, assigned

    def neighbour_lists(self) -> dict[str, list[tuple[str, float]]]:
        """``{article_id: [(other_id, similarity), ...]}``: the neighbours each article of the
        active window keeps (at most ``max_neighbours``), strongest first. Only these pairs
        can link two articles; benchmarks/bench_cluster_ceiling.py studies them."""
        out: dict[str, list[tuple[str, float]]] = {}
        for entry in self._entries.values():
            kept = sorted(entry.neighbours.items(), key=_strongest_first)
            out[entry.article_id] = [
                (self._entries[s].article_id, v) for s, v in kept if s in self._entries
            ]
        return out

    def active_articles(self) -> int:
        """How many articles the active window holds (what memory is bounded by)."""
        return len(self._entries)

    def state(self) -> dict[str, Any]:
        """A JSON-ready snapshot of the active window, for persisting between runs."""
        self._resolve()
        return {
            "version": 1,
            "config": self.config.to_dict(),
            "stats": self.stats.to_state(),
            "next_slot": self._next_slot,
            "latest_days": self._latest_days,
            "entries": [_entry_state(e) for e in self._entries.values()],
            "closed": [s.to_dict() for s in self._closed],
            "closed_assignments": self._closed_assignments,
        }

    @classmethod
    def from_state(
        cls,
        data: dict[str, Any],
        embedder: Embedder | None = None,
        *,
        executor: Executor | None = None,
        crosslingual: CrossLingualEncoder | None = None,
    ) -> StoryClusterer:
        """Rebuild a clusterer from :meth:`state`; it continues exactly where that one stopped.

        Multilingual vectors are not saved: they are worked out again from the saved headline
        and text when a pair needs them (the same text always gives the same vector)."""
        clusterer = cls(
            ClusterConfig(**data["config"]), embedder, executor=executor, crosslingual=crosslingual
        )
        clusterer.stats = TermStats.from_state(data["stats"])
        clusterer._next_slot = int(data["next_slot"])
        clusterer._latest_days = data["latest_days"]
        for raw in data["entries"]:
            entry = _entry_from_state(raw)
            clusterer._entries[entry.slot] = entry
            clusterer._by_id[entry.article_id] = entry.slot
            clusterer._stories.setdefault(entry.story, set()).add(entry.slot)
        limit = clusterer.config.max_neighbours
        for slot in sorted(clusterer._entries):
            entry = clusterer._entries[slot]
            clusterer.index.add(slot, entry.vec)
            clusterer._set_days(slot, entry.days)
            clusterer._set_lang(slot, entry.lang)
            ranked = sorted(entry.neighbours.items(), key=_strongest_first)
            if len(ranked) == limit and ranked == list(entry.neighbours.items()):
                entry.floor = (ranked[-1][1], ranked[-1][0])
            clusterer._set_gate(entry)
        for sid in sorted(clusterer._stories):
            clusterer._schedule(sid)
        clusterer._closed = [_summary_from_dict(s) for s in data["closed"]]
        clusterer._closed_assignments = dict(data["closed_assignments"])
        return clusterer

    # ---- similarity -------------------------------------------------------------------

    def _encode(self, batch: Sequence[Article]) -> np.ndarray | None:
        if self.config.dense_weight <= 0 or self.embedder is None or not batch:
            return None
        return self.embedder.encode([f"{a.title}\n{a.text}" for a in batch])

    def _set_days(self, slot: int, days: float | None) -> None:
        if slot >= len(self._days):
            grown = np.full(max(2 * len(self._days), slot + 1), np.nan)
            grown[: len(self._days)] = self._days
            self._days = grown
        self._days[slot] = np.nan if days is None else days

    def _days_of(self, slots: np.ndarray) -> np.ndarray:
        return self._days[slots]

    def _set_gate(self, entry: _Entry) -> None:
        """``_gate[slot]``: the weakest similarity a new pair needs to change the entry's
        k strongest or its neighbour list (-inf while either has room)."""
        slot = entry.slot
        if slot >= len(self._gate):
            grown = np.full(max(2 * len(self._gate), slot + 1), -np.inf)
            grown[: len(self._gate)] = self._gate
            self._gate = grown
        kth = entry.top[0] if len(entry.top) >= self.config.neighbours_k else -math.inf
        floor = entry.floor[0] if entry.floor is not None else -math.inf
        self._gate[slot] = min(kth, floor)

    def _gap_days(self, a: _Entry, b: _Entry) -> float | None:
        da, db = a.days, b.days
        return None if da is None or db is None else abs(da - db)

    # ---- articles in other languages --------------------------------------------------

    def _set_lang(self, slot: int, lang: str | None) -> None:
        """Record a stored slot's language (any known one, when ``cross_language`` is on)."""
        if slot >= len(self._lang_codes):
            grown = np.full(max(2 * len(self._lang_codes), slot + 1), -1, np.int16)
            grown[: len(self._lang_codes)] = self._lang_codes
            self._lang_codes = grown
        if lang is None or not self.config.cross_language:
            self._lang_codes[slot] = -1
            return
        code = self._lang_codes[slot] = self._lang_ids.setdefault(lang, len(self._lang_ids))
        if lang in SUPPORTED:
            self._supported_codes.add(int(code))
        self._by_lang.setdefault(lang, {})[slot] = None

    def _drop_lang(self, entry: _Entry) -> None:
        lang = entry.lang
        slots = self._by_lang.get(lang) if lang else None
        if lang and slots is not None:
            slots.pop(entry.slot, None)
            if not slots:
                del self._by_lang[lang]

    def _other_languages(
        self, entry: _Entry, found: np.ndarray, sims: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``entry``'s candidate pairs with the sparse similarity of other-language pairs
        replaced: by the multilingual one when the encoder reads both languages (see
        :meth:`_cross_sim`), else by the language-neutral one (:meth:`_neutral_sims`).

        The other-language candidates are the stored articles in another known language,
        dated ones within the window, at most ``cross_max_candidates`` of them: the most
        recently stored (in a batch: the latest by date, then id). The bound is what keeps an
        undated archive's cost in check; a dated stream rarely reaches it."""
        cfg = self.config
        own = self._lang_ids.get(entry.lang, -1) if entry.lang else -1
        codes = self._lang_codes[found]
        same = ~((codes >= 0) & (codes != own))
        sparse = dict(zip(found[~same].tolist(), sims[~same].tolist(), strict=True))
        found, sims = found[same], sims[same]
        pools = [slots for lang, slots in self._by_lang.items() if lang != entry.lang]
        if not pools:
            return found, sims
        cand = np.concatenate([np.fromiter(p, np.int64, len(p)) for p in pools])
        if entry.days is not None:
            cand = cand[~(np.abs(self._days_of(cand) - entry.days) > cfg.window_days)]
        cand = np.sort(cand)[-cfg.cross_max_candidates :]
        if not len(cand):
            return found, sims
        xs = np.zeros(len(cand), np.float32)
        readable = np.zeros(len(cand), bool)
        if entry.lang in SUPPORTED:
            readable = np.isin(self._lang_codes[cand], list(self._supported_codes))
        if readable.any():
            vectors = self._usem([entry, *(self._entries[int(s)] for s in cand[readable])])
            xs[readable] = self._cross_sim(vectors[1:] @ vectors[0])
        if not readable.all():
            others = [self._entries[int(s)] for s in cand[~readable]]
            words = np.array([sparse.get(o.slot, 0.0) for o in others], np.float32)
            xs[~readable] = np.maximum(words, self._neutral_sims(entry, others))
        found = np.concatenate([found, cand])
        sims = np.concatenate([sims, xs])
        order = np.argsort(found, kind="stable")
        return found[order], sims[order]

    def _neutral_of(self, entry: _Entry) -> frozenset[str]:
        if entry.neutral is None:
            entry.neutral = neutral_tokens(headline_lead(entry.title, entry.text))
        return entry.neutral

    def _neutral_sims(self, entry: _Entry, others: list[_Entry]) -> np.ndarray:
        """The language-neutral similarity of ``entry`` with each of ``others``: the cosine of
        their sets of numbers and names, less ``neutral_offset``, at least 0 (float32)."""
        mine = self._neutral_of(entry)
        out = np.zeros(len(others), np.float32)
        if not mine:
            return out
        for i, other in enumerate(others):
            theirs = self._neutral_of(other)
            if theirs:
                cosine = len(mine & theirs) / math.sqrt(len(mine) * len(theirs))
                out[i] = max(cosine - self.config.neutral_offset, 0.0)
        return out

    def _cross_sim(self, cosine: np.ndarray) -> np.ndarray:
        """The similarity of articles in different languages: their multilingual cosine
        (float64, so a pair gets the same value whichever way it is computed) minus
        ``cross_offset``, at least 0, in float32 like the sparse similarities."""
        return np.maximum(cosine - self.config.cross_offset, 0.0).astype(np.float32)

    def _usem(self, entries: list[_Entry]) -> np.ndarray:
        """The multilingual vectors (headline and lead) of ``entries``, one float64 row each;
        those not worked out yet are encoded now and kept with their entry."""
        missing = [e for e in entries if e.usem is None]
        if missing:
            if self._crosslingual is None:
                self._crosslingual = default_encoder()
            n = self.config.cross_lead_chars
            rows = self._crosslingual.encode([headline_lead(e.title, e.text, n) for e in missing])
            for entry, row in zip(missing, rows, strict=True):
                entry.usem = row
        return np.stack([e.usem for e in entries if e.usem is not None]).astype(np.float64)

    def _cross_pairs(self, entries: list[_Entry], sim: np.ndarray) -> None:
        """Put the other-language similarity of ``entries``' pairs into ``sim``: multilingual
        where the encoder reads both languages, language-neutral where it does not."""
        codes = self._lang_codes[[e.slot for e in entries]].astype(np.int64)
        known = codes >= 0
        if len(np.unique(codes[known])) < 2:
            return
        cross = known[:, None] & known[None, :] & (codes[:, None] != codes[None, :])
        readable = np.isin(codes, list(self._supported_codes))
        use = cross & readable[:, None] & readable[None, :]
        idx = np.flatnonzero(use.any(axis=1))
        if len(idx):
            vectors = self._usem([entries[i] for i in idx])
            block = self._cross_sim(vectors @ vectors.T).astype(np.float64)
            mask = use[np.ix_(idx, idx)]
            sub = sim[np.ix_(idx, idx)]
            sub[mask] = block[mask]
            sim[np.ix_(idx, idx)] = sub
        for i, j in zip(*np.nonzero(np.triu(cross & ~use)), strict=True):
            value = float(self._neutral_sims(entries[i], [entries[j]])[0])
            sim[i, j] = sim[j, i] = max(sim[i, j], value)

    def _insert(
        self, article: Article, vec: SparseVector, dense: np.ndarray | None, touched: set[int]
    ) -> int:
        """Store one article and its neighbour pairs; ``touched`` gets the articles whose
        density (mean similarity to their k nearest) the newcomer changed."""
        cfg = self.config
        slot = self._next_slot
        self._next_slot += 1
        entry = _Entry(slot, article.id, article.title, article.outlet, article.date, vec, dense)
        entry.text = article.text
        entry.lang = base_language(article.lang)
        found, sims = self.index.query(vec)
        if dense is not None and len(found):
            others = np.stack([self._entries[int(s)].dense for s in found])  # type: ignore[misc]
            sims = (1 - cfg.dense_weight) * sims + cfg.dense_weight * (others @ dense)
        if entry.lang and len(self._by_lang) > (entry.lang in self._by_lang):
            # Only once the window holds another language than this article's: a run in one
            # language (or without language tags) never gets here, nor loads the encoder.
            found, sims = self._other_languages(entry, found, sims)
        keep = sims >= cfg.min_similarity
        if entry.days is not None and len(found):
            # Dated pairs further apart than the window are never compared (NaN: undated).
            keep &= ~(np.abs(self._days_of(found) - entry.days) > cfg.window_days)
        found, sims = found[keep], sims[keep]
        k, limit = cfg.neighbours_k, cfg.max_neighbours
        # The newcomer's own lists in numpy: its k strongest similarities (a sorted list is a
        # heap) and its strongest ``max_neighbours`` pairs, as ``_prune`` would keep them.
        if len(found) > limit:
            best = np.lexsort((found, -sims))[:limit]  # strongest first, then lower slot
            ranked = list(zip(found[best].tolist(), sims[best].tolist(), strict=True))
            entry.neighbours = dict(ranked)
            entry.floor = (ranked[-1][1], ranked[-1][0])
        else:
            entry.neighbours = dict(zip(found.tolist(), sims.tolist(), strict=True))
        entry.top = np.sort(sims)[-k:].tolist()
        # Stored articles whose lists the pair changes: a pair that reaches neither their k
        # strongest nor their neighbour list (``_gate``) is skipped without a Python step.
        changes = sims >= self._gate[found]
        entries, push, replace = self._entries, heapq.heappush, heapq.heapreplace
        for other_slot, sim in zip(found[changes].tolist(), sims[changes].tolist(), strict=True):
            other = entries[other_slot]
            top = other.top
            if len(top) < k:
                push(top, sim)
                touched.add(other_slot)
            elif sim > top[0]:
                replace(top, sim)
                touched.add(other_slot)
            floor = other.floor
            if floor is None or sim > floor[0] or (sim == floor[0] and slot < floor[1]):
                self._add_neighbour(other, slot, sim)
            self._set_gate(other)
        self.index.add(slot, vec)
        self._set_days(slot, entry.days)
        self._set_gate(entry)
        self._set_lang(slot, entry.lang)
        self._entries[slot] = entry
        self._by_id[article.id] = slot
        entry.story = story_id_for(article.id)
        self._stories[entry.story] = {slot}
        self._schedule(entry.story)
        if entry.days is not None:
            self._latest_days = max(self._latest_days or entry.days, entry.days)
        return slot

    def _prune(self, entry: _Entry) -> None:
        # Keeping the strongest M of a growing set is order-free: a pair once dropped never
        # comes back, so the kept set is the top M of all pairs ever seen.
        if len(entry.neighbours) > self.config.max_neighbours:
            best = sorted(entry.neighbours.items(), key=_strongest_first)
            del best[self.config.max_neighbours :]
            entry.neighbours = dict(best)
            entry.floor = (best[-1][1], best[-1][0]) if best else None

    def _add_neighbour(self, entry: _Entry, slot: int, sim: float) -> None:
        """``entry.neighbours[slot] = sim`` then :meth:`_prune`, without sorting every time.

        A pruned list is full and ranked strongest first, its weakest pair is ``floor``: a
        newcomer below the floor would be pruned again at once (``_insert`` skips it), and a
        stronger one goes in at its rank. The same neighbours, in the same order, as adding
        it and sorting."""
        nb = entry.neighbours
        if entry.floor is None:
            nb[slot] = sim
            self._prune(entry)
            return
        items = list(nb.items())
        at = len(items) - 1
        while at > 0 and (
            sim > items[at - 1][1] or (sim == items[at - 1][1] and slot < items[at - 1][0])
        ):
            at -= 1
        items[at + 1 :] = items[at:-1]
        items[at] = (slot, sim)
        entry.neighbours = dict(items)
        entry.floor = (items[-1][1], items[-1][0])

    def _density(self, entry: _Entry) -> float:
        # fsum: exactly rounded, so the heap's layout (which depends on the order of pushes)
        # cannot change the last bits
        return math.fsum(entry.top) / self.config.neighbours_k

    def _sim(self, a: _Entry, b: _Entry) -> float:
        # Only mutual neighbours (each among the other's strongest ``max_neighbours``) count:
        # on a crowded topic this stops chains of merely-related articles from forming.
        ab = a.neighbours.get(b.slot)
        if ab is None or a.slot not in b.neighbours or ab < self.config.link_floor:
            return -1.0  # no edge at all, whatever the density correction
        return ab

    def _adjusted(self, a: _Entry, b: _Entry, ra: float, rb: float) -> float:
        cfg = self.config
        adj = self._sim(a, b) - cfg.density_weight * 0.5 * (ra + rb)
        gap = self._gap_days(a, b)
        if gap is not None and gap > cfg.grace_days:
            adj -= cfg.day_penalty * (gap - cfg.grace_days)
        return adj

    # ---- re-clustering around new articles --------------------------------------------

    def _recluster(self, seeds: set[int]) -> None:
        if not seeds:
            return
        density: dict[int, float] = {}

        def r(slot: int) -> float:
            if slot not in density:
                density[slot] = self._density(self._entries[slot])
            return density[slot]

        # Whether a pair is an edge, asked by the closure and again by the grouping: the
        # densities are fixed for this call and the test is symmetric, so it is worked out once.
        edges: dict[tuple[int, int], bool] = {}
        floor = self.config.edge_threshold

        def edge(a: _Entry, b: _Entry) -> bool:
            key = (a.slot, b.slot) if a.slot < b.slot else (b.slot, a.slot)
            known = edges.get(key)
            if known is None:
                known = edges[key] = self._adjusted(a, b, r(a.slot), r(b.slot)) >= floor
            return known

        # Close each seed over whole stories and over edges adj >= edge_threshold: the connected
        # group it belongs to. Only a group past ``max_component`` is cut, where it stands.
        done: set[int] = set()
        for seed in sorted(seeds):
            if seed in done or seed not in self._entries:
                continue
            group = self._closure(seed, edge)
            done |= group
            self._cluster_group(sorted(group), r, edge)

    def _closure(self, seed: int, edge: Any) -> set[int]:
        cfg = self.config
        group: set[int] = set()
        frontier = [seed]
        while frontier and len(group) < cfg.max_component:
            slot = frontier.pop()
            if slot in group:
                continue
            for member in self._stories[self._entries[slot].story]:
                if member not in group:
                    group.add(member)
                    frontier.append(member)
            entry = self._entries[slot]
            for other in entry.neighbours:
                if other in group or other not in self._entries:
                    continue
                if edge(entry, self._entries[other]):
                    frontier.append(other)
        return group

    def _cluster_group(self, members: list[int], r: Any, edge: Any) -> None:
        """Split a closed group into its connected components and cluster each one."""
        parent = {s: s for s in members}

        def find(s: int) -> int:
            while parent[s] != s:
                parent[s] = parent[parent[s]]
                s = parent[s]
            return s

        for s in members:
            entry = self._entries[s]
            for other in entry.neighbours:
                if other not in parent or other == s or find(other) == find(s):
                    continue
                if edge(entry, self._entries[other]):
                    parent[find(other)] = find(s)
        components: dict[int, list[int]] = {}
        for s in members:
            components.setdefault(find(s), []).append(s)
        for comp in components.values():
            self._cluster_component(comp, r)

    def _cluster_component(self, slots: list[int], r: Any) -> None:
        """Average-link agglomeration of one connected group, refined with outside density."""
        cfg = self.config
        if len(slots) == 1:
            self._set_story([slots])
            return
        entries = [self._entries[s] for s in slots]
        sim = self._pair_similarities(entries)
        days = np.array([e.days if e.days is not None else np.nan for e in entries])
        gap = np.abs(days[:, None] - days[None, :])
        over = np.nan_to_num(gap - cfg.grace_days, nan=0.0).clip(min=0)
        # Pairs the candidate search never compares (dated too far apart) stay apart.
        sim[np.nan_to_num(gap, nan=0.0) > cfg.window_days] = -1.0
        base = sim - cfg.day_penalty * over
        dens = np.array([r(s) for s in slots])

        def link(density: np.ndarray) -> np.ndarray:
            # Both cuts at 0: relative to the neighbourhood and in plain similarity.
            relative = _csls(base, density, cfg.density_weight) - cfg.threshold
            return np.minimum(relative, base - cfg.link_floor)

        clusters = _average_link(link(dens), 0.0)
        passes = cfg.refine_passes if len(slots) <= cfg.refine_max_group else 0
        for _ in range(passes):
            story = {slots[i]: c for c, comp in enumerate(clusters) for i in comp}
            dens = np.array([self._outside_density(e, story) for e in entries])
            again = _average_link(link(dens), 0.0)
            if again == clusters:
                break
            clusters = again
        self._set_story([[slots[i] for i in comp] for comp in clusters])

    def _pair_similarities(self, entries: list[_Entry]) -> np.ndarray:
        """Similarity of every pair of ``entries``: in small groups (most of them, and where
        scipy's set-up cost dominates) bit for bit the values ``_insert`` computed; in bigger
        ones scipy's sparse product, which sums in float32 and is faster there."""
        if len(entries) <= _EXACT_GROUP and self.config.dense_weight <= 0:
            sim = _known_pairs(entries)
        elif len(entries) <= _EXACT_GROUP:
            sim = _pair_dots([e.vec for e in entries])
        else:
            indptr = np.cumsum([0] + [len(e.vec.ids) for e in entries])
            ids = np.concatenate([e.vec.ids for e in entries])
            weights = np.concatenate([e.vec.weights for e in entries])
            width = int(ids.max()) + 1 if len(ids) else 1
            matrix = csr_matrix((weights, ids, indptr), shape=(len(entries), width))
            sim = (matrix @ matrix.T).toarray().astype(np.float64)
        w = self.config.dense_weight
        if w > 0 and all(e.dense is not None for e in entries):
            dense = np.stack([e.dense for e in entries])  # type: ignore[misc]
            sim = (1 - w) * sim + w * (dense @ dense.T)
        if len(self._by_lang) > 1:  # the window holds more than one language
            self._cross_pairs(entries, sim)
        return sim

    def _outside_density(self, entry: _Entry, story: dict[int, int]) -> float:
        """Density over the article's neighbours outside its provisional story: how close it
        comes to what it is *not* part of."""
        cfg = self.config
        k = cfg.refine_neighbours_k
        own = story[entry.slot]
        sims = heapq.nlargest(
            k, (v for o, v in entry.neighbours.items() if story.get(o, -1) != own)
        )
        # Outsiders not in the list were pruned (so no closer than the weakest kept neighbour)
        # or never stored (weaker than min_similarity): fill with that bound, not with zero,
        # or a big story would see an empty outside and swallow anything.
        full = len(entry.neighbours) >= cfg.max_neighbours
        fill = min(entry.neighbours.values()) if full else 0.0
        return (sum(sims) + fill * (k - len(sims))) / k

    def _set_story(self, clusters: list[list[int]]) -> None:
        for slots in clusters:
            for s in slots:
                old = self._entries[s].story
                members = self._stories.get(old)
                if members is not None:
                    members.discard(s)
                    if not members:
                        del self._stories[old]
                        self._lineage.pop(old, None)
        for slots in clusters:
            first = min((self._entries[s] for s in slots), key=lambda e: e.key)
            sid = story_id_for(first.article_id)
            for s in slots:
                self._entries[s].story = sid
            self._stories.setdefault(sid, set()).update(slots)
            self._schedule(sid)

    def _schedule(self, sid: str) -> None:
        """Remember when story ``sid`` leaves the window (never, if it has undated articles)."""
        days = [self._entries[s].days for s in self._stories[sid]]
        dated = [d for d in days if d is not None]
        if dated and len(dated) == len(days):
            heapq.heappush(self._expiry, (max(dated), sid))

    # ---- the time window --------------------------------------------------------------

    def _evict(self) -> None:
        """Close stories whose newest article left the window; undated articles never expire."""
        if self._latest_days is None:
            return
        horizon = self._latest_days - self.config.window_days
        while self._expiry and self._expiry[0][0] < horizon:
            _newest, sid = heapq.heappop(self._expiry)
            members = self._stories.get(sid)
            if members is None:
                continue  # merged or split since it was scheduled
            days = [self._entries[s].days for s in members]
            if any(d is None or d >= horizon for d in days):
                continue  # grew since; a later entry of the heap covers it
            ordered = sorted(members)
            self._closed.append(self._summary(ordered, defer=self.executor is not None))
            for s in ordered:
                entry = self._entries.pop(s)
                self._drop_lang(entry)
                self._closed_assignments[entry.article_id] = sid
                del self._by_id[entry.article_id]
                self.index.remove(s)
            del self._stories[sid]
            self._lineage.pop(sid, None)
        # Pairs with closed articles stay in the neighbour lists (bounded by max_neighbours):
        # they still measure density, and dropping them would make results depend on timing.

    # ---- summaries --------------------------------------------------------------------

    def _summary(self, slots: list[int], defer: bool = False) -> StorySummary:
        entries = sorted((self._entries[s] for s in slots), key=lambda e: e.key)
        dates = [e.date for e in entries if e.date is not None]
        summary = StorySummary(
            id=entries[0].story,
            title=entries[0].title,
            start=min(dates) if dates else None,
            end=max(dates) if dates else None,
            outlets=sorted({e.outlet for e in entries if e.outlet}),
            articles=[e.article_id for e in entries],
            independent_sources=0,
        )
        known = self._known_sources(entries)
        if known is not None:
            summary.independent_sources = known
        elif defer and self.executor is not None:
            from newsprism.cluster.lineage import independent_sources

            items = [(e.article_id, e.text, e.lang) for e in entries]
            self._pending.append((summary, self.executor.submit(independent_sources, items)))
        else:
            summary.independent_sources = self._sources(entries)
        return summary

    def _resolve(self) -> None:
        """Wait for the lineage of closed stories still being worked out elsewhere."""
        for summary, future in self._pending:
            summary.independent_sources = future.result()
        self._pending = []

    def _share_lineage(self, chunk: int = 8) -> None:
        """Work out the lineage of the active stories that need it, in both processes.

        With an executor, the stories are handed to it in chunks; this process meanwhile takes
        chunks from the other end, each one it can still cancel there, until the two meet. The
        counts are cached as :meth:`_sources` would cache them, so the same summaries follow."""
        if self.executor is None:
            return
        todo = []
        for members in self._stories.values():
            entries = sorted((self._entries[s] for s in members), key=lambda e: e.key)
            if self._known_sources(entries) is None:
                todo.append(entries)
        if len(todo) <= chunk:
            return  # not worth a round trip: :meth:`_summary` aligns them here
        chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        futures = [
            self.executor.submit(
                _sources_of, [[(e.article_id, e.text, e.lang) for e in g] for g in c]
            )
            for c in chunks
        ]
        for c, future in zip(reversed(chunks), reversed(futures), strict=True):
            if not future.cancel():
                break  # started there: so are all the chunks before it
            for entries in c:
                self._sources(entries)
        for c, future in zip(chunks, futures, strict=True):
            if future.cancelled():
                continue
            for entries, count in zip(c, future.result(), strict=True):
                self._lineage[entries[0].story] = (tuple(e.article_id for e in entries), count)

    def _known_sources(self, entries: list[_Entry]) -> int | None:
        if len(entries) == 1:
            return 1  # one article copies no one
        cached = self._lineage.get(entries[0].story)
        if cached is not None and cached[0] == tuple(e.article_id for e in entries):
            return cached[1]
        return None

    def _sources(self, entries: list[_Entry]) -> int:
        """Independent sources of a story's articles (earliest first); a story summarised
        again unchanged (at every checkpoint, then when it closes) is not aligned again."""
        from newsprism.cluster.lineage import independent_sources

        known = self._known_sources(entries)
        if known is not None:
            return known
        count = independent_sources([(e.article_id, e.text, e.lang) for e in entries])
        self._lineage[entries[0].story] = (tuple(e.article_id for e in entries), count)
        return count


def _sources_of(groups: list[list[tuple[str, str, str | None]]]) -> list[int]:
    """Independent sources of several stories (run in the executor's process)."""
    from newsprism.cluster.lineage import independent_sources

    return [independent_sources(items) for items in groups]


def _entry_state(e: _Entry) -> dict[str, Any]:
    return {
        "slot": e.slot,
        "id": e.article_id,
        "title": e.title,
        "outlet": e.outlet,
        "date": e.date.isoformat() if e.date else None,
        "ids": e.vec.ids.tolist(),
        "weights": e.vec.weights.tolist(),
        "dense": e.dense.tolist() if e.dense is not None else None,
        "neighbours": [[s, v] for s, v in e.neighbours.items()],
        "top": list(e.top),
        "story": e.story,
        "text": e.text,
        "lang": e.lang,
    }


def _entry_from_state(raw: dict[str, Any]) -> _Entry:
    vec = SparseVector(np.array(raw["ids"], np.int64), np.array(raw["weights"], np.float32))
    dense = np.array(raw["dense"], np.float32) if raw["dense"] is not None else None
    date = datetime.fromisoformat(raw["date"]) if raw["date"] else None
    entry = _Entry(raw["slot"], raw["id"], raw["title"], raw["outlet"], date, vec, dense)
    entry.neighbours = {int(s): float(v) for s, v in raw["neighbours"]}
    entry.top = [float(v) for v in raw["top"]]
    entry.story = raw["story"]
    entry.text = raw["text"]
    entry.lang = raw.get("lang")
    return entry


def _summary_from_dict(raw: dict[str, Any]) -> StorySummary:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return StorySummary(
        id=raw["id"],
        title=raw["title"],
        start=when(raw["start"]),
        end=when(raw["end"]),
        outlets=list(raw["outlets"]),
        articles=list(raw["articles"]),
        independent_sources=int(raw["independent_sources"]),
    )


def _pair_dots(vecs: list[SparseVector], budget: int = 2_000_000) -> np.ndarray:
    """Dot products of every pair of ``vecs``, bit for bit the values the index query gives.

    Like :meth:`TermIndex.query`: float32 products summed in float64 in increasing term order
    (``np.bincount`` adds in input order), then rounded to float32, so a pair's similarity is
    the same here as in its neighbour list, and the same whichever of the two is first. The
    products are made a block of rows at a time, at most about ``budget`` of them at once."""
    n = len(vecs)
    lens = np.fromiter((len(v.ids) for v in vecs), np.int64, n)
    if not lens.sum():
        return np.zeros((n, n))
    ids = np.concatenate([v.ids for v in vecs])
    weights = np.concatenate([v.weights for v in vecs])
    rows = np.repeat(np.arange(n), lens)
    order = np.argsort(ids, kind="stable")
    ids, weights, rows = ids[order], weights[order], rows[order]
    first = np.ones(len(ids), bool)
    first[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(first)
    term = np.cumsum(first) - 1
    share = np.diff(np.append(starts, len(ids)))[term]  # postings of each posting's term
    begin = starts[term]
    per_row = np.cumsum(np.bincount(rows, weights=share, minlength=n))
    by_row = np.argsort(rows, kind="stable")  # each row's postings, still in term order
    row_start = np.concatenate(([0], np.cumsum(lens)))
    sim = np.zeros((n, n))
    lo = 0
    while lo < n:
        done = per_row[lo - 1] if lo else 0.0
        hi = max(lo + 1, int(np.searchsorted(per_row, done + budget, "right")))
        hi = min(hi, n)
        mine = by_row[row_start[lo] : row_start[hi]]
        left = np.repeat(mine, share[mine])
        right = _ranges(begin[mine], share[mine])
        products = (weights[left] * weights[right]).astype(np.float64)
        key = (rows[left] - lo) * n + rows[right]
        block = np.bincount(key, weights=products, minlength=(hi - lo) * n)
        sim[lo:hi] = block.reshape(hi - lo, n)
        lo = hi
    return sim.astype(np.float32).astype(np.float64)


def _known_pairs(entries: list[_Entry]) -> np.ndarray:
    """``_pair_dots`` of a small group, read from the neighbour lists where a pair is in one
    (the index query's score, which ``_pair_dots`` reproduces bit for bit) and worked out
    with :meth:`SparseVector.dot` for the others. Only for sparse similarities: with a dense
    share, the lists hold the mixed values. The diagonal is 1 (no caller reads it)."""
    n = len(entries)
    sim = np.eye(n)
    for i, a in enumerate(entries):
        mine = a.neighbours
        for j in range(i + 1, n):
            b = entries[j]
            value = mine.get(b.slot)
            if value is None:
                value = b.neighbours.get(a.slot)
                if value is None:
                    value = a.vec.dot(b.vec)
            sim[i, j] = sim[j, i] = value
    return sim


def _strongest_first(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])


def _csls(sim: np.ndarray, density: np.ndarray, weight: float) -> np.ndarray:
    return sim - weight * 0.5 * (density[:, None] + density[None, :])


def _average_link(adj: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-link agglomeration on a similarity matrix, merging while the best pair of
    clusters averages at least ``threshold``; clusters in a canonical order."""
    n = len(adj)
    if n > 256:  # scipy's is faster on big groups; the same cut
        dist = np.clip(1.0 - adj, 0.0, None)
        np.fill_diagonal(dist, 0.0)
        condensed = dist[np.triu_indices(n, 1)]
        labels = fcluster(linkage(condensed, "average"), 1.0 - threshold, "distance")
        return sorted(sorted(c) for c in _components(labels))
    if n <= _SMALL_LINK:
        return _average_link_small(adj.tolist(), threshold)
    return _average_link_numpy(adj, threshold)


def _average_link_numpy(adj: np.ndarray, threshold: float) -> list[list[int]]:
    n = len(adj)
    sim = adj.astype(np.float64).copy()
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(n)
    members: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    while True:
        flat = int(np.argmax(sim))
        i, j = divmod(flat, n)
        if sim[i, j] < threshold:
            break
        # Lance-Williams update for average link: size-weighted mean of the two rows.
        row = (sim[i] * size[i] + sim[j] * size[j]) / (size[i] + size[j])
        sim[i, :] = row
        sim[:, i] = row
        sim[i, i] = -np.inf
        sim[j, :] = -np.inf
        sim[:, j] = -np.inf
        size[i] += size[j]
        members[i].extend(members[j])
        alive[j] = False
    return sorted(sorted(members[i]) for i in range(n) if alive[i])


def _average_link_small(sim: list[list[float]], threshold: float) -> list[list[int]]:
    """:func:`_average_link` in plain Python for a few articles (most groups), where numpy's
    per-call cost dominates: the same float64 arithmetic, the same first-best pair on ties."""
    n = len(sim)
    minus_inf = -math.inf
    for i in range(n):
        sim[i][i] = minus_inf
    size = [1.0] * n
    members: list[list[int]] = [[i] for i in range(n)]
    alive = [True] * n
    while True:
        best, bi, bj = minus_inf, 0, 0
        for i, row in enumerate(sim):
            for j, value in enumerate(row):
                if value > best:
                    best, bi, bj = value, i, j
        if not best >= threshold:  # also when every pair is -inf
            break
        si, sj = size[bi], size[bj]
        row_i, row_j = sim[bi], sim[bj]
        merged = [(x * si + y * sj) / (si + sj) for x, y in zip(row_i, row_j, strict=True)]
        for k in range(n):
            sim[bi][k] = merged[k]
            sim[k][bi] = merged[k]
        sim[bi][bi] = minus_inf
        for k in range(n):
            sim[bj][k] = minus_inf
            sim[k][bj] = minus_inf
        size[bi] += sj
        members[bi].extend(members[bj])
        alive[bj] = False
    return sorted(sorted(members[i]) for i in range(n) if alive[i])


def _components(labels: np.ndarray) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(i)
    return list(groups.values())


__all__ = ["ClusterConfig", "StoryClusterer", "StorySummary", "story_id_for"]
