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
    stories = current_versions(store, [s.to_dict() for s in clusterer.stories()])
    store.save_stories(clusterer.assignments(), stories, clusterer.state())
    touched = {clusterer.story_of(i) for i in article_ids}
    return sorted(s for s in touched if s)


def current_versions(store: Store, stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Story summaries that count each article once, in its latest version in the story.

    A new version of an article joins stories like any article (usually its first version's),
    so without this a revised article counted twice and the story kept its old headline. An
    earlier version whose later one is in the same story is left out of the story's articles
    (it stays assigned: it is the article's history, see `newsprism diff`); a story titled
    after it takes the title of that later version."""
    # Versions after the first have ids ending in "~N" (Store.add): only stories holding one
    # need a look in the store.
    revised = [s for s in stories if any("~" in i for i in s.get("articles", []))]
    if not revised:
        return stories
    info = store.identities([i for s in revised for i in s["articles"]])
    for story in revised:
        newest: dict[str, str] = {}
        for article_id in story["articles"]:
            identity, version = info.get(article_id, (article_id, 1))
            best = newest.get(identity)
            if best is None or version > info.get(best, (best, 1))[1]:
                newest[identity] = article_id
        keep = set(newest.values())
        if len(keep) == len(story["articles"]):
            continue
        first = story["articles"][0]
        story["articles"] = [i for i in story["articles"] if i in keep]
        if first not in keep:
            latest = store.get(newest[info[first][0]])
            if latest is not None:
                story["title"] = latest.title
    return stories


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
