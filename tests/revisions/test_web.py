"""The article page of a revised article: its versions, their times, the diff, all escaped."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from newsprism.store import Store
from newsprism.web import create_app
from tests.revisions.stores import store_with_versions, version
from tests.web.conftest import XSS
from tests.web.test_security import APP_SCRIPTS, assert_inert


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("revisions") / "web.db"
    store_with_versions(db, count=2)
    with Store(db) as store:  # a hostile third version: its added words must stay text
        store.add(version(3, title=XSS["title"], text=version(2).text + "\n\n" + XSS["text"]))
    with TestClient(create_app(db)) as test_client:
        yield test_client


def test_page_lists_the_versions_and_shows_the_change_from_the_one_before(
    client: TestClient,
) -> None:
    page = client.get("/articles/" + quote("gazette-dam~2", safe=""))
    assert page.status_code == 200
    html = page.text
    assert '<h2 id="versions-h">Versions</h2>' in html
    for n, vid in enumerate(["gazette-dam", "gazette-dam~2", "gazette-dam~3"], start=1):
        assert f'<a href="/articles/{quote(vid, safe="")}"' in html and f">v{n}</a>" in html
    assert 'aria-current="page">v2</a>' in html
    assert html.count("— stored <time datetime=") == 3
    assert 'published <time datetime="2024-03-01T10:00:00+00:00">1 March 2024' in html
    assert "Changes from v1 to v2: title changed; 2 passages reworded</h3>" in html
    assert "Dam talks <del>end</del><ins>collapse</ins> without deal" in html
    assert "The talks lasted <del>four</del><ins>five</ins> hours" in html
    assert "start in <del>May</del><ins>June</ins>." in html


def test_any_two_versions_and_the_first_version(client: TestClient) -> None:
    first = client.get("/articles/gazette-dam")
    assert first.status_code == 200
    assert "Versions</h2>" in first.text and "Changes from" not in first.text  # none before v1
    against = client.get("/articles/gazette-dam?diff=2")
    assert "Changes from v1 to v2:" in against.text
    assert client.get("/articles/gazette-dam?diff=9").status_code == 404
    assert client.get("/articles/gazette-dam?diff=0").status_code == 422
    assert client.get("/articles/gazette-dam?diff=x").status_code == 422


def test_hostile_text_in_a_change_is_escaped(client: TestClient) -> None:
    page = client.get("/articles/" + quote("gazette-dam~3", safe=""))
    assert page.status_code == 200
    assert "Changes from v2 to v3:" in page.text
    assert "<ins>&lt;script&gt;window.__xss=1&lt;/script&gt;" in page.text
    assert_inert(page.text, APP_SCRIPTS)


def test_an_article_with_one_version_has_no_versions_section(client: TestClient) -> None:
    page = client.get("/articles/herald-dam")
    assert page.status_code == 200
    assert "Versions</h2>" not in page.text and "<ins>" not in page.text


def test_diff_json_twin(client: TestClient) -> None:
    found = client.get("/api/articles/" + quote("gazette-dam~2", safe="") + "/diff")
    assert found.status_code == 200
    data = found.json()
    assert (data["from"]["version"], data["to"]["version"]) == (1, 2)
    assert data["summary"] == "title changed; 2 passages reworded"
    assert [v["version"] for v in data["versions"]] == [1, 2, 3]
    third = client.get("/api/articles/gazette-dam/diff", params={"version": 3}).json()
    assert (third["from"]["version"], third["to"]["version"]) == (2, 3)
    assert client.get("/api/articles/gazette-dam/diff", params={"version": 9}).status_code == 404
    assert client.get("/api/articles/nothing-here/diff").status_code == 404
