"""Stories: online clustering of articles into events, and wire-copy lineage inside a story."""

from __future__ import annotations

from typing import Any, TypedDict

from newsprism.cluster.lineage import (
    LineageGroup,
    LineageResult,
    SharedPassage,
    independent_sources,
    wire_lineage,
)
from newsprism.cluster.stories import ClusterConfig, StoryClusterer, StorySummary, story_id_for
from newsprism.model import Article


class ClusteringResult(TypedDict):
    """The JSON-ready output of ``newsprism cluster``."""

    assignments: dict[str, str]
    stories: list[dict[str, Any]]


def cluster_articles(
    articles: list[Article], config: ClusterConfig | None = None
) -> ClusteringResult:
    """Cluster a batch of articles into stories; any input order gives the same result."""
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
