"""Reading articles from wherever news lives: files, directories, JSONL, feeds, URLs, WARC.

The package itself is callable: ``newsprism.ingest(paths, db)`` runs :func:`ingest`.
"""

import sys
import types
from typing import Any

from newsprism.ingest.build import to_article
from newsprism.ingest.fetch import Fetcher, FetchLimits
from newsprism.ingest.pipeline import (
    IngestReport,
    assign_pending,
    clean_sources,
    ingest,
    read_sources,
)
from newsprism.ingest.readers import ReadFailure

__all__ = [
    "FetchLimits",
    "Fetcher",
    "IngestReport",
    "ReadFailure",
    "assign_pending",
    "clean_sources",
    "ingest",
    "read_sources",
    "to_article",
]


class _CallableModule(types.ModuleType):
    """Lets ``newsprism.ingest(...)`` call the ingest job while ``newsprism.ingest.*`` stays a
    package of readers."""

    def __call__(self, *args: Any, **kwargs: Any) -> IngestReport:
        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
