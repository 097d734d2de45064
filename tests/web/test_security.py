"""Escaping (XSS payloads in every field), SSRF refusal, size caps, cross-site refusal, token."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from newsprism.errors import InputError
from newsprism.web import create_app
from newsprism.web.server import check_binding, is_loopback
from tests.web.conftest import WebData


class _Markup(HTMLParser):
    """Collects what would run in a browser: script elements, on* handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src") or "<inline>")
        self.handlers += [f"{tag}.{name}" for name, _ in attrs if name.startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            value = (values.get(name) or "").strip().lower()
            if value.startswith(("javascript:", "data:text/html", "vbscript:")):
                self.script_urls.append(f"{tag}.{name}={value[:40]}")


def assert_inert(html: str, allowed_scripts: set[str]) -> None:
    parsed = _Markup()
    parsed.feed(html)
    assert set(parsed.scripts) <= allowed_scripts, parsed.scripts
    assert not parsed.handlers, parsed.handlers
    assert not parsed.script_urls, parsed.script_urls
    for tag in (
        ("iframe", "img", "svg", "textarea") if "svg" not in html else ("iframe", "img", "textarea")
    ):
        assert tag not in parsed.elements, tag
    assert "window.__xss" not in "".join(parsed.scripts)


APP_SCRIPTS = {"/static/report.js", "/static/site.js"}


def test_xss_payloads_are_escaped_on_every_page(client: TestClient, web_data: WebData) -> None:
    pages = [
        "/",
        "/?q=" + quote("<script>"),
        f"/stories/{quote(web_data.xss_story, safe='')}",
        "/outlets",
        "/outlets/" + quote('<svg onload="window.__xss=3">Evil Times</svg>0', safe=""),
    ] + [f"/articles/{quote(a, safe='')}" for a in web_data.xss_articles]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        assert_inert(page.text, APP_SCRIPTS)
        assert "&lt;script&gt;" in page.text or path == "/outlets", path


def test_xss_article_url_never_becomes_a_link(client: TestClient, web_data: WebData) -> None:
    page = client.get(f"/articles/{quote(web_data.xss_articles[0], safe='')}")
    assert "javascript:window.__xss=7" in page.text  # shown as text
    assert 'href="javascript' not in page.text.lower()


def test_xss_in_search_and_error_messages(client: TestClient) -> None:
    payload = '"><script>window.__xss=9</script>'
    for path in (
        f"/?q={quote(payload)}",
        f"/?outlet={quote(payload)}",
        f"/stories/{quote(payload)}",
        f"/articles/{quote(payload)}",
        f"/login?next={quote(payload)}",
        f"/?page={quote(payload)}",
    ):
        page = client.get(path)
        assert_inert(page.text, APP_SCRIPTS)
        assert "<script>window.__xss" not in page.text


# -- SSRF ---------------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(
            b"<html><body><article><p>internal secret page</p></article></body></html>"
        )

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def internal_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()


SSRF_TARGETS = [
    "http://127.0.0.1:{port}/admin",
    "http://localhost:{port}/",
    "http://[::1]:{port}/",
    "http://127.1:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f000001:{port}/",
    "http://0.0.0.0:{port}/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://metadata.google.internal/",
    "file:///etc/passwd",
    "ftp://example.com/feed.xml",
    "gopher://127.0.0.1:{port}/",
    "javascript:alert(1)",
    "http:///nohost",
]


@pytest.mark.parametrize("target", SSRF_TARGETS)
@pytest.mark.parametrize("endpoint", ["/ingest/url", "/ingest/feed"])
def test_ssrf_refused_by_the_forms(
    client: TestClient, internal_server: int, endpoint: str, target: str
) -> None:
    url = target.format(port=internal_server)
    response = client.post(endpoint, data={"url": url}, follow_redirects=False)
    assert response.status_code == 400, (url, response.status_code)
    assert "/jobs/" not in response.headers.get("location", "")
    assert not _Recorder.hits


@pytest.mark.parametrize("target", SSRF_TARGETS[:7])
def test_ssrf_refused_by_the_api(client: TestClient, internal_server: int, target: str) -> None:
    url = target.format(port=internal_server)
    for endpoint in ("/api/ingest/url", "/api/ingest/feed"):
        response = client.post(endpoint, json={"url": url})
        assert response.status_code == 400, url
        assert "non-public" in response.json()["detail"] or "resolve" in response.json()["detail"]
    assert not _Recorder.hits


# -- request caps and cross-site requests -------------------------------------------------


def test_upload_over_the_cap_is_refused(web_data: WebData) -> None:
    with TestClient(create_app(web_data.db, upload_limit=1024)) as small:
        response = small.post("/api/ingest/upload", files={"file": ("big.txt", b"x" * 200_000)})
        assert response.status_code == 413
        page = small.post("/ingest/upload", files={"file": ("big.txt", b"x" * 200_000)})
        assert page.status_code == 413


def test_upload_cap_holds_when_the_declared_length_is_small(web_data: WebData) -> None:
    # The whole body fits the form allowance, the file part does not: the streaming check.
    with TestClient(create_app(web_data.db, upload_limit=1024)) as small:
        response = small.post("/api/ingest/upload", files={"file": ("big.txt", b"x" * 5000)})
        assert response.status_code == 413


def test_upload_of_an_unknown_type_is_refused(client: TestClient) -> None:
    response = client.post("/api/ingest/upload", files={"file": ("tool.exe", b"MZ...")})
    assert response.status_code == 400
    page = client.post("/ingest/upload", files={"file": ("../../etc/passwd", b"root")})
    assert page.status_code == 400


def test_cross_site_post_is_refused(client: TestClient) -> None:
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = client.post("/ingest/url", data={"url": "https://example.com/"}, headers=headers)
        assert response.status_code == 403


def test_post_without_length_is_refused(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield b"url=https%3A%2F%2Fexample.com%2F"

    response = client.post(
        "/ingest/url", content=body(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 411


# -- token ----------------------------------------------------------------------------------

TOKEN = "correct-horse-battery"


def test_token_guards_changes_but_not_reading(web_data: WebData) -> None:
    with TestClient(create_app(web_data.db, token=TOKEN)) as guarded:
        assert guarded.get("/").status_code == 200
        assert guarded.get("/api/stories").status_code == 200
        for endpoint in ("/api/ingest/url", "/api/ingest/feed"):
            assert guarded.post(endpoint, json={"url": "http://10.0.0.1/"}).status_code == 401
            wrong = guarded.post(
                endpoint,
                json={"url": "http://10.0.0.1/"},
                headers={"X-Newsprism-Token": "wrong-token"},
            )
            assert wrong.status_code == 401
            # With the token the request reaches the URL check (refused there: SSRF).
            right = guarded.post(
                endpoint,
                json={"url": "http://10.0.0.1/"},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            assert right.status_code == 400
        upload = guarded.post("/ingest/upload", files={"file": ("a.txt", b"Title\n\nText.")})
        assert upload.status_code == 401 and "log in" in upload.text.lower()
        assert "Log in" in guarded.get("/ingest").text


def test_login_sets_a_strict_cookie(web_data: WebData) -> None:
    with TestClient(create_app(web_data.db, token=TOKEN)) as guarded:
        bad = guarded.post("/login", data={"token": "nope", "next": "/ingest"})
        assert bad.status_code == 401
        good = guarded.post(
            "/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False
        )
        assert good.status_code == 303 and good.headers["location"] == "/"
        cookie = good.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert guarded.post("/api/ingest/url", json={"url": "http://10.0.0.1/"}).status_code == 400
        guarded.post("/logout")
        assert guarded.post("/api/ingest/url", json={"url": "http://10.0.0.1/"}).status_code == 401


def test_private_server_closes_reading(web_data: WebData) -> None:
    with TestClient(create_app(web_data.db, token=TOKEN, private=True)) as private:
        page = private.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert private.get("/api/stories").status_code == 401
        assert private.get(f"/api/stories/{web_data.seed_story}").status_code == 401
        assert private.get("/openapi.json").status_code == 401
        assert private.get("/static/report.css").status_code == 200
        assert private.get("/login").status_code == 200
        authed = private.get("/api/stories", headers={"X-Newsprism-Token": TOKEN})
        assert authed.status_code == 200
        private.post("/login", data={"token": TOKEN})
        assert private.get("/").status_code == 200


def test_private_needs_a_token_and_short_tokens_are_refused(web_data: WebData) -> None:
    with pytest.raises(ValueError, match="token"):
        create_app(web_data.db, private=True)
    with pytest.raises(ValueError, match="8 characters"):
        create_app(web_data.db, token="short")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_binding_needs_no_token(host: str) -> None:
    assert is_loopback(host)
    check_binding(host, None, False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.com"])
def test_other_bindings_need_a_token(host: str) -> None:
    with pytest.raises(InputError, match="without an access token"):
        check_binding(host, None, False)
    check_binding(host, TOKEN, False)
    check_binding(host, TOKEN, True)


def test_private_binding_needs_a_token() -> None:
    with pytest.raises(InputError, match="--private needs a token"):
        check_binding("127.0.0.1", None, True)
