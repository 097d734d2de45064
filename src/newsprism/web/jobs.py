"""Ingest jobs started from the web app: run one at a time in the background, report progress.

A page (or the API) starts a job and gets its id at once; the job page shows its progress and
refreshes itself (a ``<meta refresh>`` without JavaScript, a small poll with it). Jobs run one
at a time on one thread because every ingest writes through the store's single writer.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.errors import NewsprismError
from newsprism.ingest import Fetcher, FetchLimits, ingest
from newsprism.stories import assign_stories
from newsprism.web.data import StoreAccess
from newsprism.web.security import check_global_host

if TYPE_CHECKING:
    import httpx

# The web app reads URLs for anyone who can reach it, so its limits are tighter than the CLI's
# and private addresses are refused (SSRF).
WEB_FETCH_LIMITS = FetchLimits(
    connect_timeout=5.0,
    read_timeout=10.0,
    total_timeout=30.0,
    max_bytes=5 * 1024 * 1024,
    max_redirects=3,
    allow_private=False,
)
_KEEP_JOBS = 200
_KEEP_FAILURES = 200  # per job: a file of broken records must not fill the server's memory
_EXCERPT = 500  # characters of one failure message a job keeps


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


class PublicFetcher(Fetcher):
    """A :class:`Fetcher` that only asks public addresses: the host of every request, each
    redirect hop included, is resolved and checked just before the request is sent."""

    def _http(self) -> httpx.Client:
        fresh = self._client is None
        client = super()._http()
        if fresh:
            client.event_hooks = {"request": [_refuse_non_public], "response": []}
        return client


def _refuse_non_public(request: httpx.Request) -> None:
    check_global_host(request.url.host, where=str(request.url)[:300])


@dataclass
class Job:
    """One ingest run as the progress page shows it."""

    id: str
    kind: str  # "upload" | "url" | "feed"
    source: str  # what the user gave: a file name or a URL
    state: str = "queued"  # queued | reading | grouping | done | failed
    processed: int = 0
    ingested: list[str] = field(default_factory=list)
    duplicates: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    message: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def running(self) -> bool:
        return self.state not in {"done", "failed"}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["running"] = self.running
        return data


class JobManager:
    """Starts ingest jobs on one background thread and keeps the latest ones for their pages."""

    def __init__(self, access: StoreAccess, limits: FetchLimits = WEB_FETCH_LIMITS) -> None:
        self.access = access
        self.limits = limits
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-ingest")

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, kind: str, source: str, target: str | Path, cleanup: Path | None = None) -> Job:
        """Queue an ingest of ``target`` (a saved upload or a URL); ``cleanup`` is removed after."""
        job = Job(id=secrets.token_urlsafe(9), kind=kind, source=source)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, target, cleanup)
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until a job ends (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or not job.running:
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, target: str | Path, cleanup: Path | None) -> None:
        job.state = "reading"

        def progress(_source: str) -> None:
            job.processed += 1

        try:
            with self.access.write_lock, PublicFetcher(self.limits) as fetcher:
                store = self.access.writer
                report = ingest(
                    [target], store, fetcher=fetcher, fetch_links=True, on_article=progress
                )
                job.ingested = list(report.ingested)
                job.duplicates = len(report.duplicates)
                job.failures = [
                    {"where": _excerpt(f.where), "message": _excerpt(f.message)}
                    for f in report.failures[:_KEEP_FAILURES]
                ]
                job.warnings = [_excerpt(w) for w in report.warnings[:50]]
                if report.ingested:
                    job.state = "grouping"
                    job.stories = self._group(job, store, list(report.ingested))
            job.message = report.summary()
            if len(report.failures) > _KEEP_FAILURES:
                job.message += f" (the first {_KEEP_FAILURES} failures are listed)"
            job.state = "done" if report.ingested or not report.failures else "failed"
        except NewsprismError as err:
            job.state, job.message = "failed", _excerpt(str(err))
        except Exception as err:  # a job must end visibly whatever went wrong inside it
            # The ingest library reports each broken record as its own failure; this is only
            # the last resort, and it still names what was being read.
            cause = _excerpt(f"internal error: {type(err).__name__}: {err}")
            job.failures.append({"where": job.source, "message": cause})
            job.state, job.message = "failed", f"{job.source}: {cause}"
        finally:
            job.finished = time.time()
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)

    @staticmethod
    def _group(job: Job, store: Any, ingested: list[str]) -> list[str]:
        """Stories of the new articles; a failure here is the job's failure to group, not a
        loss of what it stored (``newsprism cluster`` or the next ingest groups them)."""
        try:
            return assign_stories(store, ingested)
        except Exception as err:  # the articles are stored: say so rather than "failed"
            message = f"stored, but not yet put into stories: {type(err).__name__}: {err}"
            job.failures.append({"where": "story assignment", "message": _excerpt(message)})
            return []
