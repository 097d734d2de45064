"""Issue 16, web part: global-only fetches, the Host check, opaque origins, clear limits and
per-record job failures. In process through the ASGI client, and a real `newsprism serve`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsprism.errors import FetchError
from newsprism.ingest import FetchLimits
from newsprism.web import create_app
from newsprism.web.jobs import WEB_FETCH_LIMITS, PublicFetcher
from newsprism.web.security import AllowedHosts, check_global_host
from tests.web.conftest import WebData, free_port

# Each is refused by "is it global", though none is in the private ranges the old check listed.
NOT_GLOBAL = [
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "100.127.255.254",
    "198.18.0.1",  # benchmarking
    "192.0.0.8",  # IETF protocol assignments
    "::ffff:100.64.0.1",
    "2002:7f00:1::",  # 6to4 around 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64 around 127.0.0.1
    "2001:db8::1",  # documentation
]


@pytest.mark.parametrize("address", NOT_GLOBAL)
def test_addresses_that_are_not_global_are_refused(address: str) -> None:
    with pytest.raises(FetchError, match="non-public"):
        check_global_host(address, where=address)


def test_a_global_address_passes() -> None:
    check_global_host("8.8.8.8", where="test")


@pytest.mark.parametrize("host", ["100.64.0.1", "[2002:7f00:1::]", "198.18.0.1"])
def test_the_api_refuses_shared_and_reserved_addresses(client: TestClient, host: str) -> None:
    for endpoint in ("/api/ingest/url", "/api/ingest/feed"):
        response = client.post(endpoint, json={"url": f"http://{host}/news"})
        assert response.status_code == 400, response.text
        assert "non-public" in response.json()["detail"]


def test_every_request_of_a_web_job_is_checked_before_it_is_sent() -> None:
    # The form path and redirects go through the job's fetcher: it refuses on its own, even
    # with limits that would allow private addresses, and without opening a connection.
    for limits in (WEB_FETCH_LIMITS, FetchLimits(allow_private=True)):
        with PublicFetcher(limits) as fetcher:
            for url in ("http://100.64.0.1/a", "http://127.0.0.1:9/b"):
                started = time.monotonic()
                with pytest.raises(FetchError, match="non-public"):
                    fetcher.fetch(url)
                assert time.monotonic() - started < 5


@pytest.mark.parametrize("endpoint", ["/ingest/url", "/ingest/feed"])
@pytest.mark.parametrize("host", ["100.64.0.1", "198.18.0.1", "[64:ff9b::7f00:1]"])
def test_the_forms_refuse_shared_and_reserved_addresses_at_submission(
    web_data: WebData, endpoint: str, host: str
) -> None:
    # The forms decide by "is it global" like the API: a 400 page naming the reason, no job.
    app = create_app(web_data.db)
    with TestClient(app) as local:
        page = local.post(endpoint, data={"url": f"http://{host}/news"}, follow_redirects=False)
        assert page.status_code == 400, page.text
        assert "non-public address" in page.text  # and no job: the form page, not a redirect


# -- Host header (DNS rebinding) -------------------------------------------------------------


def _client(web_data: WebData, hosts: AllowedHosts, base: str) -> TestClient:
    return TestClient(create_app(web_data.db, allowed_hosts=hosts), base_url=base)


def test_a_loopback_server_answers_only_to_its_own_names(web_data: WebData) -> None:
    hosts = AllowedHosts.for_binding("127.0.0.1")
    with _client(web_data, hosts, "http://127.0.0.1:8000") as local:
        for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1", "LOCALHOST"):
            assert local.get("/api/stories", headers={"Host": host}).status_code == 200, host
        for host in ("rebind.attacker.example:8000", "attacker.example", "", "127.0.0.1.nip.io"):
            refused = local.get("/api/stories", headers={"Host": host})
            assert refused.status_code == 400, host
            assert "--allowed-host" in refused.json()["detail"]
        # The upload a rebinding page would drive is refused before it is read.
        upload = local.post(
            "/api/ingest/upload",
            files={"file": ("a.txt", b"Title\n\nSome text of an article.")},
            headers={"Host": "rebind.attacker.example:8000"},
        )
        assert upload.status_code == 400
        page = local.get("/", headers={"Host": "rebind.attacker.example"})
        assert page.status_code == 400 and "content-security-policy" in page.headers


def test_allowed_host_names_and_wildcard_bindings(web_data: WebData) -> None:
    hosts = AllowedHosts.for_binding("127.0.0.1", ["News.Example.org"])
    with _client(web_data, hosts, "http://news.example.org") as named:
        assert named.get("/api/stories").status_code == 200
        assert named.get("/api/stories", headers={"Host": "other.example.org"}).status_code == 400
    wildcard = AllowedHosts.for_binding("0.0.0.0")
    assert wildcard.allows("192.168.1.20:8000") and wildcard.allows("[fe80::1]:80")
    assert not wildcard.allows("rebind.example") and not wildcard.allows(None)
    assert wildcard.describe() == "any IP address"
    assert not AllowedHosts.for_binding("192.168.1.20").allows("10.0.0.1")


# -- opaque origins and the size limits ------------------------------------------------------


def test_an_opaque_origin_is_refused_unless_the_browser_vouches(client: TestClient) -> None:
    form = {"url": "http://10.0.0.1/"}
    for headers in (
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        response = client.post("/ingest/url", data=form, headers=headers)
        assert response.status_code == 403, headers
    own = client.post(
        "/ingest/url", data=form, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    )
    assert own.status_code == 400  # past the guard, refused by the URL check


def test_a_413_names_the_limit_that_applies(web_data: WebData) -> None:
    with TestClient(create_app(web_data.db, upload_limit=1024)) as small:
        form = small.post("/api/ingest/url", json={"url": "http://example.com/" + "a" * 70_000})
        assert form.status_code == 413
        assert "a form may send 64 KB" in form.json()["detail"], form.json()
        upload = small.post("/api/ingest/upload", files={"file": ("big.txt", b"x" * 200_000)})
        assert upload.status_code == 413
        assert "an upload may be 1 KB" in upload.json()["detail"], upload.json()


# -- jobs report each record's failure -------------------------------------------------------


def test_an_upload_job_lists_the_records_that_failed(tmp_path: Path) -> None:
    good = {
        "id": "good-1",
        "title": "Council approves the bridge",
        "text": "The council approved the new bridge on Monday after a long debate about "
        "its cost and design, officials said.",
    }
    deep = '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    body = (json.dumps(good) + "\n{not json\n" + deep + "\n").encode()
    app = create_app(tmp_path / "jobs.db")
    with TestClient(app) as local:
        response = local.post("/api/ingest/upload", files={"file": ("mixed.jsonl", body)})
        assert response.status_code == 202
        job = app.state.newsprism.jobs.wait(response.json()["id"], timeout=120)
        assert job is not None and not job.running
        assert job.ingested == ["good-1"] or len(job.ingested) == 1, job
        assert job.state == "done", job
        where = [f["where"] for f in job.failures]
        assert len(job.failures) == 2 and all("mixed.jsonl:" in w for w in where), job.failures
        assert not any("internal error" in f["message"].lower() for f in job.failures)
        assert all(len(f["message"]) <= 500 for f in job.failures)
        status = local.get(f"/api/jobs/{job.id}").json()
        assert status["failures"] == job.failures


# -- the real command ------------------------------------------------------------------------


def _newsprism(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsprism", *args]


def test_serve_with_a_short_token_says_what_a_token_needs(tmp_path: Path) -> None:
    for args, expected in (
        (["--token", "short"], "at least 8 characters"),
        (["--allowed-host", "bad name/"], "not a host name"),
    ):
        done = subprocess.run(
            _newsprism("serve", "--db", str(tmp_path / "s.db"), "--port", "9", *args),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert expected in done.stderr
        assert "Internal error" not in done.stderr and "Traceback" not in done.stderr


def test_a_real_server_refuses_unknown_hosts(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        _newsprism(
            "serve",
            "--db",
            str(tmp_path / "r.db"),
            "--port",
            str(port),
            "--allowed-host",
            "news.example.org",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(base + "/api/stories", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start in 90 s"
                time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=10) as http:
            assert http.get("/api/stories").status_code == 200
            assert http.get("/api/stories", headers={"Host": "news.example.org"}).status_code == 200
            rebound = http.post(
                "/api/ingest/upload",
                files={"file": ("a.txt", b"Title\n\nText of an article.")},
                headers={"Host": f"rebind.attacker.example:{port}"},
            )
            assert rebound.status_code == 400
            assert "--allowed-host" in rebound.json()["detail"]
    finally:
        server.terminate()
        server.wait(timeout=20)
