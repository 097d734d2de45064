"""The per-article stages of a batch (read, clean, optionally annotate), run where the data is.

:func:`process_partition` is a plain module-level function of picklable arguments, so the
local engine calls it in-process and the Dask engine ships it to workers unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsprism.errors import NewsprismError
from newsprism.ingest.build import to_article
from newsprism.ingest.readers import AlreadyStored, ReadFailure
from newsprism.model import Article
from newsprism.scale.partitions import Partition, read_partition


@dataclass
class PartitionResult:
    """What the per-article stages made of one partition, in input order."""

    index: int
    articles: list[Article] = field(default_factory=list)
    annotations: list[dict[str, Any] | None] = field(default_factory=list)  # same order
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def process_partition(partition: Partition, annotate: bool = False) -> PartitionResult:
    """Read and clean every record of ``partition`` (and annotate it when asked)."""
    result = PartitionResult(partition.index)
    for item in read_partition(partition):
        if isinstance(item, ReadFailure):
            result.failures.append(item.message)
        elif isinstance(item, AlreadyStored):  # only feeds with a store yield these
            continue
        else:
            try:
                result.articles.append(to_article(item, result.warnings))
            except NewsprismError as err:
                result.failures.append(str(err))
    result.annotations = _annotate(result.articles) if annotate else [None] * len(result.articles)
    return result


def _annotate(articles: list[Article]) -> list[dict[str, Any] | None]:
    from newsprism.nlp import annotate_many

    # One process per worker: Dask already runs one worker per core.
    items = ((str(i), a.text, a.date) for i, a in enumerate(articles))
    return [note.to_dict() for note in annotate_many(items, n_process=1)]
