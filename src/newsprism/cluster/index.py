"""An inverted index over the active window's sparse vectors: the candidate search of clustering.

A new article only meets stored articles that share a term with it, so the cost of one
assignment grows with the posting lists of its terms within the window, not with the archive.
"""

from __future__ import annotations

from array import array

import numpy as np

from newsprism.cluster.features import SparseVector


class TermIndex:
    """Postings ``term id -> (slots, weights)``; slots are dense integers handed out on insert."""

    def __init__(self) -> None:
        self._slots: dict[int, array[int]] = {}
        self._weights: dict[int, array[float]] = {}
        self._alive = bytearray()
        self._dead = 0

    def __len__(self) -> int:
        return len(self._alive) - self._dead

    def add(self, slot: int, vec: SparseVector) -> None:
        while len(self._alive) <= slot:
            self._alive.append(0)
        self._alive[slot] = 1
        for tid, weight in zip(vec.ids.tolist(), vec.weights.tolist(), strict=True):
            if tid not in self._slots:
                self._slots[tid] = array("q")
                self._weights[tid] = array("f")
            self._slots[tid].append(slot)
            self._weights[tid].append(weight)

    def remove(self, slot: int) -> None:
        """Mark ``slot`` gone; postings are compacted once the dead outnumber the living."""
        if slot < len(self._alive) and self._alive[slot]:
            self._alive[slot] = 0
            self._dead += 1
            if self._dead > max(1024, len(self)):
                self._compact()

    def _compact(self) -> None:
        alive = np.frombuffer(self._alive, dtype=np.uint8).astype(bool)
        for tid in list(self._slots):
            slots = np.frombuffer(self._slots[tid], dtype=np.int64)
            keep = alive[slots]
            if not keep.any():
                del self._slots[tid], self._weights[tid]
                continue
            weights = np.frombuffer(self._weights[tid], dtype=np.float32)
            self._slots[tid] = array("q", slots[keep].tobytes())
            self._weights[tid] = array("f", weights[keep].tobytes())
        # Dead slots stay marked in ``_alive`` (slots are never reused) but no posting holds them.
        self._dead = 0

    def query(self, vec: SparseVector) -> tuple[np.ndarray, np.ndarray]:
        """Stored slots sharing a query term with ``vec`` and their dot products, best first."""
        if not len(vec.ids) or not self._slots:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        # Every term is queried, so scores are exact dot products: a pair's similarity must not
        # depend on which of the two arrived first (order invariance).
        parts_slots = []
        parts_weights = []
        for i in range(len(vec.ids)):
            tid = int(vec.ids[i])
            slots = self._slots.get(tid)
            if slots is None:
                continue
            parts_slots.append(np.frombuffer(slots, dtype=np.int64))
            parts_weights.append(
                np.frombuffer(self._weights[tid], dtype=np.float32) * vec.weights[i]
            )
        if not parts_slots:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        slots_all = np.concatenate(parts_slots)
        weights_all = np.concatenate(parts_weights)
        base = int(slots_all.min())
        scores = np.bincount(slots_all - base, weights=weights_all)
        hit = np.flatnonzero(scores)
        found = hit + base
        alive = np.frombuffer(self._alive, dtype=np.uint8)[found].astype(bool)
        return found[alive], scores[hit][alive].astype(np.float32)


__all__ = ["TermIndex"]
