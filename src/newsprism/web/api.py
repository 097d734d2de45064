"""The JSON API: one endpoint per page, described at /openapi.json and /api/docs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel, Field

from newsprism.errors import FetchError
from newsprism.web.data import LISTS, StoryQuery, outlet_profile, outlets
from newsprism.web.pages import checked_url, find_story, saved_upload, state_of, story_query
from newsprism.web.security import check_global_host, require_token

router = APIRouter(prefix="/api", tags=["api"])


class StorySummary(BaseModel):
    """A story as the list shows it."""

    id: str
    title: str | None = None
    start: str | None = None
    end: str | None = None
    outlets: list[str] = []
    articles: list[str] = []
    independent_sources: int | None = None


class StoryList(BaseModel):
    total: int
    page: int
    per_page: int
    stories: list[StorySummary]


class OutletSummary(BaseModel):
    name: str
    articles: int
    stories: int


class JobStatus(BaseModel):
    """An ingest job: poll it until ``running`` is false."""

    id: str
    kind: str
    source: str
    state: str
    running: bool
    processed: int
    ingested: list[str]
    duplicates: int
    failures: list[dict[str, str]]
    warnings: list[str]
    stories: list[str]
    message: str
    created: float
    finished: float | None


class UrlIn(BaseModel):
    url: str = Field(max_length=2000, description="an http(s) URL on a public address")


def public_url(url: str) -> str:
    """The URL if it is a web URL whose host resolves only to global addresses, else a 400."""
    url = checked_url(url)
    try:
        check_global_host(urlsplit(url).hostname or "", where=url)
    except FetchError as err:
        raise HTTPException(400, str(err)) from err
    return url


@router.get("/stories", response_model=StoryList, summary="Stories, newest first, with search")
def api_stories(request: Request, query: Annotated[StoryQuery, Depends(story_query)]) -> Any:
    stores = state_of(request).stores
    stories, total = LISTS.search(stores.read, query, stores.version())
    return {"total": total, "page": query.page, "per_page": query.per_page, "stories": stories}


@router.get("/stories/{story_id}", summary="The comparison report of one story (Report JSON)")
def api_story(request: Request, story_id: str) -> dict[str, Any]:
    ref = find_story(request, story_id)
    return state_of(request).reports.get(story_id, ref.fingerprint, ref.load)


@router.get("/stories/{story_id}/events", summary="What changed in a story, oldest first")
def api_story_events(
    request: Request,
    story_id: str,
    after: Annotated[int, Query(ge=0, description="only events numbered above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """The story's events (as `newsprism story ID --events --format json` prints them), each
    with its number `pk`: poll with `after` = the last number seen for what is new."""
    store = state_of(request).stores.read
    if store.story(story_id) is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return {"story": story_id, "events": store.story_events(story_id, after=after, limit=limit)}


@router.get("/articles/{article_id:path}/diff", summary="What changed between two versions")
def api_article_diff(
    request: Request,
    article_id: str,
    version: Annotated[int | None, Query(ge=1, description="compare N-1 with N")] = None,
) -> dict[str, Any]:
    """The word-level diff `newsprism diff ID [--version N] --format json` prints."""
    from newsprism.errors import NewsprismError
    from newsprism.revisions.history import choose, history, revise

    store = state_of(request).stores.read
    try:
        named, versions = history(store, article_id)
        old, new = choose(versions, named, version=version)
    except NewsprismError as err:
        status = 404 if store.get(article_id) is None else 409
        raise HTTPException(status, str(err)) from err
    except ValueError as err:
        raise HTTPException(404, str(err)) from err
    data = {"article": versions[0].article.id, "versions": [v.to_dict() for v in versions]}
    return {**data, **revise(old, new).to_dict()}


@router.get("/articles/{article_id:path}", summary="One article, its versions and its story")
def api_article(request: Request, article_id: str) -> dict[str, Any]:
    store = state_of(request).stores.read
    article = store.get(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return {
        **article.to_dict(),
        "story": store.story_of(article.id),
        "versions": [v.id for v in store.versions(article.id)],
    }


@router.get("/outlets", response_model=list[OutletSummary], summary="Outlets and their counts")
def api_outlets(request: Request) -> Any:
    return outlets(state_of(request).stores.read)


@router.get("/outlets/{name:path}", summary="An outlet: its stories, omissions and wire copy")
def api_outlet(request: Request, name: str) -> dict[str, Any]:
    state = state_of(request)
    if name not in {o["name"] for o in outlets(state.stores.read)}:
        raise HTTPException(404, f"no outlet named {name!r}")
    return outlet_profile(state.stores.read, name, state.reports)


@router.post(
    "/ingest/url",
    status_code=202,
    response_model=JobStatus,
    dependencies=[Depends(require_token)],
    summary="Fetch and ingest a public web page",
)
def api_ingest_url(request: Request, body: UrlIn) -> Any:
    return state_of(request).jobs.start("url", body.url, public_url(body.url)).to_dict()


@router.post(
    "/ingest/feed",
    status_code=202,
    response_model=JobStatus,
    dependencies=[Depends(require_token)],
    summary="Fetch a public RSS/Atom feed and ingest its articles",
)
def api_ingest_feed(request: Request, body: UrlIn) -> Any:
    return state_of(request).jobs.start("feed", body.url, public_url(body.url)).to_dict()


@router.post(
    "/ingest/upload",
    status_code=202,
    response_model=JobStatus,
    dependencies=[Depends(require_token)],
    summary="Upload a file of articles (.txt, .html, .jsonl, feed, .warc), size-capped",
)
async def api_ingest_upload(request: Request, file: Annotated[UploadFile, File()]) -> Any:
    display, target, folder = await saved_upload(request, file)
    return state_of(request).jobs.start("upload", display, target, cleanup=folder).to_dict()


@router.get("/jobs/{job_id}", response_model=JobStatus, summary="Progress of an ingest job")
def api_job(request: Request, job_id: str) -> Any:
    job = state_of(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {job_id!r}")
    return job.to_dict()
