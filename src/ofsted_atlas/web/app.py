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
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from ofsted_atlas import config
from ofsted_atlas.store.search import SearchTimedOut, SearchTooCostly

from . import api, assets, briefings, docs, pages, queries, readiness
from .briefing_pool import BriefingPool
from .cache import PageCache, RouteTable, _drop_empty_parameters, canonical_query
from .context import Context, Database
from .frontdoor import SECURITY_HEADERS, FrontDoor
from .presentation import _area_label, _grade_label, _highlight, _theme_names
from .review import ReviewSettings
from .review import install as install_review

HERE = Path(__file__).parent
PAGE_CACHE_CONTROL = "no-cache"  # revalidate with the ETag: pages change only with the database
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
    cache = PageCache(database.path)
    if review is not None:  # `serve --review`: corrections of the coding (web/review.py)
        install_review(app, templates, cache, database.path, review)
    app.state.page_cache = cache
    app.state.briefings = ctx.briefings

    @app.middleware("http")
    async def cached(request: Request, call_next: Any) -> Response:
        _drop_empty_parameters(request)
        known = table.parameters(request.url.path)
        if known is not None:
            query, unknown = canonical_query(request.scope.get("query_string", b"").decode(), known)
            if unknown and request.url.path.startswith("/api/"):
                return _error(request, 400, f"unknown parameter {unknown[0]!r}", ctx)
            request.scope["query_string"] = query.encode()  # pages ignore what they do not use
        key = cache.key(request)
        gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
        response = cache.get(key, gzip_ok) if key else None
        if response is None:
            response = await call_next(request)
            if key and response.status_code == 200:
                response = await cache.put(key, response, gzip_ok)
        if key and response.status_code == 200:
            response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
            if request.headers.get("if-none-match") == response.headers.get("etag"):
                return Response(status_code=304, headers={"etag": response.headers["etag"]})
        elif response.status_code >= 400:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
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

    routers = [
        *(module.router(ctx) for module in (pages, briefings, assets, api, readiness)),
        docs.router(),
    ]
    table = RouteTable(routers)
    app.state.routes = table
    for router in routers:
        app.include_router(router)
    docs.install_schema(app)
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
