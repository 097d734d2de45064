"""Stories: online clustering of articles into events, and wire-copy lineage inside a story.

The clusterer (and SciPy behind it) is imported on first use: comparing one story needs only
the lineage, and a cold ``newsprism compare`` should not pay for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from newsprism.cluster.lineage import (
    LineageGroup,
    LineageResult,
    SharedPassage,
    independent_sources,
    wire_lineage,
)
from newsprism.model import Article

if TYPE_CHECKING:
    from newsprism.cluster.stories import (
        ClusterConfig,
        StoryClusterer,
        StorySummary,
        story_id_for,
    )

_FROM_STORIES = frozenset({"ClusterConfig", "StoryClusterer", "StorySummary", "story_id_for"})


def __getattr__(name: str) -> Any:
    if name in _FROM_STORIES:
        from newsprism.cluster import stories

        return getattr(stories, name)
    raise AttributeError(f"module 'newsprism.cluster' has no attribute {name!r}")


class ClusteringResult(TypedDict):
    """The JSON-ready output of ``newsprism cluster``."""

    assignments: dict[str, str]
    stories: list[dict[str, Any]]


def cluster_articles(
    articles: list[Article], config: ClusterConfig | None = None
) -> ClusteringResult:
    """Cluster a batch of articles into stories; any input order gives the same result."""
    from newsprism.cluster.stories import StoryClusterer

    clusterer = StoryClusterer(config)
    clusterer.add_many(articles)
    return {
        "assignments": clusterer.assignments(),
        "stories": [s.to_dict() for s in clusterer.stories()],
    }


__all__ = [
    "ClusterConfig",
    "ClusteringResult",
    "LineageGroup",
    "LineageResult",
    "SharedPassage",
    "StoryClusterer",
    "StorySummary",
    "cluster_articles",
    "independent_sources",
    "story_id_for",
    "wire_lineage",
]
