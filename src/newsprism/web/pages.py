"""The HTML pages: story list and search, story, article, outlets, ingest, jobs, login, API docs.

Pages are rendered on the server and read fine without JavaScript; ``site.js`` and
``report.js`` only add conveniences (claim selection, live job progress).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsprism.errors import FetchError
from newsprism.events.feed import CONTENT_TYPE as ATOM_TYPE
from newsprism.events.feed import KIND_TITLES, atom_feed
from newsprism.model import Article
from newsprism.render.dates import human_date, human_span
from newsprism.render.html import render_html, render_report_body
from newsprism.revisions import segments
from newsprism.revisions.history import page_view
from newsprism.web.app import AppState
from newsprism.web.data import (
    LISTS,
    Fingerprint,
    StoryQuery,
    outlet_profile,
    outlets,
    story_fingerprint,
)
from newsprism.web.security import TOKEN_COOKIE, check_global_host, require_token, safe_next

router = APIRouter(include_in_schema=False)
_UPLOAD_SUFFIXES = (
    ".txt",
    ".html",
    ".htm",
    ".jsonl",
    ".json",
    ".xml",
    ".rss",
    ".atom",
    ".warc",
    ".warc.gz",
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.newsprism
    return state


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    access = state.access
    context.setdefault("title", "newsprism")
    # Every date a page shows reads as people write it ("25–26 May 2022").
    context["human_date"] = human_date
    context["human_span"] = human_span
    context["needs_token"] = access.token is not None
    context["authorised"] = access.authorised(request.headers, request.cookies)
    response = state.templates.TemplateResponse(request, name, context, status_code=status)
    return response


def article_href(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def story_query(
    q: Annotated[str, Query(max_length=200, description="words in titles or text")] = "",
    entity: Annotated[str, Query(max_length=100, description="a person, place or body")] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    sort: Literal["newest", "outlets"] = "newest",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> StoryQuery:
    """The story search parameters shared by the list page and ``/api/stories``."""
    if since and until and since > until:
        raise HTTPException(422, "since must not be after until")
    return StoryQuery(q, entity, outlet, since, until, sort, page, per_page)


@dataclass(frozen=True)
class StoryRef:
    """A stored story, what its report depends on, and how to load its articles."""

    story: dict[str, Any]
    fingerprint: Fingerprint
    load: Callable[[], list[Article]]


def find_story(request: Request, story_id: str) -> StoryRef:
    store = state_of(request).stores.read
    story = store.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return StoryRef(
        story, story_fingerprint(store, story_id), lambda: store.story_articles(story_id)
    )


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, query: Annotated[StoryQuery, Depends(story_query)]) -> Response:
    stores = state_of(request).stores
    stories, total = LISTS.search(stores.read, query, stores.version())
    pages = max(1, -(-total // query.per_page))
    return page(
        request,
        "stories.html",
        stories=stories,
        total=total,
        query=query,
        pages=pages,
        title="Stories — newsprism",
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    ref = find_story(request, story_id)
    body = state_of(request).reports.rendered(
        story_id,
        ref.fingerprint,
        ref.load,
        "body",
        lambda r: str(render_report_body(r, article_href=article_href)),
    )
    title = f"{ref.story.get('title')} — newsprism"
    events = state_of(request).stores.read.story_events(
        story_id, newest_first=True, limit=TIMELINE_EVENTS
    )
    return page(request, "story.html", story=ref.story, body=body, title=title, events=events,
                kind_titles=KIND_TITLES, timeline_limit=TIMELINE_EVENTS)  # fmt: skip


TIMELINE_EVENTS = 200  # the story page's timeline; the story's feed and the CLI have them all
FEED_EVENTS = 100  # entries of an Atom feed, newest first


def _atom(request: Request, events: list[dict[str, Any]], path: str, title: str,
          feed_id: str, story_titles: dict[str, str]) -> Response:  # fmt: skip
    body = atom_feed(events, base_url=str(request.base_url), feed_path=path, title=title,
                     feed_id=feed_id, story_titles=story_titles)  # fmt: skip
    return Response(body, media_type=ATOM_TYPE)


@router.get("/feed.atom")
def events_feed(request: Request) -> Response:
    """Every story's events as an Atom feed, newest first."""
    store = state_of(request).stores.read
    events = store.story_events(newest_first=True, limit=FEED_EVENTS)
    titles = {sid: str((store.story(sid) or {}).get("title") or sid)
              for sid in {e["story_id"] for e in events}}  # fmt: skip
    return _atom(request, events, "/feed.atom", "newsprism: what changed in the news",
                 "urn:newsprism:feed", titles)  # fmt: skip


@router.get("/stories/{story_id}/feed.atom")
def story_feed(request: Request, story_id: str) -> Response:
    """One story's events as an Atom feed, newest first."""
    store = state_of(request).stores.read
    found = store.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    events = store.story_events(story_id, newest_first=True, limit=FEED_EVENTS)
    title = str(found.get("title") or story_id)
    return _atom(request, events, f"/stories/{quote(story_id, safe='')}/feed.atom",
                 f"newsprism: {title}", f"urn:newsprism:story:{quote(story_id, safe='')}",
                 {story_id: title})  # fmt: skip


@router.get("/stories/{story_id}/report.html")
def story_report_file(request: Request, story_id: str) -> Response:
    """The self-contained report file, to save and forward."""
    ref = find_story(request, story_id)
    html = state_of(request).reports.rendered(
        story_id, ref.fingerprint, ref.load, "file", render_html
    )
    name = _SAFE_NAME.sub("-", story_id)[:80] or "story"
    # The file has its own, stricter policy inside; the page's CSP would block its inline script.
    return HTMLResponse(
        html,
        headers={
            "Content-Disposition": f'attachment; filename="newsprism-{name}.html"',
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: str,
    diff: Annotated[int | None, Query(ge=1, description="compare with this version")] = None,
) -> Response:
    """One stored version of an article, its versions, and what changed from the one before
    (or between it and version ``diff``)."""
    store = state_of(request).stores.read
    article = store.get(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    story_id = store.story_of(article.id)
    story = store.story(story_id) if story_id else None
    try:
        versions, revision = page_view(store, article, diff)
    except ValueError as err:
        raise HTTPException(404, str(err)) from err
    url = article.url if article.url and urlsplit(article.url).scheme in ("http", "https") else None
    return page(
        request,
        "article.html",
        article=article,
        story=story,
        versions=versions,
        revision=revision,
        segments=segments,
        safe_url=url,
        title=f"{article.title} — newsprism",
    )


@router.get("/outlets", response_class=HTMLResponse)
def outlet_list(request: Request) -> Response:
    return page(
        request,
        "outlets.html",
        outlets=outlets(state_of(request).stores.read),
        title="Outlets — newsprism",
    )


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str) -> Response:
    state = state_of(request)
    known = {o["name"] for o in outlets(state.stores.read)}
    if name not in known:
        raise HTTPException(404, f"no outlet named {name!r}")
    profile = outlet_profile(state.stores.read, name, state.reports)
    return page(request, "outlet.html", profile=profile, title=f"{name} — newsprism")


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> Response:
    return page(request, "ingest.html", error=None, title="Add articles — newsprism")


def checked_url(url: str) -> str:
    """The URL if the web app may fetch it; otherwise a 400 naming the reason (SSRF): its host
    must resolve only to global addresses (``is_global``, not a list of private ranges)."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > 2000 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise HTTPException(400, "give an http:// or https:// URL")
    try:
        check_global_host(parts.hostname, where=url)
    except FetchError as err:
        raise HTTPException(400, str(err)) from err
    return url


async def saved_upload(request: Request, upload: UploadFile) -> tuple[str, Path, Path]:
    """Save an upload (size-capped) in a fresh temporary folder: (display name, file, folder)."""
    limit = state_of(request).access.upload_limit
    raw = upload.filename or "upload.txt"
    name = _SAFE_NAME.sub("_", Path(raw.replace("\\", "/")).name).strip("._") or "upload.txt"
    if not name.lower().endswith(_UPLOAD_SUFFIXES):
        raise HTTPException(400, "upload a .txt, .html, .jsonl, feed (.xml, .rss) or .warc file")
    folder = Path(tempfile.mkdtemp(prefix="newsprism-upload-"))
    target = folder / name[:120]
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(256 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise HTTPException(413, f"the file is larger than the {limit // 1024} KB cap")
            out.write(chunk)
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(400, "the uploaded file is empty")
    return raw[:200], target, folder


def _form_error(request: Request, err: HTTPException) -> Response:
    return page(
        request,
        "ingest.html",
        status=err.status_code,
        error=err.detail,
        title="Add articles — newsprism",
    )


@router.post("/ingest/upload", dependencies=[Depends(require_token)])
async def ingest_upload(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    try:
        display, target, folder = await saved_upload(request, file)
    except HTTPException as err:
        return _form_error(request, err)
    job = state_of(request).jobs.start("upload", display, target, cleanup=folder)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/ingest/url", dependencies=[Depends(require_token)])
def ingest_url(request: Request, url: Annotated[str, Form(max_length=2000)]) -> Response:
    try:
        target = checked_url(url)
    except HTTPException as err:
        return _form_error(request, err)
    job = state_of(request).jobs.start("url", target, target)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/ingest/feed", dependencies=[Depends(require_token)])
def ingest_feed(request: Request, url: Annotated[str, Form(max_length=2000)]) -> Response:
    try:
        target = checked_url(url)
    except HTTPException as err:
        return _form_error(request, err)
    job = state_of(request).jobs.start("feed", target, target)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    job = state_of(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {job_id!r} (jobs are kept until the server stops)")
    return page(request, "job.html", job=job, title="Ingest progress — newsprism")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return page(request, "login.html", next=safe_next(next), error=None, title="Log in — newsprism")


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    access = state_of(request).access
    if access.token is None:
        return RedirectResponse(safe_next(next), status_code=303)
    if not access.authorised({"x-newsprism-token": token}, {}):
        return page(
            request,
            "login.html",
            status=401,
            next=safe_next(next),
            error="That is not the token this server was started with.",
            title="Log in",
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=30 * 24 * 3600,
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The OpenAPI description as a plain page (the stock one needs a CDN)."""
    spec = request.app.openapi()
    return page(request, "apidocs.html", spec=spec, title="JSON API — newsprism")
