"""A local web server for tests that poll: pages a test sets and changes between polls.

Loopback only (127.0.0.1, a free port). Use it as a context manager or through the
``news_server`` fixture in ``tests/watch/conftest.py``::

    with NewsServer() as server:
        server.set("/feed.xml", rss_feed("Loopback News", [entry(server, "/a1", "Bridge reopens")]),
                   content_type="application/rss+xml")
        server.set("/a1", article_page("Bridge reopens", "The old river bridge reopened ..."))
        ...poll server.url("/feed.xml")...
        assert server.hits("/a1") == 1          # requests for the path, any answer
        assert server.not_modified("/a1") == 0  # of which answered 304

What each path answers (:meth:`NewsServer.set`):

- ``body`` with ``status`` (200 by default) and ``content_type``;
- an ETag (the body's digest, quoted) unless ``etag=False``; a ``Last-Modified`` when given.
  A request whose ``If-None-Match`` holds the ETag, or whose ``If-Modified-Since`` equals the
  ``Last-Modified``, gets ``304 Not Modified`` and no body: the server is a conditional one.
- ``headers`` are added as given (``{"Retry-After": "2"}`` with ``status=429``);
- ``delay`` seconds of silence before the answer (a slow server; the client may time out).

A path never set answers 404. :attr:`NewsServer.log` lists every request (path, method,
request headers, status answered, time.monotonic() when it arrived).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["NewsServer", "Request", "article_page", "entry", "http_date", "rss_feed"]


@dataclass(frozen=True)
class Request:
    path: str
    method: str
    headers: dict[str, str]
    status: int
    at: float  # time.monotonic() on arrival


@dataclass
class _Page:
    body: bytes
    content_type: str
    status: int
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class NewsServer:
    """A threaded HTTP server on 127.0.0.1 whose pages a test sets, changes and counts."""

    def __init__(self) -> None:
        self._pages: dict[str, _Page] = {}
        self._lock = threading.Lock()
        self.log: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one write (flushed after each request): written
            # apart, a keep-alive client waits for a delayed ACK, 40 ms a response.
            wbufsize = 1 << 16

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                server._answer(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- what the test uses ----------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + path

    def set(
        self,
        path: str,
        body: str | bytes = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        etag: bool = True,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Serve ``body`` at ``path`` from now on (replacing what was there)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        tag = f'"{hashlib.sha1(data).hexdigest()[:16]}"' if etag else None
        page = _Page(data, content_type, status, tag, last_modified, dict(headers or {}), delay)
        with self._lock:
            self._pages[path] = page

    def remove(self, path: str) -> None:
        with self._lock:
            self._pages.pop(path, None)

    def hits(self, path: str) -> int:
        """Requests for ``path`` so far, whatever was answered."""
        return sum(r.path == path for r in self.requests())

    def not_modified(self, path: str) -> int:
        """Requests for ``path`` answered 304."""
        return sum(r.path == path and r.status == 304 for r in self.requests())

    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.log if path is None or r.path == path]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> NewsServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- serving ---------------------------------------------------------------------------
    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        path = handler.path
        with self._lock:
            page = self._pages.get(path)
        request_headers = {k.lower(): v for k, v in handler.headers.items()}
        extra: dict[str, str] = {}
        if page is None:
            status, body, content_type = 404, b"not found", "text/plain"
        elif _still_valid(page, request_headers):
            status, body, content_type = 304, b"", ""
        else:
            status, body, extra, content_type = (
                page.status,
                page.body,
                page.headers,
                page.content_type,
            )
        with self._lock:
            self.log.append(Request(path, handler.command, request_headers, status, arrived))
        if page is not None and page.delay:
            time.sleep(page.delay)
        try:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            if page is not None and page.etag and status in (200, 304):
                handler.send_header("ETag", page.etag)
            if page is not None and page.last_modified and status in (200, 304):
                handler.send_header("Last-Modified", page.last_modified)
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


def _still_valid(page: _Page, headers: dict[str, Any]) -> bool:
    if page.status != 200:
        return False
    if page.etag and headers.get("if-none-match") == page.etag:
        return True
    return bool(page.last_modified and headers.get("if-modified-since") == page.last_modified)


# -- content -------------------------------------------------------------------------------
def http_date(epoch: float) -> str:
    """An HTTP date (for Last-Modified and Retry-After)."""
    return formatdate(epoch, usegmt=True)


def article_page(title: str, *paragraphs: str, site: str = "Loopback Gazette") -> str:
    """A news page with enough text for extraction to keep it."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{escape(title)}</title>"
        f"<meta property='og:site_name' content='{escape(site)}'></head><body><article>"
        f"<h1>{escape(title)}</h1>{body}</article></body></html>"
    )


def entry(
    server: NewsServer, path: str, title: str, *, updated: str = "", summary: str = ""
) -> dict[str, str]:
    """One feed entry linking to ``path`` on ``server``."""
    return {"title": title, "link": server.url(path), "updated": updated, "summary": summary}


def rss_feed(title: str, entries: list[dict[str, str]]) -> str:
    """An RSS 2.0 feed of ``entries`` (title, link, updated, summary)."""
    items = "".join(
        f"<item><title>{escape(e['title'])}</title><link>{escape(e['link'])}</link>"
        f"<guid>{escape(e['link'])}</guid>"
        + (f"<pubDate>{escape(e['updated'])}</pubDate>" if e.get("updated") else "")
        + (f"<description>{escape(e['summary'])}</description>" if e.get("summary") else "")
        + "</item>"
        for e in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title>{items}</channel></rss>"
    )
