"""Watching the news: poll feeds, pages and folders on a schedule, store what is new.

``newsprism watch`` (:mod:`newsprism.watch.cli`) runs a :class:`Watcher` over the sources;
the fetcher in :mod:`newsprism.watch.fetcher` makes the conditional, paced requests and
:mod:`newsprism.watch.schedule` says when each source is polled next. docs/watching.md is the
user guide. The names below are imported on first use, so the CLI starts without them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Answer": "newsprism.watch.fetcher",
    "PoliteFetcher": "newsprism.watch.fetcher",
    "PollReport": "newsprism.watch.poll",
    "RunSummary": "newsprism.watch.poll",
    "WatchedSource": "newsprism.watch.poll",
    "Watcher": "newsprism.watch.poll",
    "backoff_s": "newsprism.watch.schedule",
    "parse_duration": "newsprism.watch.schedule",
    "retry_after_s": "newsprism.watch.schedule",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'newsprism.watch' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
