"""Framing as evidence, not verdicts: spelling and term variants, hedges, loaded words,
scare quotes and headlines, per outlet, each pointing at the words in the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.compare.lexicon import HEDGES, LOADED, STOPWORDS, content_terms, spelling_key, words

_HEDGE_RE = re.compile(r"\b(" + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.I)
_LOADED_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in LOADED) + r")\b", re.I)


@dataclass
class FramingInput:
    """What framing reads from one article."""

    article: str
    outlet: str
    title: str
    text: str
    quoted: list[tuple[int, int]] = field(default_factory=list)  # spans inside direct quotes
    scare: list[dict[str, Any]] = field(default_factory=list)  # quotes with no speaker


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _hits(regex: re.Pattern[str], item: FramingInput) -> list[dict[str, Any]]:
    out = []
    for m in regex.finditer(item.text):
        out.append(
            {
                "article": item.article,
                "text": m.group(),
                "start": m.start(),
                "end": m.end(),
                # In a quotation the words are the speaker's, not the outlet's.
                "voice": "quoted" if _inside(item.quoted, m.start(), m.end()) else "own",
            }
        )
    return out


def term_variants(items: Sequence[FramingInput]) -> list[dict[str, Any]]:
    """Words spelled differently by different outlets (Uighur/Uyghur, neighbour/neighbor)."""
    by_key: dict[str, dict[str, set[str]]] = {}
    for item in items:
        for w, s, e in words(item.text):
            if len(w) < 4 or w in STOPWORDS:
                continue
            surface = item.text[s:e]
            if surface[0].islower() and surface.lower() != surface:
                continue
            by_key.setdefault(spelling_key(w), {}).setdefault(item.article, set()).add(
                surface.rstrip("'’s") if surface.endswith(("'s", "’s")) else surface
            )
    out = []
    for key, per_article in sorted(by_key.items()):
        if len(per_article) < 2:
            continue
        spellings = {sp.lower().rstrip("s") for sps in per_article.values() for sp in sps}
        if len(spellings) < 2:
            continue
        # Only a variant when outlets differ, not when every outlet uses every spelling.
        sets = [frozenset(sp.lower().rstrip("s") for sp in sps) for sps in per_article.values()]
        if len(set(sets)) < 2:
            continue
        out.append(
            {
                "key": key,
                "variants": {a: sorted(sps) for a, sps in sorted(per_article.items())},
            }
        )
    return out


def headlines(items: Sequence[FramingInput]) -> list[dict[str, Any]]:
    """Each headline with its hedges, loaded words, and the words no other headline uses."""
    terms = {i.article: set(content_terms(i.title)) for i in items}
    out = []
    for item in items:
        others: set[str] = set()
        for a, ts in terms.items():
            if a != item.article:
                others |= ts
        own = [w for w, _, _ in words(item.title) if w not in STOPWORDS and len(w) > 2]
        out.append(
            {
                "article": item.article,
                "outlet": item.outlet,
                "title": item.title,
                "hedges": [m.group() for m in _HEDGE_RE.finditer(item.title)],
                "loaded": [m.group() for m in _LOADED_RE.finditer(item.title)],
                "distinct_words": [
                    w for w in own if content_terms(w) and content_terms(w)[0] not in others
                ]
                if others
                else [],
            }
        )
    return out


def framing(items: Sequence[FramingInput]) -> dict[str, Any]:
    """The framing section of the report."""
    per_outlet = []
    for item in items:
        hedges = _hits(_HEDGE_RE, item)
        loaded = _hits(_LOADED_RE, item)
        per_outlet.append(
            {
                "article": item.article,
                "outlet": item.outlet,
                "hedges": hedges,
                "loaded": loaded,
                "scare_quotes": item.scare,
                "counts": {
                    "hedges": len(hedges),
                    "loaded_own_voice": sum(1 for h in loaded if h["voice"] == "own"),
                    "scare_quotes": len(item.scare),
                },
            }
        )
    return {
        "term_variants": term_variants(items),
        "per_article": per_outlet,
        "headlines": headlines(items),
    }


__all__ = ["FramingInput", "framing", "headlines", "term_variants"]
