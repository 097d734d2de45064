"""What event detection remembers of one story between articles, stored as JSON in the store.

Only what the next article is compared against is kept, so a new article never needs the
story's earlier articles re-read, re-annotated or re-embedded:

* per article (keyed by its *base* id: all versions of one article share it): the latest
  version's id, outlet, headline, publication date, lineage family and 8-gram hashes;
* the story's sentence statistics the pair score is built on: how many claim units, the sum of
  their MiniLM vectors (the story mean is taken out of every cosine) and each term's document
  frequency (the rarity weights of the word overlap);
* claims: the member sentences a new one is checked against (their vectors and terms), the
  articles and lineage families that carry each claim, and the figures each reports;
* quotes: text, span, speaker and vector of every direct quote with a known speaker.

Vectors are stored as one float16 matrix in base64 (768 bytes a sentence), which keeps the state
of a 50-article story near a megabyte.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FORMAT = 1
DIM = 384  # MiniLM


def pack_matrix(rows: np.ndarray) -> str:
    return base64.b64encode(np.asarray(rows, dtype=np.float16).tobytes()).decode("ascii")


def unpack_matrix(data: str, dim: int = DIM) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(data), dtype=np.float16)
    return raw.reshape(-1, dim).astype(np.float32)


def pack_ints(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype=np.uint32).tobytes()).decode("ascii")


def unpack_ints(data: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(data), dtype=np.uint32)


@dataclass
class StoryState:
    """The detection state of one story (see the module docstring); JSON via to/from_dict."""

    seen: list[str] = field(default_factory=list)  # article ids (versions too) already taken in
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # base id -> facts
    n_units: int = 0
    vector_sum: np.ndarray = field(default_factory=lambda: np.zeros(DIM, dtype=np.float64))
    df: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), dtype=np.float32))
    row_terms: list[list[str]] = field(default_factory=list)  # per vector row (quotes: [])
    row_article: list[str] = field(default_factory=list)  # base id of each vector row
    row_keys: list[str] = field(default_factory=list)  # a sentence row's text key, else ""
    claims: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    next_claim: int = 1

    @property
    def families(self) -> set[str]:
        return {a["family"] for a in self.articles.values()}

    @property
    def outlets(self) -> set[str]:
        return {a["outlet"] for a in self.articles.values()}

    def add_rows(
        self, rows: np.ndarray, terms: list[list[str]], base: str, keys: list[str] | None = None
    ) -> list[int]:
        """Append vector rows (one base article's; ``keys``: the sentences' text keys, so an
        identical sentence later reuses the vector); returns their row numbers."""
        first = len(self.vectors)
        self.vectors = np.vstack([self.vectors, np.asarray(rows, dtype=np.float32)])
        self.row_terms += terms
        self.row_article += [base] * len(terms)
        self.row_keys += keys or [""] * len(terms)
        return list(range(first, first + len(terms)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seen": self.seen,
            "articles": self.articles,
            "units": {
                "n": self.n_units,
                "sum": base64.b64encode(self.vector_sum.astype(np.float64).tobytes()).decode(),
                "df": self.df,
            },
            "vectors": pack_matrix(self.vectors),
            "row_terms": [" ".join(terms) for terms in self.row_terms],
            "row_article": self.row_article,
            "row_keys": self.row_keys,
            "claims": self.claims,
            "quotes": self.quotes,
            "next_claim": self.next_claim,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> StoryState | None:
        """The state saved by :meth:`to_dict`; None for no state or another format (rebuilt)."""
        if not data or data.get("format") != FORMAT:
            return None
        units = data["units"]
        return cls(
            seen=list(data["seen"]),
            articles=dict(data["articles"]),
            n_units=int(units["n"]),
            vector_sum=np.frombuffer(base64.b64decode(units["sum"]), dtype=np.float64).copy(),
            df=dict(units["df"]),
            vectors=unpack_matrix(data["vectors"]),
            row_terms=[terms.split() for terms in data["row_terms"]],
            row_article=list(data["row_article"]),
            row_keys=list(data.get("row_keys") or [""] * len(data["row_article"])),
            claims=list(data["claims"]),
            quotes=list(data["quotes"]),
            next_claim=int(data["next_claim"]),
        )


__all__ = ["StoryState", "pack_ints", "pack_matrix", "unpack_ints", "unpack_matrix"]
