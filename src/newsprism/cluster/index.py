"""An inverted index over the active window's sparse vectors: the candidate search of clustering.

A new article only meets stored articles that share a term with it, so the cost of one
assignment grows with the posting lists of its terms within the window, not with the archive.

Layout: every term's postings (slot, weight) live in one block of two flat buffers, with room
to grow; a full block moves to the end of the buffers with twice the room, and the buffers are
repacked when moved-out blocks and removed slots pile up. A query gathers the blocks of all its
terms at once with numpy, so it costs a few array operations plus the postings it reads, not a
Python step per term.
"""

from __future__ import annotations

import numpy as np

from newsprism.cluster.features import SparseVector

_MIN_ROOM = 4


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Flat indices of the blocks ``[starts[i], starts[i] + lens[i])``, block after block."""
    total = int(lens.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lens) - lens
    return np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lens)


class TermIndex:
    """Postings ``term id -> (slots, weights)``; slots are dense integers handed out on insert.

    A term's postings are kept in insertion (= slot) order, so a query sums each stored
    article's products in the same order as the query's term ids, whatever the layout.
    """

    def __init__(self) -> None:
        self._start = np.zeros(0, np.int64)  # per term: where its block begins
        self._len = np.zeros(0, np.int64)  # ... how many postings it holds
        self._room = np.zeros(0, np.int64)  # ... and how many fit
        self._slots = np.zeros(1024, np.int32)  # int32: half the memory traffic of a query
        self._weights = np.zeros(1024, np.float32)
        self._used = 0  # buffer positions handed out to blocks
        self._held = 0  # postings stored (live or dead slots)
        self._alive = np.zeros(1024, bool)
        self._live = 0
        self._dead = 0  # removed slots whose postings are still in the buffers

    def __len__(self) -> int:
        return self._live

    # -- writing ---------------------------------------------------------------------------

    def add(self, slot: int, vec: SparseVector) -> None:
        if slot >= len(self._alive):
            grown = np.zeros(max(2 * len(self._alive), slot + 1), bool)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        if not self._alive[slot]:
            self._alive[slot] = True
            self._live += 1
        ids = vec.ids
        if not len(ids):
            return
        self._ensure_terms(int(ids.max()) + 1)
        self._make_room(ids)
        at = self._start[ids] + self._len[ids]
        self._slots[at] = slot
        self._weights[at] = vec.weights
        self._len[ids] += 1
        self._held += len(ids)

    def remove(self, slot: int) -> None:
        """Mark ``slot`` gone; postings are repacked once removed slots are a quarter of live."""
        if slot < len(self._alive) and self._alive[slot]:
            self._alive[slot] = False
            self._live -= 1
            self._dead += 1
            if self._dead > max(256, self._live // 4):  # dead postings slow every query
                self._compact()

    def _ensure_terms(self, n: int) -> None:
        if n <= len(self._len):
            return
        size = max(n, 2 * len(self._len), 1024)
        for name in ("_start", "_len", "_room"):
            old = getattr(self, name)
            grown = np.zeros(size, np.int64)
            grown[: len(old)] = old
            setattr(self, name, grown)

    def _make_room(self, ids: np.ndarray) -> None:
        """Give the full blocks among ``ids`` twice the room at the end of the buffers."""
        terms = ids[self._len[ids] >= self._room[ids]]
        if not len(terms):
            return
        room = np.maximum(2 * self._room[terms], _MIN_ROOM)
        need = int(room.sum())
        # Moved-out blocks are garbage: repack when they are a good part of the buffers.
        if self._used + need > len(self._slots) and self._used - self._held > len(self._slots) // 2:
            self._compact()  # blocks with postings have room to spare; empty ones have none
            terms = ids[self._len[ids] >= self._room[ids]]
            room = np.maximum(2 * self._room[terms], _MIN_ROOM)
            need = int(room.sum())
        self._reserve(self._used + need)
        lens = self._len[terms]
        new_start = self._used + np.cumsum(room) - room
        src = _ranges(self._start[terms], lens)
        dst = _ranges(new_start, lens)
        self._slots[dst] = self._slots[src]
        self._weights[dst] = self._weights[src]
        self._start[terms] = new_start
        self._room[terms] = room
        self._used += need

    def _reserve(self, size: int) -> None:
        if size <= len(self._slots):
            return
        size = max(size, 2 * len(self._slots))
        slots = np.zeros(size, np.int32)
        weights = np.zeros(size, np.float32)
        slots[: self._used] = self._slots[: self._used]
        weights[: self._used] = self._weights[: self._used]
        self._slots, self._weights = slots, weights

    def _compact(self) -> None:
        """Repack every block, dropping removed slots; keeps each term's posting order."""
        terms = np.flatnonzero(self._len)
        idx = _ranges(self._start[terms], self._len[terms])
        slots = self._slots[idx]
        weights = self._weights[idx]
        keep = self._alive[slots]
        owner = np.repeat(np.arange(len(terms)), self._len[terms])[keep]
        lens = np.bincount(owner, minlength=len(terms)).astype(np.int64)
        room = lens + np.maximum(lens // 2, _MIN_ROOM)
        room[lens == 0] = 0
        starts = np.cumsum(room) - room
        size = max(int(room.sum()) * 2, 1024)
        self._slots = np.zeros(size, np.int32)
        self._weights = np.zeros(size, np.float32)
        dst = _ranges(starts, lens)
        self._slots[dst] = slots[keep]
        self._weights[dst] = weights[keep]
        self._start[:] = 0
        self._len[:] = 0
        self._room[:] = 0
        self._start[terms] = starts
        self._len[terms] = lens
        self._room[terms] = room
        self._used = int(room.sum())
        self._held = int(lens.sum())
        # Dead slots stay marked in ``_alive`` (slots are never reused) but no posting holds them.
        self._dead = 0

    # -- reading ---------------------------------------------------------------------------

    def query(self, vec: SparseVector) -> tuple[np.ndarray, np.ndarray]:
        """Stored slots sharing a query term with ``vec`` and their dot products, by slot."""
        ids = vec.ids
        known = ids < len(self._len)
        ids = ids[known]
        lens = self._len[ids]
        if not len(ids) or not lens.any():
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        # Every term is queried, so scores are exact dot products: a pair's similarity must not
        # depend on which of the two arrived first (order invariance). Products are float32 and
        # summed in float64, per stored article in the query's term order. The blocks are
        # copied as slices (cheaper than gathering by a flat index of every posting).
        begin = self._start[ids]
        starts, ends = begin.tolist(), (begin + lens).tolist()
        slots_all = np.concatenate([self._slots[a:b] for a, b in zip(starts, ends, strict=True)])
        weights_all = np.concatenate(
            [self._weights[a:b] for a, b in zip(starts, ends, strict=True)]
        )
        weights_all *= np.repeat(vec.weights[known], lens)
        base = int(slots_all.min())
        slots_all -= base
        scores = np.bincount(slots_all, weights=weights_all)
        hit = np.flatnonzero(scores)
        found = hit + base  # int64, as flatnonzero gives
        alive = self._alive[found]
        return found[alive], scores[hit][alive].astype(np.float32)


__all__ = ["TermIndex"]
