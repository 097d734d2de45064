"""``newsprism batch``: ingest → clean → (annotate) → store → cluster over large inputs, resumably.

Stages
------
1. **Plan**: the inputs are cut into partitions (:mod:`newsprism.scale.partitions`).
2. **Per-article work** (read, clean, optionally annotate) runs on the chosen engine, local or
   Dask; results come back in plan order (:mod:`newsprism.scale.engines`).
3. **Store**: one writer adds each partition's articles, spills the stored ones to per-day
   files in the work folder, then advances ``progress.json``.
4. **Stories**: the spilled days are clustered in date order, one day at a time, by the same
   online :class:`~newsprism.cluster.StoryClusterer` that ``ingest`` uses. Its state carries the
   active time window from one day to the next, so a story that straddles a day (or a
   partition, or a file) boundary stays one story; each day is added as one order-free batch,
   so the stories depend only on the set of articles, never on the engine or the partitioning.

With ``workers`` >= 2 the two stages overlap when the input is (nearly) in date order: after
each stored partition, the days that lie well behind the newest day stored so far (further
than the largest lateness seen, plus a margin) are clustered *ahead*, while the helper process
cleans the next partitions. That is a guess about partitions not read yet, so nothing of it
reaches the database: its checkpoints are written to the work folder, and saved to the store,
in order, only once every partition is stored. Should a later partition spill an article into
a day already clustered ahead (or an undated one), the guess was wrong: everything clustered
ahead is dropped and the days are clustered after storing, as without the overlap. Either way
the same days are clustered in the same order with the same checkpoints, so the same stories.

Resuming after SIGKILL
----------------------
* ``progress.json`` is replaced atomically after a partition is stored and spilled; a resumed
  run starts at the first partition not recorded there.
* Articles of a partition that was cut short are offered to the store again. The store calls
  them duplicates of themselves; a duplicate whose stored copy has the same ``source`` (the
  input record's ``path:line``, unique per record) is recognised as this record, stored by the
  interrupted run, and counted and spilled as stored. Nothing is stored twice, nothing is lost.
* Story checkpoints write assignments, summaries and the clusterer's state (with a marker
  naming the batch and the last day clustered) in one transaction; a resumed run reloads that
  state and re-clusters the days after the marker, which gives the same stories. Checkpoints
  of days clustered ahead are kept in the work folder until every partition is stored; a run
  killed before then left the database untouched, and its resumed run starts them afresh.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from newsprism.model import Article
from newsprism.scale.engines import map_partitions
from newsprism.scale.partitions import Partition, fingerprint, input_files, plan_partitions
from newsprism.store import AddResult, Store, open_store
from newsprism.store.postgres import is_postgres_url

UNDATED = "0000-00-00"  # sorts before every day: the clusterer also puts undated articles first
MAX_FAILURE_SAMPLES = 50
AHEAD_MARGIN_DAYS = 2  # days clustered ahead lie this much further back than any lateness seen
Event = Callable[[str], None]


@dataclass
class BatchReport:
    """Counts over the whole batch (across resumes) and this run's timings."""

    partitions: int = 0
    cleaned: int = 0
    stored: int = 0
    versions: int = 0
    duplicates: int = 0
    failures: int = 0
    failure_samples: list[str] = field(default_factory=list)
    clustered: int = 0
    stories: int = 0
    resumed_at: int = 0  # partitions already stored when this run started
    wall_seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # this process and its finished child processes
    work_dir: str = ""

    def summary(self) -> str:
        parts = [
            f"partitions {self.partitions}",
            f"stored {self.stored}",
            f"versions {self.versions}",
            f"duplicates skipped {self.duplicates}",
            f"failed {self.failures}",
            f"stories {self.stories}",
        ]
        if self.resumed_at:
            parts.append(f"resumed after partition {self.resumed_at}")
        return ", ".join(parts)


def default_work_dir(db: str | Path | None) -> Path:
    """Beside a SQLite file (``news.db.batch``); ``./newsprism-batch`` for a server database."""
    if db is None or is_postgres_url(db) or str(db) == ":memory:":
        return Path("newsprism-batch")
    return Path(f"{db}.batch")


def run_batch(
    inputs: Iterable[str | Path],
    db: str | Path | None = None,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    chunk: int = 2000,
    annotate: bool = False,
    stories: bool = True,
    checkpoint_every: int = 20_000,
    work_dir: str | Path | None = None,
    on_event: Event | None = None,
) -> BatchReport:
    """Run (or resume) a batch over ``inputs`` into the store ``db``; see the module docstring."""
    started, cpu0 = time.perf_counter(), _cpu_seconds()
    emit = on_event or (lambda _message: None)
    files = input_files(inputs)
    run_id = fingerprint(files, chunk)
    work = Path(work_dir or default_work_dir(db)) / run_id
    work.mkdir(parents=True, exist_ok=True)
    progress = _Progress.load(work / "progress.json", run_id)
    report = progress.report
    report.work_dir = str(work)
    report.resumed_at = progress.next
    with open_store(db) as store:
        if not progress.done:
            partitions = plan_partitions(files, chunk)
            report.partitions = len(partitions)
            report.wall_seconds["plan"] = time.perf_counter() - started
            t0 = time.perf_counter()
            todo = partitions[progress.next :]
            ahead_dir = work / "stories-ahead"
            shutil.rmtree(ahead_dir, ignore_errors=True)  # a killed run's guesses: start afresh
            days: _Days | None = None
            try:
                if stories and workers >= 2 and todo:
                    days = _Days(store, work / "spill", run_id, checkpoint_every, report, emit,
                                 helper=True, ahead_dir=ahead_dir)  # fmt: skip
                    if days.through is not None:  # this run's stories were begun: no guessing
                        days.close()
                        days = None
                frontier = _Frontier(work / "spill")
                results = map_partitions(
                    todo, engine=engine, annotate=annotate, scheduler=scheduler, workers=workers
                )
                for result in results:
                    spilled = _store_partition(store, result, work / "spill", report)
                    progress.next = result.index + 1
                    progress.save()
                    emit(f"stored partition {progress.next}/{len(partitions)}")
                    if days is not None:
                        if spilled and days.reached is not None and min(spilled) <= days.reached:
                            days.close()  # a late article: fall back to clustering after storing
                            days = None
                            shutil.rmtree(ahead_dir, ignore_errors=True)
                            emit("input not in date order: stories after storing")
                        else:
                            frontier.see(spilled)
                            days.advance(frontier.cutoff())
                report.wall_seconds["read+clean+store"] = time.perf_counter() - t0
                if stories:
                    t0 = time.perf_counter()
                    if days is None:
                        days = _Days(store, work / "spill", run_id, checkpoint_every, report,
                                     emit, helper=workers >= 2)  # fmt: skip
                    days.commit()
                    days.advance(None)
                    days.finish()
                    report.wall_seconds["stories"] = time.perf_counter() - t0
            finally:
                if days is not None:
                    days.close()
            progress.done = True
            progress.save()
            shutil.rmtree(work / "spill", ignore_errors=True)
            shutil.rmtree(ahead_dir, ignore_errors=True)
        report.stories = store.count_stories() if stories else 0
    report.wall_seconds["total"] = time.perf_counter() - started
    report.cpu_seconds = _cpu_seconds() - cpu0
    emit("done")
    return report


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the local helper process)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# -- storing ---------------------------------------------------------------------------------


def _store_partition(store: Store, result: Any, spill: Path, report: BatchReport) -> list[str]:
    """Store one partition's articles and spill them; the day of each one spilled, in order."""
    from newsprism.annotations import ANNOTATOR

    days: dict[str, list[dict[str, Any]]] = {}
    order: list[str] = []
    report.cleaned += len(result.articles)
    report.failures += len(result.failures)
    room = MAX_FAILURE_SAMPLES - len(report.failure_samples)
    report.failure_samples.extend(result.failures[: max(0, room)])
    # One transaction per partition: the same results as adding one by one, a commit each.
    added = store.add_many(result.articles)
    for article, note, outcome in zip(result.articles, result.annotations, added, strict=True):
        status, stored_id = _outcome(store, article, outcome)
        if status == "duplicate":
            report.duplicates += 1
            continue
        report.stored += 1
        report.versions += status == "version"
        if note is not None:
            note["doc_id"] = stored_id
            store.save_annotation(stored_id, ANNOTATOR, note)
        day = day_key(article.date)
        order.append(day)
        days.setdefault(day, []).append(_spill_record(article, stored_id))
    for day, records in days.items():
        folder = spill / day
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{result.index:08d}.jsonl"
        tmp = target.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        os.replace(tmp, target)  # a rerun of this partition rewrites the same files
    return order


def _outcome(store: Store, article: Article, result: AddResult) -> tuple[str, str]:
    """("new" | "version" | "duplicate", the id it is stored under) for one stored article."""
    if result.status != "duplicate":
        return result.status, result.article_id
    stored = store.get(result.duplicate_of or "")
    if stored is not None and stored.source == article.source:
        # This very record, stored by a run that was killed before it recorded the partition.
        return ("version" if stored.version > 1 else "new"), stored.id
    return "duplicate", result.duplicate_of or ""


def day_key(date: datetime | None) -> str:
    """The UTC day an article belongs to, as a sortable string; undated articles come first."""
    if date is None:
        return UNDATED
    if date.tzinfo is not None:
        date = date.astimezone(UTC)
    return date.date().isoformat()


def _spill_record(article: Article, stored_id: str) -> dict[str, Any]:
    return {
        "id": stored_id,
        "title": article.title,
        "text": article.text,
        "outlet": article.outlet,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
        "kind": article.kind,
        "hash": article.content_hash,
        "lang": article.lang,  # stories compare articles in two languages differently
    }


# -- stories ---------------------------------------------------------------------------------


class _Frontier:
    """How far behind the newest stored day articles arrive: which days look complete."""

    def __init__(self, spill: Path) -> None:
        names = [p.name for p in spill.iterdir()] if spill.exists() else []
        self.undated = UNDATED in names
        dated = [n for n in names if n != UNDATED]
        self.top: date | None = date.fromisoformat(max(dated)) if dated else None
        self.lag = 0  # the most days an article was seen behind the newest day before it

    def see(self, days: list[str]) -> None:
        top = self.top
        for day in days:
            if day == UNDATED:
                self.undated = True
                continue
            when = date.fromisoformat(day)
            if top is None or when > top:
                top = when
            else:
                self.lag = max(self.lag, (top - when).days)
        self.top = top

    def cutoff(self) -> str | None:
        """The last day that looks complete (None: none, e.g. while undated articles are in)."""
        if self.top is None or self.undated:
            return None
        return (self.top - timedelta(days=self.lag + AHEAD_MARGIN_DAYS)).isoformat()


class _Days:
    """Clusters the spilled days in date order, and checkpoints them.

    With ``ahead_dir`` the days are clustered ahead of the store stage (see the module
    docstring): checkpoints go to files there until :meth:`commit` saves them to the store."""

    def __init__(
        self,
        store: Store,
        spill: Path,
        run_id: str,
        every: int,
        report: BatchReport,
        emit: Event,
        *,
        helper: bool = False,
        ahead_dir: Path | None = None,
    ) -> None:
        from newsprism.cluster import StoryClusterer

        self.store, self.spill, self.run_id, self.every = store, spill, run_id, every
        self.report, self.emit, self.ahead_dir = report, emit, ahead_dir
        state = store.clusterer_state()
        marker = (state or {}).get("batch") or {}
        self.through: str | None = marker.get("through") if marker.get("run") == run_id else None
        self.last = self.through  # the last day clustered
        self.reached = self.through  # the last day clustered or being read ahead
        # With a helper process, the next day is read and tokenised, and the lineage of closed
        # stories worked out, while this process clusters: pure functions, so the same stories.
        self.pool = None
        if helper:
            from newsprism.scale.helper import helper_pool

            self.pool = helper_pool()
        if state:
            self.clusterer = StoryClusterer.from_state(state, executor=self.pool)
        else:
            self.clusterer = StoryClusterer(executor=self.pool)
        self.weight = self.clusterer.config.title_weight
        self.ahead: tuple[str, Future[Any]] | None = None
        self.since_checkpoint = 0
        self.clustered = 0  # articles clustered ahead, not yet counted in the report
        self.queued = 0  # checkpoints waiting in ahead_dir

    def advance(self, cutoff: str | None) -> None:
        """Cluster the spilled days after the last one clustered, up to ``cutoff`` (None: all,
        or with ``ahead_dir``: none)."""
        if self.ahead_dir is not None and cutoff is None:
            return
        names = sorted(p.name for p in self.spill.iterdir()) if self.spill.exists() else []
        days = [
            d
            for d in names
            if (self.last is None or d > self.last) and (cutoff is None or d <= cutoff)
        ]
        for i, day in enumerate(days):
            tokens: list[list[str]] | None = None
            if self.pool is not None:
                if self.ahead is None or self.ahead[0] != day:
                    self.ahead = (day, self.pool.submit(_load_day, self.spill / day, self.weight))
                articles, tokens = self.ahead[1].result()
                self.ahead = None
                if i + 1 < len(days):
                    following = days[i + 1]
                    self.ahead = (
                        following,
                        self.pool.submit(_load_day, self.spill / following, self.weight),
                    )
                    self.reached = following
            else:
                articles = list(_spilled(self.spill / day))
            self.clusterer.add_many(articles, tokens)
            self.last = day
            self.reached = max(self.reached or day, day)
            if self.ahead_dir is None:
                self.report.clustered += len(articles)
            else:
                self.clustered += len(articles)
            self.since_checkpoint += len(articles)
            if self.since_checkpoint >= self.every:
                self._checkpoint(day)
                self.since_checkpoint = 0

    def commit(self) -> None:
        """Every partition is stored: save the checkpoints made ahead, in order, and go on."""
        if self.ahead_dir is None:
            return
        for i in range(self.queued):
            path = self.ahead_dir / f"{i:08d}.pickle"
            with path.open("rb") as fh:
                assignments, summaries, state = pickle.load(fh)
            self.store.save_stories(assignments, summaries, state)
            self.emit(f"stories through {state['batch']['through']}")
        self.report.clustered += self.clustered
        self.ahead_dir, self.clustered, self.queued = None, 0, 0

    def finish(self) -> None:
        """The last checkpoint, once every day is clustered."""
        if self.since_checkpoint or self.through is None:
            self._checkpoint(self.last or UNDATED)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def _checkpoint(self, day: str) -> None:
        """Save finished stories, the active window and the resume marker in one transaction
        (to a file in ``ahead_dir`` while clustering ahead)."""
        clusterer = self.clusterer
        closed, closed_assignments = clusterer.drain_closed()
        assignments = {**closed_assignments, **clusterer.assignments()}
        summaries = [s.to_dict() for s in [*closed, *clusterer.stories()]]
        state = clusterer.state()
        state["batch"] = {"run": self.run_id, "through": day}
        if self.ahead_dir is None:
            self.store.save_stories(assignments, summaries, state)
            self.emit(f"stories through {day}")
            return
        self.ahead_dir.mkdir(parents=True, exist_ok=True)
        path = self.ahead_dir / f"{self.queued:08d}.pickle"
        with path.open("wb") as fh:
            pickle.dump((assignments, summaries, state), fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.queued += 1


def _load_day(folder: Path, title_weight: int) -> tuple[list[Article], list[list[str]]]:
    """One spilled day's articles and their clustering tokens (run in the helper process)."""
    from newsprism.cluster.features import article_tokens

    articles = list(_spilled(folder))
    return articles, [article_tokens(a.title, a.text, title_weight) for a in articles]


def _spilled(folder: Path) -> Iterator[Article]:
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                raw = json.loads(line)
                yield Article(
                    id=raw["id"],
                    title=raw["title"],
                    text=raw["text"],
                    source=raw["source"],
                    kind=raw["kind"],
                    outlet=raw["outlet"],
                    date=datetime.fromisoformat(raw["date"]) if raw["date"] else None,
                    content_hash=raw.get("hash", ""),  # known: not hashed again
                    lang=raw.get("lang"),
                )


# -- progress --------------------------------------------------------------------------------


@dataclass
class _Progress:
    """``progress.json``: the next partition to store, the counts so far, and whether done."""

    path: Path
    run_id: str
    next: int = 0
    done: bool = False
    report: BatchReport = field(default_factory=BatchReport)

    @classmethod
    def load(cls, path: Path, run_id: str) -> _Progress:
        if not path.exists():
            return cls(path, run_id)
        raw = json.loads(path.read_text(encoding="utf-8"))
        counts = {k: v for k, v in raw["report"].items() if k in BatchReport.__dataclass_fields__}
        return cls(path, run_id, raw["next"], raw["done"], BatchReport(**counts))

    def save(self) -> None:
        data = {"run": self.run_id, "next": self.next, "done": self.done}
        data["report"] = asdict(self.report)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)  # atomic: a kill leaves the old file or the new one


__all__ = ["BatchReport", "Partition", "day_key", "default_work_dir", "run_batch"]
