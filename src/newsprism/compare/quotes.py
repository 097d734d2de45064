"""Quote comparison across articles: the same statement verbatim, in part, or worded differently.

* ``verbatim``: the same words (case, punctuation and quotation marks aside);
* ``partial``: one quote's words run inside the other's;
* ``variant``: the same speaker and a close meaning in other words (two translations), or the
  same words with a few changed.

Differing words are given as spans of each quote. When the same words are attributed to
different speakers by different outlets, the group is flagged.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.compare.lexicon import spelling_key, words

_RANK = {"verbatim": 0, "partial": 1, "variant": 2}
_MIN_PARTIAL_WORDS = 2
_VARIANT_COS = 0.6  # same speaker, close meaning
_NEAR_VERBATIM = 0.75  # share of words in common for "same words, a few changed"


@dataclass
class QuoteItem:
    """A direct quote of one article, ready for comparison."""

    id: str
    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_key: str | None
    _tokens: list[tuple[str, int, int]] | None = field(default=None, repr=False, compare=False)

    @property
    def tokens(self) -> list[tuple[str, int, int]]:
        if self._tokens is None:
            self._tokens = words(self.text)
        return self._tokens


def speaker_key(name: str | None) -> str | None:
    """A key under which two spellings of one speaker's name meet (last name, variant-blind)."""
    if not name:
        return None
    parts = [w for w, _, _ in words(name)]
    return spelling_key(parts[-1]) if parts else None


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _bag_ratio(ta: list[str], tb: list[str]) -> float:
    """An upper bound of ``SequenceMatcher.ratio``: words in common, order ignored."""
    common = sum((Counter(ta) & Counter(tb)).values())
    return 2 * common / (len(ta) + len(tb))


def relation(a: QuoteItem, b: QuoteItem, cos: float) -> str | None:
    """How two quotes of different articles relate, or None when they are different statements."""
    ta = [w for w, _, _ in a.tokens]
    tb = [w for w, _, _ in b.tokens]
    if not ta or not tb:
        return None
    if ta == tb:
        return "verbatim"
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= _MIN_PARTIAL_WORDS and _contains(long, short):
        return "partial"
    # The matching-blocks ratio never beats the shared-bag ratio: skip difflib when that fails.
    if len(short) >= 4 and _bag_ratio(ta, tb) >= _NEAR_VERBATIM:
        ratio = difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio()
        if ratio >= _NEAR_VERBATIM:
            return "variant"
    same_speaker = a.speaker_key is not None and a.speaker_key == b.speaker_key
    if same_speaker and cos >= _VARIANT_COS and len(short) >= 4:
        return "variant"
    return None


def differences(a: QuoteItem, b: QuoteItem) -> list[dict[str, Any]]:
    """Spans of ``a`` whose words ``b`` does not have in the same order."""
    ta, tb = a.tokens, b.tokens
    sm = difflib.SequenceMatcher(None, [w for w, _, _ in ta], [w for w, _, _ in tb], autojunk=False)
    out: list[dict[str, Any]] = []
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        if tag in ("replace", "delete") and i2 > i1:
            start, end = a.start + ta[i1][1], a.start + ta[i2 - 1][2]
            out.append(
                {
                    "quote": a.id,
                    "article": a.article,
                    "start": start,
                    "end": end,
                    "text": a.text[ta[i1][1] : ta[i2 - 1][2]],
                }
            )
    return out


def group_quotes(items: Sequence[QuoteItem], vectors: np.ndarray) -> list[dict[str, Any]]:
    """Quote groups across articles (JSON-ready), strongest relation pairs first."""
    n = len(items)
    sims = vectors @ vectors.T if n else np.zeros((0, 0))
    pairs: list[tuple[int, float, int, int, str]] = []
    for i in range(n):
        for j in range(i + 1, n):
            if items[i].article == items[j].article:
                continue
            rel = relation(items[i], items[j], float(sims[i, j]))
            if rel:
                pairs.append((_RANK[rel], -float(sims[i, j]), i, j, rel))
    pairs.sort()
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: dict[int, list[tuple[int, int, str]]] = {}
    for _, _, i, j, rel in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[rj] = ri
        links.setdefault(i, []).append((i, j, rel))
    grouped: dict[int, list[tuple[int, int, str]]] = {}
    for i, ls in links.items():
        for link in ls:
            grouped.setdefault(find(i), []).append(link)
    out: list[dict[str, Any]] = []
    for root, ls in sorted(grouped.items(), key=lambda kv: min(min(a, b) for a, b, _ in kv[1])):
        members = sorted({k for i, j, _ in ls for k in (i, j)})
        rels = [rel for _, _, rel in ls]
        worst = max(rels, key=lambda r: _RANK[r])
        diffs: list[dict[str, Any]] = []
        pair_out = []
        for i, j, rel in ls:
            pair_out.append({"a": items[i].id, "b": items[j].id, "relation": rel})
            if rel == "variant":
                diffs += differences(items[i], items[j]) + differences(items[j], items[i])
        speakers = {items[k].speaker_key for k in members if items[k].speaker_key}
        same_words = any(rel in ("verbatim", "partial") for rel in rels)
        out.append(
            {
                "id": f"qg{len(out) + 1}",
                "relation": worst,
                "quotes": [items[k].id for k in members],
                "articles": sorted({items[k].article for k in members}),
                "pairs": pair_out,
                "speakers": sorted({items[k].speaker or "" for k in members} - {""}),
                "speaker_conflict": same_words and len(speakers) > 1,
                "differences": diffs,
            }
        )
        del root
    return out


__all__ = ["QuoteItem", "differences", "group_quotes", "relation", "speaker_key"]
