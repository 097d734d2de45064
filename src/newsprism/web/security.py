"""The web app's guard: security headers, request size caps, cross-site refusal and the token.

One pure ASGI middleware does all of it before any route runs, so no page can forget a check:

* every response carries a Content-Security-Policy that allows scripts and styles only from the
  app itself (no inline script, so a script smuggled into an article can never run);
* a request that changes data must declare its size, and one larger than the cap is refused
  with 413 before its body is read;
* a data-changing request from another site (``Origin`` or ``Sec-Fetch-Site``, and an opaque
  ``Origin: null`` the browser does not vouch for) is refused, so a web page the user visits
  cannot make their local newsprism ingest something;
* a request naming a host the server does not answer to is refused, so a page whose own name
  has been pointed at 127.0.0.1 (DNS rebinding) can neither read nor write through it;
* with ``private`` on, every page but the login page and static files needs the token.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.errors import FetchError

TOKEN_COOKIE = "newsprism_token"
TOKEN_HEADER = "x-newsprism-token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_OPEN_PATHS = ("/login", "/static/")  # reachable without the token even when private
FORM_LIMIT = 64 * 1024  # a login or URL form; uploads get the upload cap
# Sec-Fetch-Site values that mean "this site, or the user typed it": an opaque Origin (null)
# is trusted only with one of them.
_OWN_SITE = {"same-origin", "none"}
MIN_TOKEN_LENGTH = 8


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot guard the server, or None when it can."""
    if len(token) < MIN_TOKEN_LENGTH:
        return (
            f"the access token must be at least {MIN_TOKEN_LENGTH} characters long "
            f"(it has {len(token)}); use a long random one, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe())'`"
        )
    if not token.isprintable() or token != token.strip():
        return "the access token must be printable, without spaces at its ends"
    return None


def size_text(size: int) -> str:
    """``size`` bytes as a person reads it: 512 bytes, 64 KB, 5 MB."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64), and an IPv4 block
# that Python 3.11 calls global although IANA reserves it for protocol assignments.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NOT_GLOBAL = ipaddress.ip_network("192.0.0.0/24")


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``host`` spells (the IPv4 one inside a mapped, 6to4 or NAT64 form)."""
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None or address.sixtofour is not None:
            return address.ipv4_mapped or address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet: global, not multicast."""
    return address.is_global and not address.is_multicast and address not in _NOT_GLOBAL


def check_global_host(host: str, *, where: str) -> None:
    """Refuse a host that resolves to any address not on the public internet (SSRF).

    Decided by ``is_global``, not by a list of private ranges, so shared address space
    (100.64.0.0/10), documentation, benchmarking and future reserved ranges are refused too.
    """
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"cannot resolve host {host[:100]!r}", where=where) from err
    for info in infos:
        address = _address(str(info[4][0]))
        if address is None or not is_public(address):
            raise FetchError(
                f"refusing to fetch from a non-public address ({info[4][0]})", where=where
            )


@dataclass(frozen=True)
class AllowedHosts:
    """The names a request's ``Host`` may carry: the bound address (with loopback, its other
    loopback names; with 0.0.0.0 or ::, any IP address) and the names given with
    ``--allowed-host``. A DNS name is never accepted unless given: DNS rebinding needs one."""

    bound: str
    names: frozenset[str] = frozenset()

    @classmethod
    def for_binding(cls, bound: str, names: Iterable[str] = ()) -> AllowedHosts:
        return cls(bound.strip("[]").lower(), frozenset(_host_name(n) for n in names))

    def describe(self) -> str:
        bound = _address(self.bound)
        if bound is not None and bound.is_unspecified:
            return ", ".join(["any IP address", *sorted(self.names)])
        shown = sorted({self.bound, *self.names} | ({"localhost"} if self._loopback() else set()))
        return ", ".join(shown)

    def _loopback(self) -> bool:
        address = _address(self.bound)
        return self.bound == "localhost" or (address is not None and address.is_loopback)

    def allows(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        name = _host_name(host_header)
        if name in self.names or name == self.bound:
            return True
        address = _address(name)
        if self._loopback():
            return name == "localhost" or (address is not None and address.is_loopback)
        bound = _address(self.bound)
        return address is not None and bound is not None and bound.is_unspecified


def _host_name(host: str) -> str:
    """The host of a ``Host`` header or an ``--allowed-host`` value: no port, no brackets."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host


@dataclass(frozen=True)
class Access:
    """Who may do what: ``token`` guards writes (and reads too when ``private``)."""

    token: str | None = None
    private: bool = False
    upload_limit: int = 5 * 1024 * 1024
    hosts: AllowedHosts | None = None  # None: any Host (an app mounted by a library user)

    def authorised(self, headers: Any, cookies: dict[str, str]) -> bool:
        """True when no token is set, or the request carries it (header, bearer or cookie)."""
        if self.token is None:
            return True
        given = [
            headers.get(TOKEN_HEADER),
            cookies.get(TOKEN_COOKIE),
        ]
        auth = headers.get("authorization") or ""
        if auth.lower().startswith("bearer "):
            given.append(auth[7:].strip())
        return any(
            g is not None and hmac.compare_digest(g.encode(), self.token.encode()) for g in given
        )


def require_token(request: Request) -> None:
    """Route dependency for actions that change data."""
    access: Access = request.app.state.newsprism.access
    if not access.authorised(request.headers, request.cookies):
        raise HTTPException(
            status_code=401,
            detail="this action needs the access token: log in at /login, or send it in the "
            "X-Newsprism-Token header",
        )


def _same_origin(origin: str, host: str | None) -> bool:
    parts = urlsplit(origin)
    return bool(host) and parts.netloc.lower() == (host or "").lower()


def _cross_site(request: Request) -> bool:
    """Whether a data-changing request may come from another site: it says so
    (``Sec-Fetch-Site``), its ``Origin`` is another one, or its ``Origin`` is opaque (``null``:
    sandboxed frames, ``data:`` pages) and the browser does not vouch for it."""
    site = request.headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("origin")
    if origin == "null":
        return site not in _OWN_SITE
    return bool(origin) and not _same_origin(origin or "", request.headers.get("host"))


class Guard:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> Response | None:
        path = request.url.path
        api = path.startswith("/api/") or path == "/openapi.json"
        hosts = self.access.hosts
        if hosts is not None and not hosts.allows(request.headers.get("host")):
            return _error(
                400,
                f"refused: this server answers to {hosts.describe()}, not to the host "
                f"{(request.headers.get('host') or '')[:100]!r}; to reach it by that name, start "
                "it with --allowed-host NAME",
                api,
            )
        if request.method in _UNSAFE:
            if _cross_site(request):
                return _error(403, "refused: this request came from another site", api)
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return _error(411, "a request that sends data must give its Content-Length", api)
            upload = path.endswith("/upload")
            cap = FORM_LIMIT + (self.access.upload_limit if upload else 0)
            if int(length) > cap:
                what = (
                    f"an upload may be {size_text(self.access.upload_limit)} "
                    f"(plus {size_text(FORM_LIMIT)} for the form around it)"
                    if upload
                    else f"a form may send {size_text(FORM_LIMIT)}"
                )
                return _error(413, f"too large: {what}; this request declared {length} bytes", api)
        if (
            self.access.private
            and not path.startswith(_OPEN_PATHS)
            and not self.access.authorised(request.headers, request.cookies)
        ):
            if api or request.method != "GET":
                return _error(401, "this server is private: send the access token", True)
            target = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return None


def _error(status: int, message: str, api: bool) -> Response:
    if api:
        return JSONResponse({"detail": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def safe_next(target: str | None) -> str:
    """A post-login redirect target that stays on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
