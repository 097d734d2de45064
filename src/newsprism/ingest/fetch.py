"""Fetching a URL with the limits a news reader needs: timeouts, a size cap, few redirects.

The network sits behind :class:`Fetcher` so the rest of ingest never talks to httpx directly;
tests run it against a real local HTTP server.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsprism import __version__
from newsprism.errors import FetchError

if TYPE_CHECKING:
    import httpx

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


@dataclass(frozen=True)
class FetchLimits:
    """Limits for one fetch. Defaults suit news pages; the web app uses tighter ones."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # The CLI may read an intranet (and loopback); the web app must not (SSRF): off, every host
    # must resolve only to global addresses.
    allow_private: bool = True


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL after redirects
    content: bytes
    content_type: str
    encoding: str | None
    status: int = 200
    # Response headers, names in lower case (a poller reads ETag, Last-Modified, Retry-After).
    headers: Mapping[str, str] = field(default_factory=dict)


class Fetcher:
    """Fetch URLs with timeouts, a response size cap, limited redirects and a type check.

    httpx and its client (TLS context, CA bundle) are set up on the first fetch: reading only
    local files, as ``newsprism compare FILE...`` mostly does, never pays for them.
    """

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(
                connect=self.limits.connect_timeout,
                read=self.limits.read_timeout,
                write=self.limits.read_timeout,
                pool=self.limits.connect_timeout,
            )
            self._client = httpx.Client(
                timeout=timeout,
                # Redirects are followed by hand so each hop's host is checked before it is asked.
                follow_redirects=False,
                headers={"User-Agent": f"newsprism/{__version__} (+offline news comparison)"},
                trust_env=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, response: httpx.Response, url: str, statuses: Collection[int] = ()) -> Fetched:
        """Check status, type and size of a final (non-redirect) response and read its body.

        A status in ``statuses`` is the caller's to handle: it is returned, not checked.
        """
        headers = {name.lower(): value for name, value in response.headers.items()}
        if response.status_code in statuses:
            return Fetched(
                url=str(response.url),
                content=b"",
                content_type="",
                encoding=None,
                status=response.status_code,
                headers=headers,
            )
        if response.status_code >= 300:  # an error, or a 3xx that names no other URL
            raise FetchError(
                f"the server answered {response.status_code} {response.reason_phrase}",
                where=url,
            )
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        if content_type and not content_type.lower().startswith(ACCEPTED_TYPES):
            raise FetchError(f"content type {content_type!r} is not a web page or feed", where=url)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise FetchError(_too_big(self.limits.max_bytes), where=url)
        body = bytearray()
        deadline = time.monotonic() + self.limits.total_timeout
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > self.limits.max_bytes:
                raise FetchError(_too_big(self.limits.max_bytes), where=url)
            if time.monotonic() > deadline:
                raise FetchError(
                    f"download took longer than {self.limits.total_timeout:g} s", where=url
                )
        return Fetched(
            url=str(response.url),
            content=bytes(body),
            content_type=content_type,
            encoding=response.charset_encoding,
            status=response.status_code,
            headers=headers,
        )

    def fetch(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        statuses: Collection[int] = (),
    ) -> Fetched:
        """Fetch one URL, raising :class:`FetchError` naming the URL and the cause.

        ``headers`` are sent with every hop (conditional requests: If-None-Match...). A final
        answer whose status is in ``statuses`` (304, 429...) is returned without its body
        instead of raising, for the caller to act on.
        """
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError("only http:// and https:// URLs can be fetched", where=url)
        if not self.limits.allow_private:
            check_public_host(parts.hostname, where=url)
        import httpx

        client = self._http()
        try:
            current = url
            for _hop in range(self.limits.max_redirects + 1):
                with client.stream("GET", current, headers=headers) as response:
                    if response.has_redirect_location and response.status_code not in statuses:
                        location = response.headers.get("location", "")
                        current = str(response.url.join(location))
                        hop = urlsplit(current)
                        if hop.scheme not in {"http", "https"} or not hop.hostname:
                            raise FetchError(f"redirected to a non-web URL {current!r}", where=url)
                        if not self.limits.allow_private:
                            check_public_host(hop.hostname, where=url)
                        continue
                    return self._read(response, url, statuses)
            raise httpx.TooManyRedirects("too many redirects", request=response.request)
        except httpx.TooManyRedirects as err:
            raise FetchError(f"more than {self.limits.max_redirects} redirects", where=url) from err
        except httpx.TimeoutException as err:
            raise FetchError(
                f"timed out ({type(err).__name__.replace('Timeout', ' timeout').lower()})",
                where=url,
                hint="the server is slow or unreachable; try again later",
            ) from err
        except httpx.HTTPError as err:
            raise FetchError(f"could not fetch: {err or type(err).__name__}", where=url) from err


def _too_big(limit: int) -> str:
    return f"response larger than the {limit // (1024 * 1024)} MB cap"


def check_public_host(host: str, *, where: str) -> None:
    """Refuse a host that resolves to any address that is not global (server-side request
    forgery): loopback, private, link-local, shared (100.64.0.0/10), reserved and the rest.

    The one check the web app uses (:func:`newsprism.web.security.check_global_host`), decided by
    ``is_global`` rather than a list of ranges. Only a :class:`Fetcher` with ``allow_private``
    off asks it; the CLI's fetcher reads loopback and intranet addresses on purpose.
    """
    from newsprism.web.security import check_global_host  # the web app's check, loaded on use

    check_global_host(host, where=where)
