"""Ingest from the web app: upload a file, follow the job's progress, find the new story."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from newsprism.web import create_app
from tests.web.conftest import EXAMPLES


def test_upload_runs_a_job_that_stores_and_groups_articles(tmp_path: Path) -> None:
    app = create_app(tmp_path / "fresh.db")
    jobs = app.state.newsprism.jobs
    with TestClient(app) as client:
        # The empty list, twice: the second answer is the cached page the ingest must replace.
        assert "0 stories" in client.get("/").text
        assert "0 stories" in client.get("/").text
        assert client.get("/api/stories").json()["total"] == 0
        body = (EXAMPLES / "newsdesk_export.jsonl").read_bytes()
        response = client.post(
            "/ingest/upload", files={"file": ("newsdesk.jsonl", body)}, follow_redirects=False
        )
        assert response.status_code == 303
        job_id = response.headers["location"].rsplit("/", 1)[1]
        running = client.get(f"/jobs/{job_id}")
        assert running.status_code == 200 and "newsdesk.jsonl" in running.text
        job = jobs.wait(job_id, timeout=120)
        assert job is not None and job.state == "done", job
        status = client.get(f"/api/jobs/{job_id}").json()
        assert status["running"] is False and status["processed"] >= 2
        assert len(status["ingested"]) >= 2 and status["stories"]
        page = client.get(f"/jobs/{job_id}")
        assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
        stories = client.get("/api/stories").json()
        assert stories["total"] >= 1
        listing = client.get("/").text
        assert "0 stories" not in listing
        assert all(f"/stories/{s['id']}" in listing for s in stories["stories"])
        # The same file again: everything is a duplicate, nothing new.
        again = client.post("/api/ingest/upload", files={"file": ("again.jsonl", body)})
        assert again.status_code == 202
        second = jobs.wait(again.json()["id"], timeout=60)
        assert second is not None and second.duplicates >= 2 and not second.ingested


def test_a_broken_upload_ends_as_a_visible_failure(tmp_path: Path) -> None:
    app = create_app(tmp_path / "fresh.db")
    with TestClient(app) as client:
        response = client.post(
            "/api/ingest/upload", files={"file": ("broken.jsonl", b"{not json\n")}
        )
        assert response.status_code == 202
        job = app.state.newsprism.jobs.wait(response.json()["id"], timeout=60)
        assert job is not None and job.state == "failed" and job.failures
        page = client.get(f"/jobs/{job.id}")
        assert "Failures" in page.text
