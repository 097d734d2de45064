"""Whole responses of the busiest read pages, kept in memory while the database is unchanged.

The story list and story pages (and their JSON twins) depend only on the stored data, the
request's path and query, and whether the request carries the access token (the menu shows
"Log in" or "Log out"). :class:`PageCache` keeps their 200 responses, keyed by exactly those,
and drops every one of them as soon as the database's data marker changes
(:class:`newsprism.web.data.DataVersion`, read on every request: a few microseconds). A cached
page is sent without routing, a worker thread, a query or a template, which is most of what a
page costs. Pages that change without a database write (job progress, outlet profiles that
count compared stories) are never cached.

It sits inside :class:`newsprism.web.security.Guard`, so refusals, private mode and the
security headers apply to cached responses exactly as to fresh ones. Every cached response
carries an ``ETag`` and ``Cache-Control: private, no-cache``: a browser asks again each time,
and a request whose ``If-None-Match`` names the current page gets an empty 304.

Memory is bounded by entries and bytes (least recently used out), and a response larger than
``max_entry`` is passed through uncached.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.web.security import Access

# "/", "/stories/{id}", "/stories/{id}/report.html", "/api/stories", "/api/stories/{id}"
CACHED_PATHS = re.compile(
    r"^/(?:|stories/[^/]+|stories/[^/]+/report\.html|api/stories(?:/[^/]+)?)$"
)
CACHE_CONTROL = b"private, no-cache"


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class PageCache:
    """The kept responses: bounded by entries and bytes, least recently used out.

    Used only from the event loop's thread, so it needs no lock.
    """

    def __init__(
        self,
        max_entries: int = 2048,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry: int = 2 * 1024 * 1024,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._items: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._version: Any = None
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: tuple[Any, ...], version: Any) -> Entry | None:
        """The entry made at this data marker; a new marker forgets every entry first."""
        if version != self._version:
            self._items.clear()
            self._bytes = 0
            self._version = version
        entry = self._items.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return entry

    def put(self, key: tuple[Any, ...], version: Any, entry: Entry) -> None:
        if version != self._version or len(entry.body) > self.max_entry:
            return  # the data changed while this page was being made, or it is too big
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._items[key] = entry
        self._bytes += len(entry.body)
        while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
            _, dropped = self._items.popitem(last=False)
            self._bytes -= len(dropped.body)


class CachedPages:
    """ASGI middleware serving :data:`CACHED_PATHS` from a :class:`PageCache`."""

    def __init__(
        self, app: ASGIApp, cache: PageCache, access: Access, version: Callable[[], Any]
    ) -> None:
        self.app = app
        self.cache = cache
        self.access = access
        self.version = version
        self._opened = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not CACHED_PATHS.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        # Read the marker before anything else: a page made now holds data at least this new.
        if self._opened:
            version = self.version()  # microseconds: fine on the event loop
        else:  # the first read opens (perhaps creates and migrates) the database
            version = await run_in_threadpool(self.version)
            self._opened = True
        if version is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        # The same reading of the token as the pages make (it only changes the menu).
        authorised = self.access.token is None or self.access.authorised(
            request.headers, request.cookies
        )
        key = (scope.get("raw_path") or scope["path"].encode(), scope["query_string"], authorised)
        wanted = request.headers.get("if-none-match")
        entry = self.cache.get(key, version)
        if entry is not None:
            await _send(entry, wanted, send)
            return
        await self._fill(scope, receive, send, key, version, wanted)

    async def _fill(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[Any, ...],
        version: Any,
        wanted: str | None,
    ) -> None:
        """Run the app; keep a whole 200 response, pass anything else through as it comes."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.cache.max_entry:  # too big to keep: send what is held, then the rest
                passing = True
                await send(start)
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"".join(chunks),
                        "more_body": message.get("more_body", False),
                    }
                )
                return
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
            headers = [
                (k, v)
                for k, v in start.get("headers", [])
                if k.lower() not in (b"etag", b"cache-control")
            ]
            headers += [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
            entry = Entry(start["status"], headers, body, etag)
            self.cache.put(key, version, entry)
            await _send(entry, wanted, send)

        await self.app(scope, receive, capture)


def _matches(entry: Entry, wanted: str | None) -> bool:
    """Whether an ``If-None-Match`` header names this entry (weak comparison, as for GET)."""
    if not wanted:
        return False
    tags = {t.strip().removeprefix("W/").encode("latin-1") for t in wanted.split(",")}
    return entry.etag in tags or b"*" in tags


async def _send(entry: Entry, wanted: str | None, send: Send) -> None:
    if _matches(entry, wanted):
        await send(
            {
                "type": "http.response.start",
                "status": 304,
                "headers": [(b"etag", entry.etag), (b"cache-control", CACHE_CONTROL)],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
