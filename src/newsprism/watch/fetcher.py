"""A polite fetcher for polling: conditional requests, a pause between requests to one host,
and a host's "come back later" (429/503 with Retry-After) remembered for all its URLs.

It wraps the ingest :class:`~newsprism.ingest.fetch.Fetcher`, so the timeouts, the size cap,
the per-hop redirect checks and the private-address rule are the same as ``newsprism ingest``.
Requests are made one after another, so one host never has two requests in flight.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from newsprism.errors import FetchError, InputError
from newsprism.ingest.fetch import Fetched, Fetcher, FetchLimits
from newsprism.watch.schedule import retry_after_s

# Answers that mean "not now": the host is overloaded, rate-limiting, or failing for a while.
WAIT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
VALIDATORS = ("etag", "last_modified", "sha1")


class Stopping(Exception):
    """Raised instead of making a request once the watcher was asked to stop."""


@dataclass(frozen=True)
class Answer:
    """One conditional GET: ``changed`` (a new body), ``unchanged`` (304, or the same body
    again), or ``wait`` (the server asked to come back later, or failed for now)."""

    kind: str
    url: str
    fetched: Fetched | None = None
    # For "changed": what to send next time (etag, last_modified) and the body's digest.
    validators: dict[str, str] = field(default_factory=dict)
    # For "wait": when the host may be asked again (None: back off), and why, for the log.
    retry_at: float | None = None
    reason: str = ""
    asked: bool = True  # False when the host was not asked (it asked us to wait earlier)


def body_digest(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def is_transient(err: FetchError) -> bool:
    """True for a failure worth retrying soon: a timeout, a refused or reset connection."""
    import httpx

    return isinstance(err.__cause__, httpx.TransportError)


class PoliteFetcher:
    """Conditional GETs with a minimum pause between requests to the same host.

    ``blocked`` maps a host to the time (epoch seconds) before which it is not asked again,
    as its Retry-After said; the watcher keeps it in the fetch state across runs.
    ``stop``, when set, ends a pause early and makes further requests raise :class:`Stopping`.
    """

    def __init__(
        self,
        fetcher: Fetcher | None = None,
        *,
        host_interval_s: float = 1.0,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.fetcher = fetcher or Fetcher(FetchLimits())
        self.host_interval_s = host_interval_s
        self.stop = stop or threading.Event()
        self.clock = clock
        self.blocked: dict[str, float] = {}
        self.requests = 0
        self._last: dict[str, float] = {}  # host -> monotonic time its last request ended

    def close(self) -> None:
        self.fetcher.close()

    def blocked_until(self, url: str) -> float | None:
        until = self.blocked.get(urlsplit(url).hostname or "")
        return until if until is not None and until > self.clock() else None

    def get(self, url: str, known: Mapping[str, Any] | None = None) -> Answer:
        """GET ``url``, conditionally on what ``known`` holds from last time (etag,
        last_modified, sha1 of the body). Raises :class:`FetchError` for a failure that is
        not a "come back later" (a 404, a timeout, a page too big...)."""
        known = known or {}
        host = urlsplit(url).hostname or ""
        until = self.blocked_until(url)
        if until is not None:
            return Answer("wait", url, retry_at=until, reason="host asked to wait", asked=False)
        self._pause(host)
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = str(known["etag"])
        if known.get("last_modified"):
            headers["If-Modified-Since"] = str(known["last_modified"])
        try:
            fetched = self.fetcher.fetch(
                url, headers=headers, statuses=(304, *sorted(WAIT_STATUSES))
            )
        finally:
            self.requests += 1
            self._last[host] = time.monotonic()
        if fetched.status == 304:
            return Answer("unchanged", url)
        if fetched.status in WAIT_STATUSES:
            now = self.clock()
            wait = retry_after_s(fetched.headers.get("retry-after"), now)
            retry_at = now + wait if wait is not None else None
            if retry_at is not None:
                self.blocked[host] = max(retry_at, self.blocked.get(host, 0.0))
            return Answer("wait", url, retry_at=retry_at, reason=_status_name(fetched.status))
        digest = body_digest(fetched.content)
        if digest == known.get("sha1"):
            return Answer("unchanged", url)
        validators = {"sha1": digest}
        if fetched.headers.get("etag"):
            validators["etag"] = fetched.headers["etag"]
        if fetched.headers.get("last-modified"):
            validators["last_modified"] = fetched.headers["last-modified"]
        return Answer("changed", url, fetched=fetched, validators=validators)

    def _pause(self, host: str) -> None:
        if self.stop.is_set():
            raise Stopping
        last = self._last.get(host)
        if last is not None:
            wait = last + self.host_interval_s - time.monotonic()
            if wait > 0 and self.stop.wait(wait):
                raise Stopping


def _status_name(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class EntryPages(Fetcher):
    """The fetcher the feed reader asks for a feed's entry pages, one as each is read (so
    each article is stored before the next page is asked for).

    A page is asked for conditionally on what is known of it: one that did not change
    (304) is noted in ``unchanged``, one the server will not give now (429, 503, a timeout)
    in ``retry``, and those not asked because the watcher is stopping in ``stopped``; for
    these the reader gets an error that is not a fetch failure, so it does not fall back on
    the entry's own text. A page that cannot be had at all (404, too big) is a fetch failure,
    and the reader uses the entry's text if it has one. ``fetched`` holds what to remember
    of each page that was read.
    """

    def __init__(
        self,
        polite: PoliteFetcher,
        known: dict[str, dict[str, Any]],
        bodies: dict[str, Fetched],
    ) -> None:
        super().__init__(polite.fetcher.limits)
        self.polite = polite
        self.known = known
        self.bodies = bodies
        self.fetched: dict[str, dict[str, Any]] = {}
        self.unchanged: set[str] = set()
        self.retry: dict[str, str] = {}
        self.stopped: set[str] = set()

    def fetch(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        statuses: Collection[int] = (),
    ) -> Fetched:
        if url in self.bodies:
            return self.bodies[url]
        try:
            answer = self.polite.get(url, self.known.get(url))
        except Stopping:
            self.stopped.add(url)
            raise InputError("not asked: the watcher is stopping", where=url) from None
        except FetchError as err:
            if not is_transient(err):
                raise
            answer = Answer("wait", url, reason=without_where(str(err), url))
        if answer.kind == "wait":
            self.retry[url] = answer.reason
            raise InputError(f"{answer.reason}; asked again next poll", where=url)
        if answer.kind == "unchanged" or answer.fetched is None:
            self.unchanged.add(url)
            raise InputError("not modified", where=url)
        # The page may be watched as a source too: what else is known of it is kept.
        kept = {k: v for k, v in self.known.get(url, {}).items() if k not in VALIDATORS}
        self.fetched[url] = {**kept, **answer.validators}
        return answer.fetched


def without_where(message: str, where: str) -> str:
    """An error message without its leading ``where: `` (the log line names it already)."""
    return message.removeprefix(f"{where}: ")
