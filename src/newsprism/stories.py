"""Stories in the store: each newly ingested article joins a story (or opens one) incrementally.

The online clusterer's state is kept in the store, so an ingest never re-clusters the archive:
new articles are added to the saved clusterer, and only the stories they touch change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism.store import Store


def assign_stories(store: Store, article_ids: Sequence[str]) -> list[str]:
    """Put newly stored articles into stories and save them; returns the touched story ids."""
    from newsprism.cluster import StoryClusterer

    state = store.clusterer_state()
    if state:
        clusterer = StoryClusterer.from_state(state)
        articles = [a for i in article_ids if (a := store.get(i)) is not None]
    else:
        # First run on this database: every stored article goes in, so old ones join too.
        clusterer = StoryClusterer()
        articles = store.articles(limit=None)
    if not articles:
        return []
    clusterer.add_many(articles)
    stories = [s.to_dict() for s in clusterer.stories()]
    store.save_stories(clusterer.assignments(), stories, clusterer.state())
    touched = {clusterer.story_of(i) for i in article_ids}
    return sorted(s for s in touched if s)


def unassigned(store: Store) -> list[str]:
    """Ids of stored (latest-version) articles that have no story yet."""
    assigned = store.assignments()
    return [a.id for a in store.articles(limit=None) if a.id not in assigned]


def stored_clustering(store: Store) -> dict[str, Any]:
    """`newsprism cluster --db` output: every article's story and the story summaries."""
    missing = unassigned(store)
    if missing:
        assign_stories(store, missing)
    return {"assignments": store.assignments(), "stories": store.stories(limit=None)}
