"""The pieces every event is made of: evidence spans, short quotations, the outlet's name."""

from __future__ import annotations

from typing import Any

from newsprism.events.state import StoryState
from newsprism.model import Article

# What a detection step found: (kind, summary, evidence spans, the kind's own fields).
Found = tuple[str, str, list[dict[str, Any]], dict[str, Any]]


def span(article_id: str, start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    return {"article": article_id, "start": start, "end": end, "text": text, **extra}


def short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def outlet_of(state: StoryState, base: str, article: Article) -> str:
    facts = state.articles.get(base)
    if facts:
        return str(facts["outlet"])
    from newsprism.compare.report import _outlet_name

    return _outlet_name(article)


__all__ = ["Found", "outlet_of", "short", "span"]
