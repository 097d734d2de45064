"""The FastAPI application: wiring of state, guard, templates, pages, API and error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism import __version__
from newsprism.web.cache import CachedPages, PageCache
from newsprism.web.data import REPORTS, ReportCache, StoreAccess
from newsprism.web.jobs import JobManager
from newsprism.web.security import Access, AllowedHosts, Guard, token_problem

HERE = Path(__file__).resolve().parent


@dataclass
class AppState:
    """Everything a route needs, kept on ``app.state.newsprism``."""

    access: Access
    stores: StoreAccess
    reports: ReportCache
    jobs: JobManager
    templates: Jinja2Templates
    pages: PageCache


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True  # every template, whatever its name: article text is untrusted
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.globals["version"] = __version__
    return templates


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.newsprism.jobs.shutdown()


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path == "/openapi.json")


def create_app(
    db: str | Path | None,
    *,
    token: str | None = None,
    private: bool = False,
    upload_limit: int = 5 * 1024 * 1024,
    allowed_hosts: AllowedHosts | None = None,
) -> FastAPI:
    """The newsprism web app over the store at ``db`` (None: the default database).

    ``token`` guards every action that changes data; with ``private`` it guards reading too.
    ``upload_limit`` caps an uploaded file in bytes. ``allowed_hosts`` are the names a
    request's ``Host`` header may carry (None: any; :func:`newsprism.web.serve` always sets them).
    """
    if private and not token:
        raise ValueError("a private server needs a token (--token or NEWSPRISM_TOKEN)")
    problem = token_problem(token) if token is not None else None
    if problem:
        raise ValueError(problem)
    app = FastAPI(
        lifespan=_lifespan,
        title="newsprism",
        version=__version__,
        description="How the news tells one story: stories, articles, outlets and comparison "
        "reports from the local newsprism store. Every page has a JSON twin under /api.",
        docs_url=None,  # the stock docs page loads scripts from a CDN; /api/docs is local
        redoc_url=None,
    )
    stores = StoreAccess(db)
    access = Access(token=token, private=private, upload_limit=upload_limit, hosts=allowed_hosts)
    app.state.newsprism = AppState(
        access=access,
        stores=stores,
        reports=REPORTS,
        jobs=JobManager(stores),
        templates=make_templates(),
        pages=PageCache(),
    )
    # Added first, so it runs inside the guard: refusals and headers apply to cached pages too.
    app.add_middleware(
        CachedPages, cache=app.state.newsprism.pages, access=access, version=stores.version
    )
    app.add_middleware(Guard, access=access)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from newsprism.web.api import router as api_router
    from newsprism.web.pages import router as pages_router

    app.include_router(pages_router)
    app.include_router(api_router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if not wants_html(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Any:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
            for e in exc.errors()
        ]
        if not wants_html(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return error_page(request, 422, "Bad parameters: " + "; ".join(problems))

    return app


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    state: AppState = request.app.state.newsprism
    titles = {404: "Not found", 401: "Access token needed", 422: "Bad parameters"}
    response = state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": titles.get(status, "Error"), "message": message},
        status_code=status,
    )
    return response
