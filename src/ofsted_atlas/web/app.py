"""The web app: server-rendered pages and a JSON API over the same Python API as the CLI.

Read-only by design: the database is opened read-only, no page writes anything. Report text is
always autoescaped; charts are Vega-Lite specs in `<script type="application/json">` blocks drawn
by a static script, so the Content-Security-Policy allows no inline script.

The routes live in routers: pages.py (HTML pages), api.py (JSON API), briefings.py (briefing
page and downloads), assets.py (static files, /healthz); this module assembles them with the
security headers, the page cache and the error pages.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ofsted_atlas import config
from ofsted_atlas.store.search import SearchTimedOut, SearchTooCostly

from . import api, assets, briefings, docs, geography, labels, pages, queries, readiness
from .briefing_pool import BriefingPool
from .cache import CacheLayer, PageCache, RouteTable
from .context import Context, Database
from .frontdoor import SECURITY_HEADERS, FrontDoor, SelectiveGZip
from .memory import keep_large_buffers_mapped
from .presentation import _area_label, _grade_label, _highlight, _theme_names
from .review import ReviewSettings
from .review import install as install_review

HERE = Path(__file__).parent
log = logging.getLogger(__name__)
__all__ = ["SECURITY_HEADERS", "app_from_env", "create_app"]


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers (settings from the environment)."""
    return create_app(review=ReviewSettings.from_env())


def create_app(
    db: Path | str | None = None,
    reference: Path | None = None,
    review: ReviewSettings | None = None,
) -> FastAPI:
    keep_large_buffers_mapped()
    database = Database(Path(db or config.default_db_path()))
    reference_dir = reference or config.reference_dir()
    lookup = config.lookup_path(reference_dir)
    app = FastAPI(
        title="Inspection Atlas",
        summary="Ofsted inspections of English councils' children's services, as data.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,  # FrontDoor redirects, relatively
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    ctx = Context(database, templates, reference_dir, lookup, BriefingPool(database.path), {})
    templates.env.globals.update(
        grade_label=_grade_label,
        area_label=_area_label,
        theme_names=_theme_names(),
        chart_json=queries.as_json,
        static_url=ctx.static_url,
    )
    templates.env.filters["highlight"] = _highlight
    labels.install(templates.env)
    cache = PageCache(database.path)
    routers = [
        *(module.router(ctx) for module in (pages, briefings, assets, api, readiness)),
        docs.router(),
    ]
    table = RouteTable(routers)
    app.state.routes = table
    if review is not None:  # `serve --review`: corrections of the coding (web/review.py)
        install_review(app, templates, cache, database.path, review)
    app.state.page_cache = cache
    app.state.briefings = ctx.briefings

    # Outermost first: FrontDoor (headers, HEAD, redirects), gzip, the page cache, the routes.
    app.add_middleware(CacheLayer, cache=cache, routes=table)
    app.add_middleware(SelectiveGZip)
    app.add_middleware(FrontDoor)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _error(request, error.status_code, str(error.detail), ctx, error.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()
        )
        return _error(request, 400, f"bad request: {problems}", ctx)

    @app.exception_handler(SearchTooCostly)
    async def costly_search(request: Request, error: SearchTooCostly) -> Response:
        if isinstance(error, SearchTimedOut):
            return _error(request, 503, str(error), ctx, {"Retry-After": "5"})
        return _error(request, 400, str(error), ctx)

    @app.exception_handler(sqlite3.DatabaseError)
    async def database_error(request: Request, error: sqlite3.DatabaseError) -> Response:
        log.warning("database error on %s: %s", request.url.path, error)
        return _error(request, 503, "the database could not answer: try again", ctx)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        # Reached only past every other handler; answered outside FrontDoor, so secured here.
        log.exception("error on %s", request.url.path)
        response = _error(request, 500, "internal error", ctx)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    for router in routers:
        app.include_router(router)
    docs.install_schema(app)
    # The county map, built in the background once the static files are built (not beside
    # them: both are CPU-bound, and /healthz should answer as soon as possible).
    geography.warm(reference_dir)
    return app


def _error(
    request: Request,
    status: int,
    message: str,
    ctx: Context,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The one error shape: `{"error": message}` under /api/, the error page elsewhere."""
    response: Response
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        response = JSONResponse({"error": message}, status_code=status, headers=dict(headers or {}))
    else:
        message = message[:1].upper() + message[1:]
        response = ctx.page(request, "error.html", status, status=status, message=message)
        for name, value in (headers or {}).items():
            response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response
