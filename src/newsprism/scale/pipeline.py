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
   With ``workers`` >= 2 a fresh run clusters the days that already look complete while it
   is still storing, and saves those stories only once every partition is stored
   (:mod:`newsprism.scale.ahead`; input far from date order falls back to this order).

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
  state and re-clusters the days after the marker, which gives the same stories. Stories
  clustered ahead of storing reach the database only after the last partition is stored; a
  run killed before then resumes with clustering after storing.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism.model import Article
from newsprism.scale.ahead import UNDATED, StoriesAhead
from newsprism.scale.engines import map_partitions
from newsprism.scale.partitions import (
    InputFiles,
    Partition,
    fingerprint,
    input_files,
    plan_partitions,
)
from newsprism.store import AddResult, Store, open_store
from newsprism.store.postgres import is_postgres_url
from newsprism.stories import current_versions

MAX_FAILURE_SAMPLES = 50
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
    warnings: list[str] = field(default_factory=list)  # e.g. links out of a folder, skipped
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
    follow_links: bool = False,
) -> BatchReport:
    """Run (or resume) a batch over ``inputs`` into the store ``db``; see the module docstring.

    Folders are walked as ``ingest`` walks them: a symbolic link out of a folder is skipped
    (a warning) unless ``follow_links``; a link loop or a broken link is that link's failure.
    """
    started, cpu0 = time.perf_counter(), _cpu_seconds()
    emit = on_event or (lambda _message: None)
    found = input_files(inputs, follow_links=follow_links)
    files = found.files
    run_id = fingerprint(files, chunk)
    work = Path(work_dir or default_work_dir(db)) / run_id
    work.mkdir(parents=True, exist_ok=True)
    progress = _Progress.load(work / "progress.json", run_id)
    report = progress.report
    report.work_dir = str(work)
    report.resumed_at = progress.next
    if progress.next == 0 and not progress.done:  # a resumed run counted them already
        _note_walk(report, found)
    with open_store(db) as store:
        if not progress.done:
            partitions = plan_partitions(files, chunk)
            report.partitions = len(partitions)
            report.wall_seconds["plan"] = time.perf_counter() - started
            t0 = time.perf_counter()
            todo = partitions[progress.next :]
            # A fresh run with two cores clusters the days that look complete while it stores
            # (scale/ahead.py); a resumed one, or input far from date order, clusters after.
            ahead = None
            if stories and workers >= 2 and progress.next == 0 and len(todo) > 1:
                state = store.clusterer_state()
                if ((state or {}).get("batch") or {}).get("run") != run_id:
                    ahead = StoriesAhead(
                        work / "spill", work / "stories-ahead.pickle", checkpoint_every,
                        _load_day, emit, state,
                    )  # fmt: skip
            try:
                results = map_partitions(
                    todo, engine=engine, annotate=annotate, scheduler=scheduler, workers=workers
                )
                for result in results:
                    spilled = _store_partition(store, result, work / "spill", report)
                    progress.next = result.index + 1
                    progress.save()
                    emit(f"stored partition {progress.next}/{len(partitions)}")
                    if ahead is not None and not ahead.stored(spilled):
                        ahead = None
                        emit("input far from date order: stories after storing")
                report.wall_seconds["read+clean+store"] = time.perf_counter() - t0
                if stories:
                    t0 = time.perf_counter()
                    if ahead is not None:
                        report.clustered += ahead.finish(store, run_id)
                    else:
                        _cluster_days(
                            store, work / "spill", run_id, checkpoint_every, report, emit,
                            workers >= 2,
                        )  # fmt: skip
                    report.wall_seconds["stories"] = time.perf_counter() - t0
            finally:
                if ahead is not None:
                    ahead.close()
            progress.done = True
            progress.save()
            shutil.rmtree(work / "spill", ignore_errors=True)
        report.stories = store.count_stories() if stories else 0
    report.wall_seconds["total"] = time.perf_counter() - started
    report.cpu_seconds = _cpu_seconds() - cpu0
    emit("done")
    return report


def _note_walk(report: BatchReport, found: InputFiles) -> None:
    """Count what the folder walk left out: skipped links as warnings, bad links as failures."""
    report.warnings.extend(item.message for item in found.skipped[:MAX_FAILURE_SAMPLES])
    report.failures += len(found.failures)
    room = MAX_FAILURE_SAMPLES - len(report.failure_samples)
    report.failure_samples.extend(item.message for item in found.failures[: max(0, room)])


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
    """Store a partition's articles and spill them; the day of each one spilled, in order."""
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


def _cluster_days(
    store: Store,
    spill: Path,
    run_id: str,
    every: int,
    report: BatchReport,
    emit: Event,
    helper: bool = False,
) -> None:
    from newsprism.cluster import StoryClusterer

    state = store.clusterer_state()
    marker = (state or {}).get("batch") or {}
    through = marker.get("through") if marker.get("run") == run_id else None
    days = sorted(p.name for p in spill.iterdir()) if spill.exists() else []
    days = [day for day in days if through is None or day > through]
    # With a helper process, the next day is read and tokenised, and the lineage of closed
    # stories worked out, while this process clusters: pure functions, so the same stories.
    pool = None
    if helper and len(days) > 1:
        from newsprism.scale.helper import helper_pool

        pool = helper_pool()
    try:
        if state:
            clusterer = StoryClusterer.from_state(state, executor=pool)
        else:
            clusterer = StoryClusterer(executor=pool)
        weight = clusterer.config.title_weight
        ahead = pool.submit(_load_day, spill / days[0], weight) if pool else None
        since_checkpoint, last = 0, through
        for i, day in enumerate(days):
            tokens: list[Counter[str]] | None = None
            if pool is not None and ahead is not None:
                articles, tokens = ahead.result()
                if i + 1 < len(days):
                    ahead = pool.submit(_load_day, spill / days[i + 1], weight)
            else:
                articles = list(_spilled(spill / day))
            clusterer.add_many(articles, tokens)
            report.clustered += len(articles)
            since_checkpoint += len(articles)
            last = day
            if since_checkpoint >= every:
                _checkpoint(store, clusterer, run_id, day)
                emit(f"stories through {day}")
                since_checkpoint = 0
        if since_checkpoint or through is None:
            _checkpoint(store, clusterer, run_id, last or UNDATED)
            emit(f"stories through {last}")
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _load_day(folder: Path, title_weight: int) -> tuple[list[Article], list[Counter[str]]]:
    """One spilled day's articles and their clustering tokens, counted (in the helper process)."""
    from newsprism.cluster.features import article_tokens

    articles = list(_spilled(folder))
    return articles, [Counter(article_tokens(a.title, a.text, title_weight)) for a in articles]


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


def _checkpoint(store: Store, clusterer: Any, run_id: str, day: str) -> None:
    """Save finished stories, the active window and the resume marker in one transaction."""
    closed, closed_assignments = clusterer.drain_closed()
    assignments = {**closed_assignments, **clusterer.assignments()}
    summaries = current_versions(store, [s.to_dict() for s in [*closed, *clusterer.stories()]])
    state = clusterer.state()
    state["batch"] = {"run": run_id, "through": day}
    store.save_stories(assignments, summaries, state)


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
