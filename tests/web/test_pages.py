"""Every page and API route, in process (ASGI client), including 404s and bad parameters."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import WebData


def test_story_list_shows_stories_newest_first(client: TestClient, web_data: WebData) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert f"/stories/{web_data.seed_story}" in page.text
    assert "Dam bursts" in page.text or "dam" in page.text.lower()


@pytest.mark.parametrize(
    ("params", "expect_seed"),
    [
        ({"q": "Bachelet"}, True),
        ({"q": "Bachelet Xinjiang"}, True),
        ({"q": "Sevrana"}, False),
        ({"entity": "Michelle Bachelet"}, True),
        ({"outlet": "Al Jazeera"}, True),
        ({"outlet": "signal 24"}, False),
        ({"q": "zzzznotaword"}, False),
        ({"sort": "outlets"}, True),
        ({"since": "2026-04-01", "until": "2026-04-30"}, False),
    ],
)
def test_story_search(
    client: TestClient, web_data: WebData, params: dict[str, str], expect_seed: bool
) -> None:
    page = client.get("/", params=params)
    assert page.status_code == 200
    assert (f"/stories/{web_data.seed_story}" in page.text) is expect_seed
    api = client.get("/api/stories", params=params).json()
    assert (web_data.seed_story in {s["id"] for s in api["stories"]}) is expect_seed


def test_date_search_finds_dated_stories(client: TestClient) -> None:
    found = client.get("/api/stories", params={"since": "2026-04-14", "until": "2026-04-15"}).json()
    assert found["total"] >= 1
    assert all(
        "Tesvar" in s["title"] or "Dam" in s["title"] or s["title"] for s in found["stories"]
    )


def test_search_wildcards_are_literal(client: TestClient) -> None:
    assert client.get("/api/stories", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/stories", params={"q": "B_chelet"}).json()["total"] == 0


def test_paging(client: TestClient) -> None:
    first = client.get("/api/stories", params={"per_page": 1, "page": 1}).json()
    second = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert first["total"] >= 3
    assert first["stories"][0]["id"] != second["stories"][0]["id"]
    page = client.get("/", params={"per_page": 1, "page": 2})
    assert 'rel="next"' in page.text and 'rel="prev"' in page.text


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=1000",
        "sort=random",
        "since=yesterday",
        "until=2024-13-40",
        "since=2024-05-02&until=2024-05-01",
        "q=" + "x" * 300,
    ],
)
def test_bad_parameters_are_422_on_page_and_api(client: TestClient, query: str) -> None:
    page = client.get(f"/?{query}")
    assert page.status_code == 422
    assert "text/html" in page.headers["content-type"]
    assert client.get(f"/api/stories?{query}").status_code == 422


def test_story_page_holds_the_report(client: TestClient, web_data: WebData) -> None:
    page = client.get(f"/stories/{web_data.seed_story}")
    assert page.status_code == 200
    for anchor in ("summary", "claims", "quotes", "coverage", "framing", "lineage", "timeline"):
        assert f'id="{anchor}"' in page.text
    assert page.text.count('<article class="art"') == 2
    assert 'data-claim="c1"' in page.text
    assert "Removed by cleaning" in page.text
    assert '<script src="/static/report.js">' in page.text


def test_report_file_download_is_self_contained(client: TestClient, web_data: WebData) -> None:
    response = client.get(f"/stories/{web_data.seed_story}/report.html")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "<style>" in response.text and "<script>" in response.text
    assert "http://" not in response.text.split("<main", 1)[0]


def test_story_api_is_the_report_json(client: TestClient, web_data: WebData) -> None:
    report = client.get(f"/api/stories/{web_data.seed_story}").json()
    assert report["story"]["id"] == web_data.seed_story
    assert {a["id"] for a in report["articles"]} == set(web_data.seed_articles)
    assert report["claims"]


def test_article_page_and_api(client: TestClient, web_data: WebData) -> None:
    article_id = web_data.seed_articles[0]
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200
    assert f"/stories/{web_data.seed_story}" in page.text
    data = client.get(f"/api/articles/{article_id}").json()
    assert data["id"] == article_id and data["story"] == web_data.seed_story
    assert data["versions"] == [article_id]


def test_outlet_pages(client: TestClient, web_data: WebData) -> None:
    listing = client.get("/outlets")
    assert listing.status_code == 200 and "Signal 24" in listing.text
    outlets = client.get("/api/outlets").json()
    assert any(o["name"] == "Signal 24" and o["articles"] >= 1 for o in outlets)
    page = client.get(f"/outlets/{quote(web_data.outlet)}")
    assert page.status_code == 200 and "What it tends to omit" in page.text
    profile = client.get(f"/api/outlets/{quote(web_data.outlet)}").json()
    assert profile["name"] == "Signal 24" and profile["stories"]


def test_outlet_profile_uses_compared_stories(client: TestClient, web_data: WebData) -> None:
    client.get(f"/stories/{web_data.seed_story}")  # compares the story (cached)
    profile = client.get("/api/outlets/Al%20Jazeera").json()
    assert profile["compared_stories"] == 1
    assert profile["wire_share"] is not None


@pytest.mark.parametrize(
    "path",
    [
        "/stories/no-such-story",
        "/stories/no-such-story/report.html",
        "/articles/no-such-article",
        "/outlets/No Such Outlet",
        "/jobs/no-such-job",
        "/no/such/page",
    ],
)
def test_404_pages(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Not found" in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/stories/no-such-story",
        "/api/articles/no-such-article",
        "/api/outlets/No Such Outlet",
        "/api/jobs/no-such-job",
        "/api/nothing",
    ],
)
def test_404_api(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_static_pages(client: TestClient) -> None:
    for path in ("/ingest", "/login", "/api/docs", "/static/report.css", "/static/site.js"):
        assert client.get(path).status_code == 200, path
    docs = client.get("/api/docs").text
    assert "GET /api/stories" in docs and "/openapi.json" in docs
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/ingest/url"} <= set(spec["paths"])


def test_wrong_method(client: TestClient) -> None:
    assert client.post("/api/stories").status_code == 405
    assert client.get("/ingest/url").status_code == 405


def test_every_response_has_the_security_headers(client: TestClient, web_data: WebData) -> None:
    for path in (
        "/",
        f"/stories/{web_data.seed_story}",
        "/api/stories",
        "/nope",
        "/static/report.js",
    ):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_show_dates_as_people_write_them(client: TestClient, web_data: WebData) -> None:
    listing = client.get("/", params={"since": "2026-04-14", "until": "2026-04-15"})
    assert "April 2026" in listing.text
    assert not re.search(r">[^<]*\d{4}-\d\d-\d\d", listing.text)  # no ISO date in the text
    story = client.get("/api/stories", params={"since": "2026-04-14"}).json()["stories"][0]
    page = client.get(f"/stories/{story['id']}")
    assert "April 2026" in page.text
    assert not re.search(r">[^<]*\d{4}-\d\d-\d\dT", page.text)


def test_story_page_names_each_claim_with_its_sources(
    client: TestClient, web_data: WebData
) -> None:
    page = client.get(f"/stories/{web_data.seed_story}").text
    table = page.split('<table class="claims">', 1)[1].split("</table>", 1)[0]
    row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    label = re.search(r'class="claim-pick"[^>]*>([^<]+)</a>', row)
    assert label and len(label.group(1).split()) >= 3  # words, not "c1"
    assert re.search(r'<td class="num">\d+<', row)
