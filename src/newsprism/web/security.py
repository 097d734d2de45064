"""The web app's guard: security headers, request size caps, cross-site refusal and the token.

One pure ASGI middleware does all of it before any route runs, so no page can forget a check:

* every response carries a Content-Security-Policy that allows scripts and styles only from the
  app itself (no inline script, so a script smuggled into an article can never run);
* a request that changes data must declare its size, and one larger than the cap is refused
  with 413 before its body is read;
* a data-changing request from another site (``Origin`` or ``Sec-Fetch-Site``) is refused, so a
  web page the user visits cannot make their local newsprism ingest something;
* with ``private`` on, every page but the login page and static files needs the token.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


@dataclass(frozen=True)
class Access:
    """Who may do what: ``token`` guards writes (and reads too when ``private``)."""

    token: str | None = None
    private: bool = False
    upload_limit: int = 5 * 1024 * 1024

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
        if request.method in _UNSAFE:
            origin = request.headers.get("origin")
            cross = request.headers.get("sec-fetch-site") == "cross-site"
            if cross or (
                origin
                and origin != "null"
                and not _same_origin(origin, request.headers.get("host"))
            ):
                return _error(403, "refused: this request came from another site", api)
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return _error(411, "a request that sends data must give its Content-Length", api)
            cap = FORM_LIMIT + (self.access.upload_limit if path.endswith("/upload") else 0)
            if int(length) > cap:
                return _error(
                    413, f"too large: the limit is {self.access.upload_limit // 1024} KB", api
                )
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
