"""Annotating stored articles: the language layer's results, cached in the store per annotator."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from newsprism import __version__
from newsprism.model import Article
from newsprism.store import Store

# Stored annotations made by another version of the language layer are recomputed. The revision
# changes whenever the language layer's output does, between releases too.
_REVISION = 2
ANNOTATOR = f"newsprism-nlp/{__version__}.r{_REVISION}"


def annotate_stored(
    store: Store,
    articles: Sequence[Article],
    *,
    refresh: bool = False,
    on_article: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """The annotation of each article (JSON-ready), computing and storing the missing ones."""
    from newsprism.nlp import annotate_many

    results: dict[str, dict[str, Any]] = {}
    todo: list[Article] = []
    for article in articles:
        cached = None if refresh else store.annotation(article.id, ANNOTATOR)
        if cached is not None:
            results[article.id] = cached
            if on_article:
                on_article(article.id)
        else:
            todo.append(article)
    items = ((a.id, a.text, a.date) for a in todo)
    for annotation in annotate_many(items):
        data = annotation.to_dict()
        store.save_annotation(annotation.doc_id, ANNOTATOR, data)
        results[annotation.doc_id] = data
        if on_article:
            on_article(annotation.doc_id)
    return [results[a.id] for a in articles]


def annotation_from_dict(data: dict[str, Any]) -> Any:
    """Rebuild an :class:`newsprism.nlp.Annotation` from its stored ``to_dict()`` form."""
    from datetime import date, datetime

    from newsprism.nlp.types import (
        Annotation,
        Attribution,
        DateMention,
        Entity,
        Mention,
        Quantity,
        Quote,
        Sentence,
    )

    def entity(raw: dict[str, Any]) -> Entity:
        return Entity(**{**raw, "mentions": [Mention(**m) for m in raw.get("mentions", [])]})

    def when(raw: dict[str, Any]) -> DateMention:
        value = raw.get("value")
        return DateMention(**{**raw, "value": date.fromisoformat(value) if value else None})

    published = data.get("published")
    return Annotation(
        doc_id=data.get("doc_id", ""),
        text=data.get("text", ""),
        published=datetime.fromisoformat(published) if published else None,
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
        entities=[entity(e) for e in data.get("entities", [])],
        quotes=[Quote(**q) for q in data.get("quotes", [])],
        attributions=[Attribution(**a) for a in data.get("attributions", [])],
        quantities=[Quantity(**q) for q in data.get("quantities", [])],
        dates=[when(d) for d in data.get("dates", [])],
    )
