"""Stories clustered while the batch is still storing: the two stages side by side.

The story stage clusters the spilled days in date order. A day can be clustered as soon as no
partition still to come holds an article of it, and with input that arrives roughly in date
order (feeds, crawls and dated archives do) that is known long before the last partition is
stored. :class:`StoriesAhead` works on that guess, in the writer process between two stored
partitions, while the helper processes clean the next ones: on two cores the store stage then
costs little more than the story stage alone.

The guess: a day is complete once it lies further behind the newest day stored so far than
any article has yet arrived late (the largest lateness seen, in days), plus ``MARGIN_DAYS``.
Should a stored partition still bring an article of a day already clustered (or an undated
article, which the clusterer puts first), the guess was wrong: everything clustered ahead is
dropped and the days are clustered after storing, as without this module.

Either way the days are added to the same clusterer in the same order, one day per
``add_many`` call, so the stories are the same. Nothing reaches the database before every
partition is stored: the stories that leave the window meanwhile are kept in a file in the
work folder, and :meth:`StoriesAhead.finish` saves them, then the open stories and the
clusterer's state with the batch's marker, as the last checkpoint of the plain story stage
does. A batch killed before that has written no story; its resumed run clusters after storing.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsprism.store import Store
from newsprism.stories import current_versions

MARGIN_DAYS = 2  # a day clustered ahead lies this much further back than any lateness seen
UNDATED = "0000-00-00"  # the spill folder of undated articles: sorts before every day, as the
# clusterer also puts undated articles first


class StoriesAhead:
    """Clusters the days that look complete while later partitions are still being stored."""

    def __init__(
        self,
        spill: Path,
        queue: Path,
        every: int,
        load_day: Callable[[Path, int], tuple[list[Any], list[Any]]],
        emit: Callable[[str], None],
        state: dict[str, Any] | None = None,
    ) -> None:
        """``state``: the clusterer state already in the database (an earlier batch or ingest
        into it), which the new articles continue, as the plain story stage does."""
        from newsprism.cluster import StoryClusterer
        from newsprism.scale.helper import helper_pool

        self.spill, self.queue, self.every = spill, queue, every
        self.load_day, self.emit = load_day, emit
        self.queue.unlink(missing_ok=True)  # a killed run's stories: never saved, start afresh
        self.pool: ProcessPoolExecutor | None = helper_pool()
        if state:
            self.clusterer = StoryClusterer.from_state(state, executor=self.pool)
        else:
            self.clusterer = StoryClusterer(executor=self.pool)
        self.weight = self.clusterer.config.title_weight
        self.last: str | None = None  # the last day clustered
        self.newest: date | None = None  # the newest day stored so far
        self.lag = 0  # the most days an article arrived behind the newest day before it
        self.clustered = 0  # articles clustered
        self.since_drain = 0
        self.ahead: tuple[str, Future[Any]] | None = None  # the next day, being read

    def stored(self, days: list[str]) -> bool:
        """A partition was stored, its articles spilled to ``days`` (one per article, in
        input order): cluster the days that now look complete. False when the guess failed
        (everything clustered ahead is dropped: cluster after storing)."""
        if UNDATED in days or (self.last is not None and days and min(days) <= self.last):
            self.close()
            self.queue.unlink(missing_ok=True)
            return False
        for day in days:
            when = date.fromisoformat(day)
            if self.newest is None or when > self.newest:
                self.newest = when
            else:
                self.lag = max(self.lag, (self.newest - when).days)
        if self.newest is not None:
            cutoff = self.newest - timedelta(days=self.lag + MARGIN_DAYS)
            self._cluster_through(cutoff.isoformat())
        return True

    def finish(self, store: Store, run_id: str) -> int:
        """Every partition is stored: cluster the rest, save every story, the clusterer's
        state and the batch's marker; returns the articles clustered."""
        self._cluster_through(None)
        if self.queue.exists():
            with self.queue.open("rb") as fh:
                while True:
                    try:
                        assignments, summaries = pickle.load(fh)
                    except EOFError:
                        break
                    store.save_stories(assignments, current_versions(store, summaries))
        clusterer = self.clusterer
        closed, closed_assignments = clusterer.drain_closed()
        assignments = {**closed_assignments, **clusterer.assignments()}
        summaries = current_versions(store, [s.to_dict() for s in [*closed, *clusterer.stories()]])
        state = clusterer.state()
        state["batch"] = {"run": run_id, "through": self.last or UNDATED}
        store.save_stories(assignments, summaries, state)
        self.emit(f"stories through {self.last or UNDATED}")
        self.close()
        self.queue.unlink(missing_ok=True)
        return self.clustered

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def _cluster_through(self, cutoff: str | None) -> None:
        """Add the spilled days after the last one clustered, up to ``cutoff`` (None: all)."""
        names = sorted(p.name for p in self.spill.iterdir()) if self.spill.exists() else []
        days = [
            d
            for d in names
            if (self.last is None or d > self.last) and (cutoff is None or d <= cutoff)
        ]
        assert self.pool is not None
        for i, day in enumerate(days):
            if self.ahead is None or self.ahead[0] != day:
                self.ahead = (day, self.pool.submit(self.load_day, self.spill / day, self.weight))
            articles, tokens = self.ahead[1].result()
            self.ahead = None
            if i + 1 < len(days):
                following = days[i + 1]
                read = self.pool.submit(self.load_day, self.spill / following, self.weight)
                self.ahead = (following, read)
            self.clusterer.add_many(articles, tokens)
            self.last = day
            self.clustered += len(articles)
            self.since_drain += len(articles)
            if self.since_drain >= self.every:
                self._drain()
                self.since_drain = 0

    def _drain(self) -> None:
        """Move the stories that left the window out of memory, into the queue file."""
        closed, closed_assignments = self.clusterer.drain_closed()
        with self.queue.open("ab") as fh:
            summaries = [s.to_dict() for s in closed]
            pickle.dump((closed_assignments, summaries), fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.emit(f"stories through {self.last} (ahead of storing)")


__all__ = ["MARGIN_DAYS", "UNDATED", "StoriesAhead"]
