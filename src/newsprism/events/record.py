"""Record the events of newly stored articles: per story, load the state, take each article in,
save the state and the events in one write (a kill never loses or doubles an event)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from newsprism.compare.claims import ClaimUnit
from newsprism.compare.quotes import QuoteItem
from newsprism.embed import Embedder, default_embedder
from newsprism.events.detect import Incoming, base_id, shingles, take_in, text_key, units_of
from newsprism.events.quotes import quotes_of
from newsprism.events.state import DIM, StoryState
from newsprism.model import Article
from newsprism.multilingual import base_language
from newsprism.store import AddResult, Store

STORED = ("new", "version")


def record_events(
    store: Store, results: Sequence[AddResult], *, embedder: Embedder | None = None
) -> list[dict[str, Any]]:
    """Compute, store and return the events of articles just stored ("new" or "version").

    Articles not yet in a story are put into one first. An article whose events were recorded
    before is skipped, so running this twice on the same results records nothing the second
    time. Each event is a dict ``{pk, story_id, kind, article_id, at, outlet, summary,
    evidence: [{article, start, end, text}], ...}`` as :meth:`Store.story_events` returns it.
    """
    ids = list(dict.fromkeys(r.article_id for r in results if r.status in STORED))
    if not ids:
        return []
    if any(store.story_of(i) is None for i in ids):
        from newsprism.ingest.pipeline import assign_pending

        assign_pending(store)
    by_story: dict[str, list[str]] = {}
    storyless = []
    for article_id in ids:
        story_id = store.story_of(article_id)
        if story_id is not None:
            by_story.setdefault(story_id, []).append(article_id)
        else:
            storyless.append(article_id)
    store.dequeue_events(storyless)  # nothing to tell of an article in no story
    out: list[dict[str, Any]] = []
    for story_id, new_ids in by_story.items():
        out += story_events_for(store, story_id, new_ids, embedder=embedder)
    return out


def _story_ids(store: Store, story_id: str) -> list[str]:
    rows = store._db.execute(
        "SELECT a.id FROM articles a JOIN story_assignments s ON s.article_id = a.id "
        "WHERE s.story_id = ? ORDER BY a.published IS NULL, a.published, a.pk",
        (story_id,),
    )
    return [str(r[0]) for r in rows]


def story_events_for(
    store: Store,
    story_id: str,
    new_ids: Sequence[str],
    *,
    embedder: Embedder | None = None,
    state: StoryState | None = None,
) -> list[dict[str, Any]]:
    """The events of ``new_ids`` joining story ``story_id``, saved with the story's state.

    Articles of the story the state has not taken in (the first run on an existing database,
    or articles that came with a merge of two stories) are taken in first, without events.
    """
    state = state or StoryState.from_dict(store.event_state(story_id)) or StoryState()
    seen = set(state.seen)
    todo = [i for i in dict.fromkeys(new_ids) if i not in seen]
    if not todo:
        store.dequeue_events(list(new_ids))  # taken in before: nothing left to do
        return []
    backlog = [i for i in _story_ids(store, story_id) if i not in seen and i not in todo]
    articles = [a for i in [*backlog, *todo] if (a := store.get(i)) is not None]
    prepared = prepare(store, state, articles, embedder=embedder)
    texts: dict[str, str] = {a.id: a.text for a in articles}

    def load_text(article_id: str) -> str | None:
        if article_id not in texts:
            stored = store.get(article_id)
            if stored is None:
                return None
            texts[article_id] = stored.text
        return texts[article_id]

    events: list[dict[str, Any]] = []
    quiet = set(backlog)
    for item in prepared:
        events += take_in(
            state, item, story_id, load_text=load_text, silent=item.article.id in quiet
        )
    # The events, the state and the articles leaving the event queue: one write.
    pks = store.save_event_state(story_id, state.to_dict(), events, done=[*backlog, *todo])
    return [{**e, "pk": pk} for e, pk in zip(events, pks, strict=True)]


def prepare(
    store: Store,
    state: StoryState,
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
) -> list[Incoming]:
    """Units, quotes, vectors and 8-gram hashes of the articles, in one embedding batch.

    The annotation (sentences, quotes) comes from the store's cache, computed and saved there
    when missing. A new version's sentences that the previous version carried word for word
    are left out (only what changed is compared), and its unchanged quotes keep their vectors.
    """
    from newsprism.annotations import annotate_stored

    compared = [base_language(a.lang) in (None, "en") and bool(a.text.strip()) for a in articles]
    annotations = annotate_stored(store, [a for a, c in zip(articles, compared, strict=True) if c])
    annotated = iter(annotations)
    # A quote the story already holds word for word keeps its vector.
    known_quotes = {q["text"]: q["row"] for q in state.quotes if q.get("row") is not None}
    # Within one batch, a later version's "previous version" is the earlier one in the batch.
    carried: dict[str, set[str]] = {b: set(f.get("units", [])) for b, f in state.articles.items()}
    pending: list[tuple[Article, bool, list[ClaimUnit], list[QuoteItem]]] = []
    for article, ok in zip(articles, compared, strict=True):
        if not ok:
            pending.append((article, False, [], []))
            continue
        annotation = next(annotated)
        old = carried.setdefault(base_id(article.id), set())
        units = [u for u in units_of(article, annotation) if text_key(u.text) not in old]
        old |= {text_key(u.text) for u in units}
        pending.append((article, True, units, quotes_of(article, annotation)))
    # A quote's vector only decides "same speaker, other words", so (as in compare) only quotes
    # of a speaker whom another article (or version) quotes too are embedded; an earlier quote
    # of that speaker stored without a vector gets one now.
    quoted_by: dict[str, set[str]] = {}
    for raw in state.quotes:
        if raw["key"]:
            quoted_by.setdefault(raw["key"], set()).add(raw["article"])
    for _, _, _, quotes in pending:
        for q in quotes:
            if q.speaker_key:
                quoted_by.setdefault(q.speaker_key, set()).add(q.article)
    shared = {key for key, ids in quoted_by.items() if len(ids) > 1}
    backfill = [q for q in state.quotes if q["key"] in shared and q.get("row") is None]
    filling = {q["text"] for q in backfill}
    # A sentence the story already holds word for word (a wire copy's) keeps its vector.
    stored_rows = {key: row for row, key in enumerate(state.row_keys) if key}
    texts = [q["text"] for q in backfill]
    for _, _, units, quotes in pending:
        texts += [u.text for u in units if text_key(u.text) not in stored_rows]
        texts += [
            q.text
            for q in quotes
            if q.speaker_key in shared and q.text not in known_quotes and q.text not in filling
        ]
    matrix = (embedder or default_embedder()).encode(texts) if texts else np.zeros((0, DIM))
    for at, raw in enumerate(backfill):
        raw["row"] = known_quotes[raw["text"]] = state.add_rows(
            matrix[at : at + 1], [[]], raw["base"]
        )[0]
    out: list[Incoming] = []
    at = len(backfill)
    for article, ok, units, quotes in pending:
        unit_vectors = np.zeros((len(units), DIM), dtype=np.float32)
        for k, u in enumerate(units):
            row = stored_rows.get(text_key(u.text))
            if row is None:
                unit_vectors[k] = matrix[at]
                at += 1
            else:
                unit_vectors[k] = state.vectors[row]
        quote_vectors = np.zeros((len(quotes), DIM), dtype=np.float32)
        reuse: dict[int, int] = {}
        embedded: set[int] = set()
        for k, q in enumerate(quotes):
            if q.text in known_quotes:
                reuse[k] = known_quotes[q.text]
            elif q.speaker_key in shared:
                quote_vectors[k] = matrix[at]
                embedded.add(k)
                at += 1
        out.append(
            Incoming(
                article,
                units,
                quotes,
                unit_vectors,
                quote_vectors,
                shingles(article.text),
                compared=ok,
                quote_rows=reuse,
                embedded_quotes=embedded,
            )
        )
    return out


def record_queued(store: Store, *, embedder: Embedder | None = None) -> list[dict[str, Any]]:
    """The events of articles a watch stored but did not work out the events of (it was killed
    in between): see :meth:`Store.queued_events`. Recorded and returned like
    :func:`record_events`; nothing is recorded twice."""
    queued = store.queued_events()
    if not queued:
        return []
    return record_events(store, [AddResult(s, i) for i, s in queued], embedder=embedder)


__all__ = ["prepare", "record_events", "record_queued", "story_events_for"]
