"""Polling watched sources: one source at a time, a round of the sources due, and the loop.

Each source's poll ends with its articles stored (each in its own transaction, queued for its
story) and then its fetch state saved, so a run killed at any point loses nothing stored: the
next run asks again for what it had not recorded, and what it stores again is a duplicate.

What is remembered per URL (the store's fetch state, one JSON object per URL):
``etag``, ``last_modified`` and ``sha1`` (of the last body processed) for conditional requests;
``entries`` (a feed's entry links and their fingerprints); ``files`` (a folder's files as
modification time, size and digest); ``last_poll``, ``failures``, ``error``, ``not_before``
(backoff, Retry-After). A host that sent Retry-After is kept under ``host:NAME``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsprism.errors import NewsprismError, StoreError
from newsprism.ingest.fetch import Fetched, Fetcher, FetchLimits
from newsprism.ingest.items import ReadFailure, unexpected
from newsprism.ingest.pipeline import IngestReport, assign_pending, clean_sources, is_url
from newsprism.ingest.readers import urlpath
from newsprism.ingest.sniff import sniff_kind
from newsprism.ingest.walk import walk_folder
from newsprism.model import Article
from newsprism.store import AddResult, Store
from newsprism.text import printable
from newsprism.watch.fetcher import (
    VALIDATORS,
    Answer,
    EntryPages,
    PoliteFetcher,
    Stopping,
    without_where,
)
from newsprism.watch.schedule import backoff_s, clock_time, iso_time

# What the reader is told of a feed entry seen before with the same fingerprint (its
# "already stored" answer): its page is not asked for.
UNCHANGED = "(unchanged)"

OnStored = Callable[[list[AddResult]], None]


@dataclass(frozen=True)
class WatchedSource:
    """A feed or page URL, or a file or folder, polled every ``every_s`` seconds."""

    name: str
    every_s: float

    @property
    def is_url(self) -> bool:
        return is_url(self.name)

    @property
    def key(self) -> str:
        """The source's fetch-state key: its URL, or its file's absolute ``file://`` URI."""
        return self.name if self.is_url else Path(self.name).resolve().as_uri()

    @property
    def host(self) -> str:
        return (urlsplit(self.name).hostname or "") if self.is_url else ""


@dataclass
class PollReport:
    """What one poll of one source did; :meth:`line` is its log line."""

    source: str
    at: float
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    note: str = ""
    error: str | None = None  # the source itself could not be polled
    failures: list[str] = field(default_factory=list)  # items of the source that failed
    next_poll: float = 0.0
    polled: bool = True  # False: not due yet (a --once round names it anyway)
    stored: list[AddResult] = field(default_factory=list)

    def line(self) -> str:
        if not self.polled:
            body = f"not polled ({self.note})"
        elif self.error:
            body = f"failed: {self.error}"
            if self.note:
                body += f" ({self.note})"
        else:
            body = (
                f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed"
            )
            if self.note:
                body += f" ({self.note})"
            if self.failures:
                more = len(self.failures) - 1
                body += f"; {self.failures[0]}" + (f" (+{more} more)" if more else "")
        when = clock_time(self.next_poll, self.at)
        return printable(f"{iso_time(self.at)} {self.source}: {body}; next poll {when}")


@dataclass
class RunSummary:
    rounds: int = 0
    polls: int = 0
    new: int = 0
    updated: int = 0
    failed: int = 0

    def add(self, reports: Iterable[PollReport]) -> None:
        self.rounds += 1
        for report in reports:
            if report.polled:
                self.polls += 1
                self.new += report.new
                self.updated += report.updated
                self.failed += report.failed + (report.error is not None)

    def line(self) -> str:
        rounds = f"{self.rounds} round{'s' * (self.rounds != 1)}"
        return (
            f"watched {rounds}, {self.polls} polls: {self.new} new, {self.updated} updated, "
            f"{self.failed} failed"
        )


class _Waiting(Exception):
    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.reason)
        self.answer = answer


class Watcher:
    """Polls sources into a store. ``stop`` (set by Ctrl-C) ends the current item early: the
    article being stored is finished, the rest is left for the next poll.

    ``on_stored`` is called with what a source's poll stored (new articles and new versions),
    after their stories are assigned: the hook for story events and alerts.
    """

    def __init__(
        self,
        store: Store,
        *,
        host_interval_s: float = 1.0,
        limits: FetchLimits | None = None,
        stories: bool = True,
        on_stored: OnStored | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.stop = stop or threading.Event()
        self.clock = clock
        self.fetcher = PoliteFetcher(
            Fetcher(limits or FetchLimits()),
            host_interval_s=host_interval_s,
            stop=self.stop,
            clock=clock,
        )
        self.stories = stories
        self.on_stored = on_stored
        self.states = store.fetch_states()
        self.fetcher.blocked = {
            key.removeprefix("host:"): float(state["not_before"])
            for key, state in self.states.items()
            if key.startswith("host:") and state.get("not_before")
        }

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schedule ----------------------------------------------------------------------------
    def next_poll(self, source: WatchedSource, *, scheduled: bool = True) -> float:
        """When ``source`` may be polled: after a failure, at its backoff or Retry-After
        time; else, with ``scheduled``, once its interval has passed since its last poll. Never
        while its host asked to wait."""
        state = self.states.get(source.key, {})
        if state.get("not_before"):
            due = float(state["not_before"])
        elif not scheduled or state.get("last_poll") is None:
            due = 0.0
        else:
            due = float(state["last_poll"]) + source.every_s
        held = self.fetcher.blocked_until(source.name) if source.is_url else None
        return max(due, held or 0.0)

    def run(
        self,
        sources: Callable[[], list[WatchedSource]],
        *,
        once: bool = False,
        on_report: Callable[[PollReport], None] = lambda _report: None,
    ) -> RunSummary:
        """Poll rounds until stopped (or one round with ``once``). ``sources`` is asked again
        before each round, so a watch list edited meanwhile takes effect."""
        summary = RunSummary()
        while not self.stop.is_set():
            listed = sources()
            summary.add(self.round(listed, scheduled=not once, on_report=on_report))
            if once:
                break
            now = self.clock()
            next_at = min((self.next_poll(s) for s in listed), default=now + 60.0)
            # Wake at least once a minute to read the watch list again.
            self.stop.wait(min(max(next_at - now, 0.05), 60.0))
        return summary

    def round(
        self,
        sources: list[WatchedSource],
        *,
        scheduled: bool = True,
        on_report: Callable[[PollReport], None] = lambda _report: None,
    ) -> list[PollReport]:
        """Poll each source that is due, hosts taken in turn; a --once round (not
        ``scheduled``) also reports the sources still waiting after a failure."""
        reports = []
        now = self.clock()
        for source in by_host_in_turn(sources):
            if self.stop.is_set():
                break
            due_at = self.next_poll(source, scheduled=scheduled)
            if due_at > now:
                if not scheduled:
                    state = self.states.get(source.key, {})
                    waiting = PollReport(source.name, at=now, polled=False, next_poll=due_at)
                    waiting.note = (
                        f"waiting after: {state['error']}"
                        if state.get("error")
                        else "its host asked to wait"
                    )
                    on_report(waiting)
                    reports.append(waiting)
                continue
            report = self.poll(source)
            on_report(report)
            reports.append(report)
        return reports

    # -- one source ------------------------------------------------------------------------
    def poll(self, source: WatchedSource) -> PollReport:
        """Poll one source now: store what is new, assign stories, save its state."""
        now = self.clock()
        state = dict(self.states.get(source.key, {}))
        report = PollReport(source.name, at=now)
        saves: dict[str, dict[str, Any]] = {}
        retry_at: float | None = None
        try:
            if source.is_url:
                self._poll_url(source, state, report, saves)
            else:
                self._poll_path(source, state, report)
        except _Waiting as waiting:
            if not waiting.answer.asked:  # another URL of its host answered Retry-After
                return self._not_polled(source, report, "its host asked to wait")
            retry_at = waiting.answer.retry_at
            report.error = f"the server answered {waiting.answer.reason}"
        except Stopping:  # stopped while pausing before the source's own request
            return self._not_polled(source, report, "stopped")
        except StoreError:
            raise  # the database failing ends the run: nothing later could be stored
        except NewsprismError as err:
            report.error = without_where(str(err), source.name)
        except Exception as err:  # a bug in one source's poll must not end the watch
            report.error = unexpected(source.name, err).message
        if report.stored:
            if self.stories:
                assign_pending(self.store)
            if self.on_stored is not None:
                try:
                    self.on_stored(report.stored)
                except StoreError:
                    raise
                except NewsprismError as err:  # alerts failing must not stop the watching
                    report.failures.append(f"story events: {err}")
        state["last_poll"] = now
        if report.error is None:
            for key in ("failures", "error", "not_before"):
                state.pop(key, None)
        else:
            failures = int(state.get("failures", 0)) + 1
            state.update(failures=failures, error=report.error)
            state["not_before"] = retry_at or now + backoff_s(source.every_s, failures)
            report.note = f"attempt {failures}" + (", Retry-After" if retry_at else "")
        for host, until in self.fetcher.blocked.items():
            key = f"host:{host}"
            if self.states.get(key, {}).get("not_before") != until:
                saves[key] = {"not_before": until}
        saves[source.key] = state
        self.store.save_fetch_states(saves)
        self.states.update(saves)
        report.next_poll = self.next_poll(source)
        return report

    def _not_polled(self, source: WatchedSource, report: PollReport, why: str) -> PollReport:
        """A source left for later without asking it: its state is kept as it was."""
        report.polled, report.note = False, why
        report.next_poll = self.next_poll(source)
        return report

    def _poll_url(
        self,
        source: WatchedSource,
        state: dict[str, Any],
        report: PollReport,
        saves: dict[str, dict[str, Any]],
    ) -> None:
        url = source.key
        answer = self.fetcher.get(url, state)
        if answer.kind == "wait":
            raise _Waiting(answer)
        if answer.kind == "unchanged" or answer.fetched is None:
            report.unchanged = max(1, len(state.get("entries", ())))
            report.note = "not modified"
            return
        for key in VALIDATORS:  # saved again only once every entry is dealt with
            state.pop(key, None)
        pages = EntryPages(self.fetcher, self.states, {url: answer.fetched})
        fingerprints, total = (
            feed_fingerprints(answer.fetched) if is_feed(answer.fetched) else ({}, 0)
        )
        if total < 0:  # a well-formed feed with no entries (yet): nothing new, nothing wrong
            report.note = "no entries"
            state["entries"] = {}
            state.update(answer.validators)
            return
        seen = state.get("entries", {})
        marks = {link: UNCHANGED for link, mark in fingerprints.items() if seen.get(link) == mark}
        if fingerprints and len(marks) == total:  # a new body, but no entry changed
            report.unchanged = total
            report.note = "no entry changed"
            state.update(answer.validators)
            return

        def done() -> dict[str, str]:
            return {
                link: mark
                for link, mark in fingerprints.items()
                if link in marks or link in pages.fetched or link in pages.unchanged
            }

        saved: set[str] = set()

        def save_progress() -> None:  # after each article: a killed run resumes from here
            fresh = {link: v for link, v in pages.fetched.items() if link not in saved}
            saved.update(fresh)
            self.store.save_fetch_states({**fresh, url: {**state, "entries": done()}})

        read = self._ingest(
            [url], report, fetcher=pages, known_url=marks.get, after_store=save_progress
        )
        saves.update(pages.fetched)
        if not read and not fingerprints and report.failures and not pages.retry:
            # Nothing in it could be read: the feed or page itself is broken.
            report.error = without_where(report.failures[0], url)
            report.failures.clear()
            report.failed = 0
            return
        if fingerprints:
            state["entries"] = {
                link: mark
                for link, mark in fingerprints.items()
                if link not in pages.retry and link not in pages.stopped
            }
        if not pages.retry and not pages.stopped:  # else read this body again next time
            state.update(answer.validators)
        if pages.stopped:
            report.note = "stopped"

    def _poll_path(self, source: WatchedSource, state: dict[str, Any], report: PollReport) -> None:
        root = Path(source.name)
        if not root.exists():
            raise NewsprismError("no such file or folder", where=source.name)
        known: dict[str, list[Any]] = state.get("files", {})
        files: dict[str, list[Any]] = {}
        changed: list[tuple[Path, list[Any]]] = []
        own = self.store.own_files()
        listing = walk_folder(root) if root.is_dir() else [root]
        for item in listing:
            if isinstance(item, ReadFailure):
                if not item.message.startswith(f"{item.where}: skipped"):
                    report.failed += 1
                    report.failures.append(item.message)
                continue
            if item.resolve() in own:
                continue
            name = str(item)
            old = known.get(name)
            try:
                info = item.stat()
                if old and old[:2] == [info.st_mtime_ns, info.st_size]:
                    files[name] = old
                    report.unchanged += 1
                    continue
                signature = [info.st_mtime_ns, info.st_size, file_digest(item)]
            except OSError as err:  # gone since the folder was listed, or unreadable
                report.failed += 1
                report.failures.append(f"{item}: cannot read it: {err.strerror or err}")
                continue
            if old and old[2] == signature[2]:
                files[name] = signature
                report.unchanged += 1
                continue
            changed.append((item, signature))
        for path, signature in changed:
            if self.stop.is_set():
                report.note = "stopped"
                break
            before = report.failed
            self._ingest(
                [path],
                report,
                fetcher=EntryPages(self.fetcher, self.states, {}),
                known_url=self.store.id_for_url,
                exclude=own,
            )
            if report.failed == before:  # a file that failed is read again next time
                files[str(path)] = signature
            state["files"] = files
        state["files"] = files

    def _ingest(
        self,
        sources: list[str | Path],
        report: PollReport,
        *,
        fetcher: Fetcher,
        after_store: Callable[[], None] = lambda: None,
        **options: Any,
    ) -> int:
        """Read, clean and store the sources' articles into ``report``, one by one; returns
        how many articles were read (stored, or found stored already)."""
        read = IngestReport()
        pages = fetcher if isinstance(fetcher, EntryPages) else None
        count = 0
        for article in clean_sources(sources, read, fetcher=fetcher, fetch_links=True, **options):
            count += 1
            self._store(article, report)
            after_store()
        for _where, _article_id in read.duplicates:
            count += 1
            report.unchanged += 1
        for failure in read.failures:
            if pages is not None and failure.where in pages.unchanged:
                count += 1
                report.unchanged += 1
            elif pages is None or failure.where not in pages.stopped:
                report.failed += 1
                report.failures.append(failure.message)
        return count

    def _store(self, article: Article, report: PollReport) -> None:
        try:
            # Queued for its story events in the same write when events are worked out: a
            # kill before they are loses none (the next run takes the queue in first).
            result = self.store.add(article, queue_events=self.on_stored is not None)
        except StoreError:
            raise
        except Exception as err:  # a value the database refuses fails this article alone
            report.failed += 1
            report.failures.append(unexpected(article.source, err).message)
            return
        if result.status == "duplicate":
            report.unchanged += 1
            return
        if result.status == "version":
            report.updated += 1
        else:
            report.new += 1
        report.stored.append(result)


def feed_fingerprints(fetched: Fetched) -> tuple[dict[str, str], int]:
    """Each entry's link and what the feed says of it (:func:`entry_fingerprint`), and the
    number of entries (with a link or not); -1 entries for a well-formed feed with none (a
    new feed, or one emptied: nothing to read, and nothing wrong)."""
    import feedparser

    try:
        parsed = feedparser.parse(fetched.content)
    except Exception:  # the feed reader reports a broken feed in its own words
        return {}, 0
    if not parsed.entries and not parsed.get("bozo") and parsed.get("version"):
        return {}, -1
    links = {e["link"]: entry_fingerprint(e) for e in parsed.entries if e.get("link")}
    return links, len(parsed.entries)


def is_feed(fetched: Fetched) -> bool:
    """Whether a fetched body is an RSS/Atom feed (as ``newsprism ingest`` decides)."""
    kind = sniff_kind(Path(urlpath(fetched.url)), fetched.content[:8192])
    return kind == "feed" or "rss" in fetched.content_type or "atom" in fetched.content_type


def entry_fingerprint(entry: Any) -> str:
    """What a feed says of an entry: when its text changes, the entry's page is asked again."""
    # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
    fields = [
        dict.get(entry, k) for k in ("id", "link", "title", "updated", "published", "summary")
    ]
    data = json.dumps(fields, ensure_ascii=False, default=str).encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


def file_digest(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def by_host_in_turn(sources: list[WatchedSource]) -> list[WatchedSource]:
    """The sources with hosts taken in turn (a, b, c, a, b, ...), so the pause between two
    requests to one host is spent asking the others."""
    queues: dict[str, list[WatchedSource]] = {}
    for source in sources:
        queues.setdefault(source.host, []).append(source)
    ordered: list[WatchedSource] = []
    while queues:
        for host in list(queues):
            ordered.append(queues[host].pop(0))
            if not queues[host]:
                del queues[host]
    return ordered
